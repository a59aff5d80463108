"""Intervals and tests behind the book's statistical statements (statsmodels/scipy).

Every function takes plain ints/floats or array-likes and returns a small frozen dataclass (or a
named tuple of two floats, or a DataFrame) holding plain Python floats, ready for :mod:`fmt`.

Proportions are shares in [0, 1]; only the arguments named ``*_percent`` are in percent.

Caveats the text should carry:

- Inferential frame: the 244 respondents are 84 % of the 290 municipalities, not a random sample.
  Intervals and tests answer the *analytic* question (is the process behind the answers
  different between years or regions, beyond what chance variation in that process produces?),
  not the descriptive one about the 290 municipalities; for that, :func:`manski_bounds` gives
  worst-case bounds over the non-respondents.
- :func:`change` treats the years as independent samples (paired answers are not published).
  Positive within-municipality correlation makes it too wide (pairing would shrink the variance),
  but changes in who answers and shocks shared by a county's municipalities push the other way;
  the net direction is unknown, so the test is not "conservative" without qualification.
- The 2022 count is not published, only a rounded percent of an unpublished number of respondents:
  :func:`sensitivity` shows how much that matters. Printed percentages are rounded half up (the
  reconstruction of the county tables shows it), see :func:`rounding_bounds`.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats as sps
from scipy.special import gammaln
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
    "homogeneity_test",
    "holm",
    "manski_bounds",
    "mc_standard_error",
    "rank_correlation",
    "reweight_to_population",
    "rounding_bounds",
    "sensitivity",
    "smallest_significant_n",
    "wilson_interval",
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

    The two years are treated as independent samples (see the module docstring for the
    directions in which pairing and composition changes can push the result).
    """
    k1, n1 = _check_count("k1", k1, "n1", n1)
    k2, n2 = _check_count("k2", k2, "n2", n2)
    return _change(k1, n1, k2, n2, _check_alpha(alpha))


@cache
def _change(k1: int, n1: int, k2: int, n2: int, alpha: float) -> ProportionChange:
    # Cached (the result is immutable): the sensitivity analyses test the same tables many
    # times (the derived files ask 7 294 times for 2 557 different tables).
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


#: How the report rounds: exact halves go up (every half the reconstruction of the county tables
#: met was printed rounded up). ``"symmetric"`` accepts a half either way (robustness variant).
ROUNDING_RULES = ("half_up", "symmetric")


def _check_rule(rule: str) -> str:
    if rule not in ROUNDING_RULES:
        raise ValueError(f"rule must be one of {ROUNDING_RULES}, got rule={rule!r}")
    return rule


def _bounds_or_none(p: Fraction, n: int, rule: str = "half_up") -> tuple[int, int] | None:
    # symmetric: |100k/n - p| <= 1/2  <=>  (p - 1/2)·n/100 <= k <= (p + 1/2)·n/100
    # half up:   p - 1/2 <= 100k/n < p + 1/2 (a value at p + 1/2 would be printed p + 1)
    k_min = max(0, math.ceil((p - Fraction(1, 2)) * n / 100))
    upper = (p + Fraction(1, 2)) * n / 100
    if rule == "half_up" and p < 100:
        k_max = min(n, math.ceil(upper) - 1)
    else:
        k_max = min(n, math.floor(upper))
    return (k_min, k_max) if k_min <= k_max else None


def rounding_bounds(p_percent: float, n: int, rule: str = "half_up") -> tuple[int, int]:
    """The smallest and largest integer ``k`` of ``n`` that the report prints as ``p_percent``.

    ``rule="half_up"`` (the report's rule, see :data:`ROUNDING_RULES`): ``100·k/n`` rounded half
    up equals ``p_percent``, i.e. ``p − 0.5 ≤ 100·k/n < p + 0.5``; 30/240 = 12.5 % is printed 13,
    never 12. ``rule="symmetric"``: ``|100·k/n − p| ≤ 0.5`` (a half either way; a robustness
    variant). Every ``k`` in between is consistent as well. Exact rational arithmetic. Raises
    :class:`ValueError` if no ``k`` of ``n`` gives ``p_percent``: then ``n`` is ruled out.
    """
    p = _check_percent("p_percent", p_percent)
    n = _as_int("n", n)
    if n <= 0:
        raise ValueError(f"n must be positive, got n={n}")
    bounds = _bounds_or_none(p, n, _check_rule(rule))
    if bounds is None:
        raise ValueError(
            f"no count k of n={n} rounds to {p_percent} % (rule {rule!r}); n={n} is "
            "inconsistent with the printed percent"
        )
    return bounds


