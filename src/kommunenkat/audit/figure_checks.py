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

from kommunenkat.audit import claims, frame, published
from kommunenkat.audit.claims import FIGURE_QUESTION, Check, Item
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
    UNSUPPORTED,
    WRONG,
    Result,
    judge,
    worst,
)
from kommunenkat.core import fmt
from kommunenkat.core.cells import as_int
from kommunenkat.core.labels import AGGREGATES, REGION_NATIONAL, SCALE, SCALE_QUESTIONS
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
    all_text, tipping = "", ""
    if verdict == OK and frame.about_all(c):
        judged = frame.judge_shares(_shares(claim, rows, items, a.get("op") == "complement"))
        verdict, all_text, tipping = judged.verdict, judged.explanation, judged.tipping_point
        recomputed += f" ({judged.bounds})"
    parts = _parts_note(claim, c, register) if "parts" in a else ""
    tail = {
        OK: "vilket stämmer med påståendet",
        RESPONDENTS: "vilket stämmer för de kommuner som svarade",
        ROUNDING: f"medan påståendet anger {claimed}, en skillnad i storleken av en avrundning",
        WRONG: f"medan påståendet anger {claimed}",
        IMPOSSIBLE: f"medan påståendet anger {claimed}",
    }[verdict]
    return Result(
        recomputed,
        verdict,
        f"Enligt {enligt} är {what}{note}, {tail}{grim}.{all_text}{parts}",
        tipping,
    )


def _shares(
    claim: pd.Series, rows: list[pd.Series], items: list[Item], complement: bool
) -> list[frame.Share]:
    """The claimed shares of a ``value`` claim among all municipalities: one per published value
    (all items against a single value, else one item each), with the counts behind it."""
    groups = (
        [(items, rows[0])]
        if len(rows) == 1
        else [([i], r) for i, r in zip(items, rows, strict=True)]
    )
    out = []
    for its, r in groups:
        lv = published.level(
            r["question"], r["category"], int(r["year"]), float(r["percent"]), claim["id"]
        )
        out.append(
            frame.Share(
                tuple(its), lv.complement() if complement else lv, r["category"], complement
            )
        )
    return out


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


def _by_year(items: list[Item], years: list[int]) -> str:
    """``35 % 2023, 37 % 2021 och 40 % 2020`` (claimed items with their years)."""
    return fmt.swedish_list(
        [f"{pct(i.lo)} {y}" for i, y in zip(items, years, strict=True) if i.lo is not None]
    )


