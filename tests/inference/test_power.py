"""Tests of :mod:`kommunenkat.inference.power` against closed forms and second implementations.

References:
- Fleiss JL, Levin B, Paik MC (2003). Statistical Methods for Rates and Proportions, 3rd ed.,
  eq. 4.14: n per group for the two-sided pooled z test without continuity correction,
  n = [z_{α/2} √(2 p̄ q̄) + z_β √(p1 q1 + p2 q2)]² / (p2 − p1)².
- Cohen J (1988). Statistical Power Analysis for the Behavioral Sciences, 2nd ed., ch. 6:
  h = 2 asin √p2 − 2 asin √p1 and n per group = 2 ((z_{α/2} + z_β) / h)².
- Connor RJ (1987). Sample size for testing differences in proportions for the paired-sample
  design. Biometrics 43:207–211: McNemar's test, n = [z_{α/2} √ψ + z_β √(ψ − δ²)]² / δ² with ψ
  the probability of a discordant pair.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import optimize
from scipy import stats as sps
from statsmodels.stats.proportion import power_proportions_2indep

from kommunenkat.core import paths
from kommunenkat.inference import power as pw
from kommunenkat.inputs import data
from kommunenkat.tooling import derive

Z_A = sps.norm.ppf(0.975)
Z_B = sps.norm.ppf(0.80)


def fleiss_n(p1: float, p2: float) -> float:
    """Fleiss, Levin & Paik (2003) eq. 4.14, written out independently."""
    pbar = (p1 + p2) / 2
    num = Z_A * math.sqrt(2 * pbar * (1 - pbar)) + Z_B * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return num**2 / (p2 - p1) ** 2


def connor_n(p1: float, delta: float, rho: float) -> float:
    """Connor (1987): pairs needed for McNemar's test when the two years' answers of a unit
    correlate with ρ (phi coefficient), i.e. P(both) = p1 p2 + ρ √(p1 q1 p2 q2)."""
    p2 = p1 + delta
    both = p1 * p2 + rho * math.sqrt(p1 * (1 - p1) * p2 * (1 - p2))
    psi = p1 + p2 - 2 * both
    return (Z_A * math.sqrt(psi) + Z_B * math.sqrt(psi - delta**2)) ** 2 / delta**2


def test_fleiss_textbook_case():
    # Hand computation of eq. 4.14 for p1 = 0.10, p2 = 0.20: 198.97, i.e. 199 per group.
    assert fleiss_n(0.10, 0.20) == pytest.approx(198.97, abs=0.01)
    # The module, given that n, finds the change 0.10 (the far tail adds < 1e-6 power).
    assert pw.detectable_change(0.10, fleiss_n(0.10, 0.20)) == pytest.approx(0.10, abs=1e-4)


@pytest.mark.parametrize("p0", [0.05, 0.14, 0.19, 0.5, 0.61, 0.9])
@pytest.mark.parametrize("n", [30, 100, 244, 290])
@pytest.mark.parametrize("direction", [1, -1])
def test_mdc_inverts_the_closed_form_sample_size(p0, n, direction):
    d = pw.detectable_change(p0, n, direction=direction)
    room = 1 - p0 if direction == 1 else p0
    if math.isnan(d):  # not detectable: even a change to 0 or 1 needs more than n
        assert fleiss_n(p0, p0 + direction * (room - 1e-9)) > n
        return
    assert 0 < d < room
    # Fleiss' n for the change found is the n we started from (one-tail formula: ≤ 0.5 % off).
    assert fleiss_n(p0, p0 + direction * d) == pytest.approx(n, rel=0.005)


def test_power_at_the_mdc_is_the_target():
    d = pw.detectable_change(0.19, 244)
    assert pw.power_change(0.19, d, 244) == pytest.approx(pw.POWER, abs=1e-6)
    assert pw.power_change(0.19, 0.9 * d, 244) < pw.POWER < pw.power_change(0.19, 1.1 * d, 244)


@pytest.mark.parametrize("n, h", [(392, 0.2), (63, 0.5), (25, 0.8)])
def test_cohen_h_sample_sizes(n, h):
    """Cohen's closed form for h (his table 6.4.1 lists these n for α₂ = .05, power .80)."""
    assert 2 * ((Z_A + Z_B) / h) ** 2 == pytest.approx(n, abs=0.6)
    # The arcsine implementation recovers h from n: the change it returns has that h.
    d = pw.detectable_change_arcsine(0.3, n)
    h_found = 2 * math.asin(math.sqrt(0.3 + d)) - 2 * math.asin(math.sqrt(0.3))
    # (statsmodels also counts the far tail, so its h is smaller by far less than 0.01 %)
    assert h_found == pytest.approx((Z_A + Z_B) * math.sqrt(2 / n), rel=1e-4)


