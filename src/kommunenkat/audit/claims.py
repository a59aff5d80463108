"""Audit of the report's numeric and causal claims (appendix *Granskning av rapportens påståenden*).

``data/claims.csv`` is the claims register: one row per numeric or causal statement in the report,
with the columns

``id``         stable id (``C01`` …)
``section``    the report section the statement stands in
``quote``      a short exact quote (at most 20 words)
``claimed``    the claimed number(s) as text, ``;``-separated (grammar below)
``refers_to``  what the statement is about, in words (figure, question, year, region, category)
``check``      a small machine-readable spec saying how to recompute it (grammar below)
``note``       for ``check = none``: why the published data cannot check the statement; for
               ``check = causal``: what the sentence attributes to what

:func:`audit` interprets every spec against the data files (:func:`data.report_figures`,
:func:`data.county_table`, :func:`data.national_series`, :func:`data.report_facts`,
:func:`data.counties`) and returns, per claim, the recomputed value, a verdict and a one-sentence
Swedish explanation. Nothing recomputed and no verdict is stored in the register.

Check specs
-----------
A spec is a kind followed by arguments (shell-style quoting for values with spaces). ``fig`` is
the report's figure number, ``cat`` a category id of ``report_figures.csv``, lists are
comma-separated. ``year`` defaults to the audited edition's year (:func:`audited_edition`) and
``region`` to ``Riket``.

``value fig=F cat=C[,C…] [year=Y[,Y…]] [region=R] [op=complement]``
    Published percentage(s). One value per (cat, year) pair, in the order given (cat outer);
    the claimed items are compared one to one, or all of them with a single value.
    ``op=complement`` compares with 100 minus the value ("mer behöver göras i 4 av 10").
``change fig=F cat=C from=Y to=Y``
    Direction of a change in a national series; claimed ``ökning`` or ``minskning``.
``top fig=F cat=C k=K``
    The K regions of county table F (12–15) with the highest share in category C; claimed
    ``Region [number]`` items, in the report's order. Ties at the K-th place are respected.
``zero fig=F cat=C``
    The regions of county table F where category C is 0 %; claimed region names, optionally
    preceded by their number.
``upper fig=F cat=C [vs=ID]``
    The published value is only an upper bound of what the claim is about (the claim concerns
    a subset of the published category). ``vs`` names the claim that describes the same figure
    with other bins (the explanation says so; a subset is compatible with its whole).
``total fig=F cat=C year=Y[,Y…]``
    Claimed shares of category C for several years (one item per year), and whether the
    printed shares of the mutually exclusive categories (:data:`EXCLUSIVE`) of each year can
    be true at all: k rounded shares sum to at most 100 + k/2.
``parts fig=F cat=A,B total=T``
    The national 2023 shares of the parts A, B of an aggregate T (county table F) and the
    aggregate itself, claimed in that order: if the printed parts do not add up to the printed
    total, some count of the n answers must produce all of them (rounding) or none can
    (impossible).
``fact NAME [vs=NAME]``
    A number that only the report's text gives (``report_facts.csv``); ``vs`` names another
    fact for the same quantity elsewhere in the report, to compare with: a contradiction when
    neither range contains the other.
``share num=FACT den=counties|FACT``
    A ratio: ``a av b`` items compare numerator and denominator, a number compares the
    percentage. ``counties`` is the number of municipalities summed over ``counties.csv``.
``sum FACT+FACT[+…]=FACT``
    Arithmetic of facts: the sum of the parts compared with the claimed total.
``none``
    The published data cannot check the statement; ``note`` says why.
``causal [fig=F cat=C from=Y to=Y]``
    A sentence that attributes a result to a cause; ``note`` says what is attributed to what,
    and the optional arguments name the observed change that is being explained. ``claimed``
    is a short free description.

``value`` also takes ``vs=ID``: another claim describes the same figure with other bins, and
``frame=all``: the claim speaks of the country's municipalities ("en majoritet av kommunerna",
"halva kommunsverige") rather than giving the survey's percentage; after it holds among the
respondents it is checked against the Manski bounds among all municipalities (county tables,
riket, the audited year, high or low).

Claimed items
-------------
``19`` (a number; space as thousands separator, decimal comma), ``11–13`` (a range),
``4 av 10`` (a fraction), each optionally preceded by a qualifier: ``knappt``/``nästan`` (just
under), ``omkring`` (about), ``över``/``fler än`` (more than). ``Region 44`` or ``Region`` for
rankings; ``ökning``/``minskning`` for changes.

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
bounds allow (:func:`manski_percent`): the published answers do not settle it for all 290.
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

n is known for the 2023 percentages (:func:`n_for`): the reconstructed number of answers per
question and region, and the 244 respondents for figures 1–3; it is unknown for earlier years.
"""

from __future__ import annotations

import itertools
import math
import re
import shlex
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache, lru_cache

import pandas as pd

from kommunenkat.core import fmt, paths
from kommunenkat.core.labels import (
    AGGREGATES,
    CATEGORIES,
    REGION_NATIONAL,
    REGIONS,
    SCALE,
    SCALE_QUESTIONS,
)
from kommunenkat.inference import reconstruct, stats
from kommunenkat.inputs import data

