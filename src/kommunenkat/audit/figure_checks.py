"""The checks of claims about printed shares of the report's figures and tables
(``data/report_figures.csv``): ``value`` (a share, also against the Manski bounds among all
municipalities with ``frame=all``), ``upper`` (a subgroup of a printed share), ``total`` (shares
of exclusive categories that must fit in 100 %) and ``parts`` (parts of an aggregate against
its printed total). The spec grammar is :mod:`kommunenkat.audit.claims`; the verdicts are
:mod:`kommunenkat.audit.verdicts`.
"""

from __future__ import annotations

import itertools

import pandas as pd

from kommunenkat.audit import claims, published
from kommunenkat.audit.claims import COUNTY_FIGURES, Check, Item
from kommunenkat.audit.phrases import (
    CAT_PHRASE,
    claimed_text,
    frac,
    grim_text,
    lower_first,
    number_word,
    pct,
)
from kommunenkat.audit.verdicts import (
    IMPOSSIBLE,
    OK,
    RESPONDENTS,
    ROUNDING,
    ROUNDING_PP,
    SELF,
    UNCHECKABLE,
    WRONG,
    Result,
    judge,
    worst,
)
from kommunenkat.core import fmt
from kommunenkat.core.labels import REGION_NATIONAL
from kommunenkat.inference import reconstruct
from kommunenkat.inputs import data

#: Mutually exclusive answer categories whose printed shares cannot sum past 100 %.
EXCLUSIVE = ("high", "middle", "low", "dont_know")


def _region_sv(region: str) -> str:
    return "riket" if region == REGION_NATIONAL else region


def _is_prose(source: str) -> bool:
    """True when a published value comes from the report's running text, not a figure/table."""
    return not str(source).startswith(("Figur", "Tabellbilaga"))


def _other_printings(row: pd.Series) -> pd.DataFrame:
    d = data.report_figures()
    same = (
        (d["question"] == row["question"])
        & (d["year"] == row["year"])
        & (d["region"] == row["region"])
        & (d["category"] == row["category"])
    )
    return d[same & (d["figure"] != row["figure"])]


def _other_claim(
    register: pd.DataFrame | None, other_id: str | None, claim_id: str
) -> pd.Series | None:
    """The register row ``other_id`` (a ``vs=`` argument), or None."""
    if other_id is None or register is None:
        return None
    hit = register[register["id"] == other_id]
    if hit.empty:
        raise ValueError(f"claim {claim_id}: vs={other_id} names no claim of the register")
    return hit.iloc[0]


def _same_key_claims(register: pd.DataFrame | None, c: Check, claim_id: str) -> list[str]:
    """Other claims of the register that state the same published quantity."""
    if register is None:
        return []
    keys = claims.value_keys(c)
    return [
        f"{r['id']} (avsnittet {r['section']})"
        for _, r in register.iterrows()
        if r["id"] != claim_id and claims.value_keys(claims.parse_check(r["check"], r["id"])) & keys
    ]


def _describe(rows: list, values: list[float], a: dict) -> str:
    """``andelen positiva svar 42 % 2022 och 61 % 2023`` (grouped by category)."""
    if a.get("op") == "complement":
        v0 = rows[0]["percent"]
        return (
            f"andelen {CAT_PHRASE[rows[0]['category']]} {pct(v0)}, så resten är "
            f"100 − {fmt.num(v0)} = {pct(values[0])}"
        )
    by_cat: dict[str, list[str]] = {}
    for r, v in zip(rows, values, strict=True):
        year = f" {r['year']}" if len(a["year"]) > 1 else ""
        by_cat.setdefault(r["category"], []).append(f"{pct(v)}{year}")
    return fmt.swedish_list(
        [f"andelen {CAT_PHRASE.get(cat, cat)} {fmt.swedish_list(vs)}" for cat, vs in by_cat.items()]
    )


def _frame_all(row: pd.Series, items: list[Item], complement: bool) -> tuple[str, str, str]:
    """A claim about the country's municipalities (``frame=all``) that holds among those who
    answered: does it also hold for every share among all N municipalities that the answers
    allow (the Manski bounds, no assumption about those who did not answer)? Each claimed item
    is a convex set of values, so checking both bounds settles every share between them.
    Returns the verdict, an explanatory sentence and the bounds as text."""
    b = published.manski_percent(row["question"], row["category"], complement)
    lo, hi, n, big_n = b["lower"], b["upper"], b["n"], b["N"]
    bounds = f"alla {big_n}: {fmt.num(lo, 1)}–{fmt.pct(hi, 1)}"
    numeric = [i for i in items if i.lo is not None]
    settled = all(judge(i, v) == OK for i in numeric for v in (lo, hi))
    span = (
        f" Påståendet gäller landets kommuner: bland alla {big_n} ligger andelen mellan "
        f"{fmt.pct(lo, 1)} och {fmt.pct(hi, 1)}, beroende på hur de {big_n - n} som inte "
        "besvarade frågan skulle ha svarat (Manskis gränser)."
    )
    if settled:
        return OK, span + " Påståendet stämmer i hela det intervallet.", bounds
    return (
        RESPONDENTS,
        span + " Inom det intervallet stämmer påståendet inte överallt, så svaren visar det för "
        f"de {n} som svarade men inte för alla {big_n}.",
        bounds,
    )


