"""Tests of the statistical functions (:mod:`kommunenkat.inference.stats`, :mod:`change_tests`,
:mod:`homogeneity`) against published values and independent computations.

References:
- Newcombe RG (1998a). Two-sided confidence intervals for the single proportion: comparison of
  seven methods. Stat Med 17:857-872 (Wilson interval of 81/263: 0.2553-0.3662).
- Newcombe RG (1998b). Interval estimation for the difference between independent proportions:
  comparison of eleven methods. Stat Med 17:873-890, Table II, method 10.
- Fisher RA (1935), The Design of Experiments: the lady tasting tea, [[3, 1], [1, 3]],
  two-sided p = 34/70 = 0.4857.
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from kommunenkat.inference import change_tests, homogeneity, stats

Z95 = 1.959963984540054  # standard normal 97.5 % quantile


def wilson_closed_form(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson (1927) score interval, centre/radius form, written out independently."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    radius = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - radius, centre + radius


def newcombe_closed_form(k2: int, n2: int, k1: int, n1: int) -> tuple[float, float]:
    """Newcombe's method 10 for p2 - p1 ("square and add" of Wilson limits), written out."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson_closed_form(k1, n1)
    l2, u2 = wilson_closed_form(k2, n2)
    d = p2 - p1
    return d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2), d + math.sqrt(
        (u2 - p2) ** 2 + (p1 - l1) ** 2
    )


def pearson_2x2(k1: int, n1: int, k2: int, n2: int):
    return sps.chi2_contingency([[k1, n1 - k1], [k2, n2 - k2]], correction=False)


def all_python_floats(obj) -> bool:
    values = dataclasses.astuple(obj) if dataclasses.is_dataclass(obj) else tuple(obj)
    return all(type(v) in (float, int, bool, str) or v is None for v in values)


# --------------------------------------------------------------------------- Wilson


def test_wilson_matches_newcombe_1998_table():
    low, high = stats.wilson_interval(81, 263)
    assert low == pytest.approx(0.2553, abs=5e-5)
    assert high == pytest.approx(0.3662, abs=5e-5)


@pytest.mark.parametrize("k,n", [(81, 263), (0, 10), (10, 10), (1, 29), (149, 244), (3, 7)])
def test_wilson_matches_closed_form_and_scipy(k, n):
    low, high = stats.wilson_interval(k, n)
    ref_low, ref_high = wilson_closed_form(k, n)
    assert (low, high) == pytest.approx((ref_low, ref_high), abs=1e-12)
    scipy_ci = sps.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert (low, high) == pytest.approx((scipy_ci.low, scipy_ci.high), abs=1e-12)


def test_wilson_alpha_changes_width_and_returns_python_floats():
    ci95 = stats.wilson_interval(30, 100)
    ci99 = stats.wilson_interval(30, 100, alpha=0.01)
    assert ci99.low < ci95.low < 0.30 < ci95.high < ci99.high
    assert type(ci95.low) is float and type(ci95.high) is float


# --------------------------------------------------------------------------- change

