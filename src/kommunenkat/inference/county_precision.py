"""County estimates with honest precision (issue 11, part 2).

Regions answer with 5 to 40 municipalities, so their raw shares differ by chance alone. Three
tools show how much:

- **Funnel plots** (Spiegelhalter 2005): each region's share against its number of responding
  municipalities, with 95 % and 99.8 % control limits around the national share. The limits are
  exact binomial critical counts, drawn as steps (:func:`step_limits`): a region's position is
  decided by the exact one-sided binomial tail probability of its count
  (:func:`position_from_tails`), and a point lies beyond a drawn step exactly when its tail is
  below the level. Spiegelhalter's appendix interpolates the quantiles into smooth curves
  (:func:`funnel_limits`, kept for reference, not drawn): at k = r the interpolated limit lies
  below k/n whatever the tail, so smooth curves put regions beyond a curve that the tail rule
  does not flag. The limits are a screen of one
  region at a time, with no adjustment for the 20 regions; the multiplicity-adjusted test of a
  region against the rest is Fisher + Holm (:func:`analysis.county_positive`).
- **Partial pooling** with a beta-binomial model: the regions' true shares θ_i are drawn from a
  Beta distribution with mean μ and intra-class correlation ρ (``a = μ(1−ρ)/ρ``,
  ``b = (1−μ)(1−ρ)/ρ``), and region i's count is Binomial(n_i, θ_i). Given (a, b) the posterior of
  θ_i is Beta(a + k_i, b + n_i − k_i) (closed form, :func:`posterior_given`). The
  hyperparameters are estimated from all regions (marginal likelihood, :func:`beta_binomial_ml`),
  but instead of plugging in the single best value (plain empirical Bayes, which pools every
  region completely and gives zero-width intervals whenever the estimate of ρ is 0) the
  estimates average over (μ, ρ) on a grid weighted by the marginal likelihood (flat prior on
  both): :func:`pooled_estimates`. Rank intervals come from joint posterior draws
  (Goldstein & Spiegelhalter 1996).
- **The report's county claims against chance** (:func:`claims_vs_chance`): how often the most
  extreme region, or the number of regions with no positive answer, is at least as extreme as
  printed when every region has the same share (simulated with fixed margins and, as a check,
  exactly under independent binomials).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import optimize
from scipy import stats as sps
from scipy.special import expit, logit

from kommunenkat.core import paths
from kommunenkat.core.cells import column_position
from kommunenkat.core.labels import REGIONS, SCALE_QUESTIONS, SHORT_QUESTIONS
from kommunenkat.inference import analysis, homogeneity
from kommunenkat.inference.ordinal import N_RESAMPLES, SEED, mc_pvalue

# A share parameter: one number, or an array of them (elementwise).
_Share = TypeVar("_Share", float, npt.NDArray[np.float64])

LEVELS = {"95": 0.95, "998": 0.998}
# One-sided tail probability below which a region lies outside the two-sided limits of each level.
TAILS = {key: round((1 - level) / 2, 12) for key, level in LEVELS.items()}  # 0.025, 0.001
N_DRAWS = 20000
GRID = 200
CATEGORIES = ("high", "low")


def _counts(k: npt.ArrayLike, n: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    kk = np.asarray(k, dtype=float)
    nn = np.asarray(n, dtype=float)
    if kk.ndim != 1 or kk.shape != nn.shape or kk.size == 0:
        raise ValueError("k and n must be non-empty one-dimensional sequences of equal length")
    if np.any(kk != np.round(kk)) or np.any(nn != np.round(nn)):
        raise ValueError("k and n must be integer counts")
    if np.any(nn <= 0) or np.any(kk < 0) or np.any(kk > nn):
        raise ValueError("each n must be positive and each k between 0 and n")
    return kk.astype(int), nn.astype(int)


# --------------------------------------------------------------------------- funnel limits


def funnel_limit(p0: float, n: npt.ArrayLike, prob: float) -> np.ndarray:
    """The ``prob`` quantile of a share k/n under Binomial(n, p0), interpolated (Spiegelhalter).

    Spiegelhalter (2005, appendix A.1.1): with ``r`` the smallest count whose binomial CDF
    reaches ``prob`` (``scipy.stats.binom.ppf``), the limit is ``(r − α)/n`` with
    ``α = (F(r) − prob) / (F(r) − F(r − 1))``; it lies between ``(r − 1)/n`` and ``r/n`` and
    moves smoothly with n instead of in steps.
    """
    if not 0 < p0 < 1:
        raise ValueError(f"p0 must be strictly between 0 and 1, got {p0}")
    if not 0 < prob < 1:
        raise ValueError(f"prob must be strictly between 0 and 1, got {prob}")
    nn = np.asarray(n, dtype=float)
    if np.any(nn <= 0):
        raise ValueError("n must be positive")
    r = sps.binom.ppf(prob, nn, p0)
    f_r = sps.binom.cdf(r, nn, p0)
    f_r1 = sps.binom.cdf(r - 1, nn, p0)
    alpha = (f_r - prob) / (f_r - f_r1)
    return np.clip((r - alpha) / nn, 0, 1)


def funnel_limits(p0: float, n: npt.ArrayLike) -> pd.DataFrame:
    """Lower and upper 95 % and 99.8 % limits at each n (columns lo95, hi95, lo998, hi998)."""
    nn = np.atleast_1d(np.asarray(n, dtype=float))
    out = pd.DataFrame({"n": nn})
    for key, level in LEVELS.items():
        out[f"lo{key}"] = funnel_limit(p0, nn, (1 - level) / 2)
        out[f"hi{key}"] = funnel_limit(p0, nn, 1 - (1 - level) / 2)
    return out


def step_limits(p0: float, n: npt.ArrayLike) -> pd.DataFrame:
    """The exact (stepwise) 95 % and 99.8 % limits at each n, as drawn in the funnel plots.

    For each n the upper limit sits half a count below the smallest count r with
    P(X ≥ r) < tail under Binomial(n, p0), i.e. at (r − ½)/n, and the lower limit half a count
    above the largest count r with P(X ≤ r) < tail, at (r + ½)/n (tail 0.025 resp. 0.001, the
    rule of :func:`position_from_tails`). A share k/n is therefore beyond a limit exactly when
    its tail is below the level. Where no count 0…n is that extreme, the limit is NaN (nothing
    to draw). Columns lo95, hi95, lo998, hi998 (shares 0–1).
    """
    if not 0 < p0 < 1:
        raise ValueError(f"p0 must be strictly between 0 and 1, got {p0}")
    nn = np.atleast_1d(np.asarray(n, dtype=float))
    if np.any(nn <= 0) or np.any(nn != np.round(nn)):
        raise ValueError("n must be positive integer counts")
    out = pd.DataFrame({"n": nn})
    for key, tail in TAILS.items():
        hi, lo = [], []
        for m in nn.astype(int):
            r = np.arange(m + 1)
            up = r[sps.binom.sf(r - 1, m, p0) < tail]  # counts with P(X >= r) < tail
            down = r[sps.binom.cdf(r, m, p0) < tail]  # counts with P(X <= r) < tail
            hi.append((up.min() - 0.5) / m if up.size else np.nan)
            lo.append((down.max() + 0.5) / m if down.size else np.nan)
        out[f"lo{key}"] = lo
        out[f"hi{key}"] = hi
    return out


def tail_probabilities(
    k: npt.ArrayLike, n: npt.ArrayLike, p0: float
) -> tuple[np.ndarray, np.ndarray]:
    """Exact one-sided tails of each count under Binomial(n, p0): P(X ≥ k) and P(X ≤ k)."""
    kk, nn = _counts(k, n)
    if not 0 < p0 < 1:
        raise ValueError(f"p0 must be strictly between 0 and 1, got {p0}")
    return np.asarray(sps.binom.sf(kk - 1, nn, p0)), np.asarray(sps.binom.cdf(kk, nn, p0))


def position_from_tails(p_upper: float, p_lower: float) -> str:
    """A region's place in the funnel from its exact one-sided tail probabilities.

    Outside the two-sided 99.8 % (95 %) limits means a tail below 0.001 (0.025) on that side.
    The count itself decides, not the interpolated limit (which at k = r flags any tail).
    """
    if not (0 <= p_upper <= 1 and 0 <= p_lower <= 1):
        raise ValueError(f"tail probabilities must lie in [0, 1], got {p_upper}, {p_lower}")
    if p_upper < TAILS["998"]:
        return "över 99,8 %"
    if p_upper < TAILS["95"]:
        return "över 95 %"
    if p_lower < TAILS["998"]:
        return "under 99,8 %"
    if p_lower < TAILS["95"]:
        return "under 95 %"
    return "inom"


# --------------------------------------------------------------------------- beta-binomial


@dataclass(frozen=True)
class BetaBinomialFit:
    """Marginal maximum likelihood of the beta-binomial model (ρ = 0: no between-region spread)."""

    mu: float
    rho: float
    llf: float
    llf_binomial: float
    lr: float
    p_value: float  # H0: ρ = 0, on the boundary: ½·P(χ²₁ ≥ lr) (Self & Liang 1987)


def beta_ab(mu: _Share, rho: _Share) -> tuple[_Share, _Share]:
    """The Beta distribution's (a, b) for mean μ and intra-class correlation ρ (elementwise)."""
    scale = (1 - rho) / rho
    return mu * scale, (1 - mu) * scale


