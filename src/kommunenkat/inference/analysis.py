"""Chapter-level analyses: the report's numbers combined with the reconstruction and statistics.

Every table here is also exported to ``data/derived/`` (see ``DERIVED``) with its inputs, so a
reader can check each published statistic. No year is named here: the rounds compared are
computed from ``data/rounds.csv`` (:func:`data.latest_round`, :func:`data.comparable_rounds`).

Assumptions (explained for readers in the method chapter):

- The latest round's counts come from the reconstruction of its county tables
  (:mod:`reconstruct`); so do an earlier round's where it has county tables and published
  respondents (:mod:`earlier_rounds`: 2023 once a later round exists), and a change from it is
  tested with them; an earlier round without them is known only by its printed percentages.
- Printed percentages are rounded half up (the reconstruction shows it); every count consistent
  with a printed percentage is found with that rule (:func:`change_tests.rounding_bounds`).
- Where an earlier round's number of respondents is not published (2022 in the 2023 edition),
  the headline point estimate assumes :func:`assumed_n`: the nearest earlier known response rate
  applied to the municipalities (82 % of 290 = 238, SKR's 2021 figure). The headline *verdict*
  uses the plausible band :func:`plausible_n`: the nearest earlier known response rate and the
  latest round's, widened on each side by their difference. A change counts as significant
  only if it is significant for every n in that band and every count that rounds to the
  printed percent. The whole range :func:`n_range` is a sensitivity analysis. A published
  number of respondents is used as it is (the band is that one number).
- Tests treat two rounds as independent samples; pairing, changes in who answers and shared
  county-level shocks can push the result either way (see :mod:`change_tests`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cache
from typing import Any

import pandas as pd

from kommunenkat.core import paths
from kommunenkat.core.cells import as_int
from kommunenkat.core.labels import AGGREGATES, REGIONS, SCALE_QUESTIONS, SHORT_QUESTIONS
from kommunenkat.inference import change_tests, earlier_rounds, homogeneity, reconstruct, stats
from kommunenkat.inputs import data

# The smallest number of respondents the sensitivity analysis tries for a round whose number is
# unpublished (a round with fewer answers would not have been reported as it was).
N_MIN_ASSUMED = 100
ALPHA = 0.05
CHANGE_QUESTIONS = ["far_from_labour_market", "strategic_collab", "operative_collab"]


def latest_year() -> int:
    """The round the book's counts and change tests end in: the latest with county tables."""
    return reconstruct.county_year()


def change_years() -> list[int]:
    """The earlier rounds each change is tested from: every round before the latest on its
    answer scale, newest first (the previous comparable round is the headline)."""
    return list(reversed(data.comparable_rounds(latest_year())))


def previous_year() -> int:
    """The round the headline change is tested from (the previous comparable round)."""
    years = change_years()
    if not years:
        raise ValueError("rounds.csv: no earlier round on the latest round's answer scale")
    return years[0]


def response_rate(year: int) -> float | None:
    """A round's response rate as a share: published respondents / municipalities, else the
    report's rate, else a rate from outside the report; None when none is known."""
    r = data.rounds().loc[year]
    if not pd.isna(r["respondents"]):
        return float(r["respondents"]) / float(r["municipalities"])
    for col in ("response_percent", "outside_response_percent"):
        if not pd.isna(r[col]):
            return float(r[col]) / 100
    return None


def rate_before(year: int) -> tuple[int, float]:
    """The nearest round before ``year`` with a known response rate and that rate."""
    for y in reversed([y for y in data.round_years() if y < year]):
        rate = response_rate(y)
        if rate is not None:
            return y, rate
    raise ValueError(f"rounds.csv: no response rate is known for a round before {year}")


def assumed_n(year: int) -> int:
    """Respondents of ``year``: as published, else the nearest earlier known response rate
    applied to the round's municipalities (for 2022: 82 % of 290 = 238)."""
    n = data.respondents(year)
    if n is not None:
        return n
    return round(rate_before(year)[1] * data.municipalities(year))


def n_range(year: int) -> range:
    """Every n of ``year`` the sensitivity analysis tries: its published n, else
    :data:`N_MIN_ASSUMED` up to all municipalities."""
    n = data.respondents(year)
    if n is not None:
        return range(n, n + 1)
    return range(N_MIN_ASSUMED, data.municipalities(year) + 1)


def plausible_n(year: int) -> range:
    """The plausible band for the number of respondents of ``year`` (its published n if any).

    For an unpublished round the band spans the nearest earlier known response rate and the
    latest round's, widened on each side by their difference to allow a year-to-year change as
    large as the one observed. For 2022: 82 % (2021, SKR's news item) and 244/290 = 84 % (2023),
    widened by about 2 percentage points: 80–86 % of 290, i.e. 232–250 municipalities.
    """
    if earlier_rounds.n_known(year):
        return n_range(year)
    total = data.municipalities(year)
    r_before = rate_before(year)[1]
    r_latest = response_rate(latest_year())
    if r_latest is None:
        raise ValueError(f"rounds.csv: the latest round {latest_year()} has no response rate")
    spread = abs(r_latest - r_before)
    low = math.ceil((min(r_before, r_latest) - spread) * total)
    high = math.floor((max(r_before, r_latest) + spread) * total)
    return range(low, high + 1)