@pytest.mark.parametrize("p0", [0.14, 0.19, 0.35, 0.5, 0.61])
@pytest.mark.parametrize("rho", pw.RHOS)
def test_arcsine_second_implementation_agrees(p0, rho):
    for direction in (1, -1):
        a = pw.detectable_change(p0, 244, rho, direction=direction)
        b = pw.detectable_change_arcsine(p0, 244, rho, direction=direction)
        assert a == pytest.approx(b, abs=0.005)  # half a percentage point


def test_panel_with_rho_zero_is_the_independent_design():
    for p0 in (0.19, 0.5):
        assert pw.detectable_change(p0, 244, 0.0) == pw.detectable_change(p0, 244)
    t = pw.national()
    ind = t[t["rho"] == 0]
    assert (ind["design"] == "independent").all()
    assert (ind["n_effective"] == ind["n"]).all()


def test_panel_factor():
    base = pw.detectable_change(0.19, 244)
    last = base
    for rho in (0.3, 0.5, 0.7):
        d = pw.detectable_change(0.19, 244, rho)
        # Exactly the independent design at n / (1 − ρ) ...
        assert d == pytest.approx(pw.detectable_change(0.19, 244 / (1 - rho)), rel=1e-9)
        # ... roughly √(1 − ρ) times the independent MDC (the MDC scales as 1/√n) ...
        assert d == pytest.approx(base * math.sqrt(1 - rho), rel=0.05)
        # ... and smaller the higher the correlation.
        assert d < last
        last = d


@pytest.mark.parametrize("p0", [0.14, 0.19, 0.5, 0.61])
@pytest.mark.parametrize("rho", [0.0, 0.3, 0.5, 0.7])
def test_panel_agrees_with_connor_mcnemar(p0, rho):
    """The (1 − ρ) shortcut against the exact correlated variance of McNemar's design."""
    d_connor = optimize.brentq(lambda d: connor_n(p0, d, rho) - 244, 1e-4, 1 - p0 - 1e-6)
    assert pw.detectable_change(p0, 244, rho) == pytest.approx(d_connor, rel=0.03)


def test_exact_power_hand_computed_small_cases():
    # n = 1: |z| is at most √2 < 1.96, the test can never reject.
    assert pw.exact_power(0.2, 0.9, 1) == 0.0
    # n = 2: only 0/2 vs 2/2 rejects (pooled 1/2, z = 2); nothing else reaches 1.96.
    p1, p2 = 0.3, 0.8
    expected = (1 - p1) ** 2 * p2**2 + p1**2 * (1 - p2) ** 2
    assert pw.exact_power(p1, p2, 2) == pytest.approx(expected, abs=1e-12)