def beta_binomial_ml(k: npt.ArrayLike, n: npt.ArrayLike) -> BetaBinomialFit:
    """Maximum-likelihood μ and ρ of a beta-binomial model (``scipy.stats.betabinom``)."""
    kk, nn = _counts(k, n)
    p_pool = kk.sum() / nn.sum()
    if p_pool in (0, 1):
        raise ValueError("all counts are 0 or all are n: the model is not identified")

    def nll(x: np.ndarray) -> float:
        mu, rho = expit(x[0]), x[1]
        a, b = beta_ab(mu, rho)
        return -float(np.sum(sps.betabinom.logpmf(kk, nn, a, b)))

    # Three starting values of ρ; the fit with the smallest negative log-likelihood (the first
    # of equals) wins. Tolerances far below L-BFGS-B's defaults: with those, ρ̂ stopped about 1e-7
    # short of the optimum, and where it stopped depended on the CPU's floating-point library (the
    # derived table's 6-digit rho_ml differed between an Intel and an AMD machine).
    fits = [
        optimize.minimize(
            nll,
            [logit(p_pool), rho0],
            method="L-BFGS-B",
            bounds=[(-10, 10), (1e-9, 0.99)],
            options={"ftol": 1e-15, "gtol": 1e-11, "maxiter": 10_000},
        )
        for rho0 in (0.01, 0.1, 0.3)
    ]
    best = min(fits, key=lambda res: res.fun)
    llf_binom = float(np.sum(sps.binom.logpmf(kk, nn, p_pool)))
    # At the lower bound of ρ the beta-binomial is the binomial up to rounding: report ρ = 0.
    boundary = best.x[1] <= 1e-6 or -float(best.fun) - llf_binom < 1e-6
    llf = llf_binom if boundary else -float(best.fun)
    lr = 0.0 if boundary else 2 * (llf - llf_binom)
    rho = 0.0 if boundary else float(best.x[1])
    mu = float(p_pool) if boundary else float(expit(best.x[0]))
    return BetaBinomialFit(
        mu=mu,
        rho=rho,
        llf=llf,
        llf_binomial=llf_binom,
        lr=lr,
        p_value=float(0.5 * sps.chi2.sf(lr, 1)) if lr > 0 else 1.0,
    )