OK = "stämmer"
RESPONDENTS = "stämmer bland de svarande"
ROUNDING = "avrundning"
WRONG = "stämmer inte"
IMPOSSIBLE = "omöjligt"
SELF = "motsäger sig själv"
CAUSAL = "orsak ej belagd"
UNCHECKABLE = "kan inte kontrolleras"
VERDICTS = (OK, RESPONDENTS, ROUNDING, WRONG, IMPOSSIBLE, SELF, CAUSAL, UNCHECKABLE)
#: Verdicts that flag a claim (explained one by one in the appendix).
FLAGGED = (RESPONDENTS, ROUNDING, WRONG, IMPOSSIBLE, SELF, CAUSAL)
COLUMNS = ["id", "quote", "claimed", "recomputed", "verdict", "explanation"]

NEAR = 5  # "knappt/nästan t": the value lies in [t - NEAR, t)
ROUNDING_PP = 1  # at most this many percentage points apart: a rounding difference

FIGURE_QUESTION = {1: "help_kinds", 2: "help_kinds", 3: "help_kinds"}
for _q, _figs in SCALE_QUESTIONS.items():
    FIGURE_QUESTION.update({f: _q for f in _figs.values()})
COUNTY_FIGURES = {figs["county"]: q for q, figs in SCALE_QUESTIONS.items()}
SERIES_FIGURES = {figs["series"]: q for q, figs in SCALE_QUESTIONS.items()}

REGION_ALIASES = {
    "Stockholm/Gotland": "Stockholm samt Gotland",
    "Stockholm": "Stockholm samt Gotland",
}

# Phrases that follow "andelen" in the explanations.
CAT_PHRASE = {
    "high": "positiva svar",
    "low": "negativa svar",
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
COMPONENT = {
    "very_high": "mycket hög",
    "fairly_high": "ganska hög",
    "fairly_low": "ganska låg",
    "very_low": "mycket låg",
}
NUMBER_WORDS = {1: "en", 2: "två", 3: "tre", 4: "fyra", 5: "fem", 6: "sex"}

# --------------------------------------------------------------------------- spec parsing
KINDS = {
    "value": ({"fig", "cat"}, {"year", "region", "op", "vs", "frame"}),
    "change": ({"fig", "cat", "from", "to"}, set()),
    "top": ({"fig", "cat", "k"}, set()),
    "zero": ({"fig", "cat"}, set()),
    "upper": ({"fig", "cat"}, {"year", "region", "vs"}),
    "total": ({"fig", "cat"}, {"year", "region"}),
    "parts": ({"fig", "cat", "total"}, set()),
    "fact": (set(), {"vs"}),
    "share": ({"num", "den"}, set()),
    "sum": (set(), set()),
    "none": (set(), set()),
    "causal": (set(), {"fig", "cat", "from", "to"}),
}
POSITIONAL = {"fact": 1, "sum": 1}


@dataclass(frozen=True)
class Check:
    """A parsed check spec."""

    kind: str
    args: dict = field(default_factory=dict)
    positional: tuple = ()


def _fail(claim_id: str, spec: str, why: str) -> ValueError:
    return ValueError(f"claim {claim_id}: malformed check {spec!r}: {why}")


def parse_check(spec: str, claim_id: str = "?") -> Check:
    """Parse a check spec; raise ValueError naming the claim id if it is malformed."""
    try:
        tokens = shlex.split(spec or "")
    except ValueError as exc:
        raise _fail(claim_id, spec, str(exc)) from None
    if not tokens:
        raise _fail(claim_id, spec, "empty")
    kind, rest = tokens[0], tokens[1:]
    if kind not in KINDS:
        raise _fail(claim_id, spec, f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    required, optional = KINDS[kind]
    args: dict = {}
    positional = []
    for tok in rest:
        if "=" in tok and kind != "sum":
            key, _, val = tok.partition("=")
            if key not in required | optional:
                raise _fail(claim_id, spec, f"unknown argument {key!r} for {kind}")
            if key in args or not val:
                raise _fail(claim_id, spec, f"argument {key!r} repeated or empty")
            args[key] = val
        else:
            positional.append(tok)
    if len(positional) != POSITIONAL.get(kind, 0):
        raise _fail(claim_id, spec, f"{kind} takes {POSITIONAL.get(kind, 0)} plain argument(s)")
    missing = required - set(args)
    if missing:
        raise _fail(claim_id, spec, f"missing {', '.join(sorted(missing))}")
    try:
        out = _convert(kind, args, positional)
    except (ValueError, KeyError) as exc:
        raise _fail(claim_id, spec, str(exc)) from None
    return Check(kind, out, tuple(positional))


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",")]


