"""Intervals and tests behind the book's statistical statements (statsmodels/scipy).

Every function takes plain ints/floats or array-likes and returns a small frozen dataclass (or a
named tuple of two floats, or a DataFrame) holding plain Python floats, ready for :mod:`fmt`.

Proportions are shares in [0, 1]; only the arguments named ``*_percent`` are in percent.

Caveats the text should carry:

- The 244 respondents are 84 % of the 290 municipalities, not a random sample: intervals and tests
  describe sampling variation under the model "respondents behave like a random draw", not
  non-response bias.
- The 2022 and 2023 respondents are presumably largely the same municipalities; :func:`change`
  treats the years as independent samples (paired answers are not published). If a
  municipality's answers are positively correlated across years this overstates the variance of
  the change: intervals are too wide and tests conservative.
- The 2022 count is not published, only a rounded percent of an unpublished number of respondents:
  :func:`sensitivity` shows how much that matters.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportion_effectsize,
    proportions_ztest,
)

__all__ = [
    "HomogeneityTest",
    "Interval",
    "ProportionChange",
    "RankCorrelation",
    "Reweighted",
    "change",
    "change_from_percent",
    "county_intervals",
    "fpc",
    "homogeneity_test",
    "rank_correlation",
    "reweight_to_population",
    "rounding_bounds",
    "sensitivity",
    "smallest_significant_n",
    "wilson_interval",
    "wilson_interval_fpc",
]


# --------------------------------------------------------------------------- input checks


def _as_int(name: str, value) -> int:
    """An integer argument; integral floats (``149.0``) are accepted, anything else is not."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real) and math.isfinite(value) and float(value).is_integer():
        return int(value)
    raise ValueError(f"{name} must be an integer, got {value!r}")


def _check_count(k_name: str, k, n_name: str, n) -> tuple[int, int]:
    k, n = _as_int(k_name, k), _as_int(n_name, n)
    if n <= 0:
        raise ValueError(f"{n_name} must be positive, got {n_name}={n}")
    if k < 0:
        raise ValueError(f"{k_name} must not be negative, got {k_name}={k}")
    if k > n:
        raise ValueError(f"{k_name} must not exceed {n_name}, got {k_name}={k} > {n_name}={n}")
    return k, n


def _check_alpha(alpha: float) -> float:
    if not (isinstance(alpha, numbers.Real) and 0 < alpha < 1):
        raise ValueError(f"alpha must be strictly between 0 and 1, got alpha={alpha!r}")
    return float(alpha)


def _check_percent(name: str, value) -> Fraction:
    if not (isinstance(value, numbers.Real) and math.isfinite(value) and 0 <= value <= 100):
        raise ValueError(f"{name} must be a percentage in [0, 100], got {name}={value!r}")
    # Via str so that 42.5 is exactly 85/2 (not the binary float's neighbour).
    return Fraction(str(value))


def _int_vector(name: str, values) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty one-dimensional sequence of counts")
    return np.array([_as_int(f"{name}[{i}]", v) for i, v in enumerate(arr.tolist())], dtype=int)


# --------------------------------------------------------------------------- one proportion


class Interval(NamedTuple):
    """A confidence interval of a share: unpacks as ``low, high``."""

    low: float
    high: float


def wilson_interval(k: int, n: int, alpha: float = 0.05) -> Interval:
    """Wilson score interval for ``k`` of ``n``.

    Backed by ``statsmodels.stats.proportion.proportion_confint(method="wilson")``.
    """
    k, n = _check_count("k", k, "n", n)
    low, high = proportion_confint(k, n, alpha=_check_alpha(alpha), method="wilson")
    return Interval(float(low), float(high))


def fpc(n: int, N: int) -> float:
    """Finite population correction of a standard error: ``sqrt((N - n) / (N - 1))``.

    For sampling ``n`` of ``N`` units without replacement (244 of 290 municipalities:
    ``fpc(244, 290) ≈ 0.40``). Written out because statsmodels and scipy offer it only inside
    other computations, not as a function; the tests check it against the ratio of the
    hypergeometric to the binomial variance (``scipy.stats.hypergeom`` / ``binom``).
    """
    n, N = _check_count("n", n, "N", N)
    if N < 2:
        raise ValueError(f"N must be at least 2, got N={N}")
    return math.sqrt((N - n) / (N - 1))


