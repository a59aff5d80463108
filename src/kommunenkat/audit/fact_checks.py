"""The checks of claims about numbers that only the report's text gives
(``data/report_facts.csv``, :func:`data.report_facts`): ``fact`` (a number from outside the
survey, compared with the same quantity elsewhere in the report), ``share`` (a ratio of such
numbers, or of respondents to the country's municipalities) and ``sum`` (parts that should add
up to a stated total). The spec grammar is :mod:`kommunenkat.audit.claims`; the verdicts are
:mod:`kommunenkat.audit.verdicts`.
"""

from __future__ import annotations

import pandas as pd

from kommunenkat.audit import claims
from kommunenkat.audit.claims import Check, Item
from kommunenkat.audit.phrases import pct
from kommunenkat.audit.verdicts import (
    OK,
    ROUNDING,
    SELF,
    UNCHECKABLE,
    WRONG,
    Result,
    judge,
    round_half_up,
)
from kommunenkat.core import fmt
from kommunenkat.inputs import data


def _fact_row(name: str, claim_id: str) -> pd.Series:
    facts = data.report_facts()
    if name not in facts.index:
        raise ValueError(f"claim {claim_id}: no fact {name!r} in report_facts.csv")
    row = facts.loc[name]
    if not isinstance(row, pd.Series):
        raise ValueError(f"claim {claim_id}: fact {name!r} stands twice in report_facts.csv")
    return row


def _fact_text(row: pd.Series) -> str:
    lo, hi = row["value_low"], row["value_high"]
    nums = [v for v in (lo, hi) if not pd.isna(v)]
    if len(nums) == 2 and nums[0] != nums[1]:
        body = f"{fmt.num(nums[0])}–{fmt.num(nums[1])}"
    else:
        body = fmt.num(nums[0])
    unit = str(row["unit"])
    if unit.startswith("procent"):
        body, unit = body + fmt.NBSP + "%", unit[len("procent") :].strip()
    prefix = {"about": "omkring ", "nearly": "nästan ", "over": "över "}.get(row["qualifier"], "")
    return f"{prefix}{body} {unit}".strip()


def _fact_bounds(row: pd.Series) -> tuple[float, float]:
    lo, hi = row["value_low"], row["value_high"]
    lo = hi if pd.isna(lo) else lo
    hi = lo if pd.isna(hi) else hi
    return float(lo), float(hi)


def check_fact(
    claim: pd.Series, c: Check, items: list[Item], register: pd.DataFrame | None
) -> Result:
    """``fact``: a number only the text gives; compared with the same fact elsewhere (``vs``) or,
    with the register, with the other claims that state or sum it."""
    name = c.args["name"]
    row = _fact_row(name, claim["id"])
    lo, hi = _fact_bounds(row)
    if len(items) != 1 or items[0].lo is None or (items[0].lo, items[0].hi) != (lo, hi):
        raise ValueError(
            f"claim {claim['id']}: claimed {claim['claimed']!r} differs from "
            f"report_facts {name} ({_fact_text(row)}); fix the register"
        )
    recomputed = _fact_text(row)
    text = (
        f"Uppgiften ({recomputed}) finns bara i rapportens text och hör inte till enkätens "
        "publicerade data, så den kan inte kontrolleras här"
    )
    if "vs" in c.args:
        other = _fact_row(c.args["vs"], claim["id"])
        olo, ohi = _fact_bounds(other)
        nested = False  # one range contains the other: both statements can be true
        if (olo, ohi) == (lo, hi):
            rel = "samma värde"
        elif olo <= lo and hi <= ohi:
            rel, nested = "ett vidare intervall som omfattar detta", True
        elif lo <= olo and ohi <= hi:
            rel, nested = "ett snävare intervall inom detta", True
        elif olo <= hi and lo <= ohi:
            rel = "ett delvis överlappande intervall"
        else:
            rel = "ett värde som inte överlappar"
        if nested:
            # Nested ranges: one statement is less precise than the other, and both can be
            # true at once; that is not a contradiction.
            return Result(
                recomputed,
                UNCHECKABLE,
                f"Uppgiften ({recomputed}) kommer från en källa utanför enkäten och kan inte "
                f"kontrolleras här. Avsnittet {other['section']} anger för samma andel "
                f"{_fact_text(other)}, {rel}: rapporten är olika exakt på de två ställena, "
                "men uppgifterna är förenliga.",
            )
        if rel != "samma värde":
            return Result(
                recomputed,
                SELF,
                f"Uppgiften ({recomputed}) kommer från en källa utanför enkäten, men "
                f"avsnittet {other['section']} anger för samma andel "
                f"{_fact_text(other)}, {rel}. Rapporten motsäger sig själv, och "
                "inget i den avgör vilket värde som gäller.",
            )
        text += f"; avsnittet {other['section']} anger samma värde"
    elif register is not None:
        others = [
            (r, claims.parse_check(r["check"], r["id"]))
            for _, r in register.iterrows()
            if r["id"] != claim["id"]
        ]
        same = [r for r, o in others if o.kind == "fact" and o.args["name"] == name]
        sums = [r["id"] for r, o in others if o.kind == "sum" and name in o.args["parts"]]
        if same:
            agree = all(claims.parse_claimed(r["claimed"], r["id"])[0].lo == lo for r in same)
            where = fmt.swedish_list([r["id"] for r in same])
            text += (
                f"; samma värde anges även i {where}"
                if agree
                else f"; {where} anger ett annat värde för samma sak"
            )
        else:
            text += "; den förekommer bara på det här stället i rapporten"
        if sums:
            text += f" och ingår i summan i {fmt.swedish_list(sums)}"
    return Result(recomputed, UNCHECKABLE, text + ".")