NEWCOMBE_TABLE_II = [  # (k_a, n_a, k_b, n_b) -> interval for p_a - p_b, method 10
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((6, 7, 2, 7), (0.0582, 0.8062)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((0, 10, 0, 10), (-0.2775, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0000)),
    ((10, 10, 0, 10), (0.6075, 1.0000)),
]


@pytest.mark.parametrize("counts,expected", NEWCOMBE_TABLE_II)
def test_change_interval_matches_newcombe_table_ii(counts, expected):
    k_a, n_a, k_b, n_b = counts
    # the paper's difference is p_a - p_b; change() reports year 2 minus year 1
    res = change_tests.change(k1=k_b, n1=n_b, k2=k_a, n2=n_a)
    assert res.diff == pytest.approx(k_a / n_a - k_b / n_b, abs=1e-12)
    assert (res.ci_low, res.ci_high) == pytest.approx(expected, abs=5e-5)


def test_change_newcombe_example_a_in_full():
    res = change_tests.change(k1=48, n1=80, k2=56, n2=70)
    assert res.diff == pytest.approx(0.2000, abs=1e-12)
    assert (res.p1, res.p2) == pytest.approx((0.6, 0.8))
    assert (res.ci_low, res.ci_high) == pytest.approx(newcombe_closed_form(56, 70, 48, 80))


def test_change_direction_decrease_mirrors_increase():
    up = change_tests.change(48, 80, 56, 70)
    down = change_tests.change(56, 70, 48, 80)
    assert down.diff == pytest.approx(-0.2)
    assert (down.ci_low, down.ci_high) == pytest.approx((-up.ci_high, -up.ci_low))
    assert down.z == pytest.approx(-up.z) and up.z > 0
    assert down.p_value == pytest.approx(up.p_value)
    assert down.cohens_h == pytest.approx(-up.cohens_h)


@pytest.mark.parametrize(
    "k1,n1,k2,n2", [(102, 244, 149, 244), (48, 80, 56, 70), (3, 20, 9, 25), (50, 100, 50, 100)]
)
def test_z_test_equals_pearson_chi_square(k1, n1, k2, n2):
    res = change_tests.change(k1, n1, k2, n2)
    chi = pearson_2x2(k1, n1, k2, n2)
    assert res.z**2 == pytest.approx(chi.statistic, rel=1e-10, abs=1e-12)
    assert res.p_value == pytest.approx(chi.pvalue, rel=1e-10)
    assert math.copysign(1, res.z) == math.copysign(1, res.diff) or res.diff == 0


def test_cohens_h_is_arcsine_difference():
    # p2 = 61/100, p1 = 42/100
    res = change_tests.change(42, 100, 61, 100)
    expected = 2 * math.asin(math.sqrt(0.61)) - 2 * math.asin(math.sqrt(0.42))
    assert res.cohens_h == pytest.approx(expected, abs=1e-12)
    assert res.cohens_h == pytest.approx(0.3825, abs=1e-4)


def test_change_degenerate_tables_do_not_warn():
    for k in (0, 10):
        res = change_tests.change(k, 10, 2 * k, 20)
        assert res.diff == 0 and res.z == 0 and res.p_value == 1
        assert res.ci_low < 0 < res.ci_high


def test_change_returns_python_scalars():
    res = change_tests.change(102, 244, 149, 244)
    assert all_python_floats(res)
    assert res.significant is True and res.p_value < 0.001


def test_change_from_percent_reconstructs_rounded_count():
    res = change_tests.change_from_percent(42, 244, 149, 244)
    assert res.k1 == 102  # 0.42 * 244 = 102.48
    assert change_tests.change_from_percent(42, 200, 149, 244).k1 == 84
    assert change_tests.change_from_percent(12.5, 8, 5, 8).k1 == 1  # exact: 12.5 % of 8 = 1
    # an exact half, 25 % of 202 = 50.5, with both neighbours consistent (24.75 %, 25.25 %):
    # rounded half up (Python's round() would give 50)
    assert change_tests.rounding_bounds(25, 202) == (50, 51)
    assert change_tests.change_from_percent(25, 202, 5, 8).k1 == 51
    # 12 % of 238 = 28.56 -> 29 (the headline 2022 count of 'far from, high')
    assert change_tests.change_from_percent(12, 238, 46, 244).k1 == 29


# --------------------------------------------------------------------------- rounding


def brute_force_bounds(p: float, n: int, rule: str = "half_up"):
    """Independent: every k whose printed percent is p (Decimal rounding, halves up)."""
    from decimal import ROUND_HALF_UP, Decimal

    if rule == "symmetric":
        ks = [k for k in range(n + 1) if abs(100 * k / n - p) <= 0.5 + 1e-9]
    else:
        ks = [
            k
            for k in range(n + 1)
            if (Decimal(100 * k) / Decimal(n)).quantize(Decimal(1), rounding=ROUND_HALF_UP) == p
        ]
    return (min(ks), max(ks)) if ks else None


def test_rounding_bounds_examples():
    assert change_tests.rounding_bounds(42, 200) == (83, 84)  # 85/200 = 42.5 % is printed 43
    assert change_tests.rounding_bounds(42, 200, rule="symmetric") == (83, 85)
    assert change_tests.rounding_bounds(61, 244) == (148, 150)
    assert change_tests.rounding_bounds(42, 244) == (102, 103)  # 41.8 %, 42.2 %
    # half up: 49/200 = 24.5 % is printed 25, 51/200 = 25.5 % is printed 26
    assert change_tests.rounding_bounds(25, 200) == (49, 50)
    assert change_tests.rounding_bounds(25, 200, rule="symmetric") == (49, 51)
    assert change_tests.rounding_bounds(0, 300) == (0, 1)
    assert change_tests.rounding_bounds(100, 300) == (299, 300)


def test_rounding_half_up_reads_12_5_percent_as_13():
    # the example: 30/240 = 12.5 % is printed 13 by the report, never 12
    assert change_tests.rounding_bounds(12, 240) == (28, 29)
    assert (
        30 in range(*change_tests.rounding_bounds(13, 240))
        or change_tests.rounding_bounds(13, 240)[0] == 30
    )
    assert change_tests.rounding_bounds(12, 240, rule="symmetric") == (
        28,
        30,
    )  # the old, wrong reading
    with pytest.raises(ValueError, match="rule must be one of"):
        change_tests.rounding_bounds(12, 240, rule="banker")


@pytest.mark.parametrize("rule", ["half_up", "symmetric"])
@pytest.mark.parametrize("p", [0, 3, 8, 19, 42, 50, 61, 92, 100])
def test_rounding_bounds_match_brute_force(p, rule):
    for n in range(1, 301):
        expected = brute_force_bounds(p, n, rule)
        if expected is None:
            with pytest.raises(ValueError, match="inconsistent with the printed percent"):
                change_tests.rounding_bounds(p, n, rule=rule)
        else:
            assert change_tests.rounding_bounds(p, n, rule=rule) == expected, n


def test_rounding_bounds_impossible_n_has_clear_message():
    with pytest.raises(ValueError, match=r"no count k of n=10 rounds to 42"):
        change_tests.rounding_bounds(42, 10)
    with pytest.raises(ValueError, match="no count k of n=3"):
        change_tests.change_from_percent(50, 3, 149, 244)


# --------------------------------------------------------------------------- sensitivity


def least_favourable_p(p_percent, n1, k2, n2):
    """Independent: Pearson chi-square p over every k1 that rounds to p_percent."""
    ks = brute_force_bounds(p_percent, n1)
    return max(pearson_2x2(k1, n1, k2, n2).pvalue for k1 in range(ks[0], ks[1] + 1))


def test_sensitivity_strategic_collaboration_significant_everywhere():
    # strategic collaboration: 42 % in 2022 (n unknown) -> 149/244 = 61 % in 2023
    table = change_tests.sensitivity(42, 149, 244, range(150, 291))
    assert set(table["n1"]) == {n for n in range(150, 291) if brute_force_bounds(42, n)}
    assert table["significant"].all()
    assert (table["ci_low_min"] > 0).all()
    assert table["p_value_max"].max() < 0.001
    for n1 in (150, 200, 244, 290):
        row = table.set_index("n1").loc[n1]
        assert (row["k1_min"], row["k1_max"]) == brute_force_bounds(42, n1)
        assert row["p_value_max"] == pytest.approx(least_favourable_p(42, n1, 149, 244), rel=1e-9)
    assert change_tests.smallest_significant_n(42, 149, 244, n_range=range(150, 291)) == 150


def test_sensitivity_columns_and_union_of_intervals():
    table = change_tests.sensitivity(42, 149, 244, [200], rule="symmetric")
    assert list(table.columns) == [
        "n1", "k1_min", "k1_max", "p_value_max", "ci_low_min", "ci_high_max",
        "diff_min", "diff_max", "significant",
    ]  # fmt: skip
    row = table.iloc[0]
    lows, highs = zip(
        *(newcombe_closed_form(149, 244, k1, 200) for k1 in (83, 84, 85)), strict=True
    )
    assert row["ci_low_min"] == pytest.approx(min(lows))
    assert row["ci_high_max"] == pytest.approx(max(highs))
    assert row["diff_min"] == pytest.approx(149 / 244 - 85 / 200)


def test_sensitivity_skips_impossible_sizes():
    table = change_tests.sensitivity(42, 149, 244, range(10, 20))
    # 42 % is reachable only with n = 12 (5/12 = 41.7 %) and n = 19 (8/19 = 42.1 %) in 10..19
    assert table["n1"].tolist() == [12, 19]


def test_smallest_significant_n_definition_checked_independently():
    # 50 % in year 1 -> 149/244 = 61 %: significant only with a large enough year-1 sample
    n_star = change_tests.smallest_significant_n(50, 149, 244)
    assert n_star is not None and 50 < n_star < 290
    possible = [n for n in range(10, 291) if brute_force_bounds(50, n)]
    assert n_star in possible
    assert all(least_favourable_p(50, n, 149, 244) < 0.05 for n in possible if n >= n_star)
    below = [n for n in possible if n < n_star]
    assert least_favourable_p(50, below[-1], 149, 244) >= 0.05
    table = change_tests.sensitivity(50, 149, 244, range(10, 60))
    assert not table["significant"].any()


def test_smallest_significant_n_none_when_never_significant():
    assert change_tests.smallest_significant_n(57, 149, 244) is None
    # a stricter alpha moves the threshold up (46 % -> 61 %)
    at_05 = change_tests.smallest_significant_n(46, 149, 244)
    at_01 = change_tests.smallest_significant_n(46, 149, 244, alpha=0.01)
    assert at_05 is not None and at_01 is not None and at_05 < at_01
    assert least_favourable_p(46, at_05, 149, 244) < 0.05 <= least_favourable_p(46, 48, 149, 244)


# --------------------------------------------------------------------------- Manski


def test_manski_bounds_worst_case():
    # 149 of 243 answered yes, 47 of 290 did not answer
    b = stats.manski_bounds(149, 243, 290)
    assert (b.lower, b.upper) == (pytest.approx(149 / 290), pytest.approx(196 / 290))
    assert b.upper - b.lower == pytest.approx(47 / 290)
    assert b.lower <= b.share_respondents <= b.upper
    full = stats.manski_bounds(3, 8, 8)  # a county where every municipality answered
    assert full.lower == full.upper == full.share_respondents == 3 / 8
    with pytest.raises(ValueError, match="N must not be smaller than n"):
        stats.manski_bounds(3, 8, 7)


def test_fpc_interval_is_gone():
    # the unused ad hoc finite-population interval was removed (issue 10)
    assert not hasattr(stats, "wilson_interval_fpc") and not hasattr(stats, "fpc")


# --------------------------------------------------------------------------- homogeneity


def test_homogeneity_monte_carlo_close_to_asymptotic_for_large_counts():
    table = [[120, 180], [150, 150], [135, 165]]
    res = homogeneity.homogeneity_test(table, exact=False)
    # near alpha the default switches to the exact conditional p (a 3 x 2 table, transposed)
    auto = homogeneity.homogeneity_test(table)
    assert auto.method == "exact" and auto.p_value == pytest.approx(res.p_asymptotic, abs=0.002)
    ref = sps.chi2_contingency(table, correction=False)
    # independent: sum (O - E)^2 / E with E from the margins
    obs = np.array(table, dtype=float)
    exp = obs.sum(1, keepdims=True) * obs.sum(0, keepdims=True) / obs.sum()
    assert res.statistic == pytest.approx(((obs - exp) ** 2 / exp).sum())
    assert res.dof == 2
    assert res.p_asymptotic == pytest.approx(math.exp(-res.statistic / 2))  # chi2(2) sf
    assert res.p_asymptotic == pytest.approx(ref.pvalue)
    assert 0.03 < res.p_asymptotic < 0.07
    assert res.p_monte_carlo == pytest.approx(res.p_asymptotic, abs=0.01)
    assert res.mc_se_monte_carlo == pytest.approx(
        math.sqrt(res.p_monte_carlo * (1 - res.p_monte_carlo) / res.n_resamples)
    )
    assert res.share_expected_below_5 == 0.0 and res.p_exact is None
    assert res.method == "monte carlo" and res.p_value == res.p_monte_carlo


def test_homogeneity_is_reproducible_and_seed_dependent():
    table = [[4, 1], [2, 5], [6, 2], [1, 3]]
    a = homogeneity.homogeneity_test(table, n_resamples=5000, seed=7)
    b = homogeneity.homogeneity_test(table, n_resamples=5000, seed=7)
    c = homogeneity.homogeneity_test(table, n_resamples=5000, seed=8)
    assert a == b
    assert a.p_monte_carlo != c.p_monte_carlo
    assert all_python_floats(a)


def test_homogeneity_tiny_table_follows_exact_conditional_distribution():
    res = homogeneity.homogeneity_test([[3, 1], [1, 3]], exact=True)
    assert res.p_exact == pytest.approx(34 / 70)  # tea tasting, two-sided
    assert res.p_exact == pytest.approx(sps.fisher_exact([[3, 1], [1, 3]]).pvalue)
    assert res.p_exact == pytest.approx(0.4857, abs=5e-5)
    # chi2 >= 2 for every table except the middle one: P = 1 - 36/70 = 34/70 exactly
    assert res.p_monte_carlo == pytest.approx(34 / 70, abs=0.015)
    assert res.p_asymptotic == pytest.approx(sps.chi2(1).sf(2.0))  # far off: 0.157
    assert res.share_expected_below_5 == 1.0 and res.min_expected == 2.0
    assert res.method == "exact" and res.mc_se == 0.0 and res.band() == (res.p_value,) * 2


def brute_force_conditional_p(k, n):
    """Independent: enumerate every first column with both margins fixed."""
    import itertools

    K, N = sum(k), sum(n)
    obs = sum(a * a / b for a, b in zip(k, n, strict=True))
    hit = 0
    for ks in itertools.product(*(range(v + 1) for v in n)):
        if sum(ks) == K and sum(a * a / b for a, b in zip(ks, n, strict=True)) >= obs - 1e-9:
            hit += math.prod(math.comb(b, a) for a, b in zip(ks, n, strict=True))
    return hit / math.comb(N, K)


@pytest.mark.parametrize(
    "k, n", [([5, 1, 3, 0], [7, 7, 6, 4]), ([0, 4, 2, 5, 1], [3, 6, 5, 6, 4]), ([2, 2], [5, 9])]
)
def test_exact_two_column_p_matches_enumeration(k, n):
    assert homogeneity.exact_two_column_p(k, n) == pytest.approx(
        brute_force_conditional_p(k, n), rel=1e-9
    )


def test_exact_p_agrees_with_scipy_fisher_on_2x2():
    # for 2 x 2 tables the chi-square and Fisher orderings coincide in these tables
    for table in ([[7, 2], [3, 8]], [[10, 4], [6, 12]]):
        res = homogeneity.homogeneity_test(table, exact=True)
        assert res.p_exact == pytest.approx(sps.fisher_exact(table).pvalue, rel=1e-9)


def test_monte_carlo_p_uses_plus_one_and_switches_to_exact_near_alpha():
    # 16 draws: (1 + #)/(B + 1) can never be 0
    res = homogeneity.homogeneity_test([[30, 0], [0, 30]], n_resamples=16, exact=False)
    assert res.p_monte_carlo == pytest.approx(1 / 17)
    # a table whose exact p is near 0.044: with few draws the band straddles 0.05 -> exact
    k, n = [5, 1, 3, 0], [7, 7, 6, 4]
    table = [[a, b - a] for a, b in zip(k, n, strict=True)]
    auto = homogeneity.homogeneity_test(table, n_resamples=2000, seed=1)
    assert auto.method == "exact" and auto.p_value == pytest.approx(0.0437735, abs=1e-6)
    never = homogeneity.homogeneity_test(table, n_resamples=2000, seed=1, exact=False)
    low, high = never.band()
    assert low <= 0.05 <= high and never.p_exact is None


def test_mc_standard_error():
    assert homogeneity.mc_standard_error(0.05, 20000) == pytest.approx(0.0015411, abs=1e-7)
    with pytest.raises(ValueError, match="n_resamples must be positive"):
        homogeneity.mc_standard_error(0.5, 0)


def test_holm_matches_textbook_example():
    # Holm (1979) style example: p = 0.01, 0.04, 0.03, 0.005 -> 0.03, 0.06, 0.06, 0.02
    adj = homogeneity.holm([0.01, 0.04, 0.03, 0.005])
    assert adj["p_adjusted"].tolist() == pytest.approx([0.03, 0.06, 0.06, 0.02])
    band = homogeneity.holm([0.01, 0.04], se=[0.001, 0.0], z=3)
    assert band["band_low"].tolist() == pytest.approx([0.014, 0.04])
    assert band["band_high"].tolist() == pytest.approx([0.026, 0.04])


def test_homogeneity_bad_tables():
    with pytest.raises(ValueError, match="at least 2 rows"):
        homogeneity.homogeneity_test([1, 2, 3])
    with pytest.raises(ValueError, match="negative"):
        homogeneity.homogeneity_test([[1, -1], [2, 3]])
    with pytest.raises(ValueError, match="empty row"):
        homogeneity.homogeneity_test([[0, 0], [2, 3], [1, 1]])
    with pytest.raises(ValueError, match=r"table\[0\]\[1\] must be an integer"):
        homogeneity.homogeneity_test([[1, 0.5], [2, 3]])


# --------------------------------------------------------------------------- counties


def test_fisher_exact_tea_tasting_through_county_intervals():
    out = stats.county_intervals([3, 1], [4, 4])
    assert out["p_vs_rest"].tolist() == pytest.approx([0.4857, 0.4857], abs=5e-5)
    assert out["p_adjusted"].tolist() == pytest.approx([2 * 34 / 70] * 2)  # Holm, m = 2
    assert not out["differs_from_rest"].any()


def test_county_intervals_holm_and_bonferroni_by_hand():
    index = pd.Index(["A", "B", "C", "D"], name="region")
    k = pd.Series([0, 20, 18, 21], index=index)
    n = pd.Series([20, 30, 30, 30], index=index)
    out = stats.county_intervals(k, n)
    assert out.index.equals(index)
    # Fisher p-values recomputed from the hypergeometric distribution
    total_k, total_n = 59, 110
    for region in index:
        ki, ni = int(k[region]), int(n[region])
        dist = sps.hypergeom(total_n, total_k, ni)
        pmf = dist.pmf(np.arange(0, ni + 1))
        p_ref = pmf[pmf <= dist.pmf(ki) * (1 + 1e-7)].sum()
        assert out.loc[region, "p_vs_rest"] == pytest.approx(min(p_ref, 1.0), rel=1e-6)
    # Holm step-down by hand: sort, multiply by (m - rank), running maximum, cap at 1
    raw = out["p_vs_rest"].to_numpy()
    order = np.argsort(raw)
    adjusted = np.empty(4)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (4 - rank) * raw[i]))
        adjusted[i] = running
    assert out["p_adjusted"].to_numpy() == pytest.approx(adjusted)
    assert out["differs_from_rest"].tolist() == [True, False, False, False]
    bonferroni = stats.county_intervals(k, n, method="bonferroni")
    assert bonferroni["p_adjusted"].to_numpy() == pytest.approx(np.minimum(1, 4 * raw))
    # Bonferroni-simultaneous Wilson intervals: z at 1 - alpha / (2 m)
    z = sps.norm.ppf(1 - 0.05 / 8)
    for region in index:
        ref = wilson_closed_form(int(k[region]), int(n[region]), z)
        got = out.loc[region, ["ci_low_simultaneous", "ci_high_simultaneous"]]
        assert tuple(got) == pytest.approx(ref, abs=1e-12)
        assert got.iloc[0] <= out.loc[region, "ci_low"]