def check_value(
    claim: pd.Series, c: Check, items: list[Item], register: pd.DataFrame | None
) -> Result:
    """``value``: the claimed items against the published percentage(s)."""
    a = c.args
    rows = [
        published.lookup(a["fig"], cat, y, a["region"], claim["id"])
        for cat in a["cat"]
        for y in a["year"]
    ]
    values = [float(r["percent"]) for r in rows]
    ns = [published.n_for(r["question"], r["year"], r["region"]) for r in rows]
    if a.get("op") == "complement":
        values = [100 - v for v in values]
        ns = [None] * len(ns)  # "4 av 10" is a rounded word, not a printed percentage
    if len(values) == 1:
        triples = [(i, values[0], ns[0]) for i in items]
    elif len(values) == len(items):
        triples = list(zip(items, values, ns, strict=True))
    else:
        raise ValueError(
            f"claim {claim['id']}: {len(items)} claimed items for {len(values)} published values"
        )
    verdicts = [judge(i, v, n) for i, v, n in triples]
    recomputed = "; ".join(pct(v) for v in values)
    prose = [r for r in rows if _is_prose(r["source"])]
    what = _describe(rows, values, a)
    year = f" {a['year'][0]}" if len(a["year"]) == 1 else ""
    where = f"figur {a['fig']}, {_region_sv(a['region'])}{year}"
    enligt = f"figur {a['fig']} ({_region_sv(a['region'])}{year})"
    claimed = claimed_text(items)
    verdict = worst(verdicts)
    other_claim = _other_claim(register, a.get("vs"), claim["id"])
    if prose:
        conflicts = []
        for r in prose:
            other = _other_printings(r)
            for _, o in other[other["percent"] != r["percent"]].iterrows():
                conflicts.append(
                    f"{lower_first(str(o['source']))} anger {pct(o['percent'])} "
                    f"för samma andel (figur {o['figure']})"
                )
        same = _same_key_claims(register, c, claim["id"])
        if verdict == OK and other_claim is not None:
            # The other claim describes a subgroup of this share (an ``upper`` check): both
            # can be true at once, so this is not a contradiction, only an unchecked number.
            return Result(
                recomputed,
                UNCHECKABLE,
                f"Värdet ({where}: {what}) finns bara i rapportens text, eftersom figur "
                f"{a['fig']} saknar tryckta siffror, och kan inte kontrolleras mot data. "
                f"{other_claim['id']} (avsnittet {other_claim['section']}) beskriver samma "
                f"figur med andra gränser: ”{other_claim['quote']}”. Det är en delgrupp av "
                "dessa kommuner, så de två uppgifterna kan vara sanna samtidigt.",
            )
        if verdict == OK and conflicts:
            return Result(
                recomputed,
                SELF,
                f"Värdet ({where}: {what}) finns bara i rapportens text, men "
                + "; ".join(conflicts)
                + " – rapporten motsäger sig själv, och ingen "
                "figur eller tabell med tryckta siffror avgör vilken siffra som är rätt.",
            )
        if verdict == OK:
            text = (
                f"Värdet ({where}: {what}) finns bara i rapportens text, eftersom figur "
                f"{a['fig']} saknar tryckta siffror, och kan inte kontrolleras mot data"
            )
            if same:
                text += f"; det anges likadant även i {fmt.swedish_list(same)}"
            return Result(recomputed, UNCHECKABLE, text + ".")
        src = lower_first(str(prose[0]["source"]))
        return Result(
            recomputed,
            SELF,
            f"Rapportens egen siffra för samma sak i {src} är {what} ({where}), medan "
            f"påståendet anger {claimed} – rapporten motsäger sig själv, och ingen "
            "figur eller tabell med tryckta siffror avgör vilken siffra som är rätt.",
        )
    status = {str(r["status"]) for r in rows}
    note = ""
    if "settled_from_prose" in status:
        note = " (etikettens år är fastställt med hjälp av texten)"
    elif status & {"order_assumed", "ambiguous", "inconsistent"}:
        note = " (etiketten är osäkert tilldelad i källan)"
    # Every item has been judged above, so every item is a number (judge raises otherwise).
    grim = "".join(
        grim_text(i.lo, v, n, "andelen")
        for (i, v, n), vd in zip(triples, verdicts, strict=True)
        if i.lo is not None
        and (vd in (ROUNDING, IMPOSSIBLE) or (vd == WRONG and abs(i.lo - v) <= ROUNDING_PP))
    )
    frame = ""
    if a.get("frame") == "all" and verdict == OK:
        verdict, frame, bounds = _frame_all(rows[0], items, a.get("op") == "complement")
        recomputed += f" ({bounds})"
    tail = {
        OK: "vilket stämmer med påståendet",
        RESPONDENTS: "vilket stämmer för de kommuner som svarade",
        ROUNDING: f"medan påståendet anger {claimed}, en skillnad i storleken av en avrundning",
        WRONG: f"medan påståendet anger {claimed}",
        IMPOSSIBLE: f"medan påståendet anger {claimed}",
    }[verdict]
    return Result(recomputed, verdict, f"Enligt {enligt} är {what}{note}, {tail}{grim}.{frame}")


