"""Chapter-level analyses: the report's numbers combined with the reconstruction and statistics.

Every table here is also exported to ``data/derived/`` (see ``DERIVED``) with its inputs, so a
reader can check each published statistic.

Assumptions (explained for readers in the method chapter):

- 2023 counts come from the reconstruction of the county tables (:mod:`reconstruct`).
- Printed percentages are rounded half up (the reconstruction shows it); every count consistent
  with a printed 2022 percentage is found with that rule (:func:`stats.rounding_bounds`).
- The number of 2022 respondents is not published. The headline point estimate uses
  ``HEADLINE_N_2022`` = 238 (82 % of 290, SKR's published 2021 response rate). The headline
  *verdict* uses the plausible band :func:`plausible_n_2022`: the known response rates of the
  series (82 % in 2021, 244/290 = 84 % in 2023), widened on each side by their difference.
  A change counts as significant only if it is significant for every n in that band and every
  count that rounds to the printed percent. The whole range ``N_2022_RANGE`` is a sensitivity
  analysis.
- Tests treat the two years as independent samples; pairing, changes in who answers and shared
  county-level shocks can push the result either way (see :mod:`stats`).
"""

from __future__ import annotations

import math
from functools import cache

import pandas as pd

from . import data, paths, reconstruct, stats
from .labels import AGGREGATES, REGIONS, SCALE_QUESTIONS, SHORT_QUESTIONS

HEADLINE_N_2022 = 238
# SKR's news item 2022-03-03: 82 % of the 290 municipalities answered in 2021 (237–239 given
# the rounding); the only published respondent figure before 2023.
RESPONSE_RATE_2021 = 82
N_2021 = 238
N_2022_RANGE = range(100, 291)
ALPHA = 0.05
CHANGE_QUESTIONS = ["far_from_labour_market", "strategic_collab", "operative_collab"]


