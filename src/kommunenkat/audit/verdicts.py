"""The audit's verdicts: their names and order, how one claimed number is judged against a
recomputed value (:func:`judge`, with the rounding and GRIM-type tests it rests on), how the
verdicts of a claim's items combine (:func:`worst`), and the counts the pages print
(:func:`summary` and the count phrases :func:`impossible_phrase`, :func:`self_phrase`,
:func:`split_phrase`, :func:`unsupported_phrase`).

Verdicts
--------
``stämmer``: the number agrees (an exact number when it equals the published integer, a
fraction ``a av b`` when the value rounds to it, ``knappt``/``nästan t`` when the value lies in
[t − 5, t), ``omkring t`` within 10 %, ``över t`` when larger, a range when inside).
``avrundning``: it differs by at most one percentage point (or lies at most one point outside a
range) and, when the number n of municipalities behind the value is known, one and the same
count of n gives both numbers (:func:`rounding_pair`).
``stämmer inte``: anything else, a wrong set of regions in a ranking, or a one-point
difference that no count of n explains.
``omöjligt``: no count of the n municipalities can be printed as the claimed percentage
(a GRIM-type check, Brown & Heathers 2017, with the report's rounding: halves up,
:func:`reconstruct.counts_half_up`). Printed shares that exclude each other and sum past
100 % by more than rounding allows are impossible only if they share one denominator; the
report does not state it, so such a claim is ``kan inte kontrolleras`` and the explanation says
why.
``summan stämmer, delarna kan inte kontrolleras``: a stated total is the sum of stated parts,
but the parts come from outside the survey and cannot be checked (a split verdict: never a
plain ``stämmer``).
``stämmer bland de svarande``: a claim about the country's municipalities (the all-290 rule,
:mod:`kommunenkat.audit.frame`) that holds for those who answered but not for every share
among all of them that the Manski bounds allow: the published answers do not settle it for all
290. Its tipping point says how many of those who did not answer would have to have answered
one way for the claim to fail.
``motsäger sig själv``: the report states the same quantity twice with values that cannot both
be true (different numbers, or ranges neither of which contains the other), and nothing it
publishes decides which is right. Nested ranges (``11–12`` against ``omkring 11–13``) and a
subgroup described beside its published whole (six to eight kinds of help beside five to eight)
can both be true: those claims are judged on their own (usually ``kan inte kontrolleras``).
``jämförelse utan stöd``: a comparison between rounds whose shares, by the report's own
figures, cannot all be computed on one base (no single denominator fits every round), so what
is compared is not shown to be the same kind of share.
``orsak ej belagd``: a causal claim – a sentence saying that the survey's results (the answers,
or their change) are caused by something; a repeated cross-section of municipal managers
without a comparison group cannot support it. Explanations offered with a reservation ("kan
bero på"), interpretations of what the answers express and causes of things the survey does
not measure are not causal claims in this sense; they are ``kan inte kontrolleras``.
``kan inte kontrolleras``: the data cannot confirm it – the number exists only in the text
(figures 1–3 are printed without numbers, facts from outside the survey), no data exist, the
printed shares are consistent only under a denominator the report does not state, or the
sentence is a hedged explanation, an interpretation or a cause of something outside the survey.
A claim with several items gets the worst verdict of its items (:func:`worst`).

n is known for the 2023 percentages (:func:`kommunenkat.audit.published.n_for`): the
reconstructed number of answers per question and region, and the 244 respondents for figures
1–3; it is unknown for earlier years.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from kommunenkat.audit.claims import Item
from kommunenkat.inference import reconstruct

OK = "stämmer"
SPLIT = "summan stämmer, delarna kan inte kontrolleras"
RESPONDENTS = "stämmer bland de svarande"
ROUNDING = "avrundning"
WRONG = "stämmer inte"
IMPOSSIBLE = "omöjligt"
SELF = "motsäger sig själv"
UNSUPPORTED = "jämförelse utan stöd"
CAUSAL = "orsak ej belagd"
UNCHECKABLE = "kan inte kontrolleras"
VERDICTS = (
    OK,
    SPLIT,
    RESPONDENTS,
    ROUNDING,
    WRONG,
    IMPOSSIBLE,
    SELF,
    UNSUPPORTED,
    CAUSAL,
    UNCHECKABLE,
)

NEAR = 5  # "knappt/nästan t": the value lies in [t - NEAR, t)
ROUNDING_PP = 1  # at most this many percentage points apart: a rounding difference


@dataclass
class Result:
    """What a check computes for one claim."""

    recomputed: str
    verdict: str
    explanation: str
    #: for ``stämmer bland de svarande``: how many of those who did not answer would have to
    #: have answered one way for the claim to fail among all municipalities; empty otherwise
    tipping_point: str = ""


# --------------------------------------------------------------------------- judging numbers
def round_half_up(v: float) -> int:
    """``v`` rounded to an integer with halves up, as the report rounds."""
    return int(math.floor(v + 0.5))


def producible(percent: float, n: int) -> bool:
    """Can some count of ``n`` be printed as the integer ``percent`` (halves up)?"""
    return (
        float(percent).is_integer()
        and 0 <= percent <= 100
        and bool(reconstruct.counts_half_up(int(n), int(percent)))
    )


def rounding_pair(claimed: int, printed: int, n: int) -> list[int]:
    """Counts ``k`` of ``n`` that the report prints as ``printed`` and that also give ``claimed``
    when the exact share ``100·k/n`` is rounded the other way (down or up).

    A one-point difference is a rounding difference only when this list is not empty: then one
    and the same count produces both numbers.
    """
    out = []
    for k in reconstruct.counts_half_up(int(n), int(printed)):
        exact = Fraction(100 * k, int(n))
        if claimed in (math.floor(exact), math.ceil(exact)):
            out.append(k)
    return out


def judge(item: Item, value: float, n: int | None = None) -> str:
    """Verdict for one claimed numeric item against a recomputed value (see module docs).

    ``n``, when known, is the number of municipalities behind the value: an exact percentage
    that no count of ``n`` can produce is then :data:`IMPOSSIBLE`, and a one-point difference
    is :data:`ROUNDING` only if one count produces both numbers (:func:`rounding_pair`).
    """
    lo, hi = item.lo, item.hi
    if lo is None or hi is None:
        raise ValueError(f"claimed item {item.text!r} is not a number")
    t = item.percent
    exact_claim = item.qualifier is None and lo == hi and not item.den
    if exact_claim and n is not None and not producible(t, n):
        return IMPOSSIBLE
    if item.qualifier == "under":
        if t - NEAR <= value < t:
            return OK
        return ROUNDING if t <= value <= t + ROUNDING_PP else WRONG
    if item.qualifier == "over":
        return OK if value > t else WRONG
    if item.qualifier == "about" and lo == hi:
        return OK if abs(value - t) <= 0.1 * abs(t) + 0.5 else WRONG
    if item.den:
        return OK if abs(value - t) <= 50 / item.den else WRONG
    if lo != hi:
        if lo <= value <= hi:
            return OK
        gap = min(abs(value - lo), abs(value - hi))
        return ROUNDING if gap <= ROUNDING_PP else WRONG
    if round_half_up(value) == t:
        return OK
    if abs(value - t) > ROUNDING_PP:
        return WRONG
    if n is not None and float(value).is_integer():
        return ROUNDING if rounding_pair(int(t), int(value), n) else WRONG
    return ROUNDING


def worst(verdicts: Iterable[str]) -> str:
    """The combined verdict: impossible first, then disagreement, uncheckable, rounding."""
    found = list(verdicts)
    for v in (IMPOSSIBLE, WRONG, SELF, UNSUPPORTED, UNCHECKABLE, ROUNDING):
        if v in found:
            return v
    return OK


# --------------------------------------------------------------------------- summaries
def summary(df: pd.DataFrame) -> pd.DataFrame:
    """Number of claims per verdict of an audit table (:func:`kommunenkat.audit.checks.audit`),
    in the fixed verdict order (zeros included)."""
    counts = df["verdict"].value_counts()
    return pd.DataFrame(
        {"verdict": list(VERDICTS), "count": [int(counts.get(v, 0)) for v in VERDICTS]}
    )


def impossible_phrase(n: int) -> str:
    """Swedish count phrase for the impossible claims, with number agreement ("1 är en siffra
    som inte kan vara sann", "2 är siffror som inte kan vara sanna")."""
    if n == 1:
        return "1 är en siffra som inte kan vara sann"
    return f"{n} är siffror som inte kan vara sanna"


def self_phrase(n: int) -> str:
    """Swedish count phrase for the self-contradicting claims. Each contradiction takes two
    claims, so the count is of claims, not of contradictions: two claims are one pair."""
    if n == 2:
        return "2 påståenden motsäger varandra"
    return f"{n} påståenden motsäger andra uppgifter i rapporten"


def split_phrase(n: int) -> str:
    """Swedish count phrase for the split verdict (a right sum of parts that cannot be checked):
    "1 är en summa som stämmer men vars delar inte kan kontrolleras"."""
    if n == 1:
        return "1 är en summa som stämmer men vars delar inte kan kontrolleras"
    return f"{n} är summor som stämmer men vars delar inte kan kontrolleras"


def unsupported_phrase(n: int) -> str:
    """Swedish count phrase for the comparisons the report's own figures do not support."""
    if n == 1:
        return "1 är en jämförelse mellan år som rapportens egna siffror inte ger stöd för"
    return f"{n} är jämförelser mellan år som rapportens egna siffror inte ger stöd för"


def count_phrase(verdict: str, n: int) -> str:
    """How many claims got ``verdict``, as a Swedish clause that can stand in a list after a
    colon ("17 stämmer med rapportens tabeller och figurer"), with number agreement."""
    plain = {
        OK: f"{n} stämmer med rapportens tabeller och figurer",
        RESPONDENTS: (
            f"{n} stämmer för de svarande kommunerna men inte säkert för alla landets kommuner"
        ),
        ROUNDING: f"{n} skiljer sig bara genom avrundning",
        WRONG: f"{n} stämmer inte med rapportens egna tabeller",
        CAUSAL: (
            f"{n} {'är en mening' if n == 1 else 'är meningar'} som förklarar enkätens resultat "
            "med en orsak som enkäten inte kan belägga"
        ),
        UNCHECKABLE: f"{n} kan inte kontrolleras med de publicerade uppgifterna",
    }
    if verdict in plain:
        return plain[verdict]
    return {
        SPLIT: split_phrase,
        IMPOSSIBLE: impossible_phrase,
        SELF: self_phrase,
        UNSUPPORTED: unsupported_phrase,
    }[verdict](n)


def count_list(counts: dict[str, int], skip: Iterable[str] = ()) -> list[str]:
    """:func:`count_phrase` for every verdict with at least one claim, in :data:`VERDICTS` order,
    leaving out ``skip`` (a verdict the page states elsewhere). A verdict no claim got is not
    named, so the page never says "0 skiljer sig genom avrundning"."""
    left_out = set(skip)
    return [
        count_phrase(v, int(counts.get(v, 0)))
        for v in VERDICTS
        if v not in left_out and int(counts.get(v, 0)) > 0
    ]
