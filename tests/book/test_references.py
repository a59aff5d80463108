"""Method references: every work the book cites by author and year is in book/references.bib and
cited with a sphinxcontrib-bibtex role, so it is on the reference page and in the PDF's
bibliography; the built reference page lists them."""

from __future__ import annotations

import re
from html import unescape

import pytest
from pybtex.database import parse_file

from kommunenkat.core import paths
from kommunenkat.tooling import yearcheck

BIB = paths.ROOT / "book" / "references.bib"
SOURCES = [
    *sorted((paths.ROOT / "book").glob("*.md")),
    *sorted((paths.ROOT / "notebooks").glob("*.md")),
]
CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]*)`")
SITE = paths.BUILD / "html"


def _bib():
    return parse_file(str(BIB)).entries


def _cited_keys() -> set[str]:
    keys: set[str] = set()
    for path in SOURCES:
        # Not the examples in the editors' guide's inline code (``{cite:p}`nyckel` ``).
        text = re.sub(r"``.*?``", " ", path.read_text(encoding="utf-8"))
        for group in CITE.findall(text):
            keys |= {k.strip() for k in group.split(",")}
    return keys


def _last_names(entry) -> list[str]:
    return [" ".join(p.last_names) for p in entry.persons.get("author", [])]


def typed_references(text: str) -> list[tuple[list[str], str]]:
    """Author–year references typed as text (outside roles and inline code): ([names], year)."""
    found = []
    for line in text.splitlines():
        for pattern in (yearcheck.ROLE, yearcheck.INLINE_CODE):
            line = pattern.sub(" ", line)
        for m in yearcheck.CITATION.finditer(line):
            names = re.split(r", | och | and | & ", m.group(0).rsplit(" ", 1)[0])
            found.append((names, m.group(1)))
    return found


def test_typed_references_are_found():
    text = (
        "Kruskal–Wallis (Agresti 2010) och {cite:p}`agresti2010`; (1 = högst; Goldstein och "
        "Spiegelhalter 1996), `(Cohen 1988)`.\n"
    )
    assert typed_references(text) == [
        (["Agresti"], "2010"),
        (["Goldstein", "Spiegelhalter"], "1996"),
    ]


def test_every_key_cited_in_the_book_is_in_the_bibliography():
    missing = _cited_keys() - set(_bib())
    assert not missing, f"cited but not in references.bib: {sorted(missing)}"


def test_every_typed_author_year_reference_is_a_cited_bibliography_entry():
    """A reference typed as text (a caption, where a role is not wanted) must still be a
    bibliography entry that some running text cites with a role."""
    entries, cited = _bib(), _cited_keys()
    problems = []
    for path in SOURCES:
        for names, year in typed_references(path.read_text(encoding="utf-8")):
            keys = [
                k
                for k, e in entries.items()
                if e.fields.get("year") == year and _last_names(e)[:1] == names[:1]
            ]
            if not keys:
                problems.append(f"{path.name}: {' och '.join(names)} {year} not in references.bib")
            elif not set(keys) & cited:
                problems.append(f"{path.name}: {keys} never cited with a role")
    assert not problems, "\n".join(problems)


METHOD_KEYS = [
    "agresti2010", "spiegelhalter2005", "goldstein1996", "newcombe1998", "wilson1927",
    "holm1979", "cohen1988", "manski2003", "davison1997", "phipson2010", "fleiss2003",
    "connor1987", "shadish2002", "deming1950", "graubard2002", "brown2017grim",
]  # fmt: skip


def test_method_references_are_cited():
    assert set(METHOD_KEYS) <= _cited_keys()


@pytest.mark.built("html/book/referenser.html")
def test_reference_page_lists_the_method_references():
    html = (SITE / "book" / "referenser.html").read_text(encoding="utf-8")
    text = unescape(re.sub(r"<[^>]+>", "", html)).replace("\u00a0", " ")
    entries = _bib()
    for key in METHOD_KEYS:
        e = entries[key]
        first = e.persons["author"][0]
        head = f"{' '.join(first.last_names)}, "
        assert f"({e.fields['year']})" in text and head in text, key
        assert e.fields["title"].replace("{", "").replace("}", "")[:30] in text, key
    # The appendix's rank test cites Agresti with a link to the list, not as typed text.
    page = (SITE / "book" / "metodbilaga.html").read_text(encoding="utf-8")
    links = [
        unescape(re.sub(r"<[^>]+>", "", a))
        for a in re.findall(r'<a [^>]*href="referenser\.html#[^"]*"[^>]*>.*?</a>', page, re.S)
    ]
    assert "Agresti 2010" in [t.replace("\u00a0", " ").strip() for t in links], links[:5]