def test_multipletests_holm_small_example():
    # p = (0.01, 0.04, 0.03, 0.005), m = 4: 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06,
    # 0.04*1 = 0.04 -> running max 0.06
    k = [0, 0, 0, 0]
    out = stats.county_intervals(k, [5, 5, 5, 5])
    assert out["p_adjusted"].tolist() == [1.0] * 4  # all counties equal: nothing stands out
    from statsmodels.stats.multitest import multipletests

    _, adj, _, _ = multipletests([0.01, 0.04, 0.03, 0.005], method="holm")
    assert adj.tolist() == pytest.approx([0.03, 0.06, 0.06, 0.02])


# --------------------------------------------------------------------------- correlation


def test_rank_correlation_hand_values():
    res = stats.rank_correlation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])
    assert res.n == 5
    assert res.rho == pytest.approx(1 - 6 * 4 / (5 * 24))  # sum d^2 = 4 -> 0.8
    t = 0.8 * math.sqrt(3 / (1 - 0.64))
    assert res.p_value == pytest.approx(2 * sps.t(3).sf(t))
    assert res.tau == pytest.approx(0.6)  # 8 concordant, 2 discordant pairs
    # exact: permutations of 5 with <= 2 inversions: 1 + 4 + 9 = 14, two-sided 28/120
    assert res.tau_p_value == pytest.approx(28 / 120)
    assert all_python_floats(res)


