"""Scan the report's whole text for numeric and causal statements (coverage of the claims audit).

``data/report_text.csv`` holds the report as plain text, one row per line of the text extraction
(``line``, ``text``; trailing spaces removed, nothing else changed). It is imported once from the
extraction with ``python -m kommunenkat.audit.scan import PATH`` and committed, so the scan runs on
a fresh clone without the extraction.

:func:`sentences` splits the text into units a reader would call sentences:

1. Hyphenated line breaks (``enkätundersök-`` / ``ningar``) are joined; blank lines end a block.
2. Every block is classified (the ``kind`` column of :func:`sentences`): a heading, a figure
   caption (``Figur N.``), a chart label line (only percentages and years), a legend line, a
   footnote (``N Source …``), a row of the county tables (a region and eight integers), or
   running text.
3. Running text and bullet points are split into sentences at ``.``, ``!``, ``?`` or ``:`` followed
   by white space and an upper-case letter, a digit or a bullet; abbreviations such as ``bl.a.``
   and ``kap.`` do not end a sentence.

Every unit is then checked for

* **numbers** (:func:`numbers`): digits and number words (``fem``, ``fyra av tio``,
  ``två tredjedelar``, ``halva``, ``majoritet``) that state a quantity. Years, dates, figure,
  footnote and law references (``figur 2``, ``SOU 2020:41``, ``8 kap. 7§``) and list numbering are
  not quantities and are removed first.
* **quantity words** (:data:`QUANTITY_WORDS`, :func:`quantity_words`): words that state a
  quantity, a ranking or a direction without a number (``andelen``, ``flest``, ``ökat`` …).
* **causal markers** (:data:`CAUSAL_MARKERS`): words with which a sentence attributes something to a
  cause or an effect (``resultat av``, ``bidragit till``, ``gjort avtryck``, ``bero på`` …).

:func:`coverage` matches every running-text unit with any of these against the claims register
(:func:`kommunenkat.audit.claims.register`: the quote is a substring of the unit) and the list
of statements that are deliberately not audited (``data/claims_not_audited.csv``, with a reason
each). A unit that is in neither is *uncovered*; the tests require there to be none.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pandas as pd

from kommunenkat.audit import claims
from kommunenkat.core import paths

REPORT_TEXT = paths.DATA / "report_text.csv"
NOT_AUDITED = paths.DATA / "claims_not_audited.csv"

# Headings that start a section of the report, in order (they give each unit its section).
SECTIONS = (
    "Förord",
    "Sammanfattning och förslag",
    "Kommunenkät 2023",
    "Arbetsförmedlingens fördjupade och enklare stöd till arbetslösa",
    "Arbetsförmedlingens kommunsamarbete strategiskt och operativt",
    "Lokalt stöd till arbetsgivare",
    "Förutsättningar för samarbete och kommunalt uppdrag",
    "Samarbetet konkretiserat i överenskommelser",
    "Juridiska förutsättningar för kommunerna att anordna statliga arbetsmarknadsinsatser",
    "Potentialen i Arbetsförmedlingens kommunsamarbete begränsas",
    "Kommunerna måste få ett tydligare uppdrag i arbetsmarknadspolitiken",
    "Tabellbilaga – länsuppdelad statistik",
    "Brister i arbetsmarknadspolitiken och behovet av ett välfungerande aktivitetskrav",
)

CAUSAL_MARKERS = (
    "resultat av",
    "bidragit till",
    "gjort avtryck",
    "givit tillräckligt stort avtryck",
    "återspegling av",
    "bero på",
    "beror på",
    "på grund av",
    "till följd av",
    "urvattnats av",
    "lett till",
    "leder till",
    "tvingas",
    "har inte täckts upp",
    "blivit tydligare",
)

NUMBER_WORDS = (
    "två",
    "tre",
    "fyra",
    "fem",
    "sex",
    "sju",
    "åtta",
    "nio",
    "tio",
    "elva",
    "tolv",
    "tjugo",
    "hälften",
    "halva",
    "majoritet",
    "majoriteten",
    "tredjedel",
    "tredjedelar",
    "fjärdedel",
)

_ABBREVIATIONS = ("bl.a.", "t.ex.", "kap.", "s.", "m.m.", "dvs.", "ca.", "nr.")
_TABLE_ROW = re.compile(r"^\D+?(?:\s20\d\d)?\s(?:\d{1,3}\s+){7}\d{1,3}$")
_FOOTNOTE = re.compile(r"^\d{1,2} [A-ZÅÄÖ]")
_CAPTION = re.compile(r"^Figur \d+\.")
_CHART = re.compile(r"^(?:\d{1,3}\s?%\s*|(?:19|20)\d\d\s*)+$")
_LEGEND = re.compile(r"^Grönt=")

# Numbers that are not quantities: references, dates, years, list numbering.
_NOT_QUANTITY = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bfigur(?:erna)?\s+\d+(?:\s*(?:[–-]|och)\s*\d+)?",
        r"\b(?:SOU|Ds)\s+\d{4}:\d+",
        r"\(\d{4}:\d+\)",
        r"\bFörordning\s+\(\d{4}:\d+\)",
        r"\b\d+\s+kap\.\s*\d+\s*§",
        r"\bkap\.\s*\d+",
        r"\b\d+\s*§",
        r"\b\d{4}-\d{2}-\d{2}\b",
        r"\b\d{1,2}\s+(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|"
        r"november|december)\b",
        r"\b(?:19|20)\d\d(?:\s*[–-]\s*(?:19|20)\d\d)?\b",
        r"\bN=\d+",
        r"\b\d+\s+\d+\s+Figur\b",
        r"(?<=[a-zåäö.,;:)”])\d{1,2}\b(?=\s|$)",  # footnote markers glued to a word
        r"”\s*\d{1,2}\b",  # a footnote marker after a closing quote
        r"^\d\.\s",  # list numbering at the start
    )
]
QUANTITY_WORDS = (
    "andel",
    "andelen",
    "flest",
    "högst",
    "ökat",
    "ökning",
    "minskat",
    "stigit",
    "samtliga",
    "ingen kommun",
    "alla kommuner",
    "många kommuner",
    "fler kommuner",
    "nästan alla",
)
_QUANTITY = re.compile(r"\b(?:" + "|".join(QUANTITY_WORDS) + r")\b", re.IGNORECASE)
_DIGITS = re.compile(r"\d+(?:[ ,]\d+)*")
_WORDS = re.compile(r"\b(?:" + "|".join(NUMBER_WORDS) + r")\b", re.IGNORECASE)


# --------------------------------------------------------------------------- the text
def import_text(source: Path | str, target: Path = REPORT_TEXT) -> pd.DataFrame:
    """Write ``target`` from a plain-text extraction: one row per line, trailing spaces removed."""
    lines = Path(source).read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    df = pd.DataFrame({"line": range(1, len(lines) + 1), "text": [t.rstrip() for t in lines]})
    df.to_csv(target, index=False, lineterminator="\n", encoding="utf-8")
    return df


@cache
def text_lines() -> tuple[str, ...]:
    """The report's lines, in order (``data/report_text.csv``)."""
    df = pd.read_csv(REPORT_TEXT, encoding="utf-8", dtype={"text": str}, keep_default_na=False)
    if list(df["line"]) != list(range(1, len(df) + 1)):
        raise ValueError(f"{REPORT_TEXT.name}: lines must be numbered 1, 2, 3 … without gaps")
    return tuple(df["text"])


