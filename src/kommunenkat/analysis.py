"""Chapter-level analyses: the report's numbers combined with the reconstruction and statistics.

Every table here is also exported to ``data/derived/`` (see ``DERIVED``) with its inputs, so a
reader can check each published statistic.

Assumptions (explained for readers in the method chapter):

- 2023 counts come from the reconstruction of the county tables (:mod:`reconstruct`).
- The number of 2022 respondents is not published. The headline uses
  ``HEADLINE_N_2022`` = 238, the number of respondents implied by SKR's published 82 % response
  rate for 2021 (82 % of 290 is 237–239), the closest published figure. Every 2022→2023 change is
  also shown over the whole range ``N_2022_RANGE`` and at both ends of the ±0.5 rounding of the
  printed 2022 percentage.
- Tests treat the two years as independent samples, which is conservative when largely the same
  municipalities answer both years and their answers are positively correlated.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from . import data, reconstruct, stats
from .labels import AGGREGATES, REGIONS, SCALE_QUESTIONS, SHORT_QUESTIONS

HEADLINE_N_2022 = 238
# SKR's news item 2022-03-03: 82 % of the 290 municipalities answered in 2021 (237–239 given
# the rounding); the only published respondent figure before 2023.
RESPONSE_RATE_2021 = 82
N_2021 = 238
N_2022_RANGE = range(100, 291)
ALPHA = 0.05
CHANGE_QUESTIONS = ["far_from_labour_market", "strategic_collab", "operative_collab"]


def _with_aggregates(wide: pd.DataFrame) -> pd.DataFrame:
    """Add the report's 'high' and 'low' columns (sums of their answer categories)."""
    for agg, parts in AGGREGATES.items():
        wide[agg] = wide[parts].sum(axis=1)
    return wide


def counts_2023() -> pd.DataFrame:
    """Reconstructed 2023 counts summed over regions: question × category, plus n."""
    return _counts_2023().copy()


@cache
def _counts_2023() -> pd.DataFrame:
    cc = reconstruct.county_counts()
    wide = cc.pivot_table(index="question", columns="category", values="count", aggfunc="sum")
    wide = _with_aggregates(wide)
    wide["n"] = cc.drop_duplicates(["region", "question"]).groupby("question")["n"].sum()
    return wide.reindex(list(SCALE_QUESTIONS))


def _printed(question: str, year: int, category: str) -> int:
    s = data.national_series(question)
    row = s[(s["year"] == year) & (s["category"] == category)]
    if len(row) != 1:
        raise KeyError(f"no printed value for {question} {year} {category}")
    return int(row["percent"].iloc[0])


def changes(questions=None) -> pd.DataFrame:
    """2022→2023 change of the 'high' and 'low' shares (figures 4, 6, 8)."""
    qs = CHANGE_QUESTIONS if questions is None else list(questions)
    return pd.DataFrame([change_row(q, cat) for q in qs for cat in ("high", "low")])


@cache
def _sensitivity(question: str, category: str) -> pd.DataFrame:
    c23 = counts_2023()
    return stats.sensitivity(
        _printed(question, 2022, category),
        int(c23.loc[question, category]),
        int(c23.loc[question, "n"]),
        N_2022_RANGE,
    )


@cache
def change_row(question: str, category: str) -> dict:
    """One 2022→2023 change: headline test, sensitivity over the 2022 n, smallest n."""
    c23 = counts_2023()
    p22 = _printed(question, 2022, category)
    k23, n23 = int(c23.loc[question, category]), int(c23.loc[question, "n"])
    lo, hi = stats.rounding_bounds(p22, HEADLINE_N_2022)
    k22 = min(max(round(p22 / 100 * HEADLINE_N_2022), lo), hi)
    ch = stats.change(k22, HEADLINE_N_2022, k23, n23, alpha=ALPHA)
    sens = _sensitivity(question, category)
    return {
        "question": question,
        "label": SHORT_QUESTIONS[question],
        "category": category,
        "percent_2022_printed": p22,
        "n_2022_assumed": HEADLINE_N_2022,
        "k_2022": k22,
        "k_2023": k23,
        "n_2023": n23,
        "p_2022": ch.p1,
        "p_2023": ch.p2,
        "diff": ch.diff,
        "ci_low": ch.ci_low,
        "ci_high": ch.ci_high,
        "z": ch.z,
        "p_value": ch.p_value,
        "cohens_h": ch.cohens_h,
        "significant": ch.p_value < ALPHA,
        "significant_whole_range": bool(sens["significant"].all()),
        "p_value_max_over_range": float(sens["p_value_max"].max()),
        "smallest_significant_n_2022": stats.smallest_significant_n(
            p22, k23, n23, alpha=ALPHA, n_range=range(10, 291)
        ),
    }


def sensitivity_table() -> pd.DataFrame:
    """p-values of each change over the plausible 2022 n (both rounding extremes)."""
    parts = [
        _sensitivity(q, cat).assign(question=q, category=cat)
        for q in CHANGE_QUESTIONS
        for cat in ("high", "low")
    ]
    out = pd.concat(parts, ignore_index=True)
    first = ["question", "category"]
    return out[first + [c for c in out.columns if c not in first]]


