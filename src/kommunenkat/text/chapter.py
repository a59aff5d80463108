"""Formatted (Swedish) texts and tables for the chapters, built from :mod:`analysis`.

Notebooks glue these strings; all formatting decisions live here and in :mod:`fmt`.
"""

from __future__ import annotations

import pandas as pd

from kommunenkat.core import fmt
from kommunenkat.core.labels import CATEGORIES, REGION_NATIONAL, REGIONS, SCALE, SIDE_LABELS
from kommunenkat.inference import analysis, earlier_rounds, homogeneity, stats
from kommunenkat.inputs import data
from kommunenkat.text import wording
from kommunenkat.text.frames import row


def change_texts(question: str, prefix: str) -> dict[str, str]:
    """Glue strings for the change of 'high' and 'low' of one question since the previous
    comparable round."""
    out = {}
    for _, r in analysis.changes([question]).iterrows():
        c = r["category"]
        key = f"{prefix}-chg-{c}"
        out[f"{key}-pfrom"] = fmt.share_pct(r["p_from"])
        out[f"{key}-pto"] = fmt.share_pct(r["p_to"])
        out[f"{key}-kto"] = fmt.count_of(r["k_to"], r["n_to"])
        out[f"{key}-diff"] = fmt.pp(100 * r["diff"], 1)
        out[f"{key}-ci"] = fmt.pp_interval(r["ci_low"], r["ci_high"])
        out[f"{key}-p"] = fmt.pvalue(r["p_value"])
        out[f"{key}-h"] = fmt.num(r["cohens_h"], 2)
        out[f"{key}-rel"] = relative_words(r["relative_change"], r["year_from"])
        out[f"{key}-nmun"] = municipalities_words(r["municipalities_approx"], r["n_to"])
        out[f"{key}-pband"] = fmt.pvalue(r["p_value_max_band"])
        out[f"{key}-band"] = band_text(int(r["n_from_band_low"]), int(r["n_from_band_high"]))
        out[f"{key}-pmax"] = fmt.pvalue(r["p_value_max_over_range"])
        n_min = r["smallest_significant_n_from"]
        out[f"{key}-nmin"] = "inget antal" if pd.isna(n_min) else str(int(n_min))
        out[f"{key}-verb"] = wording.change_verb(r["diff"])
        out[f"{key}-noun"] = wording.change_noun(r["diff"])
        out[f"{key}-Noun"] = wording.change_noun(r["diff"], capital=True)
        out[f"{key}-robust"] = robustness_words(
            r["significant"], r["significant_whole_range"], r["year_from"]
        )
    return out


def robustness_words(significant: bool, whole_range: bool, year_from: int) -> str:
    """How the significance of a change depends on the earlier round's unknown n (a verb phrase).

    ``significant``: significant for every n in the plausible band (:func:`analysis.plausible_n`)
    and every count that rounds to the printed percent of ``year_from``; ``whole_range``: the
    same over every n the sensitivity analysis considers. Where the earlier round's n is
    published (:func:`kommunenkat.inference.earlier_rounds.n_known`) there is no band and no
    range: a plain statement (:func:`known_n_words`).
    """
    if earlier_rounds.n_known(year_from):
        return known_n_words(significant, year_from)
    if whole_range:
        return f"är statistiskt säkerställd vid varje tänkbart antal svarande {year_from}"
    if significant:
        return (
            "är statistiskt säkerställd inom det rimliga intervallet för antalet svarande "
            f"{year_from}, men inte vid alla tänkbara antal"
        )
    return (
        "är inte statistiskt säkerställd inom det rimliga intervallet för antalet svarande "
        f"{year_from}"
    )


def known_n_words(significant: bool, year_from: int) -> str:
    """Whether a change from a round with a published n is significant, plainly (a verb phrase);
    saying so where the test used that round's reconstructed counts
    (:func:`kommunenkat.inference.earlier_rounds.counts_reconstructed`)."""
    words = "är statistiskt säkerställd" if significant else "är inte statistiskt säkerställd"
    if earlier_rounds.counts_reconstructed(year_from):
        words += f", prövad med {year_from} års rekonstruerade antal"
    return words


def band_text(low: object, high: object) -> str:
    """A band of values as text: ``232–250``; one value alone when both ends are equal (a
    published n is no band)."""
    return str(low) if str(low) == str(high) else f"{low}–{high}"