def wilson_interval_fpc(k: int, n: int, N: int, alpha: float = 0.05) -> Interval:
    """Wilson interval with both arms scaled by the finite population correction.

    An approximation, documented as such: the Wilson interval ``(L, U)`` of ``k`` of ``n`` is
    computed as usual and each arm's distance to the observed share ``p = k/n`` is multiplied by
    ``fpc(n, N)``: ``(p - f·(p - L), p + f·(U - p))``. This keeps the interval's asymmetry, keeps
    it inside the plain Wilson interval (hence inside [0, 1]), always contains ``p``, and collapses
    to ``p`` for a census (``n == N``). It is exact for neither model; the finite-population
    (hypergeometric) model would require the unknown number of positives in the population.

    Only meaningful if the respondents are a *random* subset of the ``N`` units; with
    self-selected respondents it understates the uncertainty (non-response bias is not covered).
    """
    k, n = _check_count("k", k, "n", n)
    factor = fpc(n, N)
    low, high = wilson_interval(k, n, alpha)
    p = k / n
    return Interval(float(p - factor * (p - low)), float(p + factor * (high - p)))


# --------------------------------------------------------------------------- change of a proportion


@dataclass(frozen=True)
class ProportionChange:
    """Change of a share from year 1 (2022) to year 2 (2023); ``diff = p2 - p1``."""

    k1: int
    n1: int
    k2: int
    n2: int
    p1: float
    p2: float
    diff: float
    ci_low: float
    ci_high: float
    z: float
    p_value: float
    cohens_h: float
    alpha: float

    @property
    def significant(self) -> bool:
        """``p_value < alpha`` (the pooled z test)."""
        return self.p_value < self.alpha


def change(k1: int, n1: int, k2: int, n2: int, alpha: float = 0.05) -> ProportionChange:
    """Change of a proportion from ``k1/n1`` (year 1) to ``k2/n2`` (year 2).

    - ``ci_low``, ``ci_high``: Newcombe's hybrid score interval for ``p2 - p1`` (Newcombe 1998,
      method 10), ``statsmodels.stats.proportion.confint_proportions_2indep(method="newcomb")``
      with year 2 as the first sample so that the difference is ``p2 - p1``.
    - ``z``, ``p_value``: two-sided two-proportion z test with the *pooled* variance under
      H0: p1 = p2, ``statsmodels.stats.proportion.proportions_ztest`` (identical to Pearson's
      chi-square test of the 2×2 table without continuity correction: ``z² = chi²``).
      ``z > 0`` means an increase. If both years are 0 % or both 100 % the pooled variance is
      zero; then ``z = 0`` and ``p_value = 1`` (the observed shares are identical).
    - ``cohens_h``: ``2·asin(√p2) − 2·asin(√p1)``,
      ``statsmodels.stats.proportion.proportion_effectsize(p2, p1)``.

    The two years are treated as independent samples (see the module docstring).
    """
    k1, n1 = _check_count("k1", k1, "n1", n1)
    k2, n2 = _check_count("k2", k2, "n2", n2)
    alpha = _check_alpha(alpha)
    p1, p2 = k1 / n1, k2 / n2
    low, high = confint_proportions_2indep(
        count1=k2, nobs1=n2, count2=k1, nobs2=n1, method="newcomb", compare="diff", alpha=alpha
    )
    if k1 + k2 in (0, n1 + n2):
        z, p_value = 0.0, 1.0
    else:
        z, p_value = proportions_ztest(count=[k2, k1], nobs=[n2, n1], value=0)
    return ProportionChange(
        k1=k1,
        n1=n1,
        k2=k2,
        n2=n2,
        p1=float(p1),
        p2=float(p2),
        diff=float(p2 - p1),
        ci_low=float(low),
        ci_high=float(high),
        z=float(z),
        p_value=float(p_value),
        cohens_h=float(proportion_effectsize(p2, p1)),
        alpha=alpha,
    )


