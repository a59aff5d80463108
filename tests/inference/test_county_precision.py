"""Funnel limits, beta-binomial pooling and chance tests against reference values."""

import numpy as np
import pytest
from scipy import stats as sps

from kommunenkat.inference import analysis
from kommunenkat.inference import county_precision as cp


@pytest.mark.parametrize("p0", [0.19, 0.61, 0.5])
@pytest.mark.parametrize("prob", [0.001, 0.025, 0.975, 0.999])
def test_funnel_limits_lie_between_the_exact_binomial_quantile_and_the_count_below(p0, prob):
    n = np.arange(1, 60)
    limit = cp.funnel_limit(p0, n, prob)
    r = sps.binom.ppf(prob, n, p0)  # the exact quantile (smallest r with F(r) ≥ prob)
    assert (limit <= r / n + 1e-12).all()
    assert (limit >= (r - 1) / n - 1e-12).all()


def test_funnel_limit_interpolation_by_hand():
    # Binomial(10, 0.5): F(7) = 0.9453, F(8) = 0.9893, so the 97.5 % quantile is r = 8 and
    # α = (0.9893 − 0.975)/(0.9893 − 0.9453) = 0.3247; limit (8 − α)/10 = 0.7675.
    f7, f8 = sps.binom.cdf([7, 8], 10, 0.5)
    alpha = (f8 - 0.975) / (f8 - f7)
    assert cp.funnel_limit(0.5, 10, 0.975) == pytest.approx((8 - alpha) / 10)
    assert cp.funnel_limit(0.5, 10, 0.975) == pytest.approx(0.7675, abs=1e-4)


def test_funnel_limits_approach_the_normal_approximation_for_large_n():
    n, p0 = 100000, 0.3
    hi = cp.funnel_limit(p0, n, 0.975)
    assert hi == pytest.approx(p0 + 1.959964 * np.sqrt(p0 * (1 - p0) / n), abs=2e-5)


def test_funnel_limits_are_quantiles_of_the_count_spread_over_the_unit_below_it():
    """The interpolated limit is the exact quantile of (K − 1 + U)/n, U uniform on (0, 1).

    So for p0 = ½ the lower and upper limits are symmetric about (n − 1)/(2n), not ½: the
    upper limit flags a count at the binomial quantile itself (slightly liberal), the lower one
    does not (slightly conservative). The method appendix says so.
    """
    n = np.array([20, 40])  # large enough that no lower limit is clipped at 0
    lim = cp.funnel_limits(0.5, n)
    assert np.allclose(lim["lo95"] + lim["hi95"], 1 - 1 / n)
    assert np.allclose(lim["lo998"] + lim["hi998"], 1 - 1 / n)


def test_posterior_given_is_the_closed_form_beta_binomial_posterior():
    # Prior Beta(2, 8), 3 of 10: posterior Beta(5, 15), mean 5/20, weight 10/20.
    post = cp.posterior_given([3], [10], 2.0, 8.0)
    assert post["mean"].iloc[0] == pytest.approx(0.25)
    assert post["weight"].iloc[0] == pytest.approx(0.5)
    assert post["ci_low"].iloc[0] == pytest.approx(sps.beta(5, 15).ppf(0.025))
    assert post["ci_high"].iloc[0] == pytest.approx(sps.beta(5, 15).ppf(0.975))
    # The mean is the weighted average of the raw share and the prior mean.
    assert post["mean"].iloc[0] == pytest.approx(0.5 * 0.3 + 0.5 * 0.2)