def test_exact_power_matches_normal_approximation_at_large_n():
    for p2 in (0.25, 0.29, 0.33):
        approx = power_proportions_2indep(p2 - 0.19, 0.19, 244, return_results=False)
        assert pw.exact_power(0.19, p2, 244) == pytest.approx(approx, abs=0.02)
    # Under H0 the exact rejection rate is close to α at this n.
    assert pw.exact_power(0.19, 0.19, 244) == pytest.approx(0.05, abs=0.01)
    # Vectorised over p2.
    many = pw.exact_power(0.19, np.array([0.25, 0.29]), 244)
    assert many[1] == pytest.approx(pw.exact_power(0.19, 0.29, 244))


def test_exact_mdc_is_the_first_grid_point_with_enough_power():
    d = pw.detectable_change_exact(0.19, 40)
    assert pw.exact_power(0.19, 0.19 + d, 40) >= pw.POWER
    assert pw.exact_power(0.19, 0.19 + d - 0.001, 40) < pw.POWER
    # Five per round: no increase from 61 % reaches 80 % power.
    assert math.isnan(pw.detectable_change_exact(0.61, 5))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"p0": 0.0, "n": 244}, "level p0"),
        ({"p0": 1.2, "n": 244}, "level p0"),
        ({"p0": 0.2, "n": 0}, "n must be positive"),
        ({"p0": 0.2, "n": 244, "rho": 1.0}, "rho must be in"),
        ({"p0": 0.2, "n": 244, "rho": -0.1}, "rho must be in"),
        ({"p0": 0.2, "n": 244, "direction": 0}, "direction"),
        ({"p0": 0.2, "n": 244, "power": 1.0}, "power"),
    ],
)
def test_bad_inputs(kwargs, message):
    with pytest.raises(ValueError, match=message):
        pw.detectable_change(**kwargs)


def test_exact_power_rejects_non_integer_n():
    with pytest.raises(ValueError, match="positive integer"):
        pw.exact_power(0.2, 0.4, 10.5)


def test_published_national_table():
    """The file a reader downloads: today's n, every question × share × ρ, power 80 % at the MDC."""
    t = pd.read_csv(paths.DERIVED / "power_national.csv")
    assert derive.render(pw.national()) == (paths.DERIVED / "power_national.csv").read_text(
        encoding="utf-8"
    )
    assert (t["n"] == pw.respondents()).all()
    assert len(t) == 4 * 2 * len(pw.RHOS)
    for r in t.itertuples():
        for sign, d in ((1, r.mdc_up), (-1, r.mdc_down)):
            got = power_proportions_2indep(sign * d, r.level, r.n_effective, return_results=False)
            assert got == pytest.approx(pw.POWER, abs=2e-4), r  # CSV keeps 6 significant digits


def test_county_sizes_come_from_the_data():
    sizes = pw.county_sizes()
    from kommunenkat.inference import reconstruct

    resp = reconstruct.county_response()["respondents"]
    assert sizes["smallest"] == resp.min() and sizes["largest"] == resp.max()
    assert resp.median() <= sizes["median"] < resp.median() + 1
    c = pw.county()
    # Exact values only for the independent design; smaller groups need larger changes.
    assert c.loc[c["rho"] > 0, "mdc_up_exact"].isna().all()
    ff = c[(c["question"] == "far_from_labour_market") & (c["rho"] == 0)].sort_values("n")
    assert ff["mdc_up_exact"].is_monotonic_decreasing


def test_curve_is_decreasing_in_n_and_contains_today():
    c = pw.curve()
    assert pw.respondents() in set(c["n"])
    for _, d in c.groupby(["question", "rho"]):
        assert d.sort_values("n")["mdc_up"].is_monotonic_decreasing


def test_prose_claim_linking_beats_full_response():
    """The chapter and the front page say: linking answers (ρ = PANEL_RHO) at today's n lowers
    the MDC more than answers from all municipalities (independent samples) would."""
    n_all = int(data.fact("municipalities_total"))
    for q in pw.SCALE_QUESTIONS:
        panel = pw.national_row(q, rho=pw.PANEL_RHO)["mdc_up"]
        assert panel < pw.curve_value(q, n_all)