def check_share(claim: pd.Series, c: Check, items: list[Item]) -> Result:
    """``share``: a ratio of facts, or of a fact to the country's municipalities."""
    a = c.args
    num = _fact_bounds(_fact_row(a["num"], claim["id"]))[0]
    if a["den"] == "counties":
        den = float(data.counties()["municipalities"].sum())
        den_src = f"{fmt.num(den)} är summan av kommunerna i SCB:s länsförteckning"
    else:
        den = _fact_bounds(_fact_row(a["den"], claim["id"]))[0]
        den_src = f"{fmt.num(den)} är rapportens uppgift {a['den']}"
    share = 100 * num / den
    if len(items) != 1 or items[0].lo is None:
        raise ValueError(f"claim {claim['id']}: share needs one numeric item")
    item = items[0]
    num_src = f"{fmt.num(num)} är antalet svarande enligt rapporten (N i figurrubrikerna)"
    if item.den:
        verdict = OK if (item.lo, item.den) == (num, den) else WRONG
        rec = f"{fmt.num(num)} av {fmt.num(den)}"
        tail = "vilket stämmer" if verdict == OK else f"medan påståendet anger {item.text}"
        return Result(rec, verdict, f"{den_src[0].upper()}{den_src[1:]} och {num_src}, {tail}.")
    verdict = judge(item, share)
    rec = fmt.pct(share, 1)
    tail = {
        OK: f"avrundat blir det {pct(round_half_up(share))} som i påståendet",
        ROUNDING: f"påståendet anger {item.text}, en avrundningsskillnad",
        WRONG: f"påståendet anger {item.text}",
    }[verdict]
    return Result(rec, verdict, f"{fmt.num(num)} / {fmt.num(den)} = {rec}, där {den_src}; {tail}.")


def check_sum(claim: pd.Series, c: Check, items: list[Item]) -> Result:
    """``sum``: facts that are parts, added up, against the claimed total."""
    parts = [_fact_bounds(_fact_row(p, claim["id"]))[0] for p in c.args["parts"]]
    _fact_row(c.args["total"], claim["id"])
    total = sum(parts)
    if len(items) != 1 or items[0].lo is None:
        raise ValueError(f"claim {claim['id']}: sum needs one numeric item")
    item = items[0]
    if item.qualifier == "about":
        item = Item(item.text, None, item.lo, item.hi, item.den)
    verdict = judge(item, total)
    rec = f"{' + '.join(fmt.num(p) for p in parts)} = {fmt.num(total)}"
    where = "inom" if verdict == OK else "utanför"
    return Result(
        rec,
        verdict,
        f"Delsiffrorna ger {rec}, vilket ligger {where} det angivna "
        f"intervallet {item.text.replace('omkring ', '')}; delsiffrorna själva finns "
        "bara i rapportens text.",
    )