def _base_known(a: dict, years: list[int]) -> str:
    """A sentence saying that the audited round's shares are shares of everyone who answered,
    when that round is among ``years`` and its county table prints the same national shares
    with all six answer options (so their base is known); empty otherwise."""
    audited = claims.audited_edition()
    if audited not in years:
        return ""
    q = FIGURE_QUESTION[a["fig"]]
    county_fig = SCALE_QUESTIONS[q]["county"]
    table = data.county_table(q, year=audited)
    if REGION_NATIONAL not in table.index:
        return ""
    row = {str(k): as_int(v) for k, v in table.loc[REGION_NATIONAL].items()}
    d = data.report_figures()
    d = d[(d["figure"] == a["fig"]) & (d["year"] == audited) & (d["region"] == a["region"])]
    printed = dict(zip(d["category"].astype(str), d["percent"].map(as_int), strict=True))
    if any(row.get(x) != p for x, p in printed.items()):
        return ""
    total = sum(row[x] for x in SCALE)
    return (
        f"År {audited} är andelarna räknade på alla som besvarade frågan: tabellbilagans figur "
        f"{county_fig} ger samma andelar för riket, och dess {number_word(len(SCALE))} "
        f"svarsalternativ blir tillsammans {fmt.pct(total)}. "
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
        head = (
            f"Figur {a['fig']} och dess fotnot ger per år andelarna {names}, som "
            f"utesluter varandra: {recomputed}. {number_word(k).capitalize()} "
            "avrundade andelar av samma antal svarande kan tillsammans "
            f"bli högst {fmt.pct(impossible[0][2], 1)}, så summan för {bad} kan inte "
            "uppstå ur verkliga svar om alla andelarna har samma nämnare"
        )
        fitting = [y for y in a["year"] if y not in {i[0] for i in impossible}]
        known_base = _base_known(a, fitting)
        if known_base:
            # One round's shares are known to be shares of everyone who answered (its county
            # table prints them with all six options), and other rounds' cannot be: no single
            # denominator fits every round, so the rounds' shares are not shown to be the same
            # kind of share and comparing them has no support (issue 20). Without a round of
            # known base another common base stays possible: the claim cannot be checked.
            return Result(
                recomputed,
                UNSUPPORTED,
                f"Påståendet jämför andelen {CAT_PHRASE[cat].replace('som svarat ', '')} "
                f"mellan åren ({_by_year(items, a['year'])}), och en sådan jämförelse "
                "förutsätter att andelarna är räknade på samma sätt alla år. "
                + head
                + f". {known_base}Ingen enskild nämnare passar alltså alla åren: "
                f"för {bad} är minst en av de tryckta andelarna räknad på något annat sätt "
                "eller fel, och rapporten säger inte vilken. Att de andelar som jämförs är "
                "samma sorts andel är därmed inte visat, och jämförelsen saknar stöd i "
                "rapportens egna siffror, även om varje andel kan vara riktig för sig." + middle,
            )
        # Impossible only if every share has the same denominator, which the report does
        # not state; with another denominator the figures can add up, so the claim can be
        # neither confirmed nor rejected (review 2, item 3).
        return Result(
            recomputed,
            UNCHECKABLE,
            head + " – då är minst en av de tryckta siffrorna fel. Rapporten anger inte "
            "nämnaren; är till exempel de positiva och negativa andelarna räknade bara bland "
            "dem som tog ställning, kan siffrorna gå ihop. Vilket som gäller går inte att "
            "avgöra med det rapporten publicerar, så påståendet kan inte kontrolleras." + middle,
        )
    verdict = worst(verdicts)
    return Result(
        recomputed,
        verdict,
        f"Figur {a['fig']} ger {recomputed} för andelarna {names}; summorna ryms "
        "inom 100 % plus avrundning.",
    )


def _parts_note(claim: pd.Series, c: Check, register: pd.DataFrame | None) -> str:
    """A cross-check note for a claimed aggregate share (``value … parts=ID,ID``): the claims that
    state its parts (the low share's "mycket låg" and "ganska låg") are added up and compared
    with the printed aggregate. When they do not add up, is there a count of the n answers that
    produces all of them (a rounding difference), or none (at least one printed number is
    wrong)? The note is part of this claim's explanation, not a claim with a verdict of its own:
    the parts are claims of the register already."""
    a = c.args
    total = a["cat"][0]
    year, region = a["year"][0], a["region"]
    others = [_other_claim(register, pid, claim["id"]) for pid in a["parts"]]
    if any(o is None for o in others):
        raise ValueError(f"claim {claim['id']}: parts= needs the register")
    cats = []
    for o in others:
        assert o is not None  # for mypy: checked above
        oc = claims.parse_check(o["check"], o["id"])
        if oc.kind != "value" or oc.args["fig"] != a["fig"] or oc.args["year"] != [year]:
            raise ValueError(f"claim {claim['id']}: {o['id']} is not a share of figure {a['fig']}")
        cats.extend(oc.args["cat"])
    if sorted(cats) != sorted(AGGREGATES.get(total, [])):
        raise ValueError(
            f"claim {claim['id']}: parts {a['parts']} state {cats}, not the parts of {total!r}"
        )
    printed = [
        int(published.lookup(a["fig"], x, year, region, claim["id"])["percent"]) for x in cats
    ]
    printed_total = int(published.lookup(a["fig"], total, year, region, claim["id"])["percent"])
    ids = fmt.swedish_list([str(o["id"]) for o in others if o is not None])
    head = f" Kontroll mot {ids}, som anger delarna: "
    if sum(printed) == printed_total:
        return (
            head + f"{' + '.join(pct(p) for p in printed)} = {pct(sum(printed))}, samma som den "
            "tryckta andelen."
        )
    q = FIGURE_QUESTION[a["fig"]]
    n = published.n_for(q, year, region)
    parts_txt = " och ".join(
        f"andelen {CAT_PHRASE[x]} ({pct(p)})" for x, p in zip(cats, printed, strict=True)
    )
    head += (
        f"{parts_txt} blir tillsammans {pct(sum(printed))}, men andelen {CAT_PHRASE[total]} "
        f"trycks som {pct(printed_total)}"
    )
    if n is None:
        return (
            head + "; antalet svarande är okänt, så det går inte att pröva om skillnaden är en "
            "avrundning."
        )
    head += f" (figur {a['fig']}, {_region_sv(region)} {year}, {n} svarande)"
    # Every count of each part that the report prints as that part (halves up), and whether
    # their sum is printed as the total: one such combination makes it a rounding difference.
    ranges = [reconstruct.counts_half_up(n, p) for p in printed]
    example = next(
        (
            ks
            for ks in itertools.product(*ranges)
            if reconstruct.printed_percent(sum(ks), n) == printed_total
        ),
        None,
    )
    if example is None:
        return head + "; inget antal kommuner ger alla tre siffrorna, så minst en av dem är fel."
    exact = " och ".join(frac(k, n) for k in example)
    return (
        head + f". Samma antal kommuner kan ge alla tre: {exact}, tillsammans "
        f"{frac(sum(example), n)}, vilket avrundas till {pct(printed_total)}. Skillnaden är "
        "alltså en avrundning."
    )