def test_beta_binomial_ml_matches_a_brute_force_grid_maximum():
    k = np.array([1, 8, 3, 9, 2, 7, 5, 10])
    n = np.array([10, 10, 10, 12, 8, 9, 11, 12])
    fit = cp.beta_binomial_ml(k, n)
    mu = np.linspace(0.3, 0.8, 201)[:, None]
    rho = np.linspace(0.001, 0.6, 300)[None, :]
    a, b = mu * (1 - rho) / rho, (1 - mu) * (1 - rho) / rho
    ll = sps.betabinom.logpmf(k[:, None, None], n[:, None, None], a, b).sum(axis=0)
    i, j = np.unravel_index(ll.argmax(), ll.shape)
    assert fit.llf >= ll.max() - 1e-6
    assert fit.mu == pytest.approx(mu[i, 0], abs=0.01)
    assert fit.rho == pytest.approx(rho[0, j], abs=0.01)
    assert fit.p_value < 0.05


def test_beta_binomial_ml_without_overdispersion_is_binomial():
    fit = cp.beta_binomial_ml([5, 5, 5, 5], [10, 10, 10, 10])
    assert fit.rho == 0 and fit.mu == pytest.approx(0.5) and fit.p_value == 1


@pytest.mark.slow  # over 10 s (pytest --durations)
def test_pooled_estimates_reduce_to_the_closed_form_when_the_hyperparameters_are_known():
    """Many regions with known spread: the grid posterior concentrates at the true (a, b)."""
    rng = np.random.default_rng(3)
    n = np.full(400, 30)
    theta = rng.beta(6, 14, size=400)
    k = rng.binomial(n, theta)
    est = cp.pooled_estimates(k, n, draws=4000)
    fit = cp.beta_binomial_ml(k, n)
    a, b = cp.beta_ab(fit.mu, fit.rho)
    closed = cp.posterior_given(k, n, a, b)
    assert np.allclose(est["pooled"], closed["mean"], atol=0.01)
    assert np.allclose(est["pulled"], closed["weight"], atol=0.05)


def test_pooled_estimates_shrink_small_regions_most_and_are_seeded():
    k, n = np.array([0, 6, 20, 12]), np.array([5, 6, 40, 24])
    a = cp.pooled_estimates(k, n, draws=2000, seed=1)
    b = cp.pooled_estimates(k, n, draws=2000, seed=1)
    assert a.equals(b)
    assert a["pulled"].iloc[0] > a["pulled"].iloc[2]
    assert (a["ci_low"] <= a["pooled"]).all() and (a["pooled"] <= a["ci_high"]).all()
    assert (a["rank_low"] <= a["rank_median"]).all() and (a["rank_median"] <= a["rank_high"]).all()


def test_chance_of_zero_regions_exact_poisson_binomial():
    # Three regions of n = 2 at p̂ = 0.5: each has k = 0 with probability 1/4; P(≥ 1 zero) =
    # 1 − (3/4)³ = 37/64, expected number 3/4.
    res = cp.chance_of("zero", [0, 1, 2], [2, 2, 2], n_resamples=2000)
    assert res["p_binomial"] == pytest.approx(37 / 64)
    assert res["expected_binomial"] == pytest.approx(0.75)


def test_chance_of_max_share_exact_and_simulated_agree_on_book_data():
    k, n = (analysis.county_positive("operative_collab", "low")[c] for c in ("k", "n"))
    res = cp.chance_of("max", k, n)
    # Conditioning on the national count changes little with 20 regions.
    assert res["p_fixed_margins"] == pytest.approx(res["p_binomial"], abs=0.02)
    assert res["expected"] == pytest.approx(res["expected_binomial"], abs=0.01)


def test_the_report_five_zero_counties_claim():
    c = cp.claims_vs_chance().set_index("claim").loc["C50"]
    assert c["observed"] == 5
    assert set(c["regions"].split(", ")) == {
        "Blekinge", "Kronoberg", "Halland", "Södermanland", "Östergötland"
    }  # fmt: skip
    assert 2 < c["expected"] < 4


@pytest.mark.parametrize("bad", [([1, 2], [1]), ([3], [2]), ([-1], [2]), ([0.5], [2])])
def test_bad_counts_are_refused(bad):
    with pytest.raises(ValueError):
        cp.posterior_given(*bad, 1.0, 1.0)


# --------------------------------------------------------------------------- funnel positions


