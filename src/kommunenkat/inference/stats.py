"""Intervals and bounds of shares within one round (statsmodels/scipy).

Wilson intervals of a share (:func:`wilson_interval`) and of every county at once, each tested
against the rest of the country with Fisher's exact test and a multiplicity adjustment
(:func:`county_intervals`); Manski's worst-case bounds over the non-respondents
(:func:`manski_bounds`); rank correlations between questions (:func:`rank_correlation`); and a
national share reweighted from respondents to municipalities (:func:`reweight_to_population`).
Changes between rounds are in :mod:`change_tests`, the Monte Carlo and exact homogeneity tests of
the regions and Holm's adjustment in :mod:`homogeneity`; all three check their arguments with
:mod:`arguments`.

Every function takes plain ints/floats or array-likes and returns a small frozen dataclass (or a
named tuple of two floats, or a DataFrame) holding plain Python floats, ready for :mod:`fmt`.
Proportions are shares in [0, 1].

Inferential frame, which the text should carry: the 244 respondents are 84 % of the 290
municipalities, not a random sample. Intervals and tests answer the *analytic* question (is the
process behind the answers different between years or regions, beyond what chance variation in
that process produces?), not the descriptive one about the 290 municipalities; for that,
:func:`manski_bounds` gives worst-case bounds over the non-respondents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from kommunenkat.inference.arguments import as_int, check_alpha, check_count, int_vector

__all__ = [
    "Interval",
    "ManskiBounds",
    "RankCorrelation",
    "Reweighted",
    "county_intervals",
    "manski_bounds",
    "rank_correlation",
    "reweight_to_population",
    "wilson_interval",
]


# --------------------------------------------------------------------------- one proportion


class Interval(NamedTuple):
    """A confidence interval of a share: unpacks as ``low, high``."""

    low: float
    high: float


def wilson_interval(k: int, n: int, alpha: float = 0.05) -> Interval:
    """Wilson score interval for ``k`` of ``n``.

    Backed by ``statsmodels.stats.proportion.proportion_confint(method="wilson")``.
    """
    k, n = check_count("k", k, "n", n)
    low, high = proportion_confint(k, n, alpha=check_alpha(alpha), method="wilson")
    return Interval(float(low), float(high))


# --------------------------------------------------------------------------- non-respondents


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
    k, n = check_count("k", k, "n", n)
    N = as_int("N", N)
    if N < n:
        raise ValueError(f"N must not be smaller than n, got N={N} < n={n}")
    return ManskiBounds(k, n, N, k / n, k / N, (k + N - n) / N)


# --------------------------------------------------------------------------- counties


def county_intervals(
    k: npt.ArrayLike, n: npt.ArrayLike, alpha: float = 0.05, method: str = "holm"
) -> pd.DataFrame:
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
    alpha = check_alpha(alpha)
    index = k.index if isinstance(k, pd.Series) else None
    if isinstance(n, pd.Series):
        if index is not None and not n.index.equals(index):
            raise ValueError("k and n must have the same index")
        index = n.index if index is None else index
    kk, nn = int_vector("k", k), int_vector("n", n)
    if kk.size != nn.size:
        raise ValueError(f"k and n must have the same length, got {kk.size} and {nn.size}")
    if kk.size < 2:
        raise ValueError("k and n need at least two counties to compare a county with the rest")
    for i, (ki, ni) in enumerate(zip(kk, nn, strict=True)):
        check_count(f"k[{i}]", ki, f"n[{i}]", ni)
    m = kk.size
    k_total, n_total = int(kk.sum()), int(nn.sum())
    rows = []
    for ki, ni in zip(kk.tolist(), nn.tolist(), strict=True):
        low, high = wilson_interval(ki, ni, alpha)
        s_low, s_high = wilson_interval(ki, ni, alpha / m)
        k_rest, n_rest = k_total - ki, n_total - ni
        p_rest = sps.fisher_exact(np.array([[ki, ni - ki], [k_rest, n_rest - k_rest]])).pvalue
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
    """Spearman's rho and Kendall's tau-b of ``n`` pairs, each with its p-value."""

    rho: float
    p_value: float
    n: int
    tau: float
    tau_p_value: float


def rank_correlation(x: npt.ArrayLike, y: npt.ArrayLike) -> RankCorrelation:
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


def _aligned_vectors(**named: npt.ArrayLike) -> list[npt.NDArray[np.float64]]:
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
    shares_by_region: npt.ArrayLike,
    respondents_by_region: npt.ArrayLike,
    municipalities_by_region: npt.ArrayLike,
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