def normalise(text: str) -> str:
    """One space between words, typographic quotes kept, no leading/trailing space."""
    return " ".join(text.replace("\u00a0", " ").split())


# --------------------------------------------------------------------------- segmentation
# Sub-headings (not sections) that stand on lines of their own: they end a block.
SUBHEADINGS = (
    "Arbetsförmedlingens fördjupade stöd till arbetslösa samt arbetsgivare brister",
    "Kommuner sköter ofta Arbetsförmedlingens enklare service",
    "Stärkt strategisk och operativ samverkan – men endast i halva kommunsverige",
    "SKR:s förslag till regeringen utifrån analysen",
    "Strategisk och operativ samverkan med kommunerna",
    "Kommunala insatser på uppdrag av Arbetsförmedlingen",
    "Fortsatt behov av att underlätta samordningen mellan Arbetsförmedling, leverantörer och "
    "kommuner",
    "Arbetsförmedlingens uppdrag om lokal närvaro och samverkan",
    "Upplysningar om innehållet",
)
_CAPTION_END = re.compile(r"(?:Procent|N=\d+|\d{4})\.\s*$")


def _heading_at(lines: tuple[str, ...], i: int) -> int:
    """Number of lines the heading starting at line index ``i`` spans (0: no heading there)."""
    first = normalise(lines[i])
    if not first:
        return 0
    for h in (*SECTIONS, *SUBHEADINGS):
        text, j = first, i
        while len(text) < len(h) and h.startswith(text) and j + 1 < len(lines):
            j += 1
            if normalise(lines[j]):
                text = normalise(f"{text} {lines[j]}")
        if text == h:
            return j - i + 1
    return 0


