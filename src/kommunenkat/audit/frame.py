"""The all-290 rule: which of the report's claims speak of all the country's municipalities, and
how such a claim is judged among all of them (Manski's bounds), with its tipping point.

The rule
--------
A claim about a share of the country's municipalities – the national share in one round
(``value`` on the national row) or its change between rounds (``change``, or ``value`` with two
rounds) – is a claim about all N municipalities, however the share is written: in digits ("57
procent uppger"), as a fraction in words ("knappt en av fem kommuner") or as a word ("en
majoritet av kommunerna", "halva kommunsverige"). The report never restricts such a sentence
to those who answered, and neither the words nor the form of the number decide what it is
about. The one exception is a sentence that itself says it concerns those who answered
(``frame=respondents`` in the register); the audited report has none. Sentences about single
counties and rankings of counties are not about all N; they are judged against the county
tables.

:func:`about_all` decides from the check spec alone – it never reads the quote or the claimed
words – so the same share is treated the same however it is phrased.

Judging
-------
A claim has to hold among those who answered first. Among all N, a round's share is
``(k + x) / N`` when x of the m = N − n municipalities that did not answer the question would
have given the answer (0 ≤ x ≤ m; x = 0 and x = m are Manski's bounds). The claim holds for all
N when it holds for every x – and, for a round whose number of respondents is unpublished, for
every n of the plausible band and every k the printed percentage allows
(:func:`kommunenkat.audit.published.level`). Otherwise its verdict is ``stämmer bland de
svarande`` and its tipping point says for which x it fails. Every claimed item is an interval
of shares and the share grows with x, so the x where a claim holds form one interval.

A change between two rounds lies, among all N, between ``L_to − U_from`` and ``U_to − L_from``
(each round's Manski bounds). With the same N both rounds an increase fails exactly when the
non-respondents of the earlier round would have given at least ``k_to − k_from`` more of the
answer than those of the later round (a decrease likewise, the other way).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from kommunenkat.audit.claims import Check, Item
from kommunenkat.audit.published import Level, plausible_n
from kommunenkat.audit.verdicts import OK, RESPONDENTS, judge
from kommunenkat.core import fmt
from kommunenkat.core.labels import REGION_NATIONAL

# What a non-respondent would have had to answer, after "hade" ("hade svarat negativt").
ANSWER = {
    "high": "svarat positivt",
    "low": "svarat negativt",
    "very_high": "svarat i mycket hög utsträckning",
    "fairly_high": "svarat i ganska hög utsträckning",
    "middle": "valt mittenalternativet",
    "fairly_low": "svarat i ganska låg utsträckning",
    "very_low": "svarat i mycket låg utsträckning",
    "dont_know": "svarat vet ej",
}
# The same for the complement of a category (``op=complement``: "mer behöver göras i 4 av 10").
ANSWER_OTHER = {
    "high": "svarat något annat än positivt",
    "low": "svarat något annat än negativt",
}
# A share's short name in the bounds of a claim with several shares ("negativa 2022 …").
SHORT = {
    "high": "positiva",
    "low": "negativa",
    "very_low": "mycket låg",
    "fairly_low": "ganska låg",
    "dont_know": "vet ej",
}


def about_all(c: Check) -> bool:
    """The all-290 rule: True when the claim speaks of a share of all the country's
    municipalities (a ``value`` or ``change`` check on the national row), unless the register
    marks the sentence as restricted to those who answered (``frame=respondents``). Decided
    from the spec alone, never from the quote or the claimed words."""
    if c.kind not in ("value", "change") or c.args.get("frame") == "respondents":
        return False
    return bool(c.args.get("region", REGION_NATIONAL) == REGION_NATIONAL)


@dataclass(frozen=True)
class Share:
    """One claimed share among all municipalities: the claimed items, the counts behind the
    printed share (:class:`Level`), the category and whether the claim counts its complement."""

    items: tuple[Item, ...]
    level: Level
    category: str
    complement: bool = False

    @property
    def answer(self) -> str:
        table = ANSWER_OTHER if self.complement else ANSWER
        return table[self.category]


@dataclass(frozen=True)
class Judged:
    """The all-290 part of a claim's check: verdict (stämmer or stämmer bland de svarande), the
    bounds for the recomputed column, a sentence for the explanation and the tipping point."""

    verdict: str
    bounds: str
    explanation: str
    tipping_point: str


# --------------------------------------------------------------------------- counts
def window(items: Sequence[Item], big_n: int) -> tuple[int, int] | None:
    """The counts T of all ``big_n`` municipalities for which every numeric item holds when the
    share is ``100·T/big_n`` (first and last); None when no count does."""
    numeric = [i for i in items if i.lo is not None]
    ok = [
        t
        for t in range(big_n + 1)
        if all(judge(i, float(Fraction(100 * t, big_n))) == OK for i in numeric)
    ]
    if not ok:
        return None
    if ok != list(range(ok[0], ok[-1] + 1)):
        raise ValueError(f"claimed items {[i.text for i in items]} do not form one interval")
    return ok[0], ok[-1]


def bounds(level: Level) -> tuple[float, float]:
    """Manski's bounds of a round's share among all its municipalities, in percent, over every
    count the published data allow: the lowest ``k/N`` and the highest ``(k + N − n)/N``."""
    big_n = level.N
    return (
        min(100 * k / big_n for _, k in level.options),
        max(100 * (k + big_n - n) / big_n for n, k in level.options),
    )


def holds_for_all(share: Share) -> bool:
    """True when the claimed items hold for every share among all municipalities: for every
    count the data allow and every answer of those who did not answer."""
    w = window(share.items, share.level.N)
    big_n = share.level.N
    return w is not None and all(
        w[0] <= k and k + big_n - n <= w[1] for n, k in share.level.options
    )


def _span(values: Sequence[int]) -> str:
    lo, hi = min(values), max(values)
    return str(lo) if lo == hi else f"{lo}–{hi}"


def tipping_point(share: Share) -> str:
    """For a claimed share that does not hold for all municipalities: how many of those who did
    not answer would have to have given the answer for the claim to fail (Swedish). A round
    whose respondents are unpublished is described by the counts among all municipalities."""
    lv, big_n = share.level, share.level.N
    w = window(share.items, big_n)
    if lv.known:
        n, k = lv.options[0]
        m = big_n - n
        if w is None or w[1] < k or w[0] > k + m:
            return (
                f"Hur de {m} som inte besvarade frågan än hade svarat blir andelen bland alla "
                f"{big_n} aldrig den påstådda."
            )
        a, b = max(w[0] - k, 0), min(w[1] - k, m)
        who = f"av de {m} som inte besvarade frågan hade {share.answer}"
        if a == 0 and b == m:
            return ""
        few = "ingen" if a == 1 else f"högst {a - 1}"
        if b == m:
            return f"Faller om {few} {who}."
        if a == 0:
            return f"Faller om minst {b + 1} {who}."
        span = str(a) if a == b else f"{a}–{b}"
        return f"Stämmer bara om {span} {who}; med {few} eller minst {b + 1} faller påståendet."
    ks = [k for _, k in lv.options]
    ms = [big_n - n for n, _ in lv.options]
    band = plausible_n(lv.year)
    known = (
        f"bland de svarande gjorde {_span(ks)} det och {_span(ms)} besvarade inte frågan "
        f"(antalet svarande {lv.year} är okänt; det rimliga intervallet är "
        f"{band.start}–{band.stop - 1})"
    )
    if w is None:
        return f"Ingen andel av alla {big_n} stämmer med påståendet; {known}."
    if w[0] == 0:
        need = f"högst {w[1]}"
    elif w[1] == big_n:
        need = f"minst {w[0]}"
    else:
        need = f"{w[0]}–{w[1]}"
    return f"Stämmer bara om {need} av alla {big_n} kommuner hade {share.answer}; {known}."


# --------------------------------------------------------------------------- change
@dataclass(frozen=True)
class Change:
    """The change of one share between two rounds among all municipalities, in percentage
    points: the range of its lower bound and of its upper bound over the counts the data
    allow."""

    low: tuple[float, float]
    high: tuple[float, float]
    direction: str  # "ökning" or "minskning" among those who answered


def change(first: Share, last: Share) -> Change:
    """The change from ``first`` to ``last`` (the earlier and the later round) among all."""
    lows, highs = [], []
    for n1, k1 in first.level.options:
        for n2, k2 in last.level.options:
            n_first, n_last = first.level.N, last.level.N
            lows.append(100 * (k2 / n_last - (k1 + n_first - n1) / n_first))
            highs.append(100 * ((k2 + n_last - n2) / n_last - k1 / n_first))
    p1 = [k / n for n, k in first.level.options]
    p2 = [k / n for n, k in last.level.options]
    direction = "ökning" if min(p2) > max(p1) else "minskning" if max(p2) < min(p1) else ""
    return Change((min(lows), max(lows)), (min(highs), max(highs)), direction)


def direction_holds(ch: Change) -> bool:
    """True when the direction seen among those who answered holds among all municipalities
    for every count the data allow."""
    if ch.direction == "ökning":
        return ch.low[0] > 0
    if ch.direction == "minskning":
        return ch.high[1] < 0
    return False


def _pp_range(lo: float, hi: float) -> str:
    if fmt.num(lo, 1, sign=True) == fmt.num(hi, 1, sign=True):
        return fmt.num(lo, 1, sign=True)
    return f"{fmt.num(lo, 1, sign=True)} till {fmt.num(hi, 1, sign=True)}"


def change_bound_text(ch: Change) -> str:
    """``förändringens nedre gräns −2,4 till +1,7 procentenheter`` (the bound that decides the
    direction: the lower for an increase, the upper for a decrease)."""
    if ch.direction == "minskning":
        return f"förändringens övre gräns {_pp_range(*ch.high)}{fmt.NBSP}procentenheter"
    return f"förändringens nedre gräns {_pp_range(*ch.low)}{fmt.NBSP}procentenheter"


def change_tipping(first: Share, last: Share, ch: Change) -> str:
    """The tipping point of a direction among all municipalities (Swedish): how many more of one
    round's non-respondents than of the other's would have had to give the answer for the
    increase (decrease) to fail, and, when a round's respondents are unpublished, for which of
    its plausible numbers of respondents that is possible at all."""
    if first.level.N != last.level.N or not ch.direction:
        return ""
    big_n = first.level.N
    y1, y2 = first.level.year, last.level.year
    increase = ch.direction == "ökning"
    more, fewer = (y1, y2) if increase else (y2, y1)
    word = "Ökningen" if increase else "Minskningen"
    # (threshold, non-respondents of the round that would need more, (n1, n2)) per count pair
    pairs = []
    for n1, k1 in first.level.options:
        for n2, k2 in last.level.options:
            gap = k2 - k1 if increase else k1 - k2
            pairs.append((gap, big_n - (n1 if increase else n2), (n1, n2)))
    gaps = [g for g, _, _ in pairs]
    feasible = [p for p in pairs if p[0] <= p[1]]
    need = (
        f"minst {_span(gaps)} fler av dem som inte besvarade frågan {more} än av dem som inte "
        f"besvarade den {fewer} hade {first.answer}"
    )
    unknown = [(lv.year, i) for i, lv in enumerate((first.level, last.level)) if not lv.known]
    depends = (
        f" (gränsen beror på det okända antalet svarande {unknown[0][0]} och avrundningen)"
        if unknown and len(set(gaps)) > 1
        else ""
    )
    if not feasible:
        m_max = max(m for _, m, _ in pairs)
        return (
            f"{word} gäller alla {big_n}: den faller bara om {need}{depends}, men {more} "
            f"besvarade högst {m_max} kommuner inte frågan."
        )
    text = f"{word} faller bland alla {big_n} bara om {need}{depends}."
    if unknown:
        year, i = unknown[0]
        ns = sorted({p[2][i] for p in feasible})
        band = sorted({p[2][i] for p in pairs})
        if ns != band:
            limit = f"högst {ns[-1]}" if ns[0] == band[0] else f"minst {ns[0]}"
            text += (
                f" Det kan bara hända om {limit} kommuner besvarade frågan {year}; det rimliga "
                f"intervallet är {band[0]}–{band[-1]}."
            )
    return text


# --------------------------------------------------------------------------- one claim
def _label(share: Share, several_cats: bool, several_years: bool) -> str:
    bits = []
    if several_cats:
        bits.append(SHORT.get(share.category, share.category))
    if several_years:
        bits.append(str(share.level.year))
    return " ".join(bits)


def _band_note(shares: Sequence[Share]) -> str:
    unknown = sorted({s.level.year for s in shares if not s.level.known})
    if not unknown:
        return ""
    parts = []
    for y in unknown:
        band = plausible_n(y)
        parts.append(
            f"{y} vid varje antal svarande i det rimliga intervallet, {band.start}–{band.stop - 1}"
        )
    return "; för " + fmt.swedish_list(parts)


def judge_shares(shares: Sequence[Share]) -> Judged:
    """The all-290 part of a claim whose items held among those who answered: one or more
    claimed shares (rounds or categories), and the change when the same category is claimed
    for two rounds."""
    big_n = shares[0].level.N
    settled = all(holds_for_all(s) for s in shares)
    cats = {s.category for s in shares}
    years = {s.level.year for s in shares}
    several_cats, several_years = len(cats) > 1, len(years) > 1
    by_year = sorted(shares, key=lambda s: s.level.year)
    ch = None
    if len(shares) == 2 and not several_cats and several_years:
        ch = change(by_year[0], by_year[1])
    rec_bits = []
    for s in shares:
        lo, hi = bounds(s.level)
        label = _label(s, several_cats, several_years)
        rec_bits.append(f"{label + ' ' if label else ''}{fmt.num(lo, 1)}–{fmt.pct(hi, 1)}")
    rec = f"alla {big_n}: " + ", ".join(rec_bits)
    if ch is not None:
        rec += f"; {change_bound_text(ch)}"
    if len(shares) == 1 and shares[0].level.known:
        s = shares[0]
        n = s.level.options[0][0]
        lo, hi = bounds(s.level)
        text = (
            f" Påståendet gäller landets kommuner: bland alla {big_n} ligger andelen mellan "
            f"{fmt.pct(lo, 1)} och {fmt.pct(hi, 1)}, beroende på hur de {big_n - n} som inte "
            "besvarade frågan skulle ha svarat (Manskis gränser)."
        )
        text += (
            " Påståendet stämmer i hela det intervallet."
            if settled
            else " Inom det intervallet stämmer påståendet inte överallt, så svaren visar det "
            f"för de {n} som svarade men inte för alla {big_n}."
        )
    else:
        parts = []
        for s in shares:
            lo, hi = bounds(s.level)
            what = f"andelen som {s.answer}" if several_cats else "andelen"
            parts.append(f"{what} {s.level.year} mellan {fmt.pct(lo, 1)} och {fmt.pct(hi, 1)}")
        text = (
            f" Påståendet gäller landets kommuner: bland alla {big_n} ligger "
            f"{fmt.swedish_list(parts)} (Manskis gränser{_band_note(shares)})."
        )
        if ch is not None:
            bound = "nedre" if ch.direction != "minskning" else "övre"
            rng = _pp_range(*(ch.low if ch.direction != "minskning" else ch.high))
            text += (
                f" Förändringens {bound} gräns bland alla {big_n} är {rng}{fmt.NBSP}procentenheter"
            )
            if " till " in rng:
                text += ", beroende på antalet svarande och avrundningen"
            if ch.direction:
                text += (
                    f", så {ch.direction}en gäller alla {big_n}."
                    if direction_holds(ch)
                    else f", så {ch.direction}en är inte säker bland alla {big_n}."
                )
            else:
                text += "."
        text += (
            " Påståendet stämmer i hela intervallen."
            if settled
            else " De påstådda andelarna stämmer inte i hela intervallen, så svaren visar dem "
            f"för de kommuner som svarade men inte för alla {big_n}."
        )
    tipping = ""
    if not settled:
        bits = []
        for s in by_year:
            t = tipping_point(s)
            if t:
                label = _label(s, several_cats, several_years)
                bits.append(f"{label.capitalize()}: {t[:1].lower()}{t[1:]}" if label else t)
        if ch is not None:
            bits.append(change_tipping(by_year[0], by_year[1], ch))
        tipping = " ".join(b for b in bits if b)
    return Judged(OK if settled else RESPONDENTS, rec, text, tipping)


def judge_change(first: Share, last: Share, claimed: str) -> Judged:
    """The all-290 part of a claim of a direction only (``change``: "har ökat något")."""
    big_n = first.level.N
    ch = change(first, last)
    settled = ch.direction == claimed and direction_holds(ch)
    rng = ch.low if claimed == "ökning" else ch.high
    bound = "nedre" if claimed == "ökning" else "övre"
    text = (
        f" Påståendet gäller landets kommuner: bland alla {big_n} är förändringens {bound} "
        f"gräns {_pp_range(*rng)}{fmt.NBSP}procentenheter (Manskis gränser"
        f"{_band_note([first, last])})"
    )
    text += (
        f", så {claimed}en gäller alla {big_n}."
        if settled
        else f", så {claimed}en är inte säker bland alla {big_n}: svaren visar den för de "
        "kommuner som svarade."
    )
    tipping = "" if settled else change_tipping(first, last, ch)
    return Judged(
        OK if settled else RESPONDENTS,
        f"alla {big_n}: {change_bound_text(ch)}",
        text,
        tipping,
    )