def posterior_given(
    k: npt.ArrayLike, n: npt.ArrayLike, a: float, b: float, level: float = 0.95
) -> pd.DataFrame:
    """Closed-form posterior of each θ_i given the hyperparameters: Beta(a + k, b + n − k).

    Columns mean (``(a + k)/(a + b + n)``), ci_low, ci_high (equal-tailed), weight (the share
    of the raw deviation from the prior mean that is pulled back: ``(a + b)/(a + b + n)``).
    """
    kk, nn = _counts(k, n)
    if a <= 0 or b <= 0:
        raise ValueError("a and b must be positive")
    post = sps.beta(a + kk, b + nn - kk)
    return pd.DataFrame(
        {
            "mean": (a + kk) / (a + b + nn),
            "ci_low": post.ppf((1 - level) / 2),
            "ci_high": post.ppf(1 - (1 - level) / 2),
            "weight": (a + b) / (a + b + nn),
        }
    )


def hyper_posterior(k: npt.ArrayLike, n: npt.ArrayLike, grid: int = GRID) -> pd.DataFrame:
    """Grid over (μ, ρ) with normalised weights ∝ beta-binomial marginal likelihood (flat prior).

    Midpoints of ``grid`` equal steps of (0, 1) in each direction.
    """
    kk, nn = _counts(k, n)
    pts = (np.arange(grid) + 0.5) / grid
    mu_grid, rho_grid = np.meshgrid(pts, pts, indexing="ij")
    mu, rho = mu_grid.ravel(), rho_grid.ravel()
    a, b = beta_ab(mu, rho)
    logpmf = sps.betabinom.logpmf(kk[None, :], nn[None, :], a[:, None], b[:, None])
    ll = np.asarray(logpmf).sum(axis=1)
    w = np.exp(ll - ll.max())
    w /= w.sum()
    keep = w > 1e-12
    w = w[keep] / w[keep].sum()
    return pd.DataFrame({"mu": mu[keep], "rho": rho[keep], "a": a[keep], "b": b[keep], "w": w})