def test_rank_correlation_rejects_constant_and_missing():
    with pytest.raises(ValueError, match="y is constant"):
        stats.rank_correlation([1, 2, 3], [4, 4, 4])
    with pytest.raises(ValueError, match="x contains missing"):
        stats.rank_correlation([1, float("nan"), 3], [1, 2, 3])
    with pytest.raises(ValueError, match="equal length"):
        stats.rank_correlation([1, 2, 3], [1, 2])


# --------------------------------------------------------------------------- reweighting


def test_reweight_to_population_by_hand():
    res = stats.reweight_to_population([50, 60, 70], [10, 20, 30], [12, 25, 40])
    unweighted = Fraction(50 * 10 + 60 * 20 + 70 * 30, 60)
    weighted = Fraction(50 * 12 + 60 * 25 + 70 * 40, 77)
    assert res.unweighted == pytest.approx(float(unweighted))
    assert res.weighted == pytest.approx(float(weighted))
    assert res.difference == pytest.approx(float(weighted - unweighted))
    assert all_python_floats(res)


def test_reweight_full_response_changes_nothing_and_checks_inputs():
    res = stats.reweight_to_population([0.2, 0.5], [10, 30], [10, 30])
    assert res.weighted == pytest.approx(res.unweighted) and res.difference == pytest.approx(0)
    with pytest.raises(ValueError, match=r"respondents_by_region\[1\] exceeds"):
        stats.reweight_to_population([0.2, 0.5], [10, 31], [10, 30])
    with pytest.raises(ValueError, match=r"respondents_by_region\[0\] is 0"):
        stats.reweight_to_population([0.2, 0.5], [0, 30], [10, 30])
    with pytest.raises(ValueError, match="same length"):
        stats.reweight_to_population([0.2, 0.5], [10], [10, 30])
    a = pd.Series([0.2, 0.5], index=["x", "y"])
    b = pd.Series([10, 30], index=["y", "x"])
    with pytest.raises(ValueError, match="same index"):
        stats.reweight_to_population(a, b, [10, 30])


