"""The audit's verdicts: their names and order, how one claimed number is judged against a
recomputed value (:func:`judge`, with the rounding and GRIM-type tests it rests on), how the
verdicts of a claim's items combine (:func:`worst`), and the counts the pages print
(:func:`summary`, :func:`impossible_phrase`, :func:`self_phrase`).

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
``stämmer bland de svarande``: a claim about the country's municipalities (``frame=all``) that
holds for those who answered but not for every share among all of them that the book's Manski
bounds allow (:func:`kommunenkat.audit.published.manski_percent`): the published answers do not
settle it for all 290.
``motsäger sig själv``: the report states the same quantity twice with values that cannot both
be true (different numbers, or ranges neither of which contains the other), and nothing it
publishes decides which is right. Nested ranges (``11–12`` against ``omkring 11–13``) and a
subgroup described beside its published whole (six to eight kinds of help beside five to eight)
can both be true: those claims are judged on their own (usually ``kan inte kontrolleras``).
``orsak ej belagd``: a causal sentence; a repeated cross-section of municipal managers without a
comparison group cannot support it.
``kan inte kontrolleras``: the data cannot confirm it – the number exists only in the text
(figures 1–3 are printed without numbers, facts from outside the survey), no data exist, or
the printed shares are consistent only under a denominator the report does not state.
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
RESPONDENTS = "stämmer bland de svarande"
ROUNDING = "avrundning"
WRONG = "stämmer inte"
IMPOSSIBLE = "omöjligt"
SELF = "motsäger sig själv"
CAUSAL = "orsak ej belagd"
UNCHECKABLE = "kan inte kontrolleras"
VERDICTS = (OK, RESPONDENTS, ROUNDING, WRONG, IMPOSSIBLE, SELF, CAUSAL, UNCHECKABLE)

NEAR = 5  # "knappt/nästan t": the value lies in [t - NEAR, t)
ROUNDING_PP = 1  # at most this many percentage points apart: a rounding difference


@dataclass
class Result:
    """What a check computes for one claim."""

    recomputed: str
    verdict: str
    explanation: str


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
    for v in (IMPOSSIBLE, WRONG, SELF, UNCHECKABLE, ROUNDING):
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
