"""County differences on the whole five-level answer scale (issue 11, part 1).

The report collapses the five ordered answers into "high" and "low". Here the five levels are
kept in their order (1 = *i mycket låg*, …, 5 = *i mycket hög utsträckning*) and the 20 regions
are compared with

- a **Kruskal–Wallis rank test** on the ordered scale (ties by midranks; the statistic is the one
  ``scipy.stats.kruskal`` computes from one value per municipality), with its p-value from
  **permutations**: tables with the regions' numbers of answers and the levels' totals fixed,
  drawn with ``scipy.stats.random_table`` (equivalent to shuffling the answers among the
  municipalities). The asymptotic chi-square p-value is shown beside it;
- a **proportional-odds (cumulative-logit) model** with one effect per region, whose
  likelihood-ratio test against "no region effect" is a second, model-based test, and whose
  **assumption is checked** against the non-proportional alternative (for a single categorical
  predictor that alternative is the saturated model: each region its own distribution), and by
  the permutation tests at each of the four cumulative splits of the scale.

"Vet ej" is not a point on the scale, so it is left out of the ordinal tests (a region's n is its
number of answers on the scale). Whether the *share* answering "vet ej" differs between regions
is tested separately (:func:`homogeneity.homogeneity_test`), and a sensitivity test puts "vet ej"
in the middle of the scale instead.

All randomness comes from ``numpy.random.default_rng(SEED)``; two builds give the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import optimize
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests

from kommunenkat.core.cells import as_float, column_position
from kommunenkat.core.labels import REGION_NATIONAL, REGIONS, SCALE_QUESTIONS, SHORT_QUESTIONS
from kommunenkat.inference import analysis, homogeneity, reconstruct

# The ordered scale from most negative to most positive; scores 1..5.
ORDER = ["very_low", "fairly_low", "middle", "fairly_high", "very_high"]
# The book's seed (the default of homogeneity.homogeneity_test): one seed for all Monte Carlo
# p-values.
SEED = homogeneity.SEED
N_RESAMPLES = 20000
ALPHA = analysis.ALPHA
SPLITS = {
    "split_low": "1 | 2–5",
    "split_lowmid": "1–2 | 3–5",
    "split_midhigh": "1–3 | 4–5",
    "split_high": "1–4 | 5",
}


def _table(counts: npt.ArrayLike) -> np.ndarray:
    arr = np.asarray(counts)
    if arr.ndim != 2 or arr.shape[0] < 2 or arr.shape[1] < 2:
        raise ValueError(
            f"table must be a 2-D array with at least 2 rows and 2 columns, got shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr != np.round(arr)):
        raise ValueError("table must hold non-negative integer counts")
    arr = arr.astype(int)
    if (arr.sum(axis=1) == 0).any():
        raise ValueError("table has a row without answers; drop it first")
    if (arr.sum(axis=0) > 0).sum() < 2:
        raise ValueError("all answers are in one category: ranks are all tied")
    return arr


# --------------------------------------------------------------------------- rank test


def _kruskal_h(tables: np.ndarray, col_totals: np.ndarray) -> np.ndarray:
    """Tie-corrected Kruskal–Wallis H of one or many tables (last two axes: rows × levels).

    Written out for contingency tables because the permutation test needs H of 20 000 tables at
    once; ``scipy.stats.kruskal`` on one value per observation gives the same number (tested).
    With the level totals fixed the midranks and the tie correction are the same for every
    table: midrank of level j = (cumulative total before j) + (t_j + 1) / 2.
    """
    t = col_totals.astype(float)
    n_total = t.sum()
    midranks = np.cumsum(t) - t + (t + 1) / 2
    rank_sums = tables @ midranks
    n_rows = tables.sum(axis=-1)
    h = 12 / (n_total * (n_total + 1)) * (rank_sums**2 / n_rows).sum(axis=-1) - 3 * (n_total + 1)
    ties = 1 - (t**3 - t).sum() / (n_total**3 - n_total)
    return h / ties


def _chi2_stat(tables: np.ndarray) -> np.ndarray:
    """Pearson's chi-square of many 2-D tables (no continuity correction)."""
    rows = tables.sum(axis=-1, keepdims=True)
    cols = tables.sum(axis=-2, keepdims=True)
    total = tables.sum(axis=(-2, -1), keepdims=True)
    expected = rows * cols / total
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(expected > 0, (tables - expected) ** 2 / expected, 0.0)
    return terms.sum(axis=(-2, -1))