def _count_from_percent(p_percent: float, n: int) -> int:
    """``round(p_percent/100 · n)`` in exact arithmetic, halves rounded up, kept consistent."""
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
    p1_percent: float, k2: int, n2: int, n1_values, alpha: float = 0.05, rule: str = "half_up"
) -> pd.DataFrame:
    """The change test over plausible year-1 sample sizes and the rounding of the year-1 percent.

    One row per ``n1`` in ``n1_values`` at which some count rounds to ``p1_percent``; values of
    ``n1`` that the printed percent rules out are left out. For each ``n1`` every consistent
    ``k1`` (``k1_min`` … ``k1_max``, see :func:`rounding_bounds` with ``rule``) is tested with
    :func:`change`,
    and the row reports the least favourable of them:

    - ``p_value_max``: the largest p-value (in practice at one of the two extremes),
    - ``ci_low_min``, ``ci_high_max``: the union of the Newcombe intervals of ``p2 - p1``,
    - ``diff_min``, ``diff_max``: the range of the point estimate,
    - ``significant``: ``p_value_max < alpha``, i.e. significant whatever the true ``k1``.
    """
    p1 = _check_percent("p1_percent", p1_percent)
    _check_count("k2", k2, "n2", n2)
    alpha = _check_alpha(alpha)
    rule = _check_rule(rule)
    rows = []
    for n1 in n1_values:
        n1 = _as_int("n1_values", n1)
        if n1 <= 0:
            raise ValueError(f"n1_values must be positive, got {n1}")
        bounds = _bounds_or_none(p1, n1, rule)
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
    rule: str = "half_up",
) -> int | None:
    """The smallest year-1 size from which on, for every larger size, the change is significant.

    Definition: the smallest ``n*`` in ``n_range`` such that for *every* ``n1`` in ``n_range``
    with ``n1 ≥ n*`` the change is significant at level ``alpha`` for every year-1 count that
    rounds to ``p1_percent`` (the ``significant`` column of :func:`sensitivity`). Sizes at which
    no count rounds to ``p1_percent`` are impossible and ignored; ``n*`` itself is always a
    possible size. It is *not* "the smallest n at which the change is still significant": a
    smaller n can be significant while some larger one is not. ``None`` if the change is not
    significant at the largest possible size in the range (or no size in the range is possible).
    """
    table = sensitivity(p1_percent, k2, n2, sorted(set(n_range)), alpha, rule)
    answer = None
    for n1, significant in zip(
        reversed(table["n1"].tolist()), reversed(table["significant"].tolist()), strict=True
    ):
        if not significant:
            break
        answer = int(n1)
    return answer


# --------------------------------------------------------------------------- counties


#: The package's random seed: every Monte Carlo result in the book is drawn from it.
SEED = 20231214
#: Monte Carlo draws per homogeneity test (2-column tables: about a second per test).
N_RESAMPLES = 100_000
#: Half-width of the simulation error band, in Monte Carlo standard errors (two-sided ~99.7 %).
MC_BAND_Z = 3.0


def mc_standard_error(p: float, n_resamples: int) -> float:
    """Monte Carlo standard error ``sqrt(p(1 − p)/B)`` of a p-value estimated from ``B`` draws.

    The binomial standard error of a proportion (Davison & Hinkley 1997, ch. 4); written out
    because it is one line and no library exposes it for a given p.
    """
    n_resamples = _as_int("n_resamples", n_resamples)
    if n_resamples < 1:
        raise ValueError(f"n_resamples must be positive, got n_resamples={n_resamples}")
    if not 0 <= p <= 1:
        raise ValueError(f"p must be in [0, 1], got p={p!r}")
    return math.sqrt(p * (1 - p) / n_resamples)