@pytest.mark.parametrize(
    ("k", "n", "p0"), [(6, 6, 0.613169), (4, 6, 0.141079), (0, 8, 0.352697), (3, 20, 0.3)]
)
def test_tail_probabilities_agree_with_scipy_binomtest(k, n, p0):
    # A second implementation: scipy's binomial test computes the one-sided tails itself.
    upper, lower = cp.tail_probabilities([k], [n], p0)
    assert upper[0] == pytest.approx(sps.binomtest(k, n, p0, alternative="greater").pvalue)
    assert lower[0] == pytest.approx(sps.binomtest(k, n, p0, alternative="less").pvalue)


@pytest.mark.parametrize(
    ("k", "n", "p0", "tail", "position"),
    [
        # The review's cases (county_funnel.csv): strategic Västernorrland 6/6, P(X ≥ 6) = p0⁶.
        (6, 6, 0.613169, 0.613169**6, "inom"),
        # employer Västernorrland 4/6: below 0.025 but not below 0.001.
        (4, 6, 0.141079, None, "över 95 %"),
        # fördjupat, negative share, Kronoberg 7/7.
        (7, 7, 0.565574, 0.565574**7, "över 95 %"),
        # employer, negative share, Gävleborg 0/8: lower tail (1 − p0)⁸ = 0.031 > 0.025.
        (0, 8, 0.352697, (1 - 0.352697) ** 8, "inom"),
    ],
)
def test_review_cases_are_classified_by_their_exact_tails(k, n, p0, tail, position):
    upper, lower = cp.tail_probabilities([k], [n], p0)
    if tail is not None:
        assert (upper[0] if k > n * p0 else lower[0]) == pytest.approx(tail)
    assert cp.position_from_tails(upper[0], lower[0]) == position


def test_review_tail_values():
    upper, _ = cp.tail_probabilities([6], [6], 0.613169)
    assert upper[0] == pytest.approx(0.053, abs=5e-4)  # inside 95 % (> 0.025) and 99.8 %
    _, lower = cp.tail_probabilities([0], [8], 0.352697)
    assert lower[0] == pytest.approx(0.031, abs=5e-4)


@pytest.mark.parametrize("p0", [0.2, 0.5, 0.613169, 0.9])
@pytest.mark.parametrize("n", [3, 6, 10, 25])
def test_interpolated_upper_limit_flags_a_full_count_whatever_its_tail(p0, n):
    """Why the limits do not decide: k = n lies above the interpolated 99.8 % limit for every
    n and p0, although its tail p0ⁿ is often far above 0.001 (the method appendix says so)."""
    assert cp.funnel_limit(p0, n, 0.999) < 1
    if p0**n >= 0.001:
        upper, lower = cp.tail_probabilities([n], [n], p0)
        assert cp.position_from_tails(upper[0], lower[0]) != "över 99,8 %"


@pytest.mark.parametrize(
    ("upper", "lower", "position"),
    [
        (0.0009, 1.0, "över 99,8 %"),
        (0.001, 1.0, "över 95 %"),
        (0.0249, 1.0, "över 95 %"),
        (0.025, 1.0, "inom"),
        (1.0, 0.0249, "under 95 %"),
        (1.0, 0.0005, "under 99,8 %"),
        (0.5, 0.5, "inom"),
    ],
)
def test_position_from_tails_thresholds(upper, lower, position):
    assert cp.position_from_tails(upper, lower) == position


@pytest.mark.parametrize(("upper", "lower"), [(-0.1, 0.5), (0.5, 1.2), (np.nan, 0.5)])
def test_position_from_tails_refuses_non_probabilities(upper, lower):
    with pytest.raises(ValueError, match="tail probabilities"):
        cp.position_from_tails(upper, lower)