def relative_words(rel: float, year_from: int) -> str:
    """Relative change of a share in words: '+55 procent räknat på 2022 års andel'."""
    if pd.isna(rel):
        return "–"
    return f"{fmt.num(100 * rel, 0, sign=True)} procent räknat på {year_from} års andel"


def municipalities_words(m: float, n: int) -> str:
    """The change as an approximate number of the latest round's respondents (whole ones)."""
    count = fmt.round_int(abs(m))
    more = "fler" if m > 0 else "färre"
    return f"ungefär {count} {more} av {int(n)} svarande kommuner"


def changes_table(question: str | None = None) -> pd.DataFrame:
    """Reader-facing table of the changes since the previous comparable round (differences in
    percentage points); columns are headed by the rounds' years."""
    ch = analysis.changes([question] if question else None)
    y_from, y_to = analysis.previous_year(), analysis.latest_year()
    pp = lambda v: fmt.num(100 * v, 1, sign=True)  # noqa: E731
    table = pd.DataFrame(
        {
            "Andel": ch["category"].map(SIDE_LABELS),
            str(y_from): ch["percent_from_printed"].map(fmt.pct),
            str(y_to): [fmt.share_pct(k / n) for k, n in zip(ch["k_to"], ch["n_to"], strict=True)],
            f"Kommuner {y_to}": [
                fmt.count_of(k, n) for k, n in zip(ch["k_to"], ch["n_to"], strict=True)
            ],
            "Förändring, pe": ch["diff"].map(pp),
            "95 % KI, pe": [
                f"{pp(a)} – {pp(b)}" for a, b in zip(ch["ci_low"], ch["ci_high"], strict=True)
            ],
            "p": ch["p_value"].map(fmt.pvalue_cell),
            "h": ch["cohens_h"].map(lambda v: fmt.num(v, 2)),
            f"Minsta n {y_from}": ch["smallest_significant_n_from"].map(
                lambda v: "–" if pd.isna(v) else str(int(v))
            ),
        }
    )
    if question is None:
        table.insert(0, "Fråga", ch["label"])
    return table


def test_pvalue(p: float, se: float, method: str, alpha: float = analysis.ALPHA) -> str:
    """A homogeneity test's p for prose, with its simulation error or 'exakt'.

    Four decimals when three would round onto ``alpha`` (0,0502 must not read as 0,050).
    """
    text = fmt.pvalue(p)
    if p >= 0.001 and fmt.num(p, 3) == fmt.num(alpha, 3) and p != alpha:
        text = f"p{fmt.NBSP}={fmt.NBSP}{fmt.num(p, 4)}"
    if method == "exact":
        return f"{text}, exakt beräknat"
    return f"{text}, simuleringsfel ±{fmt.NBSP}{fmt.num(homogeneity.MC_BAND_Z * se, 4)}"


def county_texts(question: str, prefix: str) -> dict[str, str]:
    """Glue strings for the county comparison of one question."""
    t = analysis.county_tests([question])
    out = {}
    for _, r in t.iterrows():
        c = r["category"]
        out[f"{prefix}-lan-{c}-p"] = test_pvalue(r["p_value"], r["mc_se"], r["method"])
        out[f"{prefix}-lan-{c}-pholm"] = fmt.pvalue(r["p_holm"])
        out[f"{prefix}-lan-{c}-small"] = fmt.share_pct(r["share_expected_below_5"])
        names = [s for s in r["singled_out"].split(", ") if s]
        out[f"{prefix}-lan-{c}-singled"] = (
            f"skiljer sig {fmt.swedish_list(names)} från övriga landet"
            if names
            else "skiljer sig inget enskilt län från övriga landet"
        )
    shares = analysis.county_positive(question, "high")
    top = shares["share"].sort_values(ascending=False)
    out[f"{prefix}-lan-high-max"] = extreme(top, top.iloc[0])
    out[f"{prefix}-lan-high-min"] = extreme(top, top.iloc[-1])
    out[f"{prefix}-lan-high-rank"] = ranking_words(shares)
    zero = shares.index[shares["k"] == 0].tolist()
    out[f"{prefix}-lan-high-zero"] = fmt.swedish_list(zero) if zero else "inget län"
    out[f"{prefix}-lan-high-nzero"] = str(len(zero))
    return out