def pooled_estimates(
    k: npt.ArrayLike,
    n: npt.ArrayLike,
    level: float = 0.95,
    draws: int = N_DRAWS,
    seed: int = SEED,
    grid: int = GRID,
) -> pd.DataFrame:
    """Partially pooled shares, intervals and rank intervals (rank 1 = highest share).

    Posterior means are exact mixtures over the grid of :func:`hyper_posterior`; intervals and
    ranks come from ``draws`` joint draws ((μ, ρ) from the grid, then every θ_i from its Beta
    posterior), generated with ``numpy.random.default_rng(seed)``. ``pulled`` is the posterior
    mean of ``(a + b)/(a + b + n_i)``: the share of region i's raw deviation from the national
    mean that pooling takes back (0: none, 1: all; :func:`posterior_given`'s ``weight``).
    """
    kk, nn = _counts(k, n)
    hp = hyper_posterior(kk, nn, grid)
    a, b, w = hp["a"].to_numpy(), hp["b"].to_numpy(), hp["w"].to_numpy()
    mean = (w[:, None] * (a[:, None] + kk) / (a[:, None] + b[:, None] + nn)).sum(axis=0)
    mu_bar = float((w * hp["mu"]).sum())
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(w), size=draws, p=w)
    theta = rng.beta(a[idx, None] + kk, b[idx, None] + nn - kk)
    ranks = (-theta).argsort(axis=1).argsort(axis=1) + 1
    tail = (1 - level) / 2
    raw = kk / nn
    # Given (a, b) the posterior mean is (1 − B)·raw + B·prior mean with B = (a + b)/(a + b + n):
    # B is the share of a region's deviation taken back. Averaged over the hyperparameters it
    # depends on n only, so it says how far a region's raw share reflects its size.
    pulled = (w[:, None] * (a + b)[:, None] / ((a + b)[:, None] + nn)).sum(axis=0)
    raw_rank = pd.Series(-raw).rank(method="min").astype(int).to_numpy()
    return pd.DataFrame(
        {
            "k": kk,
            "n": nn,
            "raw": raw,
            "raw_rank": raw_rank,
            "pooled": mean,
            "ci_low": np.quantile(theta, tail, axis=0),
            "ci_high": np.quantile(theta, 1 - tail, axis=0),
            "rank_median": np.median(ranks, axis=0),
            "rank_low": np.quantile(ranks, tail, axis=0, method="lower"),
            "rank_high": np.quantile(ranks, 1 - tail, axis=0, method="higher"),
            "pulled": pulled,
            "mu_pooled": mu_bar,
            "rho_pooled": float((w * hp["rho"]).sum()),
        }
    )


# --------------------------------------------------------------------------- the book's data