def _blocks(lines: tuple[str, ...]) -> Iterator[tuple[int, str | None, list[str]]]:
    """(first line number, kind hint, [lines]) per block.

    A block ends at a blank line, before and after a heading, before a figure caption and
    after the caption's last line, and around the lines of tables and chart labels.
    """
    block: list[str] = []
    start = 0
    i = 0

    def flush() -> tuple[int, None, list[str]] | None:
        nonlocal block
        if block:
            out = (start, None, block)
            block = []
            return out
        return None

    while i < len(lines):
        line = lines[i].strip()
        if not line:
            if (b := flush()) is not None:
                yield b
            i += 1
            continue
        span = _heading_at(lines, i)
        if span:
            if (b := flush()) is not None:
                yield b
            yield i + 1, "heading", [normalise(" ".join(lines[i : i + span]))]
            i += span
            continue
        if _CAPTION.match(line) or _kind(line) in ("table_row", "chart_label", "legend"):
            if (b := flush()) is not None:
                yield b
            if _CAPTION.match(line):
                j, caption = i, []
                while j < len(lines):
                    if lines[j].strip():
                        caption.append(lines[j].strip())
                        if _CAPTION_END.search(lines[j]):
                            break
                    elif caption and len(caption) > 2:
                        break
                    j += 1
                yield i + 1, "caption", caption
                i = j + 1
                continue
            yield i + 1, _kind(line), [line]
            i += 1
            continue
        if not block:
            start = i + 1
        block.append(line)
        i += 1
    if (b := flush()) is not None:
        yield b


def _join(lines: list[str]) -> str:
    out = ""
    for line in lines:
        if out.endswith("-") and not out.endswith(" -") and line[:1].islower():
            out = out[:-1] + line
        else:
            out = f"{out} {line}" if out else line
    return normalise(out)


def _kind(text: str) -> str:
    if _CAPTION.match(text):
        return "caption"
    if _LEGEND.match(text):
        return "legend"
    if _CHART.match(text):
        return "chart_label"
    if _TABLE_ROW.match(text):
        return "table_row"
    if _FOOTNOTE.match(text):
        return "footnote"
    return "text"


def split_sentences(text: str) -> list[str]:
    """Split running text at ``. ! ? :`` + space + capital, digit or bullet; keep
    abbreviations and list numbers (``1.``) inside their sentence."""
    out, begin = [], 0
    for m in re.finditer(r"(?<=[.!?:])\s+(?=[A-ZÅÄÖ0-9•”])|\s+(?=• )", text):
        before = text[begin : m.start()]
        if re.search(r"(?:^|\s)\d{1,2}\.$", before) or any(
            re.search(r"(?:^|\s)" + re.escape(a) + "$", before) for a in _ABBREVIATIONS
        ):
            continue
        if before.strip():
            out.append(before.strip())
        begin = m.end()
    if text[begin:].strip():
        out.append(text[begin:].strip())
    return out


def _units(lines: tuple[str, ...]) -> Iterator[tuple[int, str, str]]:
    """(line, kind, text) for every unit: each heading, caption, table row … and each sentence."""
    for start, hint, block in _blocks(lines):
        if hint is not None:
            yield start, hint, normalise(" ".join(block))
            continue
        text = _join(block)
        if _FOOTNOTE.match(text):
            # one or more footnotes (``1 Source …``), possibly followed by running text
            for note in re.split(r"\s(?=\d{1,2} [A-ZÅÄÖ])", text):
                yield start, "footnote", note
            continue
        for s in split_sentences(text):
            yield start, "text", s


def numbers(text: str) -> list[str]:
    """The quantities a unit states (digits and number words), references and years removed."""
    t = text
    for pat in _NOT_QUANTITY:
        t = pat.sub(" ", t)
    found = [m.group(0) for m in _DIGITS.finditer(t)]
    found += [m.group(0) for m in _WORDS.finditer(t)]
    return found


def quantity_words(text: str) -> list[str]:
    """Words that state a quantity, a ranking or a direction without a number."""
    return sorted({m.group(0).lower() for m in _QUANTITY.finditer(text)})


def causal_markers(text: str) -> list[str]:
    """The causal markers (:data:`CAUSAL_MARKERS`) a unit contains, in the list's order."""
    low = text.lower()
    return [m for m in CAUSAL_MARKERS if m in low]


@cache
def sentences() -> pd.DataFrame:
    """Every unit of the report: ``unit`` (S001 …), ``line``, ``section``, ``kind``, ``text``,
    ``numbers``, ``quantity`` (quantity words) and ``causal`` (markers), each ``; ``-separated."""
    rows = []
    section = ""
    for line, kind, text in _units(text_lines()):
        if kind == "heading" and text in SECTIONS:
            section = text
        rows.append(
            {
                "line": line,
                "section": section,
                "kind": kind,
                "text": text,
                "numbers": "; ".join(numbers(text)) if kind == "text" else "",
                "quantity": "; ".join(quantity_words(text)) if kind == "text" else "",
                "causal": "; ".join(causal_markers(text)) if kind == "text" else "",
            }
        )
    df = pd.DataFrame(rows)
    df.insert(0, "unit", [f"S{i:03d}" for i in range(1, len(df) + 1)])
    return df