def _with_aggregates(wide: pd.DataFrame) -> pd.DataFrame:
    """Add the report's 'high' and 'low' columns (sums of their answer categories)."""
    for agg, parts in AGGREGATES.items():
        wide[agg] = wide[parts].sum(axis=1)
    return wide


def latest_counts() -> pd.DataFrame:
    """The latest round's reconstructed counts summed over regions: question × category, n."""
    return _latest_counts().copy()


@cache
def _latest_counts() -> pd.DataFrame:
    cc = reconstruct.county_counts()
    wide = cc.pivot_table(index="question", columns="category", values="count", aggfunc="sum")
    wide = _with_aggregates(wide)
    wide["n"] = cc.drop_duplicates(["region", "question"]).groupby("question")["n"].sum()
    return wide.reindex(list(SCALE_QUESTIONS))


def printed_percent(question: str, year: int, category: str) -> int:
    s = data.national_series(question)
    row = s[(s["year"] == year) & (s["category"] == category)]
    if len(row) != 1:
        raise KeyError(f"no printed value for {question} {year} {category}")
    return int(row["percent"].iloc[0])


def changes(questions: Iterable[str] | None = None, all_years: bool = False) -> pd.DataFrame:
    """Changes of the 'high' and 'low' shares from the previous comparable round to the latest
    (figures 4, 6, 8 of the 2023 edition); ``all_years``: from every earlier round on the
    latest round's answer scale (what ``data/derived/changes.csv`` holds)."""
    qs = CHANGE_QUESTIONS if questions is None else list(questions)
    years = change_years() if all_years else [previous_year()]
    rows = [change_row(q, cat, y) for y in years for q in qs for cat in ("high", "low")]
    return pd.DataFrame(rows)


def all_changes() -> pd.DataFrame:
    """Every change test: latest round against each earlier round on its scale."""
    return changes(all_years=True)


@cache
def _sensitivity(question: str, category: str, year_from: int) -> pd.DataFrame:
    latest = latest_counts()
    exact = earlier_rounds.counts(question, category, year_from)
    if exact is not None:  # the earlier round's reconstructed counts: nothing to vary
        return earlier_rounds.exact_sensitivity(
            *exact, as_int(latest.loc[question, category]), as_int(latest.loc[question, "n"]), ALPHA
        )
    return change_tests.sensitivity(
        printed_percent(question, year_from, category),
        as_int(latest.loc[question, category]),
        as_int(latest.loc[question, "n"]),
        n_range(year_from),
    )


@cache
def change_row(question: str, category: str, year_from: int | None = None) -> dict[str, Any]:
    """One change from ``year_from`` (default: the previous comparable round) to the latest
    round: headline estimate, verdict over the plausible band, sensitivity."""
    year_from = previous_year() if year_from is None else year_from
    latest = latest_counts()
    p_from = printed_percent(question, year_from, category)
    k_to, n_to = as_int(latest.loc[question, category]), as_int(latest.loc[question, "n"])
    n_from = assumed_n(year_from)
    ch = change_tests.change_from_percent(p_from, n_from, k_to, n_to, alpha=ALPHA)
    sens = _sensitivity(question, category, year_from)
    band = plausible_n(year_from)
    exact = earlier_rounds.counts(question, category, year_from)
    if exact is not None:  # tested with the earlier round's reconstructed counts (and their n)
        n_from, band = exact[1], range(exact[1], exact[1] + 1)
        ch = change_tests.change(*exact, k_to, n_to, alpha=ALPHA)
    in_band = sens[sens["n1"].between(band.start, band.stop - 1)]
    n_all = range(10, data.municipalities(year_from) + 1)
    return {
        "question": question,
        "label": SHORT_QUESTIONS[question],
        "category": category,
        "year_from": year_from,
        "year_to": latest_year(),
        "percent_from_printed": p_from,
        "n_from_assumed": n_from,
        "k_from": ch.k1,
        "k_to": k_to,
        "n_to": n_to,
        "p_from": ch.p1,
        "p_to": ch.p2,
        "diff": ch.diff,
        "relative_change": ch.diff / ch.p1 if ch.p1 > 0 else float("nan"),
        "municipalities_approx": ch.diff * n_to,
        "ci_low": ch.ci_low,
        "ci_high": ch.ci_high,
        "z": ch.z,
        "p_value": ch.p_value,
        "cohens_h": ch.cohens_h,
        "significant_at_assumed_n": ch.p_value < ALPHA,
        "n_from_band_low": band.start,
        "n_from_band_high": band.stop - 1,
        "p_value_max_band": float(in_band["p_value_max"].max()),
        "significant": bool(in_band["significant"].all()),
        "significant_whole_range": bool(sens["significant"].all()),
        "p_value_max_over_range": float(sens["p_value_max"].max()),
        "smallest_significant_n_from": change_tests.smallest_significant_n(
            p_from, k_to, n_to, alpha=ALPHA, n_range=n_all
        ),
        "smallest_significant_n_from_symmetric": change_tests.smallest_significant_n(
            p_from, k_to, n_to, alpha=ALPHA, n_range=n_all, rule="symmetric"
        ),
    }


