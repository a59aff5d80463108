"""Year literals typed into chapters instead of coming from the data.

Run ``python -m kommunenkat.tooling.yearcheck`` for the list.

When a new survey round is added (README, "Adding a survey round") every year, count and period in
the chapters must follow the data: prose gets them by glue, code cells from
:func:`kommunenkat.inputs.data.latest_round` and friends. This check lists what still types a year:

- **prose**: a year (1990–2099) in a Markdown line of a chapter or computed book page (directive
  bodies such as figure captions and alt text included), outside
  glue roles and other roles (``{glue:text}`…` ``, ``{cite}`…` ``), outside inline code, quoted
  report text (``"…"``, ``”…”``, ``„…”``, ``«…»``) and block quotes (``>``), outside
  author–year references to the literature from before the survey series began (``(Agresti
  2010)``, ``(Fleiss, Levin och Paik 2003, kapitel 4)``, ``(…; Goldstein och Spiegelhalter
  1996)``: capitalised names, then the year, inside parentheses; a year from the first survey
  round on, such as ``(Kommunenkät 2023)``, still counts), and outside the front matter;
- **code**: a year inside a string or number literal of a code cell (a figure title such as
  ``"Svarsfördelning 2023"``).

:data:`BASELINE` (``tests/year_literals.txt``) records how many each file has today; the test
fails when a file gets more, so the count can only go down, to zero.
"""

from __future__ import annotations

import io
import re
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

from kommunenkat.core import paths

YEAR = re.compile(r"(?<![\w.,/-])(19[9]\d|20\d\d)(?![\w,]\d|\d)")
ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
INLINE_CODE = re.compile(r"`[^`]*`")
QUOTED = re.compile(r'"[^"\n]*"|”[^”\n]*”|„[^”\n]*”|«[^»\n]*»|“[^”\n]*”')
LINK_TARGET = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+")
# An author–year reference inside parentheses: "(Name 2010", "(Name, Name och Name 2003,",
# "; Name och Name 1996)" or "(exakta gränser, Name 2005)"; the names are capitalised words, the
# year ends the reference (only a year before the first round is exempt).
NAME = r"[A-ZÅÄÖ][\w'’-]+"
CITATION = re.compile(
    rf"(?:(?<=\()|(?<=; )|(?<=, )){NAME}(?:(?:, | och | and | & ){NAME})* "
    r"(19\d\d|20\d\d)[a-z]?(?=[),;])"
)
FILES = [
    *sorted((paths.ROOT / "notebooks").glob("*.md")),
    paths.ROOT / "book" / "index.md",
    paths.ROOT / "book" / "metod.md",
    paths.ROOT / "book" / "metodbilaga.md",
]
BASELINE = paths.ROOT / "tests" / "year_literals.txt"


@dataclass(frozen=True)
class Hit:
    file: str
    line: int
    kind: str  # "prose" or "code"
    year: str
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.kind} year {self.year}: {self.text.strip()[:100]}"


def first_round() -> int:
    """The first survey round (data/rounds.csv): an earlier year cannot name a round."""
    from kommunenkat.inputs import data

    return data.round_years()[0]


def _literature(line: str, before: int) -> str:
    """``line`` without author–year references to works published before the year ``before``."""
    return CITATION.sub(lambda m: " " if int(m.group(1)) < before else m.group(0), line)


def _prose_years(line: str, before: int | None = None) -> list[str]:
    if line.lstrip().startswith(">"):
        return []
    for pattern in (ROLE, INLINE_CODE, LINK_TARGET, QUOTED):
        line = pattern.sub(" ", line)
    line = _literature(line, first_round() if before is None else before)
    return YEAR.findall(line)


def _code_years(source: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return out
    for tok in tokens:
        if tok.type in (tokenize.STRING, tokenize.NUMBER):
            out += [(tok.start[0], y) for y in YEAR.findall(tok.string)]
    return out


def scan_file(path: Path) -> list[Hit]:
    try:
        rel = str(path.resolve().relative_to(paths.ROOT))
    except ValueError:
        rel = str(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    hits: list[Hit] = []
    before = first_round()
    i = 0
    if lines and lines[0] == "---":  # front matter (jupytext header)
        i = lines.index("---", 1) + 1
    fence: str | None = None
    directive = False
    code: list[str] | None = []
    code_start = 0
    while i < len(lines):
        line = lines[i]
        opening = re.match(r"^(`{3,}|~{3,})", line) if fence is None else None
        if opening:
            fence = opening.group(1)
            is_code = "{code-cell}" in line
            directive = not is_code and line[len(fence) :].lstrip().startswith("{")
            code, code_start = ([] if is_code else None), i + 1
            i += 1
            continue
        if fence is not None:
            if line.startswith(fence) and line.strip() == fence:
                if code is not None:
                    # ``code_start`` is the 1-based number of the fence line.
                    for ln, y in _code_years("\n".join(code)):
                        hits.append(Hit(rel, code_start + ln, "code", y, ""))
                fence = None
            elif code is not None:
                code.append(line)
            elif directive and not re.match(r"^:(name|label|tags|width|align|class):", line):
                # A directive's body and options (figure caption, alt text, admonition) are
                # prose the reader sees; only its label options are identifiers.
                for y in _prose_years(line, before):
                    hits.append(Hit(rel, i + 1, "prose", y, line))
            i += 1
            continue
        for y in _prose_years(line, before):
            hits.append(Hit(rel, i + 1, "prose", y, line))
        i += 1
    return [h if h.text else Hit(h.file, h.line, h.kind, h.year, lines[h.line - 1]) for h in hits]


def scan(files=None) -> list[Hit]:
    return [h for f in (files or FILES) if f.exists() for h in scan_file(f)]


def counts(hits: list[Hit]) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for h in hits:
        out[h.file, h.kind] = out.get((h.file, h.kind), 0) + 1
    return out


def read_baseline(path: Path = BASELINE) -> dict[tuple[str, str], int]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            file, kind, n = line.split()
            out[file, kind] = int(n)
    return out


def render_baseline(c: dict[tuple[str, str], int]) -> str:
    head = (
        "# Year literals still typed into chapters "
        "(python -m kommunenkat.tooling.yearcheck --store).\n"
        "# file kind count; tests/tooling/test_year_literals.py fails when a count grows.\n"
    )
    return head + "".join(f"{f} {k} {n}\n" for (f, k), n in sorted(c.items()))


def main(argv: list[str]) -> int:
    hits = scan()
    for h in hits:
        print(h)
    c = counts(hits)
    print(f"yearcheck: {sum(c.values())} year literal(s) in {len({f for f, _ in c})} file(s)")
    if argv[:1] == ["--store"]:
        BASELINE.write_text(render_baseline(c), encoding="utf-8")
        print(f"yearcheck: stored {BASELINE.relative_to(paths.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