def _bounds_or_none(p: Fraction, n: int) -> tuple[int, int] | None:
    # |100k/n - p| <= 1/2  <=>  (p - 1/2)·n/100 <= k <= (p + 1/2)·n/100
    k_min = max(0, math.ceil((p - Fraction(1, 2)) * n / 100))
    k_max = min(n, math.floor((p + Fraction(1, 2)) * n / 100))
    return (k_min, k_max) if k_min <= k_max else None


def rounding_bounds(p_percent: float, n: int) -> tuple[int, int]:
    """The smallest and largest integer ``k`` with ``|100·k/n − p_percent| ≤ 0.5``.

    Every ``k`` in between is consistent with the printed percent as well. Computed in exact
    rational arithmetic (a half-percent boundary counts as consistent, whichever way the report
    rounded). Raises :class:`ValueError` if no ``k`` of ``n`` rounds to ``p_percent``: then ``n``
    is ruled out by the printed percent.
    """
    p = _check_percent("p_percent", p_percent)
    n = _as_int("n", n)
    if n <= 0:
        raise ValueError(f"n must be positive, got n={n}")
    bounds = _bounds_or_none(p, n)
    if bounds is None:
        raise ValueError(
            f"no count k of n={n} rounds to {p_percent} % (|100·k/n − p| ≤ 0.5 has no integer "
            f"solution); n={n} is inconsistent with the printed percent"
        )
    return bounds


def _count_from_percent(p_percent: float, n: int) -> int:
    """``round(p_percent/100 · n)`` in exact arithmetic, halves rounded up."""
    k_min, k_max = rounding_bounds(p_percent, n)  # validates, and raises if no k exists
    k = math.floor(_check_percent("p_percent", p_percent) * n / 100 + Fraction(1, 2))
    return min(max(k, k_min), k_max)


def change_from_percent(
    p1_percent: float, n1: int, k2: int, n2: int, alpha: float = 0.05
) -> ProportionChange:
    """:func:`change` with the year-1 count reconstructed as ``round(p1_percent/100 · n1)``.

    The returned ``k1`` is that reconstruction; use :func:`rounding_bounds` or
    :func:`sensitivity` for the other counts consistent with the printed percent.
    """
    k1 = _count_from_percent(p1_percent, n1)
    return change(k1, n1, k2, n2, alpha)