def _kn(question: str, category: str) -> tuple[pd.Series, pd.Series]:
    cp = analysis.county_positive(question, category)
    return cp["k"].astype(int), cp["n"].astype(int)


@cache
def funnel(question: str, category: str = "high") -> pd.DataFrame:
    """Each region's share, the national share and the drawn (exact, stepwise) funnel limits at
    the region's n (:func:`step_limits`)."""
    k, n = _kn(question, category)
    p0 = k.sum() / n.sum()
    lim = step_limits(p0, n.to_numpy()).drop(columns="n")
    lim.index = k.index
    out = pd.DataFrame({"k": k, "n": n, "share": k / n, "national": p0}).join(lim)
    # Exact one-sided tail probabilities of each region's count under Binomial(n, p0) decide
    # the position; the step limits above are drawn so that they agree with it.
    upper, lower = tail_probabilities(out["k"].to_numpy(), out["n"].to_numpy(), p0)
    out["position"] = [position_from_tails(u, lo) for u, lo in zip(upper, lower, strict=True)]
    out["p_upper"] = upper
    out["p_lower"] = lower
    return out


def _every_question_category(fn: Callable[[str, str], pd.DataFrame]) -> pd.DataFrame:
    """``fn(question, category)`` for every scale question and category, stacked long with the
    keys (question, category, region) as the first columns."""
    parts = [
        fn(q, c).reset_index().assign(question=q, category=c)
        for q in SCALE_QUESTIONS
        for c in CATEGORIES
    ]
    out = pd.concat(parts, ignore_index=True)
    first = ["question", "category", "region"]
    return out[first + [c for c in out.columns if c not in first]]


def funnels() -> pd.DataFrame:
    return _every_question_category(funnel)


@cache
def shrinkage(question: str, category: str = "high") -> pd.DataFrame:
    """Raw and partially pooled shares per region with intervals, ranks and the ML fit."""
    k, n = _kn(question, category)
    est = pooled_estimates(k.to_numpy(), n.to_numpy())
    est.index = pd.Index(REGIONS, name="region")
    fit = beta_binomial_ml(k.to_numpy(), n.to_numpy())
    est["rho_ml"] = fit.rho
    est["p_rho_zero"] = fit.p_value
    est["mainly_small_n"] = est["pulled"] > 0.5
    return est


def shrinkages() -> pd.DataFrame:
    return _every_question_category(shrinkage)


# --------------------------------------------------------------------------- claims vs chance

# The report's county claims tested here (ids of data/claims.csv): question, category, statistic.
# "zero": number of regions where no municipality gave that answer; "max": the highest regional
# share (the report names the regions at the top).
CLAIMS = [
    ("C50", "far_from_labour_market", "high", "zero"),
    ("C48", "far_from_labour_market", "high", "max"),
    ("C49", "far_from_labour_market", "low", "max"),
    ("C54", "strategic_collab", "high", "max"),
    ("C55", "strategic_collab", "low", "max"),
    ("C58", "operative_collab", "high", "max"),
    ("C59", "operative_collab", "low", "max"),
    ("C61", "employer_support", "high", "max"),
    ("C62", "employer_support", "low", "max"),
]


def _statistic(kind: str, k: np.ndarray, n: np.ndarray) -> np.ndarray:
    if kind == "zero":
        return (k == 0).sum(axis=-1).astype(float)
    if kind == "max":
        return (k / n).max(axis=-1)
    raise ValueError(f"unknown statistic {kind!r}")