def check_upper(
    claim: pd.Series, c: Check, items: list[Item], register: pd.DataFrame | None
) -> Result:
    """``upper``: a claim about a subgroup of a printed share, which bounds it from above."""
    a = c.args
    cat = a["cat"][0]
    row = published.lookup(a["fig"], cat, a["year"][0], a["region"], claim["id"])
    v = float(row["percent"])
    lows = [i.percent for i in items if i.lo is not None]
    if len(lows) != 1:
        raise ValueError(f"claim {claim['id']}: upper needs one numeric item")
    where = "bara i texten" if _is_prose(row["source"]) else f"i figur {a['fig']}"
    base = (
        f"Rapporten redovisar bara andelen {CAT_PHRASE[cat]} ({pct(v)}, "
        f"{where}); påståendet gäller en delgrupp av dessa kommuner som inte redovisas"
    )
    if lows[0] >= v:
        return Result(f"högst {pct(v)}", WRONG, base + f", och den kan inte överstiga {pct(v)}.")
    other = _other_claim(register, a.get("vs"), claim["id"])
    if other is not None:
        # A subgroup of a published share: it cannot exceed that share but may be anything
        # below it, so the two descriptions are compatible and the claim stays unchecked.
        return Result(
            f"högst {pct(v)}",
            UNCHECKABLE,
            f"Påståendet använder andra gränser än {other['id']} (avsnittet "
            f"{other['section']}: ”{other['quote']}”). Rapporten redovisar bara andelen "
            f"{CAT_PHRASE[cat]} ({pct(v)}, {where}); påståendet gäller en delgrupp av "
            f"dessa kommuner, vars andel kan vara allt upp till {pct(v)} och inte "
            "publiceras. De två uppgifterna kan alltså vara sanna samtidigt, men påståendet "
            "kan varken bekräftas eller avfärdas.",
        )
    return Result(
        f"högst {pct(v)}", UNCHECKABLE, base + ", så det kan varken bekräftas eller avfärdas."
    )