def sensitivity(
    p1_percent: float, k2: int, n2: int, n1_values, alpha: float = 0.05
) -> pd.DataFrame:
    """The change test over plausible year-1 sample sizes and the rounding of the year-1 percent.

    One row per ``n1`` in ``n1_values`` at which some count rounds to ``p1_percent``; values of
    ``n1`` that the printed percent rules out are left out. For each ``n1`` every consistent
    ``k1`` (``k1_min`` … ``k1_max``, see :func:`rounding_bounds`) is tested with :func:`change`,
    and the row reports the least favourable of them:

    - ``p_value_max``: the largest p-value (in practice at one of the two extremes),
    - ``ci_low_min``, ``ci_high_max``: the union of the Newcombe intervals of ``p2 - p1``,
    - ``diff_min``, ``diff_max``: the range of the point estimate,
    - ``significant``: ``p_value_max < alpha``, i.e. significant whatever the true ``k1``.
    """
    p1 = _check_percent("p1_percent", p1_percent)
    _check_count("k2", k2, "n2", n2)
    alpha = _check_alpha(alpha)
    rows = []
    for n1 in n1_values:
        n1 = _as_int("n1_values", n1)
        if n1 <= 0:
            raise ValueError(f"n1_values must be positive, got {n1}")
        bounds = _bounds_or_none(p1, n1)
        if bounds is None:
            continue
        results = [change(k1, n1, k2, n2, alpha) for k1 in range(bounds[0], bounds[1] + 1)]
        p_max = max(r.p_value for r in results)
        rows.append(
            {
                "n1": n1,
                "k1_min": results[0].k1,
                "k1_max": results[-1].k1,
                "p_value_max": p_max,
                "ci_low_min": min(r.ci_low for r in results),
                "ci_high_max": max(r.ci_high for r in results),
                "diff_min": min(r.diff for r in results),
                "diff_max": max(r.diff for r in results),
                "significant": bool(p_max < alpha),
            }
        )
    columns = [
        "n1", "k1_min", "k1_max", "p_value_max", "ci_low_min", "ci_high_max",
        "diff_min", "diff_max", "significant",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def smallest_significant_n(
    p1_percent: float,
    k2: int,
    n2: int,
    alpha: float = 0.05,
    n_range=range(10, 291),
) -> int | None:
    """The smallest year-1 sample size from which on the change is significant.

    Definition: the smallest ``n*`` in ``n_range`` such that for *every* ``n1`` in ``n_range``
    with ``n1 ≥ n*`` the change is significant at level ``alpha`` for every year-1 count that
    rounds to ``p1_percent`` (the ``significant`` column of :func:`sensitivity`). Sizes at which
    no count rounds to ``p1_percent`` are impossible and ignored; ``n*`` itself is always a
    possible size. ``None`` if the change is not significant at the largest possible size in the
    range (or no size in the range is possible).
    """
    table = sensitivity(p1_percent, k2, n2, sorted(set(n_range)), alpha)
    answer = None
    for n1, significant in zip(
        reversed(table["n1"].tolist()), reversed(table["significant"].tolist()), strict=True
    ):
        if not significant:
            break
        answer = int(n1)
    return answer


# --------------------------------------------------------------------------- counties


@dataclass(frozen=True)
class HomogeneityTest:
    """Test that the category distribution is the same in every row (region) of a table."""

    statistic: float
    dof: int
    p_asymptotic: float
    p_monte_carlo: float
    p_fisher_monte_carlo: float
    p_exact: float | None
    share_expected_below_5: float
    min_expected: float
    n_resamples: int
    seed: int


def homogeneity_test(table, n_resamples: int = 20000, seed: int = 20231214) -> HomogeneityTest:
    """Chi-square test of homogeneity of a regions × categories table of counts.

    - ``statistic``, ``dof``, ``p_asymptotic``: Pearson's chi-square without continuity
      correction, ``scipy.stats.chi2_contingency(correction=False)``.
    - ``p_monte_carlo``: the same statistic's p-value conditional on both margins, from
      ``n_resamples`` tables drawn with fixed margins (``scipy.stats.random_table`` via
      ``chi2_contingency(method=scipy.stats.MonteCarloMethod(...))``; p = (b + 1)/(R + 1)).
      Valid whatever the expected counts; use it when many are below 5.
    - ``p_fisher_monte_carlo``: Fisher–Freeman–Halton test (statistic: the table's probability),
      same sampling, ``scipy.stats.fisher_exact(method=MonteCarloMethod(...))``.
    - ``p_exact``: for a 2×2 table Fisher's exact two-sided p-value, otherwise ``None``.

    Each Monte-Carlo p-value uses a fresh ``numpy.random.default_rng(seed)``: results are
    reproducible and the two use the same random tables.
    """
    arr = np.asarray(table)
    if arr.ndim != 2 or arr.shape[0] < 2 or arr.shape[1] < 2:
        raise ValueError(
            f"table must be a 2-D array with at least 2 rows and 2 columns, got shape {arr.shape}"
        )
    counts = np.array(
        [
            [_as_int(f"table[{i}][{j}]", v) for j, v in enumerate(row)]
            for i, row in enumerate(arr.tolist())
        ],
        dtype=int,
    )
    if (counts < 0).any():
        raise ValueError("table must not contain negative counts")
    for axis, what in ((1, "row"), (0, "column")):
        empty = np.flatnonzero(counts.sum(axis=axis) == 0)
        if empty.size:
            raise ValueError(f"table has an empty {what} (index {int(empty[0])}); drop it first")
    n_resamples = _as_int("n_resamples", n_resamples)
    if n_resamples < 1:
        raise ValueError(f"n_resamples must be positive, got n_resamples={n_resamples}")
    seed = _as_int("seed", seed)

    asym = sps.chi2_contingency(counts, correction=False)
    mc = sps.chi2_contingency(
        counts,
        correction=False,
        method=sps.MonteCarloMethod(n_resamples=n_resamples, rng=np.random.default_rng(seed)),
    )
    fisher_mc = sps.fisher_exact(
        counts,
        method=sps.MonteCarloMethod(n_resamples=n_resamples, rng=np.random.default_rng(seed)),
    )
    p_exact = float(sps.fisher_exact(counts).pvalue) if counts.shape == (2, 2) else None
    expected = asym.expected_freq
    return HomogeneityTest(
        statistic=float(asym.statistic),
        dof=int(asym.dof),
        p_asymptotic=float(asym.pvalue),
        p_monte_carlo=float(mc.pvalue),
        p_fisher_monte_carlo=float(fisher_mc.pvalue),
        p_exact=p_exact,
        share_expected_below_5=float((expected < 5).mean()),
        min_expected=float(expected.min()),
        n_resamples=n_resamples,
        seed=seed,
    )


def county_intervals(k, n, alpha: float = 0.05, method: str = "holm") -> pd.DataFrame:
    """Per-county shares with Wilson intervals and a test of each county against the rest.

    ``k`` and ``n`` are the counties' positive counts and respondents (array-likes or Series;
    the index of a Series ``k`` is kept). Columns:

    - ``k``, ``n``, ``p``; ``ci_low``, ``ci_high``: Wilson interval at level ``alpha``
      (:func:`wilson_interval`), for one county looked at on its own;
    - ``ci_low_simultaneous``, ``ci_high_simultaneous``: Bonferroni-adjusted Wilson intervals
      (level ``alpha/m`` for ``m`` counties), which cover *all* counties at once with probability
      at least ``1 − alpha``;
    - ``p_vs_rest``: two-sided Fisher exact test of the county's 2×2 table against all other
      counties pooled (``scipy.stats.fisher_exact``);
    - ``p_adjusted``: those p-values adjusted for the ``m`` comparisons with
      ``statsmodels.stats.multitest.multipletests(method=method)`` (Holm by default);
    - ``differs_from_rest``: ``p_adjusted < alpha``.
    """
    alpha = _check_alpha(alpha)
    index = k.index if isinstance(k, pd.Series) else None
    if isinstance(n, pd.Series):
        if index is not None and not n.index.equals(index):
            raise ValueError("k and n must have the same index")
        index = n.index if index is None else index
    kk, nn = _int_vector("k", k), _int_vector("n", n)
    if kk.size != nn.size:
        raise ValueError(f"k and n must have the same length, got {kk.size} and {nn.size}")
    if kk.size < 2:
        raise ValueError("k and n need at least two counties to compare a county with the rest")
    for i, (ki, ni) in enumerate(zip(kk, nn, strict=True)):
        _check_count(f"k[{i}]", ki, f"n[{i}]", ni)
    m = kk.size
    k_total, n_total = int(kk.sum()), int(nn.sum())
    rows = []
    for ki, ni in zip(kk.tolist(), nn.tolist(), strict=True):
        low, high = wilson_interval(ki, ni, alpha)
        s_low, s_high = wilson_interval(ki, ni, alpha / m)
        k_rest, n_rest = k_total - ki, n_total - ni
        p_rest = sps.fisher_exact([[ki, ni - ki], [k_rest, n_rest - k_rest]]).pvalue
        rows.append(
            {
                "k": ki,
                "n": ni,
                "p": ki / ni,
                "ci_low": low,
                "ci_high": high,
                "ci_low_simultaneous": s_low,
                "ci_high_simultaneous": s_high,
                "p_vs_rest": float(p_rest),
            }
        )
    out = pd.DataFrame(rows, index=index)
    _, p_adj, _, _ = multipletests(out["p_vs_rest"].to_numpy(), alpha=alpha, method=method)
    out["p_adjusted"] = [float(v) for v in p_adj]
    out["differs_from_rest"] = out["p_adjusted"] < alpha
    return out


@dataclass(frozen=True)
class RankCorrelation:
    rho: float
    p_value: float
    n: int
    tau: float
    tau_p_value: float


def rank_correlation(x, y) -> RankCorrelation:
    """Spearman's rho (``scipy.stats.spearmanr``) and Kendall's tau-b (``scipy.stats.kendalltau``).

    Spearman's p-value is scipy's t approximation, rough for n below about 10; Kendall's p-value is
    exact for small samples without ties (``method="auto"``). Missing values and constant inputs
    (correlation undefined) are errors.
    """
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    if xa.ndim != 1 or ya.ndim != 1 or xa.size != ya.size:
        raise ValueError(
            f"x and y must be one-dimensional and of equal length, "
            f"got shapes {xa.shape} and {ya.shape}"
        )
    if xa.size < 3:
        raise ValueError(f"x and y need at least 3 pairs, got {xa.size}")
    for name, arr in (("x", xa), ("y", ya)):
        if not np.isfinite(arr).all():
            raise ValueError(f"{name} contains missing or infinite values")
        if np.all(arr == arr[0]):
            raise ValueError(f"{name} is constant; a rank correlation is not defined")
    sp = sps.spearmanr(xa, ya)
    kt = sps.kendalltau(xa, ya)
    return RankCorrelation(
        rho=float(sp.statistic),
        p_value=float(sp.pvalue),
        n=int(xa.size),
        tau=float(kt.statistic),
        tau_p_value=float(kt.pvalue),
    )


# --------------------------------------------------------------------------- weighting


@dataclass(frozen=True)
class Reweighted:
    """National share: respondent-weighted (as published) vs weighted by municipalities."""

    unweighted: float
    weighted: float
    difference: float  # weighted − unweighted


def _aligned_vectors(**named) -> list[np.ndarray]:
    indexes = {name: v.index for name, v in named.items() if isinstance(v, pd.Series)}
    if len(indexes) > 1:
        names = list(indexes)
        first = indexes[names[0]]
        for name in names[1:]:
            if not indexes[name].equals(first):
                raise ValueError(f"{names[0]} and {name} must have the same index (regions)")
    arrays = []
    for name, v in named.items():
        arr = np.asarray(v, dtype=float)
        if arr.ndim != 1 or arr.size == 0:
            raise ValueError(f"{name} must be a non-empty one-dimensional sequence")
        if not np.isfinite(arr).all():
            raise ValueError(f"{name} contains missing or infinite values")
        if (arr < 0).any():
            raise ValueError(f"{name} must not contain negative values")
        arrays.append(arr)
    sizes = {a.size for a in arrays}
    if len(sizes) != 1:
        raise ValueError(f"{', '.join(named)} must have the same length")
    return arrays


def reweight_to_population(
    shares_by_region, respondents_by_region, municipalities_by_region
) -> Reweighted:
    """Post-stratify a national share by region.

    ``unweighted`` weights each region's share by its respondents (what a national figure over
    all respondents is); ``weighted`` by its number of municipalities, as if every region had
    answered in full with the share of its respondents (``numpy.average``; a weighted mean needs
    no more). Shares come out in the unit they go in (percent or [0, 1]). Assumes that within a
    region the non-respondents resemble the respondents.
    """
    shares, resp, munis = _aligned_vectors(
        shares_by_region=shares_by_region,
        respondents_by_region=respondents_by_region,
        municipalities_by_region=municipalities_by_region,
    )
    if (shares > 100).any():
        raise ValueError("shares_by_region must be shares in [0, 1] or percentages in [0, 100]")
    if (resp > munis).any():
        i = int(np.flatnonzero(resp > munis)[0])
        raise ValueError(f"respondents_by_region[{i}] exceeds municipalities_by_region[{i}]")
    if ((resp == 0) & (munis > 0)).any():
        i = int(np.flatnonzero((resp == 0) & (munis > 0))[0])
        raise ValueError(
            f"respondents_by_region[{i}] is 0: that region's share is unknown, "
            "post-stratification is impossible"
        )
    if resp.sum() == 0:
        raise ValueError("respondents_by_region must not be all zero")
    unweighted = float(np.average(shares, weights=resp))
    weighted = float(np.average(shares, weights=munis))
    return Reweighted(unweighted=unweighted, weighted=weighted, difference=weighted - unweighted)