@cache
def employer_change() -> pd.DataFrame:
    """Employer support 2021→2023 (no 2022 value), across the scale change: descriptive test."""
    c23 = counts_2023()
    q = "employer_support"
    rows = []
    for cat in ("high", "low", "dont_know"):
        p21 = _printed(q, 2021, cat)
        k21 = round(p21 / 100 * N_2021)
        k23, n23 = int(c23.loc[q, cat]), int(c23.loc[q, "n"])
        ch = stats.change(k21, N_2021, k23, n23, alpha=ALPHA)
        rows.append(
            {
                "category": cat,
                "percent_2021_printed": p21,
                "n_2021_assumed": N_2021,
                "k_2021": k21,
                "k_2023": k23,
                "n_2023": n23,
                "diff": ch.diff,
                "ci_low": ch.ci_low,
                "ci_high": ch.ci_high,
                "p_value": ch.p_value,
                "cohens_h": ch.cohens_h,
            }
        )
    return pd.DataFrame(rows)


def county_positive(question: str, category: str = "high") -> pd.DataFrame:
    """Per region: k with ``category`` (high/low/dont_know), n, Wilson interval, test vs rest."""
    return _county_positive(question, category).copy()


@cache
def _county_positive(question: str, category: str) -> pd.DataFrame:
    cc = reconstruct.county_counts()
    d = cc[cc["question"] == question]
    wide = d.pivot_table(index="region", columns="category", values="count", aggfunc="sum")
    k = _with_aggregates(wide)[category].reindex(REGIONS)
    n = d.drop_duplicates("region").set_index("region")["n"].reindex(REGIONS)
    res = stats.county_intervals(k.astype(int).tolist(), n.astype(int).tolist(), alpha=ALPHA)
    res.index = REGIONS
    res.index.name = "region"
    res["share"] = res["k"] / res["n"]
    return res


def county_tests(questions=None) -> pd.DataFrame:
    """Homogeneity of the 20 regions per question and category (exact-conditional MC)."""
    qs = list(SCALE_QUESTIONS) if questions is None else list(questions)
    return pd.DataFrame([county_test(q, cat) for q in qs for cat in ("high", "low")])


@cache
def county_test(question: str, category: str) -> dict:
    """One homogeneity test (a chapter needs only its own question's)."""
    cp = county_positive(question, category)
    table = pd.DataFrame({"yes": cp["k"], "no": cp["n"] - cp["k"]}).to_numpy()
    t = stats.homogeneity_test(table)
    return {
        "question": question,
        "category": category,
        "chi2": t.statistic,
        "df": t.dof,
        "p_asymptotic": t.p_asymptotic,
        "p_monte_carlo": t.p_monte_carlo,
        "p_fisher_monte_carlo": t.p_fisher_monte_carlo,
        "n_resamples": t.n_resamples,
        "share_expected_below_5": t.share_expected_below_5,
        "min_expected": t.min_expected,
        "singled_out": ", ".join(cp.index[cp["differs_from_rest"]]) or "",
    }


@cache
def county_shares() -> pd.DataFrame:
    """Long table of every region × question × category share with interval and adjusted test."""
    parts = []
    for q in SCALE_QUESTIONS:
        for cat in ("high", "low"):
            parts.append(county_positive(q, cat).reset_index().assign(question=q, category=cat))
    out = pd.concat(parts, ignore_index=True)
    first = ["question", "category", "region"]
    return out[first + [c for c in out.columns if c not in first]]


@cache
def correlations() -> pd.DataFrame:
    """Spearman rank correlation of the regions' 'high' shares between each pair of questions."""
    shares = {q: county_positive(q, "high")["share"] for q in SCALE_QUESTIONS}
    qs = list(SCALE_QUESTIONS)
    rows = []
    for i, a in enumerate(qs):
        for b in qs[i + 1 :]:
            r = stats.rank_correlation(shares[a].tolist(), shares[b].tolist())
            rows.append(
                {
                    "question_a": a,
                    "question_b": b,
                    "rho": r.rho,
                    "p_value": r.p_value,
                    "n_regions": r.n,
                }
            )
    return pd.DataFrame(rows)


@cache
def reweighted() -> pd.DataFrame:
    """National shares reweighted to all 290 municipalities by region vs the unweighted shares."""
    resp = reconstruct.county_response().set_index("region").reindex(REGIONS)
    rows = []
    for q in SCALE_QUESTIONS:
        for cat in ("high", "low"):
            cp = county_positive(q, cat)
            rw = stats.reweight_to_population(
                cp["share"].tolist(),
                cp["n"].astype(int).tolist(),
                resp["municipalities"].astype(int).tolist(),
            )
            rows.append(
                {
                    "question": q,
                    "category": cat,
                    "unweighted": rw.unweighted,
                    "reweighted": rw.weighted,
                    "difference": rw.difference,
                }
            )
    return pd.DataFrame(rows)


DERIVED = {
    "changes_2022_2023.csv": changes,
    "changes_sensitivity.csv": sensitivity_table,
    "employer_2021_2023.csv": employer_change,
    "county_shares.csv": county_shares,
    "county_tests.csv": county_tests,
    "county_correlations.csv": correlations,
    "reweighted_shares.csv": reweighted,
}