def plausible_n_2022() -> range:
    """The plausible band for the unpublished number of 2022 respondents.

    The series' known response rates are 82 % (2021, SKR's news item) and 244/290 = 84 % (2023,
    the report). The band spans them, widened on each side by their difference (about 2
    percentage points) to allow a year-to-year change as large as the one observed: 80–86 % of
    290, i.e. 232–250 municipalities.
    """
    total = int(data.fact("municipalities_total"))
    r21 = RESPONSE_RATE_2021 / 100
    r23 = int(data.fact("respondents")) / total
    spread = abs(r23 - r21)
    low = math.ceil((min(r21, r23) - spread) * total)
    high = math.floor((max(r21, r23) + spread) * total)
    return range(low, high + 1)


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
    """One 2022→2023 change: headline estimate, verdict over the plausible band, sensitivity."""
    c23 = counts_2023()
    p22 = _printed(question, 2022, category)
    k23, n23 = int(c23.loc[question, category]), int(c23.loc[question, "n"])
    ch = stats.change_from_percent(p22, HEADLINE_N_2022, k23, n23, alpha=ALPHA)
    sens = _sensitivity(question, category)
    band = plausible_n_2022()
    in_band = sens[sens["n1"].between(band.start, band.stop - 1)]
    return {
        "question": question,
        "label": SHORT_QUESTIONS[question],
        "category": category,
        "percent_2022_printed": p22,
        "n_2022_assumed": HEADLINE_N_2022,
        "k_2022": ch.k1,
        "k_2023": k23,
        "n_2023": n23,
        "p_2022": ch.p1,
        "p_2023": ch.p2,
        "diff": ch.diff,
        "relative_change": ch.diff / ch.p1 if ch.p1 > 0 else float("nan"),
        "municipalities_approx": ch.diff * n23,
        "ci_low": ch.ci_low,
        "ci_high": ch.ci_high,
        "z": ch.z,
        "p_value": ch.p_value,
        "cohens_h": ch.cohens_h,
        "significant_at_assumed_n": ch.p_value < ALPHA,
        "n_2022_band_low": band.start,
        "n_2022_band_high": band.stop - 1,
        "p_value_max_band": float(in_band["p_value_max"].max()),
        "significant": bool(in_band["significant"].all()),
        "significant_whole_range": bool(sens["significant"].all()),
        "p_value_max_over_range": float(sens["p_value_max"].max()),
        "smallest_significant_n_2022": stats.smallest_significant_n(
            p22, k23, n23, alpha=ALPHA, n_range=range(10, 291)
        ),
        "smallest_significant_n_2022_symmetric": stats.smallest_significant_n(
            p22, k23, n23, alpha=ALPHA, n_range=range(10, 291), rule="symmetric"
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
    """Employer support 2021 and 2023 side by side: printed shares only, no test.

    No interval or p-value can be computed: the 2021 shares printed for high, low and don't know
    sum past 100 % (no table of counts of one n has them), the answer scale changed between the
    years, and the 2021 number of respondents is not published. ``sum_2021_printed`` shows the
    impossible sum; the 2023 column adds the reconstructed counts.
    """
    c23 = counts_2023()
    q = "employer_support"
    printed_2021 = {cat: _printed(q, 2021, cat) for cat in ("high", "low", "dont_know")}
    rows = []
    for cat, p21 in printed_2021.items():
        rows.append(
            {
                "category": cat,
                "percent_2021_printed": p21,
                "sum_2021_printed": sum(printed_2021.values()),
                "percent_2023_printed": _printed(q, 2023, cat),
                "k_2023": int(c23.loc[q, cat]),
                "n_2023": int(c23.loc[q, "n"]),
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
    """The published county homogeneity tests (``data/derived/county_tests.csv``).

    Read from the committed derived file: the family's exact p-values take minutes to compute
    (:func:`compute_county_tests`), and the derived-file checks (``make derive``, the test
    suite) guarantee the file is what the code computes.
    """
    out = pd.read_csv(paths.DERIVED / "county_tests.csv", keep_default_na=False)
    if questions is not None:
        out = out[out["question"].isin(list(questions))].reset_index(drop=True)
    return out


@cache
def county_test(question: str, category: str) -> dict:
    """One homogeneity test of the regions (a row of :func:`compute_county_tests`)."""
    cp = county_positive(question, category)
    table = pd.DataFrame({"yes": cp["k"], "no": cp["n"] - cp["k"]}).to_numpy()
    t = stats.homogeneity_test(table, alpha=ALPHA)
    return {
        "question": question,
        "category": category,
        "chi2": t.statistic,
        "df": t.dof,
        "p_asymptotic": t.p_asymptotic,
        "p_value": t.p_value,
        "method": t.method,
        "mc_se": t.mc_se,
        "p_monte_carlo": t.p_monte_carlo,
        "mc_se_monte_carlo": t.mc_se_monte_carlo,
        "n_resamples": t.n_resamples,
        "seed": t.seed,
        "share_expected_below_5": t.share_expected_below_5,
        "min_expected": t.min_expected,
        "singled_out": ", ".join(cp.index[cp["differs_from_rest"]]) or "",
    }


def compute_county_tests() -> pd.DataFrame:
    """Homogeneity of the 20 regions for every question and category: a family of 8 tests.

    ``p_holm``: Holm-adjusted over the family (4 questions × high/low), with ``holm_band_low``
    and ``holm_band_high`` carrying the simulation error of Monte Carlo inputs
    (:func:`stats.holm`).
    """
    out = pd.DataFrame([county_test(q, cat) for q in SCALE_QUESTIONS for cat in ("high", "low")])
    adj = stats.holm(out["p_value"], out["mc_se"])
    out["p_holm"] = adj["p_adjusted"].to_numpy()
    out["holm_band_low"] = adj["band_low"].to_numpy()
    out["holm_band_high"] = adj["band_high"].to_numpy()
    out["family_size"] = len(out)
    return out


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
    """Spearman rank correlation of the regions' 'high' shares between each pair of questions.

    20 regions, unweighted (the smallest weigh as much as the largest), ties (several regions at
    0 %: ``regions_at_zero_*``), and six tests (``p_holm``); the same respondent answers every
    question, so a shared response style inflates the correlations (common-method bias).
    """
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
                    "regions_at_zero_a": int((shares[a] == 0).sum()),
                    "regions_at_zero_b": int((shares[b] == 0).sum()),
                }
            )
    out = pd.DataFrame(rows)
    # the six pairs are one family of tests
    out["p_holm"] = stats.holm(out["p_value"])["p_adjusted"].to_numpy()
    return out


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


@cache
def manski() -> pd.DataFrame:
    """Worst-case (Manski) bounds of each share among all municipalities, per region and Riket.

    For each question and category (high/low): the municipalities, how many answered the
    question, how many gave the answer, the share among those who answered, and the bounds of the
    share among all municipalities if every one that did not answer had said no (``lower``) or yes
    (``upper``). No assumption about non-response is made.
    """
    munis = data.region_municipalities().reindex(REGIONS).astype(int)
    rows = []
    for q in SCALE_QUESTIONS:
        for cat in ("high", "low"):
            cp = county_positive(q, cat)
            for region in [*REGIONS, "Riket"]:
                if region == "Riket":
                    k, n, big_n = int(cp["k"].sum()), int(cp["n"].sum()), int(munis.sum())
                else:
                    k, n = int(cp.loc[region, "k"]), int(cp.loc[region, "n"])
                    big_n = int(munis[region])
                b = stats.manski_bounds(k, n, big_n)
                rows.append(
                    {
                        "question": q,
                        "category": cat,
                        "region": region,
                        "municipalities": big_n,
                        "n": n,
                        "k": k,
                        "share_respondents": b.share_respondents,
                        "lower": b.lower,
                        "upper": b.upper,
                        "complete": n == big_n,
                    }
                )
    return pd.DataFrame(rows)


DERIVED = {
    "changes_2022_2023.csv": changes,
    "changes_sensitivity.csv": sensitivity_table,
    "employer_2021_2023.csv": employer_change,
    "county_shares.csv": county_shares,
    "county_tests.csv": compute_county_tests,
    "county_correlations.csv": correlations,
    "reweighted_shares.csv": reweighted,
    "manski_bounds.csv": manski,
}