def mc_pvalue(observed: float, simulated: np.ndarray) -> float:
    """(1 + #{T ≥ t}) / (B + 1) (Davison & Hinkley 1997; Phipson & Smyth 2010).

    A relative tolerance of 1e-9 counts simulated statistics equal to the observed one (floating
    point noise) as "at least as extreme".
    """
    sim = np.asarray(simulated, dtype=float)
    extreme = int((sim >= observed - 1e-9 * max(1.0, abs(observed))).sum())
    return (1 + extreme) / (sim.size + 1)


@dataclass(frozen=True)
class OrdinalTest:
    """Kruskal–Wallis test of a regions × ordered-levels table, with permutation p-values."""

    statistic: float
    dof: int
    p_asymptotic: float
    p_permutation: float
    mc_se: float
    split_chi2: tuple[float, ...]
    split_p_permutation: tuple[float, ...]
    n: int
    n_resamples: int
    seed: int


def random_tables(
    table: npt.ArrayLike, n_resamples: int = N_RESAMPLES, seed: int = SEED
) -> np.ndarray:
    """Tables with the same row and column totals, as a permutation of the answers produces."""
    arr = _table(table)
    dist = sps.random_table(arr.sum(axis=1), arr.sum(axis=0))
    return dist.rvs(n_resamples, random_state=np.random.default_rng(seed))


def _splits(tables: np.ndarray) -> list[np.ndarray]:
    """The 2-column tables of each cumulative split (levels ≤ j against > j)."""
    cum = np.cumsum(tables, axis=-1)
    total = tables.sum(axis=-1)
    return [
        np.stack([cum[..., j], total - cum[..., j]], axis=-1) for j in range(tables.shape[-1] - 1)
    ]


def ordinal_test(
    table: npt.ArrayLike, n_resamples: int = N_RESAMPLES, seed: int = SEED
) -> OrdinalTest:
    """Kruskal–Wallis on a regions × ordered-levels table (levels in increasing order).

    - ``statistic``: H with the tie correction (as ``scipy.stats.kruskal`` on the expanded data);
    - ``p_asymptotic``: chi-square with ``rows − 1`` degrees of freedom;
    - ``p_permutation``: conditional on both margins, from ``n_resamples`` random tables
      (:func:`random_tables`), ``(1 + #{H* ≥ H}) / (B + 1)``; ``mc_se`` its standard error;
    - ``split_chi2``, ``split_p_permutation``: Pearson chi-square of each cumulative split
      (levels ≤ j vs > j) and its permutation p-value from the same random tables.
    """
    arr = _table(table)
    n_resamples = int(n_resamples)
    if n_resamples < 1:
        raise ValueError(f"n_resamples must be positive, got {n_resamples}")
    col = arr.sum(axis=0)
    h_obs = float(_kruskal_h(arr, col))
    sims = random_tables(arr, n_resamples, seed)
    h_sim = _kruskal_h(sims, col)
    p_perm = mc_pvalue(h_obs, h_sim)
    split_obs = [float(_chi2_stat(s)) for s in _splits(arr)]
    split_p = [
        mc_pvalue(obs, _chi2_stat(sim)) for obs, sim in zip(split_obs, _splits(sims), strict=True)
    ]
    dof = arr.shape[0] - 1
    return OrdinalTest(
        statistic=h_obs,
        dof=dof,
        p_asymptotic=float(sps.chi2.sf(h_obs, dof)),
        p_permutation=p_perm,
        mc_se=float(np.sqrt(p_perm * (1 - p_perm) / n_resamples)),
        split_chi2=tuple(split_obs),
        split_p_permutation=tuple(split_p),
        n=int(arr.sum()),
        n_resamples=n_resamples,
        seed=int(seed),
    )


# --------------------------------------------------------------------------- proportional odds


