"""Formatted (Swedish) texts and tables for the chapters, built from :mod:`analysis`.

Notebooks glue these strings; all formatting decisions live here and in :mod:`fmt`.
"""

from __future__ import annotations

import pandas as pd

from . import analysis, data, fmt, stats
from .labels import CATEGORIES, REGION_NATIONAL, REGIONS, SCALE


def change_texts(question: str, prefix: str) -> dict[str, str]:
    """Glue strings for the 2022→2023 change of 'high' and 'low' of one question."""
    out = {}
    for _, r in analysis.changes([question]).iterrows():
        c = r["category"]
        key = f"{prefix}-chg-{c}"
        out[f"{key}-p22"] = fmt.share_pct(r["p_2022"])
        out[f"{key}-p23"] = fmt.share_pct(r["p_2023"])
        out[f"{key}-k23"] = fmt.count_of(r["k_2023"], r["n_2023"])
        out[f"{key}-diff"] = fmt.pp(100 * r["diff"], 1)
        out[f"{key}-ci"] = fmt.pp_interval(r["ci_low"], r["ci_high"])
        out[f"{key}-p"] = fmt.pvalue(r["p_value"])
        out[f"{key}-h"] = fmt.num(r["cohens_h"], 2)
        out[f"{key}-hsize"] = effect_size_words(r["cohens_h"])
        out[f"{key}-pmax"] = fmt.pvalue(r["p_value_max_over_range"])
        n_min = r["smallest_significant_n_2022"]
        out[f"{key}-nmin"] = "inget antal" if pd.isna(n_min) else str(int(n_min))
        out[f"{key}-robust"] = robustness_words(r["significant"], r["significant_whole_range"])
    return out


def robustness_words(significant: bool, whole_range: bool) -> str:
    """How the significance of a change depends on the unknown 2022 n (a verb phrase)."""
    if whole_range:
        return "är statistiskt säkerställd oavsett antagandet"
    if significant:
        return "är statistiskt säkerställd under huvudantagandet men inte för alla antaganden"
    return "är inte statistiskt säkerställd under huvudantagandet"


def effect_size_words(h: float) -> str:
    """Cohen's conventional labels for |h|: 0.2 small, 0.5 medium, 0.8 large.

    Classified on |h| rounded to the two decimals the text shows, so that a printed "0,50" is
    never called small.
    """
    a = round(abs(h), 2)
    if a < 0.2:
        return "mycket liten"
    if a < 0.5:
        return "liten"
    if a < 0.8:
        return "medelstor"
    return "stor"


def changes_table(question: str | None = None) -> pd.DataFrame:
    """Reader-facing table of the 2022→2023 changes (differences in percentage points)."""
    ch = analysis.changes([question] if question else None)
    pp = lambda v: fmt.num(100 * v, 1, sign=True)  # noqa: E731
    table = pd.DataFrame(
        {
            "Andel": ch["category"].map({"high": "Hög", "low": "Låg"}),
            "2022": ch["percent_2022_printed"].map(fmt.pct),
            "2023": [fmt.share_pct(k / n) for k, n in zip(ch["k_2023"], ch["n_2023"], strict=True)],
            "Kommuner 2023": [
                fmt.count_of(k, n) for k, n in zip(ch["k_2023"], ch["n_2023"], strict=True)
            ],
            "Förändring, pe": ch["diff"].map(pp),
            "95 % KI, pe": [
                f"{pp(a)} – {pp(b)}" for a, b in zip(ch["ci_low"], ch["ci_high"], strict=True)
            ],
            "p": ch["p_value"].map(fmt.pvalue_cell),
            "h": ch["cohens_h"].map(lambda v: fmt.num(v, 2)),
            "Minsta n 2022": ch["smallest_significant_n_2022"].map(
                lambda v: "–" if pd.isna(v) else str(int(v))
            ),
        }
    )
    if question is None:
        table.insert(0, "Fråga", ch["label"])
    return table


def county_texts(question: str, prefix: str) -> dict[str, str]:
    """Glue strings for the county comparison of one question."""
    t = analysis.county_tests([question])
    out = {}
    for _, r in t.iterrows():
        c = r["category"]
        out[f"{prefix}-lan-{c}-p"] = fmt.pvalue(r["p_monte_carlo"])
        out[f"{prefix}-lan-{c}-small"] = fmt.share_pct(r["share_expected_below_5"])
        names = [s for s in r["singled_out"].split(", ") if s]
        out[f"{prefix}-lan-{c}-singled"] = (
            f"skiljer sig {fmt.swedish_list(names)} från övriga landet"
            if names
            else "skiljer sig inget enskilt län från övriga landet"
        )
    shares = analysis.county_positive(question, "high")
    top = shares["share"].sort_values(ascending=False)
    out[f"{prefix}-lan-high-max"] = _extreme(top, top.iloc[0])
    out[f"{prefix}-lan-high-min"] = _extreme(top, top.iloc[-1])
    zero = shares.index[shares["k"] == 0].tolist()
    out[f"{prefix}-lan-high-zero"] = fmt.swedish_list(zero) if zero else "inget län"
    out[f"{prefix}-lan-high-nzero"] = str(len(zero))
    return out


def _extreme(shares: pd.Series, value: float) -> str:
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
    national = analysis.counts_2023().loc[question]
    rows = [REGION_NATIONAL, *REGIONS]

    def column(shares: pd.DataFrame, cat: str, what: str) -> list[str]:
        out = []
        for r in rows:
            if r == REGION_NATIONAL:
                k, n = int(national[cat]), int(national["n"])
                lo_, hi_ = stats.wilson_interval(k, n, analysis.ALPHA)[:2]
            else:
                k, n = int(shares.loc[r, "k"]), int(shares.loc[r, "n"])
                lo_, hi_ = shares.loc[r, "ci_low"], shares.loc[r, "ci_high"]
            out.append({"k": str(k), "n": str(n), "ci": fmt.interval(lo_, hi_)}[what])
        return out

    return pd.DataFrame(
        {
            "n": column(hi, "high", "n"),
            "Hög, %": printed["high"].map(fmt.pct).tolist(),
            "Hög, antal": column(hi, "high", "k"),
            "Hög, 95 % KI": column(hi, "high", "ci"),
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
    """The national 2023 answer distribution: printed percent and reconstructed count."""
    printed = data.county_table(question).loc["Riket"]
    counts = analysis.counts_2023().loc[question]
    return pd.DataFrame(
        {
            "Svarsalternativ": [CATEGORIES[c] for c in SCALE],
            "Andel": [fmt.pct(printed[c]) for c in SCALE],
            "Antal kommuner": [fmt.count_of(counts[c], counts["n"]) for c in SCALE],
        }
    )