# --------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: stats.wilson_interval(5, 3), r"k must not exceed n, got k=5 > n=3"),
        (lambda: stats.wilson_interval(1, 0), r"n must be positive, got n=0"),
        (lambda: stats.wilson_interval(-1, 5), r"k must not be negative"),
        (lambda: stats.wilson_interval(1.5, 5), r"k must be an integer"),
        (lambda: stats.wilson_interval(1, 5, alpha=1.5), r"alpha must be strictly between"),
        (lambda: change_tests.change(90, 80, 56, 70), r"k1 must not exceed n1"),
        (lambda: change_tests.change(10, 80, 56, -70), r"n2 must be positive"),
        (lambda: change_tests.change(10, 80, -1, 70), r"k2 must not be negative"),
        (lambda: change_tests.change_from_percent(42, 0, 149, 244), r"n must be positive"),
        (
            lambda: change_tests.change_from_percent(142, 200, 149, 244),
            r"p_percent must be a percentage",
        ),
        (lambda: change_tests.sensitivity(-1, 149, 244, [200]), r"p1_percent must be a percentage"),
        (lambda: change_tests.sensitivity(42, 300, 244, [200]), r"k2 must not exceed n2"),
        (lambda: change_tests.sensitivity(42, 149, 244, [0]), r"n1_values must be positive"),
        (lambda: stats.county_intervals([1, 5], [4, 4]), r"k\[1\] must not exceed n\[1\]"),
        (lambda: stats.county_intervals([1, 2], [4]), r"same length"),
        (lambda: stats.county_intervals([1], [4]), r"at least two counties"),
        (lambda: stats.county_intervals([1, -2], [4, 4]), r"k\[1\] must not be negative"),
    ],
)
def test_bad_inputs_name_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()