def test_book_funnels_flag_only_counts_beyond_the_drawn_limits():
    """Every flagged region lies beyond the drawn (interpolated) curve on its side, so the
    figure never shows a diamond inside the funnel; the converse need not hold."""
    f = cp.funnels()
    assert set(f["position"]) <= {"inom", "över 95 %", "över 99,8 %", "under 95 %", "under 99,8 %"}
    up = f["position"].str.startswith("över")
    down = f["position"].str.startswith("under")
    assert (f.loc[up, "share"] > f.loc[up, "hi95"]).all()
    assert (f.loc[down, "share"] < f.loc[down, "lo95"]).all()
    assert ((f["p_upper"] < 0.025) == up).all()
    assert ((f["p_lower"] < 0.025) == down).all()
    assert (
        ((f["p_upper"] < 0.001) | (f["p_lower"] < 0.001))
        .eq(f["position"].str.contains("99,8", regex=False))
        .all()
    )


def test_claims_are_holm_adjusted_as_one_family():
    from statsmodels.stats.multitest import multipletests

    c = cp.claims_vs_chance()
    expected = multipletests(c["p_fixed_margins"], method="holm")[1]
    assert np.allclose(c["p_holm"], expected)
    # The smallest p is multiplied by the family size (Holm's first step): C61, 0.013 → 0.12.
    i = c["p_fixed_margins"].idxmin()
    assert c.loc[i, "claim"] == "C61"
    assert c.loc[i, "p_holm"] == pytest.approx(len(c) * c.loc[i, "p_fixed_margins"])
    assert (c["p_holm_band_high"] >= c["p_holm"]).all()


def test_step_limits_by_hand():
    """Binomial(10, ½): P(X ≥ 9) = 11/1024 < 0.025 ≤ P(X ≥ 8) = 56/1024, and
    P(X ≥ 10) = 1/1024 < 0.001; the steps sit half a count inside those counts. With n = 5 even
    5 of 5 has P = 1/32 ≥ 0.025, so there is no 95 % limit to draw."""
    lim = cp.step_limits(0.5, [10, 5]).set_index("n")
    assert lim.loc[10, "hi95"] == pytest.approx(0.85)
    assert lim.loc[10, "lo95"] == pytest.approx(0.15)
    assert lim.loc[10, "hi998"] == pytest.approx(0.95)
    assert lim.loc[10, "lo998"] == pytest.approx(0.05)
    assert lim.loc[5].isna().all()
    with pytest.raises(ValueError, match="p0"):
        cp.step_limits(1.0, [10])


def _drawn_vs_classified(limits_at) -> int:
    """Rows (question, category, region) whose side of the drawn limits disagrees with the
    tail classification; ``limits_at(fun)`` gives the drawn limits at each region's n."""
    bad = 0
    for q in cp.SCALE_QUESTIONS:
        for c in cp.CATEGORIES:
            fun = cp.funnel(q, c)
            lim = limits_at(fun).set_index("n").loc[fun["n"].astype(float)]
            share = fun["share"].to_numpy()
            for key, flagged in (
                ("95", fun["position"] != "inom"),
                ("998", fun["position"].str.contains("99,8", regex=False)),
            ):
                drawn = (share > lim[f"hi{key}"].to_numpy()) | (share < lim[f"lo{key}"].to_numpy())
                bad += int((drawn != flagged.to_numpy()).sum())
    return bad


def test_every_funnel_point_is_beyond_a_drawn_limit_exactly_when_classified_outside():
    """The figure's drawn limits (county_figures.funnel_limit_steps) agree with the position
    column for every question, category and county, at both levels."""
    from kommunenkat.graphics import county_figures

    assert _drawn_vs_classified(county_figures.funnel_limit_steps) == 0


def test_the_smoothed_curves_would_fail_the_same_check():
    """The interpolated (Spiegelhalter) curves drawn before put points on the wrong side, so
    the check above can fail."""

    def smoothed(fun):
        return cp.funnel_limits(float(fun["national"].iloc[0]), np.arange(1, fun["n"].max() + 5))

    assert _drawn_vs_classified(smoothed) > 0