def sensitivity_table(all_years: bool = False) -> pd.DataFrame:
    """p-values of each change from the previous comparable round over every n tried for that
    round (both rounding extremes); ``all_years``: for every earlier round on the latest round's
    scale (what ``data/derived/changes_sensitivity.csv`` holds)."""
    years = change_years() if all_years else [previous_year()]
    parts = [
        _sensitivity(q, cat, y).assign(question=q, category=cat, year_from=y, year_to=latest_year())
        for y in years
        for q in CHANGE_QUESTIONS
        for cat in ("high", "low")
    ]
    out = pd.concat(parts, ignore_index=True)
    first = ["question", "category", "year_from", "year_to"]
    return out[first + [c for c in out.columns if c not in first]]


@cache
def employer_year_before() -> int:
    """The last round before the latest with a printed employer-support value."""
    s = data.national_series("employer_support")
    return int(max(y for y in s["year"] if y < latest_year()))


@cache
def employer_change() -> pd.DataFrame:
    """Employer support in the latest round and the round before that has a value, side by
    side: printed shares only, no test.

    In the 2023 edition (2021 and 2023) no interval or p-value can be computed: the 2021 shares
    printed for high, low and don't know sum past 100 % (no table of counts of one n has them),
    the answer scale changed between the years, and the 2021 number of respondents is not
    published. ``sum_from_printed`` shows the impossible sum; the ``_to`` columns add the
    reconstructed counts of the latest round.
    """
    latest = latest_counts()
    q = "employer_support"
    year_from, year_to = employer_year_before(), latest_year()
    printed_from = {cat: printed_percent(q, year_from, cat) for cat in ("high", "low", "dont_know")}
    rows = []
    for cat, p_from in printed_from.items():
        rows.append(
            {
                "year_from": year_from,
                "year_to": year_to,
                "category": cat,
                "percent_from_printed": p_from,
                "sum_from_printed": sum(printed_from.values()),
                "percent_to_printed": printed_percent(q, year_to, cat),
                "k_to": as_int(latest.loc[q, cat]),
                "n_to": as_int(latest.loc[q, "n"]),
            }
        )
    return pd.DataFrame(rows)


def clear_caches() -> None:
    """Forget the cached counts (after ``data/`` changed in the same process, e.g. in tests)."""
    _latest_counts.cache_clear()
    _county_positive.cache_clear()


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


def county_tests(questions: Iterable[str] | None = None) -> pd.DataFrame:
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
def county_test(question: str, category: str) -> dict[str, Any]:
    """One homogeneity test of the regions (a row of :func:`compute_county_tests`)."""
    cp = county_positive(question, category)
    table = pd.DataFrame({"yes": cp["k"], "no": cp["n"] - cp["k"]}).to_numpy()
    t = homogeneity.homogeneity_test(table, alpha=ALPHA)
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
    (:func:`homogeneity.holm`).
    """
    out = pd.DataFrame([county_test(q, cat) for q in SCALE_QUESTIONS for cat in ("high", "low")])
    adj = homogeneity.holm(out["p_value"], out["mc_se"])
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
    out["p_holm"] = homogeneity.holm(out["p_value"])["p_adjusted"].to_numpy()
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
                    k, n = as_int(cp.loc[region, "k"]), as_int(cp.loc[region, "n"])
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
    "changes.csv": all_changes,
    "changes_sensitivity.csv": lambda: sensitivity_table(all_years=True),
    "employer_changes.csv": employer_change,
    "county_shares.csv": county_shares,
    "county_tests.csv": compute_county_tests,
    "county_correlations.csv": correlations,
    "reweighted_shares.csv": reweighted,
    "manski_bounds.csv": manski,
}


# The 2023 edition's names, kept while pages outside the chapters still use them (book/index.md,
# book/metod.md, book/lasanvisning.md); each is computed, none names a year in the code.
def assumed_n_range(year: int) -> range:
    """Every respondent count the change tests consider for ``year`` when its n is unknown:
    from :data:`N_MIN_ASSUMED` to all of that round's municipalities."""
    return range(N_MIN_ASSUMED, data.municipalities(year) + 1)


def n_before() -> int:
    """The respondents the nearest earlier known response rate stands for (238 in 2021)."""
    year, rate = rate_before(previous_year())
    return round(rate * data.municipalities(year))