def ranking_words(shares: pd.DataFrame) -> str:
    """Whether the simultaneous (Bonferroni) intervals separate the highest from the lowest region.

    A sentence for the chapters: a ranking of regions rests on these intervals, which cover all
    20 regions at once.
    """
    hi = row(shares, shares["share"].idxmax())
    lo = row(shares, shares["share"].idxmin())
    hi_iv = fmt.interval(hi["ci_low_simultaneous"], hi["ci_high_simultaneous"])
    lo_iv = fmt.interval(lo["ci_low_simultaneous"], lo["ci_high_simultaneous"])
    if hi["ci_low_simultaneous"] > lo["ci_high_simultaneous"]:
        verdict = "de överlappar inte, så just den skillnaden håller även när alla län jämförs"
    else:
        verdict = "de överlappar, så inte ens högsta och lägsta län kan rangordnas säkert"
    return (
        f"med samtidiga {fmt.pct(100 * (1 - analysis.ALPHA))} konfidensintervall för alla "
        f"{len(shares)} län (Bonferroni) är det högsta länets intervall {hi_iv} och det lägsta "
        f"länets {lo_iv}; {verdict}"
    )


def extreme(shares: pd.Series, value: float) -> str:
    """'44 % (Gävleborg)' or, for ties, '0 % (5 län: A, B, …)'."""
    names = shares.index[shares == value].tolist()
    who = names[0] if len(names) == 1 else f"{len(names)} län"
    return f"{fmt.share_pct(value)} ({who})"


def county_table(question: str) -> pd.DataFrame:
    """Reader-facing county table: the report's shares, reconstructed counts and intervals,
    with the report's national row (Riket) first."""
    hi = analysis.county_positive(question, "high")
    lo = analysis.county_positive(question, "low")
    printed = data.county_table(question).loc[[REGION_NATIONAL, *REGIONS]]
    national = row(analysis.latest_counts(), question)
    rows = [REGION_NATIONAL, *REGIONS]

    def column(shares: pd.DataFrame, cat: str, what: str) -> list[str]:
        out = []
        for r in rows:
            if r == REGION_NATIONAL:
                k, n = int(national[cat]), int(national["n"])
                lo_, hi_ = stats.wilson_interval(k, n, analysis.ALPHA)[:2]
            else:
                region = row(shares, r)
                k, n = int(region["k"]), int(region["n"])
                lo_, hi_ = region["ci_low"], region["ci_high"]
            if what == "ci_sim":
                # Simultaneous intervals belong to the ranking of counties; none for Riket.
                out.append(
                    "–"
                    if r == REGION_NATIONAL
                    else fmt.interval(
                        row(shares, r)["ci_low_simultaneous"],
                        row(shares, r)["ci_high_simultaneous"],
                    )
                )
                continue
            out.append({"k": str(k), "n": str(n), "ci": fmt.interval(lo_, hi_)}[what])
        return out

    return pd.DataFrame(
        {
            "n": column(hi, "high", "n"),
            "Hög, %": printed["high"].map(fmt.pct).tolist(),
            "Hög, antal": column(hi, "high", "k"),
            "Hög, 95 % KI": column(hi, "high", "ci"),
            "Hög, samtidigt 95 % KI": column(hi, "high", "ci_sim"),
            "Låg, %": printed["low"].map(fmt.pct).tolist(),
            "Låg, antal": column(lo, "low", "k"),
            "Låg, 95 % KI": column(lo, "low", "ci"),
        },
        index=pd.Index(rows, name="Län"),
    )


def series_table(question: str) -> pd.DataFrame:
    s = data.national_series(question)
    t = s.pivot(index="year", columns="category", values="percent")
    t = t.rename(columns=CATEGORIES)
    return t.map(lambda v: "" if pd.isna(v) else fmt.pct(v)).rename_axis("År")


def distribution_table(question: str) -> pd.DataFrame:
    """The latest round's national answer distribution: printed percent and reconstructed count."""
    printed = row(data.county_table(question), "Riket")
    counts = row(analysis.latest_counts(), question)
    return pd.DataFrame(
        {
            "Svarsalternativ": [CATEGORIES[c] for c in SCALE],
            "Andel": [fmt.pct(printed[c]) for c in SCALE],
            "Antal kommuner": [fmt.count_of(counts[c], counts["n"]) for c in SCALE],
        }
    )