def chance_of(
    kind: str,
    k: npt.ArrayLike,
    n: npt.ArrayLike,
    n_resamples: int = N_RESAMPLES,
    seed: int = SEED,
) -> dict[str, Any]:
    """How extreme ``kind`` ('zero' or 'max') is under homogeneity (every region the same share).

    - ``p_fixed_margins``: permutation p-value, tables with the regions' n and the national count
      fixed (``scipy.stats.random_table``), ``(1 + #{T ≥ t}) / (B + 1)``; ``expected`` is the
      mean of the statistic over those tables;
    - ``p_binomial``, ``expected_binomial``: exact under independent Binomial(n_i, p̂):
      for 'zero' the Poisson-binomial distribution of the number of regions with k_i = 0, for
      'max' ``1 − Π P(k_i/n_i < observed)``.
    """
    kk, nn = _counts(k, n)
    obs = float(_statistic(kind, kk, nn))
    tables = sps.random_table(
        np.column_stack([kk, nn - kk]).sum(axis=1), [kk.sum(), (nn - kk).sum()]
    )
    sims = tables.rvs(n_resamples, random_state=np.random.default_rng(seed))[..., 0]
    sim_stat = _statistic(kind, sims, nn)
    p_hat = kk.sum() / nn.sum()
    if kind == "zero":
        q = np.asarray(sps.binom.pmf(0, nn, p_hat))
        dist = np.array([1.0])
        for qi in q:  # Poisson-binomial pmf by convolution
            dist = np.convolve(dist, [1 - qi, qi])
        p_binom = float(dist[int(obs) :].sum())
        expected_binom = float(q.sum())
    else:
        # P(k_i/n_i < obs) = P(k_i ≤ ceil(obs·n_i) − 1); a small tolerance for float k/n.
        below = sps.binom.cdf(np.ceil(obs * nn - 1e-9) - 1, nn, p_hat)
        p_binom = float(1 - np.prod(below))
        support = [np.arange(m + 1) / m for m in nn]
        expected_binom = float(_expected_max(support, nn, p_hat))
    p = mc_pvalue(obs, sim_stat)
    return {
        "observed": obs,
        "expected": float(sim_stat.mean()),
        "p_fixed_margins": p,
        "p_fixed_margins_se": float(np.sqrt(p * (1 - p) / n_resamples)),
        "expected_binomial": expected_binom,
        "p_binomial": p_binom,
        "n_resamples": n_resamples,
        "seed": seed,
    }


def _expected_max(support: Sequence[np.ndarray], n: np.ndarray, p: float) -> float:
    """E[max_i k_i/n_i] for independent binomials: ∫ P(max > x) dx over the union of supports."""
    values = np.unique(np.concatenate(support))
    cdf_max = np.array([np.prod(sps.binom.cdf(np.floor(v * n + 1e-9), n, p)) for v in values])
    # E[X] = Σ v · P(max = v); P(max = v) from the CDF at consecutive support points.
    pmf = np.diff(np.concatenate([[0.0], cdf_max]))
    return float((values * pmf).sum())


@cache
def claims_vs_chance() -> pd.DataFrame:
    """The report's county claims against chance, one row per claim of :data:`CLAIMS`.

    The claims are one family: ``p_holm`` is ``p_fixed_margins`` Holm-adjusted over all of them
    (:func:`homogeneity.holm`), ``p_holm_band_high`` the adjusted value at the upper end of the
    simulation error band.
    """
    claims = pd.read_csv(paths.CLAIMS, dtype=str).drop_duplicates("id").set_index("id")
    rows = []
    for cid, q, cat, kind in CLAIMS:
        fun = funnel(q, cat)
        k, n = fun["k"].to_numpy(), fun["n"].to_numpy()
        res = chance_of(kind, k, n)
        if kind == "zero":
            regions = fun.index[fun["k"] == 0].tolist()
        else:
            regions = fun.index[np.isclose(fun["share"], fun["share"].max())].tolist()
        outside = [r for r in regions if fun.loc[r, "position"] != "inom"]
        rows.append(
            {
                "claim": cid,
                "quote": str(claims.loc[cid, "quote"]),
                "question": q,
                "label": SHORT_QUESTIONS[q],
                "category": cat,
                "statistic": kind,
                "regions": ", ".join(regions),
                "regions_outside_95": ", ".join(outside),
                **res,
            }
        )
    out = pd.DataFrame(rows)
    adj = homogeneity.holm(out["p_fixed_margins"], out["p_fixed_margins_se"])
    out.insert(column_position(out, "p_fixed_margins_se") + 1, "p_holm", adj["p_adjusted"])
    out.insert(column_position(out, "p_holm") + 1, "p_holm_band_high", adj["band_high"])
    return out


DERIVED = {
    "county_funnel.csv": funnels,
    "county_shrinkage.csv": shrinkages,
    "county_claims_chance.csv": claims_vs_chance,
}
