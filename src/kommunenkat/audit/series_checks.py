"""The checks of claims about change over time in the report's national series (figures 4, 6,
8 and 10, :func:`data.national_series`): ``change`` (the direction of a change between two
years) and ``causal`` (a sentence that attributes a result, often such a change, to a cause the
survey cannot identify). The spec grammar is :mod:`kommunenkat.audit.claims`; the verdicts are
:mod:`kommunenkat.audit.verdicts`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from kommunenkat.audit import published
from kommunenkat.audit.claims import SERIES_FIGURES, Check, Item
from kommunenkat.audit.phrases import CAT_PHRASE, pct
from kommunenkat.audit.verdicts import CAUSAL, OK, WRONG, Result
from kommunenkat.core import fmt
from kommunenkat.core.labels import REGION_NATIONAL
from kommunenkat.inputs import data


def _assumed_years(claim: pd.Series, fig: int, cat: str, years: Iterable[int]) -> str:
    """A sentence naming the years whose chart label the transcription assigned by the labels'
    order (status ``order_assumed``), and whether an outside source (noted in the row) supports
    the value: the verdict then rests on that assumption."""
    bits = []
    for y in years:
        row = published.lookup(fig, cat, int(y), REGION_NATIONAL, claim["id"])
        if str(row["status"]) != "order_assumed":
            continue
        support = (
            "värdet stöds av SKR:s pressmaterial"
            if "pressmaterial" in str(row["note"])
            else "inget annat i rapporten bekräftar det"
        )
        bits.append(f"{y} ({pct(row['percent'])}; {support})")
    if not bits:
        return ""
    return (
        f" Figurens etiketter står inte i årsordning i källan, och året "
        f"{fmt.swedish_list(bits)} är antaget ur etiketternas ordning; bedömningen vilar på "
        "det antagandet."
    )


def check_change(claim: pd.Series, c: Check, items: list[Item]) -> Result:
    """``change``: the direction of a change in a national series (``ökning``/``minskning``)."""
    a = c.args
    cat = a["cat"][0]
    s = data.national_series(SERIES_FIGURES[a["fig"]])
    s = s[s["category"] == cat].set_index("year")["percent"]
    for y in (a["from"], a["to"]):
        if y not in s.index:
            raise ValueError(f"claim {claim['id']}: figure {a['fig']} has no {cat} for {y}")
    v0, v1 = float(s[a["from"]]), float(s[a["to"]])
    dirs = [i.direction for i in items]
    if len(dirs) != 1 or dirs[0] is None:
        raise ValueError(f"claim {claim['id']}: change needs one item 'ökning' or 'minskning'")
    actual = "ökning" if v1 > v0 else "minskning" if v1 < v0 else "oförändrat"
    recomputed = f"{pct(v0)} → {pct(v1)} ({fmt.pp(v1 - v0)})"
    verdict = OK if actual == dirs[0] else WRONG
    tail = "i linje med påståendet" if verdict == OK else f"inte en {dirs[0]}"
    return Result(
        recomputed,
        verdict,
        f"Figur {a['fig']} ger för riket andelen {CAT_PHRASE[cat]} "
        f"{pct(v0)} {a['from']} och {pct(v1)} {a['to']}, en {actual} med "
        f"{fmt.pp(abs(v1 - v0), sign=False)}, {tail}."
        + _assumed_years(claim, a["fig"], cat, (a["from"], a["to"])),
    )


def check_causal(claim: pd.Series, c: Check) -> Result:
    """``causal``: a sentence that attributes an observed result to a cause the survey cannot
    identify; ``note`` says what is attributed to what."""
    note = str(claim.get("note") or "").strip()
    if not note:
        raise ValueError(
            f"claim {claim['id']}: check 'causal' needs a note saying what is attributed to what"
        )
    a = c.args
    observed = ""
    recomputed = "–"
    if "fig" in a:
        if "from" not in a or "to" not in a:
            raise ValueError(f"claim {claim['id']}: causal with fig needs from and to")
        cat = a["cat"][0]
        s = data.national_series(SERIES_FIGURES[a["fig"]])
        s = s[s["category"] == cat].set_index("year")["percent"]
        v0, v1 = float(s[a["from"]]), float(s[a["to"]])
        recomputed = f"{pct(v0)} → {pct(v1)}"
        observed = (
            f" Det som förklaras är en förändring i svaren: andelen {CAT_PHRASE[cat]} "
            f"i figur {a['fig']} gick från {pct(v0)} {a['from']} till {pct(v1)} "
            f"{a['to']}."
        )
    design = (
        " Enkäten är en upprepad tvärsnittsundersökning bland kommunernas chefer utan "
        "jämförelsegrupp, så den kan visa att svaren ändrats men inte varför."
        if observed
        else " Enkäten är en upprepad tvärsnittsundersökning bland kommunernas chefer utan "
        "jämförelsegrupp; den beskriver vad cheferna svarar men kan inte belägga orsaker."
    )
    return Result(recomputed, CAUSAL, note + observed + design)