# --------------------------------------------------------------------------- coverage
def not_audited() -> pd.DataFrame:
    """Statements found by the scan that the audit deliberately leaves out, with a reason."""
    return pd.read_csv(NOT_AUDITED, encoding="utf-8", dtype=str, keep_default_na=False)


def coverage(register: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every running-text unit with a number, a quantity word or a causal marker and how the audit
    covers it.

    Columns: those of :func:`sentences` plus ``claims`` (register ids whose quote is in the unit)
    and ``not_audited`` (the reason from ``claims_not_audited.csv``, if listed there).
    """
    reg = claims.register() if register is None else register
    skip = not_audited()
    units = sentences()
    found = (units["numbers"] != "") | (units["quantity"] != "") | (units["causal"] != "")
    cand = units[(units["kind"] == "text") & found]
    rows = []
    for _, u in cand.iterrows():
        text = u["text"]
        ids = [r["id"] for _, r in reg.iterrows() if normalise(r["quote"]) in text]
        reasons = [r["reason"] for _, r in skip.iterrows() if normalise(r["quote"]) in text]
        rows.append({**u.to_dict(), "claims": "; ".join(ids), "not_audited": "; ".join(reasons)})
    return pd.DataFrame(rows)


def quote_locations(register: pd.DataFrame | None = None) -> dict[str, list[str]]:
    """For every register id, the units whose text contains its quote (empty: quote not found)."""
    reg = claims.register() if register is None else register
    units = sentences()
    return {
        r["id"]: [
            u
            for u, t in zip(units["unit"], units["text"], strict=True)
            if normalise(r["quote"]) in t
        ]
        for _, r in reg.iterrows()
    }


def table_rows() -> pd.DataFrame:
    """The rows of the county tables (figures 12–15) as the text prints them.

    Columns: ``figure``, ``region`` (the report's label, ``Samtliga kommuner 2023`` for the
    national row) and ``values`` (the eight integers in the printed order).
    """
    units = sentences()
    rows, figure = [], None
    for kind, text in zip(units["kind"], units["text"], strict=True):
        if kind == "caption":
            m = re.match(r"Figur (\d+)\.", text)
            if m is None:  # a caption unit always starts so (see _blocks); say so if not
                raise ValueError(f"caption without a figure number: {text[:60]!r}")
            figure = int(m.group(1))
        elif kind == "table_row":
            parts = text.split()
            rows.append(
                {
                    "figure": figure,
                    "region": " ".join(parts[:-8]),
                    "values": tuple(int(x) for x in parts[-8:]),
                }
            )
    return pd.DataFrame(rows)


def coverage_summary(register: pd.DataFrame | None = None) -> dict[str, int]:
    """The numbers the appendix reports about the scan (all counts of units or claims)."""
    reg = claims.register() if register is None else register
    units = sentences()
    text = units[units["kind"] == "text"]
    cov = coverage(reg)
    located = quote_locations(reg)
    claim_units = {u for us in located.values() for u in us}
    kinds = reg["check"].str.split().str[0]
    return {
        "units": len(units),
        "sentences": len(text),
        "table_rows": int((units["kind"] == "table_row").sum()),
        "captions": int((units["kind"] == "caption").sum()),
        "chart_labels": int((units["kind"] == "chart_label").sum()),
        "footnotes": int((units["kind"] == "footnote").sum()),
        "with_numbers": int((text["numbers"] != "").sum()),
        "with_quantity_words_only": int(((text["numbers"] == "") & (text["quantity"] != "")).sum()),
        "with_causal_markers": int((text["causal"] != "").sum()),
        "candidates": len(cov),
        "candidates_in_register": int((cov["claims"] != "").sum()),
        "candidates_not_audited": int(((cov["claims"] == "") & (cov["not_audited"] != "")).sum()),
        "candidates_uncovered": int(((cov["claims"] == "") & (cov["not_audited"] == "")).sum()),
        "claims": len(reg),
        "claims_causal": int((kinds == "causal").sum()),
        "claims_numeric": int((kinds != "causal").sum()),
        "claim_sentences": len(claim_units),
        "claims_not_found": sum(1 for us in located.values() if not us),
    }


def main(argv: list[str]) -> int:
    if argv[:1] == ["import"] and len(argv) == 2:
        df = import_text(argv[1])
        print(f"scan: wrote {REPORT_TEXT.relative_to(paths.ROOT)} ({len(df)} lines)")
        return 0
    df = sentences()
    print(df.to_string(max_colwidth=90))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