def _convert(kind: str, args: dict, positional: list) -> dict:
    out = dict(args)
    if "fig" in out:
        out["fig"] = int(out["fig"])
        if out["fig"] not in FIGURE_QUESTION:
            raise ValueError(f"no figure {out['fig']}")
    if "cat" in out:
        out["cat"] = out["cat"].split(",")
        bad = [c for c in out["cat"] if c not in CATEGORIES]
        if bad:
            raise ValueError(f"unknown category {bad[0]!r}")
    out["year"] = _ints(out.get("year", str(audited_edition())))
    for key in ("from", "to", "k"):
        if key in out:
            out[key] = int(out[key])
    region = out.get("region", REGION_NATIONAL)
    if region not in [REGION_NATIONAL, *REGIONS]:
        raise ValueError(f"unknown region {region!r}")
    out["region"] = region
    if out.get("op") not in (None, "complement"):
        raise ValueError(f"unknown op {out['op']!r}")
    if "frame" in out:
        if out["frame"] != "all":
            raise ValueError(f"unknown frame {out['frame']!r} (only 'all')")
        if (
            out["fig"] not in COUNTY_FIGURES
            or region != REGION_NATIONAL
            or out["year"] != [audited_edition()]
            or not set(out["cat"]) <= {"high", "low"}
        ):
            raise ValueError(
                "frame=all needs a county table (figure 12–15), riket, the audited year and "
                "the category high or low (the Manski bounds of analysis.manski)"
            )
    if kind in ("top", "zero") and out["fig"] not in COUNTY_FIGURES:
        raise ValueError(f"{kind} needs a county table (figure 12–15), not {out['fig']}")
    if kind == "change" and out["fig"] not in SERIES_FIGURES:
        raise ValueError(f"change needs a national series (figure 4, 6, 8, 10), not {out['fig']}")
    if kind == "causal" and ("fig" in out) != ("cat" in out):
        raise ValueError("causal takes fig and cat together")
    if kind == "causal" and "fig" in out and out["fig"] not in SERIES_FIGURES:
        raise ValueError("causal fig must be a national series (figure 4, 6, 8, 10)")
    if "vs" in out and kind in ("value", "upper") and not re.fullmatch(r"C\d{2,3}", out["vs"]):
        raise ValueError(f"vs must name another claim (C01 …), not {out['vs']!r}")
    one_cat = ("top", "zero", "change", "upper", "total", "causal")
    if kind in one_cat and len(out.get("cat", [None])) != 1:
        raise ValueError(f"{kind} takes one category")
    if kind == "top" and out["k"] < 1:
        raise ValueError("k must be at least 1")
    if kind == "parts":
        if out["total"] not in AGGREGATES or sorted(out["cat"]) != sorted(AGGREGATES[out["total"]]):
            raise ValueError(f"parts of {out['total']!r} must be {AGGREGATES.get(out['total'])}")
        if out["fig"] not in COUNTY_FIGURES:
            raise ValueError(f"parts needs a county table (figure 12–15), not {out['fig']}")
    if kind == "sum":
        m = re.fullmatch(r"([\w+]+)=(\w+)", positional[0])
        if not m or "+" not in m.group(1):
            raise ValueError("sum needs PART+PART=TOTAL")
        out["parts"] = m.group(1).split("+")
        out["total"] = m.group(2)
    if kind == "fact":
        out["name"] = positional[0]
    return out


# --------------------------------------------------------------------------- claimed parsing
QUALIFIERS = {
    "knappt": "under",
    "nästan": "under",
    "omkring": "about",
    "över": "over",
    "fler än": "over",
}
_NUM = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"


@dataclass(frozen=True)
class Item:
    """One claimed item: a number, range or fraction (``lo``/``hi``/``den``), a region or a
    direction, with an optional qualifier."""

    text: str
    qualifier: str | None = None
    lo: float | None = None
    hi: float | None = None
    den: int | None = None
    region: str | None = None
    direction: str | None = None

    @property
    def percent(self) -> float:
        """The item as a percentage (a fraction ``a av b`` becomes 100·a/b)."""
        return 100 * self.lo / self.den if self.den else self.lo


def _number(text: str) -> float:
    return float(re.sub(r"[ \u00a0\u202f]", "", text).replace(",", "."))


def parse_item(text: str, claim_id: str = "?") -> Item:
    """Parse one ``;``-separated item of the ``claimed`` column."""
    t = " ".join(text.split())
    if t in ("ökning", "minskning"):
        return Item(t, direction=t)
    for alias, region in sorted(REGION_ALIASES.items(), key=lambda kv: -len(kv[0])):
        if t == alias or t.startswith(alias + " "):
            t = region + t[len(alias) :]
            break
    for region in sorted(REGIONS, key=len, reverse=True):
        if t == region:
            return Item(text.strip(), region=region)
        m = re.fullmatch(re.escape(region) + rf" ({_NUM})", t)
        if m:
            v = _number(m.group(1))
            return Item(text.strip(), lo=v, hi=v, region=region)
    qualifier = None
    for word, q in QUALIFIERS.items():
        if t.startswith(word + " "):
            qualifier, t = q, t[len(word) + 1 :]
            break
    if m := re.fullmatch(rf"({_NUM}) av ({_NUM})", t):
        return Item(
            text.strip(),
            qualifier,
            _number(m.group(1)),
            _number(m.group(1)),
            int(_number(m.group(2))),
        )
    if m := re.fullmatch(rf"({_NUM})\s*[–-]\s*({_NUM})", t):
        return Item(text.strip(), qualifier, _number(m.group(1)), _number(m.group(2)))
    if re.fullmatch(_NUM, t):
        return Item(text.strip(), qualifier, _number(t), _number(t))
    raise ValueError(f"claim {claim_id}: cannot read claimed item {text!r}")


def parse_claimed(text: str, claim_id: str = "?") -> list[Item]:
    """All items of a ``claimed`` cell."""
    items = [parse_item(p, claim_id) for p in str(text).split(";") if p.strip()]
    if not items:
        raise ValueError(f"claim {claim_id}: nothing claimed")
    return items


