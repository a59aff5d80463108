"""Swedish building blocks of the audit's explanations, shared by the check modules: what a
category's share is called (:data:`CAT_PHRASE`), number words (:func:`number_word`),
percentages and fractions in the book's format (:func:`pct`, :func:`frac`) and the sentence
that says why a claimed number is impossible or a rounding difference (:func:`grim_text`).
"""

from __future__ import annotations

from kommunenkat.audit.claims import Item
from kommunenkat.audit.verdicts import producible, rounding_pair
from kommunenkat.core import fmt
from kommunenkat.core.labels import side_word

# Phrases that follow "andelen" in the explanations.
CAT_PHRASE = {
    "high": f"{side_word('high', inflected=True)} svar",
    "low": f"{side_word('low', inflected=True)} svar",
    "very_high": "som svarat i mycket hög utsträckning",
    "fairly_high": "som svarat i ganska hög utsträckning",
    "middle": "som valt mittenalternativet",
    "fairly_low": "som svarat i ganska låg utsträckning",
    "very_low": "som svarat i mycket låg utsträckning",
    "dont_know": "som svarat vet ej",
    "help_register": "som ger stöd att skriva in sig",
    "help_case": "som ger stöd att hantera ärendet",
    "help_decisions_reporting": "som ger stöd att tolka beslut och aktivitetsrapportera",
    "help_newcomers": "som samordnar insatser för nyanlända",
    "any_help": "som ger minst en sådan insats",
    "five_to_eight_kinds": "som ger fem till åtta sådana insatser",
}


def number_word(k: int) -> str:
    """``k`` as a Swedish word (``tre``) from one to six (:func:`kommunenkat.core.fmt.number_word`),
    digits otherwise (the audit's counts are never 0 where it is used; '0' stays digits)."""
    return fmt.number_word(k) if k >= 1 else str(k)


def pct(v: float) -> str:
    """A percentage as the book prints it: no decimal for whole numbers, one otherwise."""
    return fmt.pct(v, 0 if float(v).is_integer() else 1)


def lower_first(text: str) -> str:
    """``text`` with its first letter in lower case (a source name inside a sentence)."""
    return text[:1].lower() + text[1:]


def claimed_text(items: list[Item]) -> str:
    """The claimed items as the register writes them, ``; ``-separated."""
    return "; ".join(i.text for i in items)


def frac(k: int, n: int) -> str:
    """``k av n = p %``."""
    return f"{k} av {n} = {fmt.pct(100 * k / n, 1)}"


def grim_text(claimed: float, printed: float, n: int | None, who: str) -> str:
    """Why a claimed number is impossible, or why a one-point difference is or is not rounding."""
    t = int(claimed)
    if n is None:
        return (
            f"; hur många kommuner {who} bygger på är okänt, så det går inte att pröva om "
            "en skillnad på en procentenhet kan komma från samma antal kommuner"
        )
    if not producible(t, n):
        below = max((k for k in range(n + 1) if 100 * k / n < t), default=None)
        above = min((k for k in range(n + 1) if 100 * k / n > t), default=None)
        near = " och ".join(frac(k, n) for k in (below, above) if k is not None)
        return (
            f"; med {n} svarande kommuner kan ingen andel avrundas till {t} % ({near}), så "
            "siffran är ett fel och inte en avrundning"
        )
    pair = rounding_pair(t, int(printed), n) if float(printed).is_integer() else []
    if pair:
        return (
            f"; {frac(pair[0], n)} avrundas till {pct(printed)} men blir {t} % om man "
            "avrundar åt andra hållet, så samma antal kommuner ger båda siffrorna"
        )
    return (
        f"; inget antal av de {n} svarande ger både {pct(printed)} och {t} %, så "
        "skillnaden kan inte förklaras med avrundning"
    )
