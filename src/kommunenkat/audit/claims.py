"""The claims register ``data/claims.csv`` and the grammar of its ``check`` and ``claimed`` columns.

The register has one row per numeric or causal statement in the report, with the columns

``id``         stable id (``C01`` …)
``section``    the report section the statement stands in
``quote``      a short exact quote (at most 20 words)
``claimed``    the claimed number(s) as text, ``;``-separated (grammar below)
``refers_to``  what the statement is about, in words (figure, question, year, region, category)
``check``      a small machine-readable spec saying how to recompute it (grammar below)
``note``       for ``check = none``: why the published data cannot check the statement; for
               ``check = causal``: what the sentence attributes to what

This module reads the register (:func:`register`) and parses its cells (:func:`parse_check`,
:func:`parse_claimed`); it computes nothing. :func:`kommunenkat.audit.checks.audit` interprets
every spec against the data files, and :mod:`kommunenkat.audit.verdicts` names and orders the
verdicts. Nothing recomputed and no verdict is stored in the register.

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
    printed shares of the mutually exclusive categories
    (:data:`kommunenkat.audit.figure_checks.EXCLUSIVE`) of each year can be true at all: k
    rounded shares sum to at most 100 + k/2.
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
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from kommunenkat.core import paths
from kommunenkat.core.labels import (
    AGGREGATES,
    CATEGORIES,
    REGION_NATIONAL,
    REGIONS,
    SCALE_QUESTIONS,
)
from kommunenkat.inputs import data

FIGURE_QUESTION = {1: "help_kinds", 2: "help_kinds", 3: "help_kinds"}
for _q, _figs in SCALE_QUESTIONS.items():
    FIGURE_QUESTION.update({f: _q for f in _figs.values()})
COUNTY_FIGURES = {figs["county"]: q for q, figs in SCALE_QUESTIONS.items()}
SERIES_FIGURES = {figs["series"]: q for q, figs in SCALE_QUESTIONS.items()}

REGION_ALIASES = {
    "Stockholm/Gotland": "Stockholm samt Gotland",
    "Stockholm": "Stockholm samt Gotland",
}


# --------------------------------------------------------------------------- the register
def register() -> pd.DataFrame:
    """The claims register ``data/claims.csv`` as a DataFrame (text columns, no NaN ids)."""
    df = pd.read_csv(paths.CLAIMS, encoding="utf-8", dtype=str, keep_default_na=False)
    if "note" not in df.columns:
        df["note"] = ""
    return df


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
def _audited_edition(read: Callable[[], pd.DataFrame], path: str, mtime_ns: int, size: int) -> int:
    return int(read()["edition"].min())


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
    """A parsed check spec: its kind and its arguments, converted (figure numbers and years as
    integers, categories as a list, defaults filled in; ``fact`` and ``sum`` keep their plain
    argument as ``name``, or as ``parts`` and ``total``)."""

    kind: str
    args: dict = field(default_factory=dict)


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
    return Check(kind, out)


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


def value_keys(c: Check) -> set:
    """(question, category, year, region) of every value a ``value`` check looks up."""
    if c.kind != "value":
        return set()
    q = FIGURE_QUESTION[c.args["fig"]]
    return {(q, cat, y, c.args["region"]) for cat in c.args["cat"] for y in c.args["year"]}


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
        """The item as a percentage (a fraction ``a av b`` becomes 100·a/b); an item without a
        number (a region or a direction) raises ValueError."""
        if self.lo is None:
            raise ValueError(f"claimed item {self.text!r} is not a number")
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