@dataclass(frozen=True)
class HomogeneityTest:
    """Test that the category distribution is the same in every row (region) of a table.

    ``p_value`` is the one to print and judge: ``p_exact`` when it was computed, otherwise
    ``p_monte_carlo``; ``mc_se`` is its simulation standard error (0 for an exact value).
    """

    statistic: float
    dof: int
    p_asymptotic: float
    p_value: float
    method: str  # "exact" or "monte carlo"
    mc_se: float
    p_monte_carlo: float
    mc_se_monte_carlo: float
    p_exact: float | None
    share_expected_below_5: float
    min_expected: float
    n_resamples: int
    seed: int

    def band(self, z: float = MC_BAND_Z) -> tuple[float, float]:
        """``p_value ± z·mc_se``: the simulation error band (a point for an exact p)."""
        return (self.p_value - z * self.mc_se, self.p_value + z * self.mc_se)


def _two_column(counts: np.ndarray) -> np.ndarray | None:
    """The table as rows × 2 (transposed if it has two rows), or None if neither dimension is 2."""
    if counts.shape[1] == 2:
        return counts
    if counts.shape[0] == 2:
        return counts.T
    return None


def _chi2_score(k: np.ndarray, n: np.ndarray) -> np.ndarray:
    # With both margins fixed, Pearson's chi-square of a rows × 2 table is an increasing linear
    # function of S = sum k_i^2 / n_i (k_i: first-column count of row i, n_i: row total):
    # chi2 = N^2 / (K (N - K)) · (S − K^2 / N). Tests compare S, which is cheaper.
    return (k.astype(float) ** 2 / n).sum(axis=-1)


def _mc_two_column(k, n, n_resamples: int, rng) -> float:
    """(1 + #{S* ≥ s}) / (B + 1) with tables drawn with both margins fixed.

    Row counts of the first column are drawn one row at a time from the hypergeometric
    distribution of the units still left (``numpy.random.Generator.hypergeometric``), which
    samples the multivariate hypergeometric law of a table with fixed margins; vectorised over
    the draws (scipy's ``random_table`` draws one table at a time and is much slower here).
    """
    K, N = int(k.sum()), int(n.sum())
    s_obs = float(_chi2_score(k, n))
    hits = 0
    chunk = 50_000
    done = 0
    while done < n_resamples:
        b = min(chunk, n_resamples - done)
        left = np.full(b, K, dtype=np.int64)
        rest = N
        score = np.zeros(b)
        for ni in n[:-1]:
            rest -= int(ni)
            ki = rng.hypergeometric(int(ni), rest, left) if rest > 0 else left.copy()
            score += ki.astype(float) ** 2 / ni
            left -= ki
        score += left.astype(float) ** 2 / n[-1]
        hits += int((score >= s_obs * (1 - 1e-12)).sum())  # ties count as at least as extreme
        done += b
    return (1 + hits) / (n_resamples + 1)