def check_total(claim: pd.Series, c: Check, items: list[Item]) -> Result:
    """``total``: the claimed shares of one category over several years, and whether each year's
    printed shares of the mutually exclusive categories can be true at all (sum ≤ 100 % +
    rounding)."""
    a = c.args
    cat = a["cat"][0]
    rows = [published.lookup(a["fig"], cat, y, a["region"], claim["id"]) for y in a["year"]]
    if len(items) != len(rows):
        raise ValueError(f"claim {claim['id']}: total needs one claimed item per year")
    verdicts = [judge(i, float(r["percent"])) for i, r in zip(items, rows, strict=True)]
    d = data.report_figures()
    d = d[(d["figure"] == a["fig"]) & (d["region"] == a["region"])]
    sums, impossible = [], []
    for y in a["year"]:
        printed = d[(d["year"] == y) & d["category"].isin(EXCLUSIVE)].set_index("category")
        values = [float(printed.loc[x, "percent"]) for x in EXCLUSIVE if x in printed.index]
        total = sum(values)
        # Each printed share is its exact value rounded to an integer, so it is at most 0.5
        # too high: k exclusive shares can sum to at most 100 + k/2 if the answers are real.
        limit = 100 + 0.5 * len(values)
        sums.append(f"{y}: {' + '.join(fmt.num(v) for v in values)} = {fmt.pct(total)}")
        if total > limit:
            impossible.append((y, total, limit, len(values)))
    recomputed = "; ".join(sums)
    no_middle = "middle" not in set(d["category"])
    middle = (
        " Figuren visar inget mittenalternativ, så en summa under 100 % är väntad."
        if no_middle
        else ""
    )
    names = fmt.swedish_list(
        [CAT_PHRASE[x].replace("som svarat ", "") for x in EXCLUSIVE if x in set(d["category"])]
    )
    if impossible:
        bad = fmt.swedish_list([f"{y} ({fmt.pct(t)})" for y, t, _, _ in impossible])
        k = impossible[0][3]
        # Impossible only if every share has the same denominator, which the report does
        # not state; with another denominator the figures can add up, so the claim can be
        # neither confirmed nor rejected (review 2, item 3).
        return Result(
            recomputed,
            UNCHECKABLE,
            f"Figur {a['fig']} och dess fotnot ger per år andelarna {names}, som "
            f"utesluter varandra: {recomputed}. {number_word(k).capitalize()} "
            "avrundade andelar av samma antal svarande kan tillsammans "
            f"bli högst {fmt.pct(impossible[0][2], 1)}, så summan för {bad} kan inte "
            "uppstå ur verkliga svar om alla andelarna har samma nämnare – då är minst en "
            "av de tryckta siffrorna fel. Rapporten anger inte nämnaren; är till exempel de "
            "positiva och negativa andelarna räknade bara bland dem som tog ställning, kan "
            "siffrorna gå ihop. Vilket som gäller går inte att avgöra med det rapporten "
            "publicerar, så påståendet kan inte kontrolleras." + middle,
        )
    verdict = worst(verdicts)
    return Result(
        recomputed,
        verdict,
        f"Figur {a['fig']} ger {recomputed} för andelarna {names}; summorna ryms "
        "inom 100 % plus avrundning.",
    )


def check_parts(claim: pd.Series, c: Check, items: list[Item]) -> Result:
    """``parts``: claimed parts of an aggregate and the aggregate itself (national row, audited
    year): when the printed parts do not add up to the printed total, is there a count of the n
    answers that produces all of them (a rounding difference), or none (impossible)?"""
    a = c.args
    q = COUNTY_FIGURES[a["fig"]]
    cats = [*a["cat"], a["total"]]
    audited = claims.audited_edition()
    printed = [
        int(published.lookup(a["fig"], x, audited, REGION_NATIONAL, claim["id"])["percent"])
        for x in cats
    ]
    if len(items) != len(cats) or any(i.lo is None for i in items):
        raise ValueError(f"claim {claim['id']}: parts needs one number per part and the total")
    recomputed = f"{' + '.join(fmt.num(p) for p in printed[:-1])} = {pct(sum(printed[:-1]))}"
    recomputed += f"; tryckt summa {pct(printed[-1])}"
    off = [i.text for i, p in zip(items, printed, strict=True) if i.lo != p]
    if off:
        return Result(
            recomputed,
            WRONG,
            f"Tabellen ger {recomputed}, medan påståendet anger {claimed_text(items)}.",
        )
    if sum(printed[:-1]) == printed[-1]:
        return Result(recomputed, OK, f"Delarna {recomputed}, samma som summan.")
    n = published.n_for(q, audited, REGION_NATIONAL)
    if n is None:
        raise ValueError(
            f"claim {claim['id']}: parts needs the number of answers behind figure {a['fig']} "
            f"({audited}, riket), which is unknown"
        )
    # Every count of each part that the report prints as that part (halves up), and whether
    # their sum is printed as the total: one such combination makes it a rounding difference.
    ranges = [reconstruct.counts_half_up(n, p) for p in printed[:-1]]
    example = next(
        (
            ks
            for ks in itertools.product(*ranges)
            if reconstruct.printed_percent(sum(ks), n) == printed[-1]
        ),
        None,
    )
    parts_txt = " och ".join(
        f"andelen {CAT_PHRASE[x]} ({pct(p)})" for x, p in zip(a["cat"], printed, strict=False)
    )
    head = (
        f"{parts_txt[0].upper()}{parts_txt[1:]} blir tillsammans {pct(sum(printed[:-1]))}, men "
        f"andelen {CAT_PHRASE[a['total']]} trycks som {pct(printed[-1])} (figur {a['fig']}, "
        f"riket {audited}, {n} svarande)"
    )
    if example is None:
        return Result(
            recomputed,
            IMPOSSIBLE,
            head + "; inget antal kommuner ger alla tre siffrorna, så minst en av dem är fel.",
        )
    exact = " och ".join(frac(k, n) for k in example)
    return Result(
        recomputed,
        ROUNDING,
        head + f". Samma antal kommuner kan ge alla tre: {exact}, "
        f"tillsammans {frac(sum(example), n)}, vilket avrundas till "
        f"{pct(printed[-1])}. Skillnaden är alltså en avrundning.",
    )
