"""The checks of claims about the rankings in the report's county tables (figures 12–15,
:func:`data.county_table` of the audited round): ``top`` (the regions with the highest share,
in the report's order, and their numbers) and ``zero`` (the regions where a share is 0 %).
The spec grammar is :mod:`kommunenkat.audit.claims`; the verdicts are
:mod:`kommunenkat.audit.verdicts`.
"""

from __future__ import annotations

import pandas as pd

from kommunenkat.audit import claims, published
from kommunenkat.audit.claims import COUNTY_FIGURES, Check, Item
from kommunenkat.audit.phrases import CAT_PHRASE, grim_text, lower_first, number_word, pct
from kommunenkat.audit.verdicts import (
    IMPOSSIBLE,
    OK,
    ROUNDING,
    ROUNDING_PP,
    WRONG,
    Result,
    judge,
    producible,
    worst,
)
from kommunenkat.core import fmt
from kommunenkat.core.labels import AGGREGATES, REGION_NATIONAL, REGIONS, SHORT_QUESTIONS
from kommunenkat.inputs import data

# The parts of an aggregate as the explanations name them.
COMPONENT = {
    "very_high": "mycket hög",
    "fairly_high": "ganska hög",
    "fairly_low": "ganska låg",
    "very_low": "mycket låg",
}


def _ranked(fig: int, cat: str) -> pd.Series:
    t = data.county_table(COUNTY_FIGURES[fig], year=claims.audited_edition())[cat].drop(
        REGION_NATIONAL
    )
    order = {r: i for i, r in enumerate(REGIONS)}
    return t.sort_index(key=lambda idx: idx.map(order)).sort_values(ascending=False, kind="stable")


def _listing(s: pd.Series) -> str:
    return fmt.swedish_list([f"{r} {pct(v)}" for r, v in s.items()])


def _top_set(s: pd.Series, k: int) -> tuple[set, set]:
    kth = s.iloc[k - 1]
    return set(s[s > kth].index), set(s[s == kth].index)


def _short(fig: int) -> str:
    return SHORT_QUESTIONS[COUNTY_FIGURES[fig]]


def check_top(claim: pd.Series, c: Check, items: list[Item]) -> Result:
    """``top``: the K regions with the highest share, in order, and the numbers claimed for
    them (ties at the K-th place respected)."""
    fig, cat, k = c.args["fig"], c.args["cat"][0], c.args["k"]
    names = [i.region for i in items if i.region is not None]
    if len(names) != len(items) or len(names) != k or len(set(names)) != k:
        raise ValueError(f"claim {claim['id']}: top k={k} needs {k} distinct region items")
    s = _ranked(fig, cat)
    must, may = _top_set(s, k)
    actual = s[s >= s.iloc[k - 1]]
    recomputed = "; ".join(f"{r} {pct(v)}" for r, v in actual.items())
    phrase = CAT_PHRASE[cat]
    head = f"Figur {fig} har högst andel {phrase} i {_listing(actual)}"
    if len(actual) > k:
        head += f" (delad {k}:e plats)"
    if not (must <= set(names) <= must | may):
        named = _listing(s[names])
        alt = []
        for f2 in COUNTY_FIGURES:
            if f2 == fig:
                continue
            s2 = _ranked(f2, cat)
            m2, y2 = _top_set(s2, k)
            if m2 <= set(names) <= m2 | y2:
                alt.append(f"figur {f2} ({lower_first(_short(f2))}: {_listing(s2[names])})")
        text = f"{head}; de nämnda länen har där {named}"
        if alt:
            text += f" – de är i stället de {number_word(k)} högsta i {fmt.swedish_list(alt)}"
        return Result(recomputed, WRONG, text + ".")
    vals = s[names].tolist()
    if any(a < b for a, b in zip(vals, vals[1:], strict=False)):
        return Result(
            recomputed,
            WRONG,
            f"{head}; länen stämmer men påståendet räknar upp dem i en annan ordning.",
        )
    q = COUNTY_FIGURES[fig]
    audited = claims.audited_edition()
    # (item, its number, its region, the table's value, n) for the items with a number
    checks = [
        (i, i.lo, region, s[region], published.n_for(q, audited, region))
        for i, region in zip(items, names, strict=True)
        if i.lo is not None
    ]
    verdict = worst(judge(i, v, n) for i, _, _, v, n in checks)
    if verdict == OK:
        return Result(
            recomputed,
            OK,
            f"{head}, samma län"
            + (" och siffror som påståendet." if checks else " som påståendet."),
        )
    diffs = []
    for i, lo, region, v, n in checks:
        if judge(i, v, n) == OK:
            continue
        parts = ""
        if cat in AGGREGATES:
            t = data.county_table(q, year=claims.audited_edition())
            comps = pd.Series(t.loc[region, AGGREGATES[cat]], dtype=float)  # one row: the parts
            if comps.notna().all():
                parts = (
                    " ("
                    + " + ".join(f"{COMPONENT[x]} {fmt.num(comps[x])}" for x in AGGREGATES[cat])
                    + ")"
                )
        text = f"för {region} ger tabellen {pct(v)}{parts} där påståendet anger {fmt.num(lo)}"
        if abs(lo - v) <= ROUNDING_PP or judge(i, v, n) == IMPOSSIBLE:
            text += grim_text(lo, v, n, f"{region}s andel")
            if n is not None:
                municipalities = int(data.region_municipalities()[region])
                if not any(producible(lo, m) for m in range(1, municipalities + 1)):
                    text += (
                        f", och inte heller något annat antal svarande bland länets "
                        f"{municipalities} kommuner kan ge {fmt.num(lo)} %"
                    )
        diffs.append(text)
    tail = (
        ", en skillnad på en procentenhet, i storleken av en avrundning"
        if verdict == ROUNDING
        else ""
    )
    return Result(
        recomputed, verdict, f"{head}, samma län som påståendet; {fmt.swedish_list(diffs)}{tail}."
    )


def check_zero(claim: pd.Series, c: Check, items: list[Item]) -> Result:
    """``zero``: exactly the regions where the share is 0 %, and optionally how many."""
    fig, cat = c.args["fig"], c.args["cat"][0]
    s = _ranked(fig, cat)
    actual = [r for r in REGIONS if s[r] == 0]
    names = [i.region for i in items if i.region]
    counts = [i.lo for i in items if i.region is None and i.lo is not None]
    if not names or len(counts) > 1 or len(names) + len(counts) != len(items):
        raise ValueError(f"claim {claim['id']}: zero needs region items and at most one count")
    recomputed = "; ".join(actual) if actual else "inga"
    phrase = CAT_PHRASE[cat]
    ok = set(names) == set(actual) and all(n == len(names) for n in counts)
    if ok:
        return Result(
            recomputed,
            OK,
            f"Figur {fig} har 0 % {phrase} i exakt de "
            f"{len(actual)} län som nämns ({fmt.swedish_list(actual)}).",
        )
    extra = [n for n in names if n not in actual]
    missing = [r for r in actual if r not in names]
    bits = []
    if extra:
        bits.append("nämnda län med högre andel: " + _listing(s[extra]))
    if missing:
        bits.append("län med 0 % som inte nämns: " + fmt.swedish_list(missing))
    if counts and counts[0] != len(names):
        bits.append(f"påståendet säger {fmt.num(counts[0])} län men nämner {len(names)}")
    return Result(
        recomputed,
        WRONG,
        f"Figur {fig} har 0 % {phrase} i "
        f"{fmt.swedish_list(actual) or 'inga län'}; {'; '.join(bits)}.",
    )