@dataclass(frozen=True)
class ProportionalOdds:
    """Cumulative-logit model with one effect per row (region) of a table.

    ``P(Y ≤ j | region i) = logistic(c_j − b_i)``, ``b`` of the first row fixed at 0, so a
    positive ``b_i`` shifts region i towards the upper (more positive) levels; the
    parametrisation of ``statsmodels.miscmodels.ordinal_model.OrderedModel``.
    """

    thresholds: tuple[float, ...]
    effects: tuple[float, ...]
    llf: float
    llf_null: float
    llf_saturated: float
    lr: float
    lr_dof: int
    p_lr: float
    deviance: float  # against the saturated (non-proportional) model
    deviance_dof: int
    p_deviance: float
    converged: bool


def _xlogy_sum(counts: np.ndarray, probs: np.ndarray) -> float:
    return float(np.sum(np.where(counts > 0, counts * np.log(np.where(counts > 0, probs, 1)), 0)))


def proportional_odds(table: npt.ArrayLike) -> ProportionalOdds:
    """Fit the proportional-odds model to a regions × ordered-levels table by maximum likelihood.

    The likelihood is ``OrderedModel``'s (logit link) written for grouped counts: statsmodels'
    ``OrderedModel`` on one row per municipality uses numerical derivatives and takes seconds per
    fit; this grouped form takes milliseconds and the tests check that both give the same
    log-likelihood and coefficients. The null model (thresholds only) and the saturated model
    (each region its own distribution, which for a single categorical predictor is the
    non-proportional cumulative-logit model) have closed-form maxima.

    - ``lr``, ``p_lr``: likelihood-ratio test of "no region effect" (chi-square, rows − 1 df);
    - ``deviance``, ``p_deviance``: the proportional-odds assumption against the non-proportional
      alternative (chi-square, (rows − 1)·(levels − 2) df). Both are asymptotic; with many sparse
      cells they are approximate (Agresti 2010, ch. 3).
    """
    arr = _table(table)
    rows, levels = arr.shape
    present = arr.sum(axis=0) > 0
    if not present.all():
        raise ValueError("every level must occur at least once (drop empty levels first)")

    def unpack(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        c = np.cumsum(np.concatenate([[x[0]], np.exp(x[1 : levels - 1])]))
        b = np.concatenate([[0.0], x[levels - 1 :]])
        return c, b

    def probs(x: np.ndarray) -> np.ndarray:
        c, b = unpack(x)
        cdf = sps.logistic.cdf(c[None, :] - b[:, None])
        cdf = np.hstack([np.zeros((rows, 1)), cdf, np.ones((rows, 1))])
        return np.clip(np.diff(cdf, axis=1), 1e-300, 1)

    def nll(x: np.ndarray) -> float:
        return -_xlogy_sum(arr, probs(x))

    cum = np.cumsum(arr.sum(axis=0))[:-1] / arr.sum()
    c0 = np.log(cum / (1 - cum))
    x0 = np.concatenate([[c0[0]], np.log(np.diff(c0)), np.zeros(rows - 1)])
    res = optimize.minimize(nll, x0, method="BFGS", options={"gtol": 1e-7, "maxiter": 5000})
    c, b = unpack(res.x)
    llf = -float(res.fun)
    col = arr.sum(axis=0)
    llf_null = _xlogy_sum(col, col / col.sum())
    llf_sat = _xlogy_sum(arr, arr / arr.sum(axis=1, keepdims=True))
    lr = 2 * (llf - llf_null)
    dev = 2 * (llf_sat - llf)
    dev_dof = (rows - 1) * (levels - 2)
    return ProportionalOdds(
        thresholds=tuple(float(v) for v in c),
        effects=tuple(float(v) for v in b),
        llf=llf,
        llf_null=llf_null,
        llf_saturated=llf_sat,
        lr=float(lr),
        lr_dof=rows - 1,
        p_lr=float(sps.chi2.sf(lr, rows - 1)),
        deviance=float(max(dev, 0.0)),
        deviance_dof=dev_dof,
        p_deviance=float(sps.chi2.sf(max(dev, 0.0), dev_dof)),
        converged=bool(res.success),
    )


# --------------------------------------------------------------------------- the book's data


def county_levels(question: str) -> pd.DataFrame:
    """The latest round's reconstructed counts per region: five ordered levels, ``dont_know``."""
    return _county_levels(question).copy()


@cache
def _county_levels(question: str) -> pd.DataFrame:
    if question not in SCALE_QUESTIONS:
        raise KeyError(f"unknown question {question!r}")
    cc = reconstruct.county_counts()
    d = cc[cc["question"] == question]
    wide = d.pivot_table(index="region", columns="category", values="count", aggfunc="sum")
    return wide.reindex(index=REGIONS, columns=[*ORDER, "dont_know"]).astype(int)


@cache
def ordinal_row(question: str) -> dict[str, Any]:
    """One question: ordinal tests, proportional-odds model and checks, beside high/low."""
    levels = county_levels(question)
    table = levels[ORDER].to_numpy()
    test = ordinal_test(table)
    # Sensitivity: "vet ej" as the middle level instead of left out.
    merged = levels[ORDER].copy()
    merged["middle"] += levels["dont_know"]
    sens = ordinal_test(merged.to_numpy())
    po = proportional_odds(table)
    dk = levels["dont_know"].to_numpy()
    answered = table.sum(axis=1)
    dk_test = homogeneity.homogeneity_test(np.column_stack([dk, answered])) if dk.sum() else None
    dich = pd.DataFrame(analysis.county_tests([question])).set_index("category")
    row = {
        "question": question,
        "label": SHORT_QUESTIONS[question],
        "n_scale": test.n,
        "k_dont_know": int(dk.sum()),
        "kruskal_h": test.statistic,
        "df": test.dof,
        "p_asymptotic": test.p_asymptotic,
        "p_permutation": test.p_permutation,
        "p_permutation_se": test.mc_se,
        "p_dont_know_as_middle": sens.p_permutation,
        "po_lr": po.lr,
        "po_p": po.p_lr,
        "po_deviance": po.deviance,
        "po_deviance_df": po.deviance_dof,
        "po_deviance_p": po.p_deviance,
    }
    for key, p in zip(SPLITS, test.split_p_permutation, strict=True):
        row[f"p_{key}"] = p
    row["p_dont_know_share"] = np.nan if dk_test is None else dk_test.p_monte_carlo
    row["p_high_dichotomised"] = as_float(dich.loc["high", "p_value"])
    row["p_low_dichotomised"] = as_float(dich.loc["low", "p_value"])
    row["n_resamples"] = test.n_resamples
    row["seed"] = test.seed
    return row


def ordinal_tests(questions: Iterable[str] | None = None) -> pd.DataFrame:
    """The ordinal county tests of every question; Holm-adjusted over the four questions."""
    qs = list(SCALE_QUESTIONS) if questions is None else list(questions)
    # The Holm family is always all four questions, also when only some rows are asked for.
    out = pd.DataFrame([ordinal_row(q) for q in SCALE_QUESTIONS])
    _, holm, _, _ = multipletests(out["p_permutation"], method="holm")
    out.insert(column_position(out, "p_permutation") + 2, "p_permutation_holm", holm)
    return out[out["question"].isin(qs)].reset_index(drop=True)


def distribution(question: str) -> pd.DataFrame:
    """The latest round's distribution per region and for the country, with the summaries
    that order it.

    Shares are of all respondents of the region (the report's denominators, "vet ej"
    included). ``balance`` = share positive − share negative (percentage points / 100);
    ``mean_score`` = mean on 1..5 of those who answered on the scale.
    """
    levels = county_levels(question)
    total = levels.sum()
    total.name = REGION_NATIONAL
    d = pd.concat([levels, total.to_frame().T])
    n = d.sum(axis=1)
    out = pd.DataFrame(index=pd.Index(d.index, name="region"))
    out["n"] = n
    for c in [*ORDER, "dont_know"]:
        out[c] = d[c] / n
    out["balance"] = (d["very_high"] + d["fairly_high"] - d["very_low"] - d["fairly_low"]) / n
    scale_n = d[ORDER].sum(axis=1)
    out["mean_score"] = (d[ORDER] * np.arange(1, 6)).sum(axis=1) / scale_n
    return out


def distributions() -> pd.DataFrame:
    """:func:`distribution` of every question, long format (the diverging charts' data)."""
    parts = [distribution(q).reset_index().assign(question=q) for q in SCALE_QUESTIONS]
    out = pd.concat(parts, ignore_index=True)
    first = ["question", "region"]
    return out[first + [c for c in out.columns if c not in first]]


DERIVED = {
    "county_ordinal_tests.csv": ordinal_tests,
    "county_distribution.csv": distributions,
}