# --------------------------------------------------------------------------- judging numbers
def _round_half_up(v: float) -> int:
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
    if item.lo is None:
        raise ValueError(f"claimed item {item.text!r} is not a number")
    t = item.percent
    exact_claim = item.qualifier is None and item.lo == item.hi and not item.den
    if exact_claim and n is not None and not producible(t, n):
        return IMPOSSIBLE
    if item.qualifier == "under":
        if t - NEAR <= value < t:
            return OK
        return ROUNDING if t <= value <= t + ROUNDING_PP else WRONG
    if item.qualifier == "over":
        return OK if value > t else WRONG
    if item.qualifier == "about" and item.lo == item.hi:
        return OK if abs(value - t) <= 0.1 * abs(t) + 0.5 else WRONG
    if item.den:
        return OK if abs(value - t) <= 50 / item.den else WRONG
    if item.lo != item.hi:
        if item.lo <= value <= item.hi:
            return OK
        gap = min(abs(value - item.lo), abs(value - item.hi))
        return ROUNDING if gap <= ROUNDING_PP else WRONG
    if _round_half_up(value) == t:
        return OK
    if abs(value - t) > ROUNDING_PP:
        return WRONG
    if n is not None and float(value).is_integer():
        return ROUNDING if rounding_pair(int(t), int(value), n) else WRONG
    return ROUNDING


def worst(verdicts) -> str:
    """The combined verdict: impossible first, then disagreement, uncheckable, rounding."""
    verdicts = list(verdicts)
    for v in (IMPOSSIBLE, WRONG, SELF, UNCHECKABLE, ROUNDING):
        if v in verdicts:
            return v
    return OK


# --------------------------------------------------------------------------- helpers
def _pct(v: float) -> str:
    return fmt.pct(v, 0 if float(v).is_integer() else 1)


def _region_sv(region: str) -> str:
    return "riket" if region == REGION_NATIONAL else region


def _is_prose(source: str) -> bool:
    """True when a published value comes from the report's running text, not a figure/table."""
    return not str(source).startswith(("Figur", "Tabellbilaga"))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _claimed_text(items: list[Item]) -> str:
    return "; ".join(i.text for i in items)


def _fact_row(name: str, claim_id: str) -> pd.Series:
    facts = data.report_facts()
    if name not in facts.index:
        raise ValueError(f"claim {claim_id}: no fact {name!r} in report_facts.csv")
    return facts.loc[name]


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


# --------------------------------------------------------------------------- the kinds
@dataclass
class Result:
    """What a check computes for one claim."""

    recomputed: str
    verdict: str
    explanation: str


def _lookup(fig: int, cat: str, year: int, region: str, claim_id: str) -> pd.Series:
    d = data.report_figures()
    hit = d[
        (d["figure"] == fig)
        & (d["category"] == cat)
        & (d["year"] == year)
        & (d["region"] == region)
        & (d["edition"] == audited_edition())  # figure numbers are the audited edition's
    ]
    if hit.empty:
        raise ValueError(
            f"claim {claim_id}: no published value for figure {fig}, {cat}, {year}, {region}"
        )
    return hit.iloc[0]


def _other_printings(row: pd.Series) -> pd.DataFrame:
    d = data.report_figures()
    same = (
        (d["question"] == row["question"])
        & (d["year"] == row["year"])
        & (d["region"] == row["region"])
        & (d["category"] == row["category"])
    )
    return d[same & (d["figure"] != row["figure"])]


@cache
def national_n() -> dict[str, int]:
    rec = reconstruct.solve(audited_edition())
    return {r["question"]: int(r["n"]) for _, r in reconstruct.national_check(rec).iterrows()}