def exact_two_column_p(k, n) -> float:
    """Exact conditional p-value of Pearson's chi-square for a rows × 2 table.

    ``k``: first-column counts per row, ``n``: row totals. P(S ≥ s_obs) under the multivariate
    hypergeometric distribution of the first column given both margins, computed by a network
    algorithm (Mehta & Patel 1983): rows are added one at a time, partial tables with the same
    running total and the same partial statistic are merged, and a partial table is settled as
    soon as the smallest or largest statistic any completion can reach decides it (a completion
    of the remaining ``r`` units over rows of ``M`` units has total weight ``C(M, r)``). Scores
    are integers (``k²·L/n_i``, ``L`` the least common multiple of the row totals), so ties are
    exact. Feasible for the book's 20 × 2 tables (seconds to minutes); checked against scipy's
    Fisher test on 2 × 2 tables and against full enumeration in the tests.
    """
    k = np.asarray(k, dtype=np.int64)
    n = np.asarray(n, dtype=np.int64)
    order = np.argsort(-n, kind="stable")
    k, n = k[order], n[order]
    m, K, N = len(n), int(k.sum()), int(n.sum())
    L = math.lcm(*(int(v) for v in n))
    if int(n.max()) ** 2 * L * m * (K + 1) >= 2**62:
        raise ValueError("row totals too varied for exact integer scores; use Monte Carlo")
    mult = [L // int(v) for v in n]
    obs = sum(int(k[i]) ** 2 * mult[i] for i in range(m))
    suffix = [0] * (m + 1)
    for i in range(m - 1, -1, -1):
        suffix[i] = suffix[i + 1] + int(n[i])
    big = 2**62
    lo = np.full((m + 1, K + 1), big, dtype=np.int64)
    hi = np.full((m + 1, K + 1), -1, dtype=np.int64)
    lo[m, 0] = hi[m, 0] = 0
    for i in range(m - 1, -1, -1):
        kk = np.arange(int(n[i]) + 1)
        sc = kk * kk * mult[i]
        for r in range(min(K, suffix[i]) + 1):
            cand = kk[max(0, r - suffix[i + 1]) : min(int(n[i]), r) + 1]
            lo[i, r] = (sc[cand] + lo[i + 1, r - cand]).min()
            hi[i, r] = (sc[cand] + hi[i + 1, r - cand]).max()

    def log_comb(a, b):
        return gammaln(a + 1) - gammaln(b + 1) - gammaln(a - b + 1)

    # The partial tables (states) are kept sorted by key = score·(K + 1) + running total. Adding
    # ``c`` units of row i shifts every key by the same amount, so each ``c`` gives a sorted run,
    # and merging equal keys is a stable sort of ``n_i + 1`` sorted runs (timsort merges runs)
    # followed by a sum per key: about half the time of ``np.unique`` on the interleaved
    # (state × c) array. The weights of one key are summed in another order than before, so the
    # p-value may differ in its last bits (checked: identical to 6 significant digits, the
    # precision of the derived files).
    j = np.zeros(1, dtype=np.int64)
    score = np.zeros(1, dtype=np.int64)
    weight = np.array([math.exp(-log_comb(N, K))])  # weights relative to C(N, K)
    p = 0.0
    for i in range(m):
        ni, rest = int(n[i]), suffix[i + 1]
        row_weight = np.exp(log_comb(ni, np.arange(ni + 1)))
        rr = np.arange(K + 1)
        with np.errstate(invalid="ignore"):  # r > rest is never looked up
            rest_weight = np.exp(log_comb(rest, rr))
        lo_next, hi_next = lo[i + 1], hi[i + 1]
        left = K - j  # units still to place, before row i
        runs_j, runs_s, runs_w = [], [], []
        for c in range(ni + 1):
            r = left - c
            ok = (r >= 0) & (r <= rest)
            if not ok.any():
                continue
            r = r[ok]
            ss = score[ok] + c * c * mult[i]
            ww = weight[ok] * row_weight[c]
            settled = ss + lo_next[r] >= obs
            if settled.any():
                p += float((ww[settled] * rest_weight[r[settled]]).sum())
            alive = ~settled & (ss + hi_next[r] >= obs)
            runs_j.append(j[ok][alive] + c)
            runs_s.append(ss[alive])
            runs_w.append(ww[alive])
        jj = np.concatenate(runs_j)
        if jj.size == 0:
            break
        # merge partial tables with equal (running total, partial score): one int64 key
        keys = np.concatenate(runs_s) * (K + 1) + jj
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        weight = np.add.reduceat(np.concatenate(runs_w)[order], first)
        keys = keys[first]
        j, score = keys % (K + 1), keys // (K + 1)
    return min(1.0, p)


def homogeneity_test(
    table,
    n_resamples: int = N_RESAMPLES,
    seed: int = SEED,
    alpha: float = 0.05,
    exact: str | bool = "auto",
) -> HomogeneityTest:
    """Chi-square test of homogeneity of a regions × categories table of counts.

    - ``statistic``, ``dof``, ``p_asymptotic``: Pearson's chi-square without continuity
      correction, ``scipy.stats.chi2_contingency(correction=False)``.
    - ``p_monte_carlo``: the same statistic's p-value conditional on both margins from
      ``n_resamples`` tables drawn with fixed margins, ``(1 + #{T* ≥ t}) / (B + 1)`` (Davison &
      Hinkley 1997; Phipson & Smyth 2010), with its standard error ``mc_se_monte_carlo``
      (:func:`mc_standard_error`). Rows × 2 tables use a vectorised sampler
      (:func:`_mc_two_column`), other tables ``scipy.stats.chi2_contingency(method=
      MonteCarloMethod(...))``. Seeded with ``numpy.random.default_rng(seed)``.
    - ``p_exact``: the exact conditional p-value (:func:`exact_two_column_p`), for tables with
      two columns (or two rows). ``exact="auto"`` computes it only when the Monte Carlo value's
      error band (``± MC_BAND_Z`` standard errors) contains ``alpha``, i.e. when simulation
      error could decide the verdict; ``True`` always, ``False`` never.
    - ``p_value``, ``mc_se``, ``method``: ``p_exact`` (se 0, "exact") when computed, else the
      Monte Carlo value.
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
    alpha = _check_alpha(alpha)
    if exact not in ("auto", True, False):
        raise ValueError(f"exact must be 'auto', True or False, got exact={exact!r}")

    asym = sps.chi2_contingency(counts, correction=False)
    rng = np.random.default_rng(seed)
    two = _two_column(counts)
    if two is not None:
        p_mc = _mc_two_column(two[:, 0], two.sum(axis=1), n_resamples, rng)
    else:
        p_mc = float(
            sps.chi2_contingency(
                counts,
                correction=False,
                method=sps.MonteCarloMethod(n_resamples=n_resamples, rng=rng),
            ).pvalue
        )
    se_mc = mc_standard_error(p_mc, n_resamples)
    straddles = p_mc - MC_BAND_Z * se_mc <= alpha <= p_mc + MC_BAND_Z * se_mc
    p_exact = None
    if two is not None and (exact is True or (exact == "auto" and straddles)):
        p_exact = exact_two_column_p(two[:, 0], two.sum(axis=1))
    expected = asym.expected_freq
    return HomogeneityTest(
        statistic=float(asym.statistic),
        dof=int(asym.dof),
        p_asymptotic=float(asym.pvalue),
        p_value=float(p_exact if p_exact is not None else p_mc),
        method="exact" if p_exact is not None else "monte carlo",
        mc_se=0.0 if p_exact is not None else float(se_mc),
        p_monte_carlo=float(p_mc),
        mc_se_monte_carlo=float(se_mc),
        p_exact=None if p_exact is None else float(p_exact),
        share_expected_below_5=float((expected < 5).mean()),
        min_expected=float(expected.min()),
        n_resamples=n_resamples,
        seed=seed,
    )


def holm(p_values, se=None, z: float = MC_BAND_Z) -> pd.DataFrame:
    """Holm's step-down adjustment of a family of p-values, with simulation error carried along.

    ``p_adjusted`` from ``statsmodels.stats.multitest.multipletests(method="holm")``. When
    ``se`` (Monte Carlo standard errors) is given, ``band_low``/``band_high`` are the adjusted
    p-values recomputed from ``p ∓ z·se`` (Holm's adjustment is monotone in every input, so these
    bound the adjusted value over the error band of the inputs).
    """
    p = np.asarray(p_values, dtype=float)
    if p.ndim != 1 or p.size == 0 or not ((p >= 0) & (p <= 1)).all():
        raise ValueError("p_values must be a non-empty sequence of probabilities")
    s = np.zeros_like(p) if se is None else np.asarray(se, dtype=float)

    def adjust(v):
        return multipletests(np.clip(v, 0, 1), method="holm")[1]

    return pd.DataFrame(
        {
            "p_adjusted": adjust(p),
            "band_low": adjust(p - z * s),
            "band_high": adjust(p + z * s),
        }
    )


@dataclass(frozen=True)
class ManskiBounds:
    """Worst-case bounds of a share among all ``N`` units when ``n`` answered and ``k`` said yes."""

    k: int
    n: int
    N: int
    share_respondents: float
    lower: float  # every non-respondent would have said no
    upper: float  # every non-respondent would have said yes


def manski_bounds(k: int, n: int, N: int) -> ManskiBounds:
    """Manski's (1989) worst-case bounds ``[k/N, (k + N − n)/N]`` for the share among ``N`` units.

    No assumption about the ``N − n`` units that did not answer; the width is ``(N − n)/N``
    whatever the answers. A complete answer (``n == N``) gives the share itself.
    """
    k, n = _check_count("k", k, "n", n)
    N = _as_int("N", N)
    if N < n:
        raise ValueError(f"N must not be smaller than n, got N={N} < n={n}")
    return ManskiBounds(k, n, N, k / n, k / N, (k + N - n) / N)


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
