"""What the next survey round can detect: minimum detectable change (MDC) of a share.

The question a planner asks: if the next round again gets ``n`` respondents, how large must the
change of a share (from today's level) be for the book's test to find it with 80 % probability
at α = 0.05 (two-sided)?

Designs (explained for readers in the method appendix, section ``metodbilaga-styrka``):

- **Independent samples** (what the book assumes for its change tests): two rounds of ``n``
  respondents each, compared with the two-proportion z test with pooled variance under H0 (the
  test :func:`change_tests.change` uses). Power from
  ``statsmodels.stats.proportion.power_proportions_2indep`` (pooled standard deviation under H0,
  unpooled under the alternative; Fleiss, Levin & Paik 2003, eq. 4.14 without continuity
  correction), solved for the difference by bisection.
- **Panel**: the same ``n`` municipalities answer both rounds and their answers are linked. With a
  within-municipality correlation ρ between the two years' (dichotomised) answers, the variance of
  the difference of the two shares is ``(1 − ρ)`` times that of independent samples (exact when
  the two shares are equal, a close approximation for the changes considered here). That equals
  independent samples of ``n / (1 − ρ)`` respondents, so the panel MDC is the independent MDC at
  this *effective* n. ρ is not known (no linked data are published): it is an assumption, shown
  at several values (:data:`RHOS`). The tests check the shortcut against Connor's (1987) sample
  size formula for McNemar's paired test, which uses the exact covariance (within 3 %).

For the small county groups the normal approximation is rough, so :func:`exact_power` also gives
the power of the same z test by enumerating every pair of binomial outcomes.

A second, independent implementation (Cohen's arcsine effect size h with ``NormalIndPower``,
:func:`detectable_change_arcsine`) is kept for the tests and as a check of the approximation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from typing import overload

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import power_proportions_2indep

from kommunenkat.core import fmt
from kommunenkat.core.cells import as_float, as_int
from kommunenkat.core.labels import SCALE_QUESTIONS, SHORT_QUESTIONS, SIDE_LABELS
from kommunenkat.inference import analysis, reconstruct
from kommunenkat.inputs import data

ALPHA = analysis.ALPHA
POWER = 0.80
# Assumed within-municipality correlations of the dichotomised answers one year apart; 0 is the
# independent design (see the module docstring and the method appendix for the choice).
RHOS = (0.0, 0.3, 0.5, 0.7)
PANEL_RHO = 0.5  # the middle assumption quoted in the text
# n per round shown in the figure: from well below today's response to full response.
N_CURVE = tuple(range(100, 291, 5))
CATEGORIES = ("high", "low")
# A round intermediate county-group size besides the smallest, median and largest region.
COUNTY_EXTRA_SIZES = (20,)
_EPS = 1e-9
_BISECTIONS = 32  # the interval (0, 1) halved 32 times: far below 0.0001 percentage points


def _check(p0: float, n: float, rho: float, alpha: float, power: float) -> None:
    if not 0 < p0 < 1:
        raise ValueError(f"level p0 must be a share strictly between 0 and 1, got {p0!r}")
    if not n > 0:
        raise ValueError(f"n must be positive, got {n!r}")
    if not 0 <= rho < 1:
        raise ValueError(f"rho must be in [0, 1) (a within-unit correlation), got {rho!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    if not 0 < power < 1:
        raise ValueError(f"power must be between 0 and 1, got {power!r}")


@overload
def effective_n(n: float, rho: float = 0.0) -> float: ...
@overload
def effective_n(n: npt.NDArray[np.float64], rho: float = 0.0) -> npt.NDArray[np.float64]: ...
def effective_n(
    n: float | npt.NDArray[np.float64], rho: float = 0.0
) -> float | npt.NDArray[np.float64]:
    """Independent-samples n with the same variance of a difference as a panel of ``n`` at ρ
    (elementwise for an array of n)."""
    if not 0 <= rho < 1:
        raise ValueError(f"rho must be in [0, 1) (a within-unit correlation), got {rho!r}")
    return n / (1 - rho)


def power_change(p0: float, diff: float, n: float, rho: float = 0.0, alpha: float = ALPHA) -> float:
    """Power of the two-sided pooled z test for a change ``p0 → p0 + diff`` with ``n`` per round."""
    _check(p0, n, rho, alpha, 0.5)
    return float(
        power_proportions_2indep(
            diff,
            p0,
            effective_n(n, rho),
            ratio=1,
            alpha=alpha,
            alternative="two-sided",
            return_results=False,
        )
    )


def detectable_changes(
    p0: float,
    n: npt.ArrayLike,
    rho: float = 0.0,
    *,
    direction: int = 1,
    alpha: float = ALPHA,
    power: float = POWER,
) -> np.ndarray:
    """Smallest change (share units, ≥ 0) from level ``p0`` detected with ``power``, for each n
    in the array ``n`` (respondents per round).

    Solved by bisection on the change, all n at once (one vectorised statsmodels call per step;
    a root finder per n took seconds for the figure's curve). ``direction`` +1 for an increase,
    −1 for a decrease. NaN where even a change to 0 or 1 is not detected with that power.
    """
    ns = np.atleast_1d(np.asarray(n, dtype=float))
    for one in ns:
        _check(p0, one, rho, alpha, power)
    return _solve(p0, effective_n(ns, rho), direction, alpha, power)


def _solve(p0: float, n_eff: np.ndarray, direction: int, alpha: float, power: float) -> np.ndarray:
    """Bisection on the change for every effective n at once (see :func:`detectable_changes`)."""
    if direction not in (1, -1):
        raise ValueError(f"direction must be +1 or -1, got {direction!r}")
    n_eff = np.asarray(n_eff, dtype=float)

    def gap(d: np.ndarray) -> np.ndarray:
        pw = power_proportions_2indep(
            direction * d,
            p0,
            n_eff,
            ratio=1,
            alpha=alpha,
            alternative="two-sided",
            return_results=False,
        )
        return np.asarray(pw, dtype=float) - power

    room = (1 - p0) if direction == 1 else p0
    lo = np.full_like(n_eff, _EPS)
    hi = np.full_like(n_eff, room - _EPS)
    reachable = gap(hi) >= 0
    for _ in range(_BISECTIONS):
        mid = (lo + hi) / 2
        above = gap(mid) >= 0
        hi = np.where(above, mid, hi)
        lo = np.where(above, lo, mid)
    return np.where(reachable, hi, np.nan)


def detectable_change(
    p0: float,
    n: float,
    rho: float = 0.0,
    *,
    direction: int = 1,
    alpha: float = ALPHA,
    power: float = POWER,
) -> float:
    """:func:`detectable_changes` for one n (a float; NaN if no change is detectable)."""
    return float(detectable_changes(p0, n, rho, direction=direction, alpha=alpha, power=power)[0])


def detectable_change_arcsine(
    p0: float,
    n: float,
    rho: float = 0.0,
    *,
    direction: int = 1,
    alpha: float = ALPHA,
    power: float = POWER,
) -> float:
    """The same MDC via Cohen's h (arcsine transform): ``NormalIndPower`` solved for h, then
    ``p1 = sin²(asin(√p0) ± h/2)``. A second implementation; NaN if the change leaves [0, 1]."""
    _check(p0, n, rho, alpha, power)
    h = NormalIndPower().solve_power(
        effect_size=None,
        nobs1=effective_n(n, rho),
        alpha=alpha,
        power=power,
        ratio=1,
        alternative="two-sided",
    )
    angle = math.asin(math.sqrt(p0)) + direction * float(h) / 2
    if not 0 <= angle <= math.pi / 2:
        return math.nan
    return abs(math.sin(angle) ** 2 - p0)


def _z_rejection(n: int, alpha: float) -> np.ndarray:
    """(n+1)×(n+1) boolean matrix: does the pooled z test reject for counts (k1, k2)?"""
    k = np.arange(n + 1)
    k1, k2 = np.meshgrid(k, k, indexing="ij")
    pooled = (k1 + k2) / (2 * n)
    se = np.sqrt(pooled * (1 - pooled) * 2 / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (k2 - k1) / n / se, 0.0)
    return np.abs(z) >= sps.norm.ppf(1 - alpha / 2)


@overload
def exact_power(p1: float, p2: float, n: int, alpha: float = ALPHA) -> float: ...
@overload
def exact_power(
    p1: float, p2: npt.NDArray[np.float64], n: int, alpha: float = ALPHA
) -> npt.NDArray[np.float64]: ...
def exact_power(
    p1: float, p2: float | npt.NDArray[np.float64], n: int, alpha: float = ALPHA
) -> float | npt.NDArray[np.float64]:
    """Exact power of the two-sided pooled z test with ``n`` per round (independent rounds):
    the probability, summed over every outcome pair (k1, k2), that the test rejects.
    ``p2`` may be an array (one power per value)."""
    if not (isinstance(n, int | np.integer) and n >= 1):
        raise ValueError(f"n must be a positive integer, got {n!r}")
    reject = _z_rejection(int(n), alpha).astype(float)
    k = np.arange(n + 1)
    pmf1 = sps.binom.pmf(k, n, p1)
    pmf2 = sps.binom.pmf(k[None, :], n, np.atleast_1d(np.asarray(p2, dtype=float))[:, None])
    out = pmf2 @ (reject.T @ pmf1)
    return float(out[0]) if np.ndim(p2) == 0 else out


def detectable_change_exact(
    p0: float, n: int, *, direction: int = 1, alpha: float = ALPHA, power: float = POWER
) -> float:
    """Smallest change on a 0.001 grid whose exact power (:func:`exact_power`) reaches ``power``.
    A grid search because exact power need not be monotone in the change. NaN if none does."""
    _check(p0, n, 0.0, alpha, power)
    grid = np.arange(1, 1001) / 1000
    targets = p0 + direction * grid
    ok = (targets >= 0) & (targets <= 1)
    pw = exact_power(p0, targets[ok], n, alpha)
    hits = np.flatnonzero(pw >= power)
    return float(grid[ok][hits[0]]) if hits.size else math.nan


def _levels() -> pd.DataFrame:
    """Today's level of each question's high/low share (the latest round's reconstructed
    counts)."""
    c23 = analysis.latest_counts()
    rows = []
    for q in SCALE_QUESTIONS:
        for cat in CATEGORIES:
            k, n = as_int(c23.loc[q, cat]), as_int(c23.loc[q, "n"])
            rows.append({"question": q, "category": cat, "k": k, "n": n, "level": k / n})
    return pd.DataFrame(rows)


def respondents() -> int:
    """Today's response: the number of responding municipalities of the latest round."""
    n = data.respondents(analysis.latest_year())
    if n is None:
        raise ValueError("rounds.csv: the latest round's respondents are not published")
    return n


def _by_rho(p0: float, n: int, direction: int) -> np.ndarray:
    """MDC at every ρ of :data:`RHOS` for one level and n (one vectorised solve)."""
    return _solve(p0, np.array([effective_n(n, rho) for rho in RHOS]), direction, ALPHA, POWER)


@cache
def _national() -> pd.DataFrame:
    n = respondents()
    parts = []
    for r in _levels().itertuples():
        level = as_float(r.level)
        _check(level, n, 0.0, ALPHA, POWER)
        parts.append(
            pd.DataFrame(
                {
                    "question": r.question,
                    "category": r.category,
                    "level": r.level,
                    "n": n,
                    "rho": RHOS,
                    "design": ["independent" if rho == 0 else "panel" for rho in RHOS],
                    "n_effective": [effective_n(n, rho) for rho in RHOS],
                    "mdc_up": _by_rho(level, n, 1),
                    "mdc_down": _by_rho(level, n, -1),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def national() -> pd.DataFrame:
    """MDC of every question's high and low share at today's level and response, per ρ."""
    return _national().copy()


def county_sizes() -> dict[str, int]:
    """Typical county-group sizes: the smallest, median and largest region's respondents
    (median rounded up when it falls between two regions) plus :data:`COUNTY_EXTRA_SIZES`."""
    resp = reconstruct.county_response()["respondents"].astype(int)
    sizes = {
        "smallest": int(resp.min()),
        "median": int(math.ceil(resp.median())),
        "largest": int(resp.max()),
    }
    for s in COUNTY_EXTRA_SIZES:
        sizes[f"n{s}"] = s
    return dict(sorted(sizes.items(), key=lambda kv: kv[1]))


@cache
def _county() -> pd.DataFrame:
    levels = _levels()
    levels = levels[levels["category"] == "high"]
    parts = []
    for size, n in county_sizes().items():
        for r in levels.itertuples():
            level = as_float(r.level)
            _check(level, n, 0.0, ALPHA, POWER)
            exact = [math.nan] * (len(RHOS) - 1)
            parts.append(
                pd.DataFrame(
                    {
                        "size": size,
                        "n": n,
                        "question": r.question,
                        "category": r.category,
                        "level": r.level,
                        "rho": RHOS,
                        "mdc_up": _by_rho(level, n, 1),
                        "mdc_down": _by_rho(level, n, -1),
                        "mdc_up_exact": [detectable_change_exact(level, n, direction=1), *exact],
                        "mdc_down_exact": [
                            detectable_change_exact(level, n, direction=-1),
                            *exact,
                        ],
                    }
                )
            )
    return pd.concat(parts, ignore_index=True)


def county() -> pd.DataFrame:
    """MDC of a county group's positive ('high') share at the national level, by group size.

    The level is the national share (a county's own share rests on a handful of answers).
    ``mdc_up_exact``/``mdc_down_exact`` (ρ = 0 only) come from exact enumeration
    (:func:`detectable_change_exact`); at these sizes they, not the normal approximation,
    are the figures to quote."""
    return _county().copy()


@cache
def _curve() -> pd.DataFrame:
    levels = _levels()
    levels = levels[levels["category"] == "high"]
    ns = np.array(sorted({*N_CURVE, respondents()}))
    grid = pd.MultiIndex.from_product([RHOS, ns], names=["rho", "n"]).to_frame(index=False)
    n_eff = np.array([effective_n(n, rho) for rho, n in zip(grid["rho"], grid["n"], strict=True)])
    parts = [
        grid.assign(
            question=str(r.question),
            category=str(r.category),
            level=as_float(r.level),
            mdc_up=_solve(as_float(r.level), n_eff, 1, ALPHA, POWER),
        )
        for r in levels.itertuples()
    ]
    out = pd.concat(parts, ignore_index=True)
    return out[["question", "category", "level", "n", "rho", "mdc_up"]]


def curve() -> pd.DataFrame:
    """MDC (increase of the 'high' share) against n per round, for every question and ρ."""
    return _curve().copy()


def national_row(question: str, category: str = "high", rho: float = 0.0) -> pd.Series:
    t = _national()
    hit = t[(t["question"] == question) & (t["category"] == category) & (t["rho"] == rho)]
    if len(hit) != 1:
        raise KeyError(f"no MDC row for {question} {category} rho={rho}")
    return hit.iloc[0]


DERIVED = {
    "power_national.csv": national,
    "power_county.csv": county,
    "power_curve.csv": curve,
}


# ---------------------------------------------------------------------------------------------
# Reader-facing tables, labels and glue texts (Swedish); the figure is drawn by
# kommunenkat.graphics.power_chart.

_RHO_LABEL = {0.0: "Oberoende urval"}


def rho_label(rho: float) -> str:
    """'Oberoende urval' for ρ = 0, else 'Panel, ρ = 0,5'."""
    return _RHO_LABEL.get(rho) or f"Panel, ρ\u00a0=\u00a0{fmt.num(rho, 1)}"


def _pp_or_none(v: float) -> str:
    """Percentage points with one decimal; a dash where no change reaches the power."""
    return "–" if pd.isna(v) else fmt.num(100 * v, 1)


def curve_table(
    question: str, ns: Sequence[int | None] = (100, 150, 200, None, 250, 290)
) -> pd.DataFrame:
    """The figure's data: MDC (increase, percentage points) at a few n, one column per ρ.
    ``None`` in ``ns`` stands for today's response."""
    c = _curve()
    c = c[c["question"] == question]
    wanted = [respondents() if n is None else n for n in ns]
    wide = c[c["n"].isin(wanted)].pivot(index="n", columns="rho", values="mdc_up")
    out = pd.DataFrame({"Svarande per omgång": [str(int(n)) for n in wide.index]})
    for rho in RHOS:
        out[rho_label(rho)] = [_pp_or_none(v) for v in wide[rho]]
    return out


def national_table() -> pd.DataFrame:
    """All questions: smallest detectable increase / decrease (pp) per design at today's n."""
    t = _national()
    rows = []
    for (q, cat), d in t.groupby(["question", "category"], sort=False):
        d = d.set_index("rho")
        row = {
            "Fråga": SHORT_QUESTIONS[str(q)],
            "Andel": SIDE_LABELS[str(cat)],
            f"Nivå {analysis.latest_year()}": fmt.share_pct(d["level"].iloc[0]),
        }
        for rho in RHOS:
            row[rho_label(rho)] = (
                f"+{_pp_or_none(d['mdc_up'].loc[rho])} / "
                f"{fmt.MINUS}{_pp_or_none(d['mdc_down'].loc[rho])}"
            )
        rows.append(row)
    return pd.DataFrame(rows)


_SIZE_LABEL = {
    "smallest": "minsta länet",
    "median": "medianlänet",
    "largest": "största länet",
}


def county_table() -> pd.DataFrame:
    """County groups: exact MDC (ρ = 0) and the normal approximation at ρ = 0 and PANEL_RHO."""
    t = _county()
    rows = []
    for (size, q), d in t.groupby(["size", "question"], sort=False):
        d = d.set_index("rho")
        n = int(d["n"].iloc[0])
        rows.append(
            {
                "Svarande": str(n),
                "Motsvarar": _SIZE_LABEL.get(str(size), "exempel"),
                "Fråga": SHORT_QUESTIONS[str(q)],
                "Nivå": fmt.share_pct(d["level"].iloc[0]),
                "Ökning, exakt": _pp_or_none(d["mdc_up_exact"].loc[0.0]),
                "Minskning, exakt": _pp_or_none(d["mdc_down_exact"].loc[0.0]),
                f"Ökning, {rho_label(PANEL_RHO).lower()}": _pp_or_none(d["mdc_up"].loc[PANEL_RHO]),
            }
        )
    return pd.DataFrame(rows)


def curve_value(question: str, n: int, rho: float = 0.0) -> float:
    """One point of :func:`curve` (MDC of an increase of the 'high' share)."""
    c = _curve()
    hit = c[(c["question"] == question) & (c["n"] == n) & (c["rho"] == rho)]
    if len(hit) != 1:
        raise KeyError(f"no curve point for {question} n={n} rho={rho}")
    return float(hit["mdc_up"].iloc[0])


def county_value(question: str, size: str, column: str = "mdc_up_exact") -> tuple[int, float]:
    """(n, value) of one county-group size (``smallest``/``median``/``largest``) at ρ = 0."""
    c = _county()
    hit = c[(c["question"] == question) & (c["size"] == size) & (c["rho"] == 0.0)]
    if len(hit) != 1:
        raise KeyError(f"no county row for {question} {size}")
    return int(hit["n"].iloc[0]), float(hit[column].iloc[0])


def texts(question: str, prefix: str, observed: float) -> dict[str, str]:
    """Glue strings for a chapter's section on what the next round can detect (Swedish).

    ``observed``: the chapter's own change of the 'high' share since the previous comparable
    round, for comparison."""
    r0 = national_row(question)
    n, level = int(r0["n"]), float(r0["level"])
    n_all = data.municipalities(analysis.latest_year())

    def pp(v: float) -> str:
        return "ingen" if pd.isna(v) else fmt.pp(100 * v, 1, sign=False)

    out = {
        f"{prefix}-n": str(n),
        f"{prefix}-n-alla": str(n_all),
        f"{prefix}-niva": fmt.share_pct(level),
        f"{prefix}-mdc": pp(r0["mdc_up"]),
        f"{prefix}-mdc-alla": pp(curve_value(question, n_all)),
        f"{prefix}-obs": fmt.pp(100 * observed, 1),
        f"{prefix}-jamfort": "mindre än" if observed < r0["mdc_up"] else "minst lika stor som",
        f"{prefix}-styrka-obs": fmt.share_pct(power_change(level, observed, n)),
        f"{prefix}-styrka": fmt.share_pct(POWER),
        f"{prefix}-alfa": fmt.share_pct(ALPHA),
    }
    for rho in RHOS[1:]:
        key = fmt.num(rho, 1).replace(",", "")
        out[f"{prefix}-rho{key}"] = fmt.num(rho, 1)
        out[f"{prefix}-mdc-rho{key}"] = pp(national_row(question, rho=rho)["mdc_up"])
    for size in ("median", "largest"):
        cn, v = county_value(question, size)
        out[f"{prefix}-lan-{size}-n"] = str(cn)
        out[f"{prefix}-lan-{size}-mdc"] = pp(v)
    return out


def number_check_values(question: str) -> dict[str, str]:
    """Key numbers for a chapter's ``# NBVAL_CHECK_OUTPUT`` cell: every question's national MDC
    (all designs) and this question's county groups and curve end points."""
    out = {}
    for r in _national().itertuples():
        out[f"power {r.question} {r.category} rho={r.rho}"] = (
            f"level={r.level:.4f} n={r.n} up={r.mdc_up:.4f} down={r.mdc_down:.4f}"
        )
    c = _county()
    for r in c[(c["question"] == question) & (c["rho"] == 0)].itertuples():
        out[f"power county {r.question} n={r.n}"] = (
            f"up_exact={r.mdc_up_exact:.3f} down_exact={r.mdc_down_exact:.3f} "
            f"up_normal={r.mdc_up:.4f}"
        )
    for rho in RHOS:
        for n in (N_CURVE[0], N_CURVE[-1]):
            out[f"power curve {question} n={n} rho={rho}"] = f"{curve_value(question, n, rho):.4f}"
    return out


def range_texts(prefix: str) -> dict[str, str]:
    """Glue strings for the ranges the method appendix quotes: the MDC over every question,
    share and direction at today's n (independent samples), and the exact county-group MDC."""
    t = _national()
    ind = t[t["rho"] == 0][["mdc_up", "mdc_down"]].to_numpy().ravel()
    c = _county()
    exact = c[c["rho"] == 0][["mdc_up_exact", "mdc_down_exact"]].to_numpy().ravel()
    exact = exact[~np.isnan(exact)]

    def span(values: np.ndarray) -> str:
        lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
        return f"{fmt.num(100 * lo, 1)}–{fmt.pp(100 * hi, 1, sign=False)}"

    return {f"{prefix}-riket-spann": span(ind), f"{prefix}-lan-spann": span(exact)}