def audited_edition() -> int:
    """The report edition this audit examines: the one whose text is ``data/report_text.csv`` and
    whose claims ``data/claims.csv`` registers, i.e. the first transcribed edition (the
    ``edition`` column of ``data/report_figures.csv``). A later round's rows carry their own,
    later edition, so adding a round does not move the audit onto the new numbers.

    Read once per state of the file: the audit asks for it for every claim. The cache key is
    the reader, the file's path, modification time and size, so a new round written into the
    file, another data folder (``paths.REPORT_FIGURES`` moved) or a substituted reader (tests)
    is read afresh within the same process."""
    f = paths.REPORT_FIGURES
    st = f.stat()
    return _audited_edition(data.report_figures, str(f), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _audited_edition(read, path: str, mtime_ns: int, size: int) -> int:
    return int(read()["edition"].min())


def n_for(question: str, year: int, region: str) -> int | None:
    """How many municipalities a published percentage of the audited edition's own round is
    based on (None: unknown).

    National rows of the scale questions: the reconstructed number of answers to the question;
    regions: the reconstructed n of the region (:mod:`reconstruct`); the help question: the
    survey's respondents (N=244 in the captions of figures 1–3). Earlier years: unknown.
    """
    audited = audited_edition()
    if int(year) != audited:
        return None
    if question == "help_kinds":
        return int(data.fact("respondents")) if region == REGION_NATIONAL else None
    if question not in SCALE_QUESTIONS:
        return None
    if region == REGION_NATIONAL:
        return national_n()[question]
    return reconstruct.solve(audited).n(region, question)


def _frac(k: int, n: int) -> str:
    return f"{k} av {n} = {fmt.pct(100 * k / n, 1)}"


def _grim_text(claimed: float, printed: float, n: int | None, who: str) -> str:
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
        near = " och ".join(_frac(k, n) for k in (below, above) if k is not None)
        return (
            f"; med {n} svarande kommuner kan ingen andel avrundas till {t} % ({near}), så "
            "siffran är ett fel och inte en avrundning"
        )
    pair = rounding_pair(t, int(printed), n) if float(printed).is_integer() else []
    if pair:
        return (
            f"; {_frac(pair[0], n)} avrundas till {_pct(printed)} men blir {t} % om man "
            "avrundar åt andra hållet, så samma antal kommuner ger båda siffrorna"
        )
    return (
        f"; inget antal av de {n} svarande ger både {_pct(printed)} och {t} %, så "
        "skillnaden kan inte förklaras med avrundning"
    )


def _check_value(claim: pd.Series, c: Check, items: list[Item], register) -> Result:
    a = c.args
    rows = [
        _lookup(a["fig"], cat, y, a["region"], claim["id"]) for cat in a["cat"] for y in a["year"]
    ]
    values = [float(r["percent"]) for r in rows]
    ns = [n_for(r["question"], r["year"], r["region"]) for r in rows]
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
    recomputed = "; ".join(_pct(v) for v in values)
    prose = [r for r in rows if _is_prose(r["source"])]
    what = _describe(rows, values, a)
    year = f" {a['year'][0]}" if len(a["year"]) == 1 else ""
    where = f"figur {a['fig']}, {_region_sv(a['region'])}{year}"
    enligt = f"figur {a['fig']} ({_region_sv(a['region'])}{year})"
    claimed = _claimed_text(items)
    verdict = worst(verdicts)
    other_claim = _other_claim(register, a.get("vs"), claim["id"])
    if prose:
        conflicts = []
        for r in prose:
            other = _other_printings(r)
            for _, o in other[other["percent"] != r["percent"]].iterrows():
                conflicts.append(
                    f"{_lower_first(str(o['source']))} anger {_pct(o['percent'])} "
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
        src = _lower_first(str(prose[0]["source"]))
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
    grim = "".join(
        _grim_text(i.lo, v, n, "andelen")
        for (i, v, n), vd in zip(triples, verdicts, strict=True)
        if vd in (ROUNDING, IMPOSSIBLE)
        or (vd == WRONG and i.lo is not None and abs(i.lo - v) <= ROUNDING_PP)
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


def manski_percent(question: str, category: str, complement: bool = False) -> dict:
    """Manski's bounds (:func:`stats.manski_bounds`, as in the book's ``manski_bounds.csv``) of a
    national share of the audited edition's round among all the country's municipalities, in
    percent: ``lower``, ``upper``, ``k``, ``n`` (answered the question), ``N`` (all
    municipalities). ``complement`` gives the bounds of 100 minus the share. The counts are the
    audited round's reconstruction, so a later round does not move the audit.
    """
    year = audited_edition()
    rec = reconstruct.solve(year)
    k = sum(int(rec.chosen[r, question].aggregate(category)) for r in rec.regions)
    n = sum(int(rec.n(r, question)) for r in rec.regions)
    b = stats.manski_bounds(k, n, int(data.municipalities(year)))
    lo, hi = 100 * b.lower, 100 * b.upper
    if complement:
        lo, hi = 100 - hi, 100 - lo
    return {"lower": lo, "upper": hi, "k": b.k, "n": b.n, "N": b.N}


def _frame_all(row: pd.Series, items: list[Item], complement: bool) -> tuple[str, str, str]:
    """A claim about the country's municipalities (``frame=all``) that holds among those who
    answered: does it also hold for every share among all N municipalities that the answers
    allow (the Manski bounds, no assumption about those who did not answer)? Each claimed item
    is a convex set of values, so checking both bounds settles every share between them.
    Returns the verdict, an explanatory sentence and the bounds as text."""
    b = manski_percent(row["question"], row["category"], complement)
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


def _other_claim(register: pd.DataFrame | None, other_id: str | None, claim_id: str):
    """The register row ``other_id`` (a ``vs=`` argument), or None."""
    if other_id is None or register is None:
        return None
    hit = register[register["id"] == other_id]
    if hit.empty:
        raise ValueError(f"claim {claim_id}: vs={other_id} names no claim of the register")
    return hit.iloc[0]


def _describe(rows: list, values: list[float], a: dict) -> str:
    """``andelen positiva svar 42 % 2022 och 61 % 2023`` (grouped by category)."""
    if a.get("op") == "complement":
        v0 = rows[0]["percent"]
        return (
            f"andelen {CAT_PHRASE[rows[0]['category']]} {_pct(v0)}, så resten är "
            f"100 − {fmt.num(v0)} = {_pct(values[0])}"
        )
    by_cat: dict[str, list[str]] = {}
    for r, v in zip(rows, values, strict=True):
        year = f" {r['year']}" if len(a["year"]) > 1 else ""
        by_cat.setdefault(r["category"], []).append(f"{_pct(v)}{year}")
    return fmt.swedish_list(
        [f"andelen {CAT_PHRASE.get(cat, cat)} {fmt.swedish_list(vs)}" for cat, vs in by_cat.items()]
    )


def value_keys(c: Check) -> set:
    """(question, category, year, region) of every value a ``value`` check looks up."""
    if c.kind != "value":
        return set()
    q = FIGURE_QUESTION[c.args["fig"]]
    return {(q, cat, y, c.args["region"]) for cat in c.args["cat"] for y in c.args["year"]}


def _same_key_claims(register: pd.DataFrame | None, c: Check, claim_id: str) -> list[str]:
    """Other claims of the register that state the same published quantity."""
    if register is None:
        return []
    keys = value_keys(c)
    return [
        f"{r['id']} (avsnittet {r['section']})"
        for _, r in register.iterrows()
        if r["id"] != claim_id and value_keys(parse_check(r["check"], r["id"])) & keys
    ]


def _ranked(fig: int, cat: str) -> pd.Series:
    t = data.county_table(COUNTY_FIGURES[fig], year=audited_edition())[cat].drop(REGION_NATIONAL)
    order = {r: i for i, r in enumerate(REGIONS)}
    return t.sort_index(key=lambda idx: idx.map(order)).sort_values(ascending=False, kind="stable")


def _listing(s: pd.Series) -> str:
    return fmt.swedish_list([f"{r} {_pct(v)}" for r, v in s.items()])


def _top_set(s: pd.Series, k: int) -> tuple[set, set]:
    kth = s.iloc[k - 1]
    return set(s[s > kth].index), set(s[s == kth].index)


def _check_top(claim: pd.Series, c: Check, items: list[Item]) -> Result:
    fig, cat, k = c.args["fig"], c.args["cat"][0], c.args["k"]
    names = [i.region for i in items]
    if None in names or len(names) != k or len(set(names)) != k:
        raise ValueError(f"claim {claim['id']}: top k={k} needs {k} distinct region items")
    s = _ranked(fig, cat)
    must, may = _top_set(s, k)
    actual = s[s >= s.iloc[k - 1]]
    recomputed = "; ".join(f"{r} {_pct(v)}" for r, v in actual.items())
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
                alt.append(f"figur {f2} ({_lower_first(_short(f2))}: {_listing(s2[names])})")
        text = f"{head}; de nämnda länen har där {named}"
        if alt:
            text += (
                f" – de är i stället de {NUMBER_WORDS.get(k, k)} högsta i {fmt.swedish_list(alt)}"
            )
        return Result(recomputed, WRONG, text + ".")
    vals = s[names].tolist()
    if any(a < b for a, b in zip(vals, vals[1:], strict=False)):
        return Result(
            recomputed,
            WRONG,
            f"{head}; länen stämmer men påståendet räknar upp dem i en annan ordning.",
        )
    q = COUNTY_FIGURES[fig]
    audited = audited_edition()
    checks = [(i, s[i.region], n_for(q, audited, i.region)) for i in items if i.lo is not None]
    verdict = worst(judge(i, v, n) for i, v, n in checks)
    if verdict == OK:
        return Result(
            recomputed,
            OK,
            f"{head}, samma län"
            + (" och siffror som påståendet." if checks else " som påståendet."),
        )
    diffs = []
    for i, v, n in checks:
        if judge(i, v, n) == OK:
            continue
        parts = ""
        if cat in AGGREGATES:
            t = data.county_table(q, year=audited_edition())
            comps = t.loc[i.region, AGGREGATES[cat]]
            if comps.notna().all():
                parts = (
                    " ("
                    + " + ".join(f"{COMPONENT[x]} {fmt.num(comps[x])}" for x in AGGREGATES[cat])
                    + ")"
                )
        text = f"för {i.region} ger tabellen {_pct(v)}{parts} där påståendet anger {fmt.num(i.lo)}"
        if abs(i.lo - v) <= ROUNDING_PP or judge(i, v, n) == IMPOSSIBLE:
            text += _grim_text(i.lo, v, n, f"{i.region}s andel")
            if n is not None:
                municipalities = int(data.region_municipalities()[i.region])
                if not any(producible(i.lo, m) for m in range(1, municipalities + 1)):
                    text += (
                        f", och inte heller något annat antal svarande bland länets "
                        f"{municipalities} kommuner kan ge {fmt.num(i.lo)} %"
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


def _short(fig: int) -> str:
    from kommunenkat.core.labels import SHORT_QUESTIONS

    return SHORT_QUESTIONS[COUNTY_FIGURES[fig]]


def _check_zero(claim: pd.Series, c: Check, items: list[Item]) -> Result:
    fig, cat = c.args["fig"], c.args["cat"][0]
    s = _ranked(fig, cat)
    actual = [r for r in REGIONS if s[r] == 0]
    names = [i.region for i in items if i.region]
    counts = [i.lo for i in items if i.region is None]
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


def _check_change(claim: pd.Series, c: Check, items: list[Item]) -> Result:
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
    recomputed = f"{_pct(v0)} → {_pct(v1)} ({fmt.pp(v1 - v0)})"
    verdict = OK if actual == dirs[0] else WRONG
    tail = "i linje med påståendet" if verdict == OK else f"inte en {dirs[0]}"
    return Result(
        recomputed,
        verdict,
        f"Figur {a['fig']} ger för riket andelen {CAT_PHRASE[cat]} "
        f"{_pct(v0)} {a['from']} och {_pct(v1)} {a['to']}, en {actual} med "
        f"{fmt.pp(abs(v1 - v0), sign=False)}, {tail}."
        + _assumed_years(claim, a["fig"], cat, (a["from"], a["to"])),
    )


def _assumed_years(claim: pd.Series, fig: int, cat: str, years) -> str:
    """A sentence naming the years whose chart label the transcription assigned by the labels'
    order (status ``order_assumed``), and whether an outside source (noted in the row) supports
    the value: the verdict then rests on that assumption."""
    bits = []
    for y in years:
        row = _lookup(fig, cat, int(y), REGION_NATIONAL, claim["id"])
        if str(row["status"]) != "order_assumed":
            continue
        support = (
            "värdet stöds av SKR:s pressmaterial"
            if "pressmaterial" in str(row["note"])
            else "inget annat i rapporten bekräftar det"
        )
        bits.append(f"{y} ({_pct(row['percent'])}; {support})")
    if not bits:
        return ""
    return (
        f" Figurens etiketter står inte i årsordning i källan, och året "
        f"{fmt.swedish_list(bits)} är antaget ur etiketternas ordning; bedömningen vilar på "
        "det antagandet."
    )


def _check_upper(claim: pd.Series, c: Check, items: list[Item], register) -> Result:
    a = c.args
    cat = a["cat"][0]
    row = _lookup(a["fig"], cat, a["year"][0], a["region"], claim["id"])
    v = float(row["percent"])
    lows = [i.percent for i in items if i.lo is not None]
    if len(lows) != 1:
        raise ValueError(f"claim {claim['id']}: upper needs one numeric item")
    where = "bara i texten" if _is_prose(row["source"]) else f"i figur {a['fig']}"
    base = (
        f"Rapporten redovisar bara andelen {CAT_PHRASE[cat]} ({_pct(v)}, "
        f"{where}); påståendet gäller en delgrupp av dessa kommuner som inte redovisas"
    )
    if lows[0] >= v:
        return Result(f"högst {_pct(v)}", WRONG, base + f", och den kan inte överstiga {_pct(v)}.")
    other = _other_claim(register, a.get("vs"), claim["id"])
    if other is not None:
        # A subgroup of a published share: it cannot exceed that share but may be anything
        # below it, so the two descriptions are compatible and the claim stays unchecked.
        return Result(
            f"högst {_pct(v)}",
            UNCHECKABLE,
            f"Påståendet använder andra gränser än {other['id']} (avsnittet "
            f"{other['section']}: ”{other['quote']}”). Rapporten redovisar bara andelen "
            f"{CAT_PHRASE[cat]} ({_pct(v)}, {where}); påståendet gäller en delgrupp av "
            f"dessa kommuner, vars andel kan vara allt upp till {_pct(v)} och inte "
            "publiceras. De två uppgifterna kan alltså vara sanna samtidigt, men påståendet "
            "kan varken bekräftas eller avfärdas.",
        )
    return Result(
        f"högst {_pct(v)}", UNCHECKABLE, base + ", så det kan varken bekräftas eller avfärdas."
    )


#: Mutually exclusive answer categories whose printed shares cannot sum past 100 %.
EXCLUSIVE = ("high", "middle", "low", "dont_know")


def _check_total(claim: pd.Series, c: Check, items: list[Item]) -> Result:
    """The claimed shares of one category over several years, and whether each year's printed
    shares of the mutually exclusive categories can be true at all (sum ≤ 100 % + rounding)."""
    a = c.args
    cat = a["cat"][0]
    rows = [_lookup(a["fig"], cat, y, a["region"], claim["id"]) for y in a["year"]]
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
            f"utesluter varandra: {recomputed}. {NUMBER_WORDS.get(k, k).capitalize()} "
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


def _check_parts(claim: pd.Series, c: Check, items: list[Item]) -> Result:
    """Claimed parts of an aggregate and the aggregate itself (national row, 2023): when the
    printed parts do not add up to the printed total, is there a count of the n answers that
    produces all of them (a rounding difference), or none (impossible)?"""
    a = c.args
    q = COUNTY_FIGURES[a["fig"]]
    cats = [*a["cat"], a["total"]]
    audited = audited_edition()
    printed = [
        int(_lookup(a["fig"], x, audited, REGION_NATIONAL, claim["id"])["percent"]) for x in cats
    ]
    if len(items) != len(cats) or any(i.lo is None for i in items):
        raise ValueError(f"claim {claim['id']}: parts needs one number per part and the total")
    recomputed = f"{' + '.join(fmt.num(p) for p in printed[:-1])} = {_pct(sum(printed[:-1]))}"
    recomputed += f"; tryckt summa {_pct(printed[-1])}"
    off = [i.text for i, p in zip(items, printed, strict=True) if i.lo != p]
    if off:
        return Result(
            recomputed,
            WRONG,
            f"Tabellen ger {recomputed}, medan påståendet anger {_claimed_text(items)}.",
        )
    if sum(printed[:-1]) == printed[-1]:
        return Result(recomputed, OK, f"Delarna {recomputed}, samma som summan.")
    n = n_for(q, audited, REGION_NATIONAL)
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
        f"andelen {CAT_PHRASE[x]} ({_pct(p)})" for x, p in zip(a["cat"], printed, strict=False)
    )
    head = (
        f"{parts_txt[0].upper()}{parts_txt[1:]} blir tillsammans {_pct(sum(printed[:-1]))}, men "
        f"andelen {CAT_PHRASE[a['total']]} trycks som {_pct(printed[-1])} (figur {a['fig']}, "
        f"riket {audited}, {n} svarande)"
    )
    if example is None:
        return Result(
            recomputed,
            IMPOSSIBLE,
            head + "; inget antal kommuner ger alla tre siffrorna, så minst en av dem är fel.",
        )
    exact = " och ".join(_frac(k, n) for k in example)
    return Result(
        recomputed,
        ROUNDING,
        head + f". Samma antal kommuner kan ge alla tre: {exact}, "
        f"tillsammans {_frac(sum(example), n)}, vilket avrundas till "
        f"{_pct(printed[-1])}. Skillnaden är alltså en avrundning.",
    )


def _check_causal(claim: pd.Series, c: Check) -> Result:
    """A sentence that attributes an observed result to a cause the survey cannot identify."""
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
        recomputed = f"{_pct(v0)} → {_pct(v1)}"
        observed = (
            f" Det som förklaras är en förändring i svaren: andelen {CAT_PHRASE[cat]} "
            f"i figur {a['fig']} gick från {_pct(v0)} {a['from']} till {_pct(v1)} "
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


def _check_fact(claim: pd.Series, c: Check, items: list[Item], register) -> Result:
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
            (r, parse_check(r["check"], r["id"]))
            for _, r in register.iterrows()
            if r["id"] != claim["id"]
        ]
        same = [r for r, o in others if o.kind == "fact" and o.args["name"] == name]
        sums = [r["id"] for r, o in others if o.kind == "sum" and name in o.args["parts"]]
        if same:
            agree = all(parse_claimed(r["claimed"], r["id"])[0].lo == lo for r in same)
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


def _check_share(claim: pd.Series, c: Check, items: list[Item]) -> Result:
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
        OK: f"avrundat blir det {_pct(_round_half_up(share))} som i påståendet",
        ROUNDING: f"påståendet anger {item.text}, en avrundningsskillnad",
        WRONG: f"påståendet anger {item.text}",
    }[verdict]
    return Result(rec, verdict, f"{fmt.num(num)} / {fmt.num(den)} = {rec}, där {den_src}; {tail}.")


def _check_sum(claim: pd.Series, c: Check, items: list[Item]) -> Result:
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


def evaluate(claim: pd.Series, register: pd.DataFrame | None = None) -> Result:
    """Recompute one claim of the register (a row with at least id, claimed, check, note)."""
    c = parse_check(claim["check"], claim["id"])
    note = claim.get("note")
    if c.kind == "none":
        if note is None or pd.isna(note) or not str(note).strip():
            raise ValueError(f"claim {claim['id']}: check 'none' needs a note saying why")
        return Result("–", UNCHECKABLE, str(note).strip())
    if c.kind == "causal":
        return _check_causal(claim, c)
    items = parse_claimed(claim["claimed"], claim["id"])
    if c.kind in ("value", "fact", "upper"):
        return {"value": _check_value, "fact": _check_fact, "upper": _check_upper}[c.kind](
            claim, c, items, register
        )
    return {
        "top": _check_top,
        "zero": _check_zero,
        "change": _check_change,
        "share": _check_share,
        "sum": _check_sum,
        "total": _check_total,
        "parts": _check_parts,
    }[c.kind](claim, c, items)


# --------------------------------------------------------------------------- public API
def register() -> pd.DataFrame:
    """The claims register ``data/claims.csv`` as a DataFrame (text columns, no NaN ids)."""
    df = pd.read_csv(paths.CLAIMS, encoding="utf-8", dtype=str, keep_default_na=False)
    if "note" not in df.columns:
        df["note"] = ""
    return df


def audit() -> pd.DataFrame:
    """Every claim with its recomputed value, verdict and Swedish explanation."""
    reg = register()
    rows = []
    for _, claim in reg.iterrows():
        res = evaluate(claim, reg)
        rows.append(
            [
                claim["id"],
                claim["quote"],
                claim["claimed"],
                res.recomputed,
                res.verdict,
                res.explanation,
            ]
        )
    return pd.DataFrame(rows, columns=COLUMNS)


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


def summary(df: pd.DataFrame | None = None) -> pd.DataFrame:
    """Number of claims per verdict, in the fixed verdict order (zeros included)."""
    df = audit() if df is None else df
    counts = df["verdict"].value_counts()
    return pd.DataFrame(
        {"verdict": list(VERDICTS), "count": [int(counts.get(v, 0)) for v in VERDICTS]}
    )


def appendix_possibility() -> pd.DataFrame:
    """GRIM-type check of the appendix: can every printed row of figures 12–15 be true?

    Each row of the county tables, read from the report's text (:func:`scan.table_rows`), is
    compared with the transcription (``data/report_figures.csv``) and with the reconstructed
    counts (:mod:`reconstruct`): ``possible`` is True when the counts, rounded to whole percent
    with halves up as the report does, give exactly the eight printed numbers of the row.
    """
    from kommunenkat.audit import scan

    rec_year = audited_edition()
    rec = reconstruct.solve(rec_year)
    cats = [*SCALE, *AGGREGATES]
    rows = []
    for _, r in scan.table_rows().iterrows():
        q = COUNTY_FIGURES[int(r["figure"])]
        region = REGION_NATIONAL if r["region"].startswith("Samtliga") else r["region"]
        printed = [int(v) for v in data.county_table(q, year=rec_year).loc[region, cats]]
        if region == REGION_NATIONAL:
            n = sum(rec.n(x, q) for x in rec.regions)
            counts = [sum(rec.chosen[x, q].aggregate(c) for x in rec.regions) for c in cats]
        else:
            n = rec.n(region, q)
            counts = [rec.chosen[region, q].aggregate(c) for c in cats]
        rows.append(
            {
                "figure": int(r["figure"]),
                "region": region,
                "n": n,
                "matches_transcription": list(r["values"]) == printed,
                "possible": [reconstruct.printed_percent(k, n) for k in counts]
                == list(r["values"]),
            }
        )
    return pd.DataFrame(rows)


DERIVED = {"claims_audit.csv": audit}
