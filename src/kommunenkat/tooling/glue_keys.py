"""The registry of glue keys: for every key a page shows, the page and the code that produces it.

A page shows a computed value with a glue role, ``{glue:text}`strategisk-chg-high-diff```
(also ``{glue:md}``, ``{glue:figure}``, ``{glue}`` and the ``{glue:figure}`` directive). Most
keys are built by f-strings (``f"{prefix}-chg-{c}-diff"``), so grepping a key finds no code.
The registry, :data:`REGISTRY` (``src/kommunenkat/tooling/glue_keys.csv``), lists each key a page
uses, one row per key and page, so **one grep finds a key's producer**::

    grep -rn strategisk-chg-high-diff src/kommunenkat/tooling/glue_keys.csv
    # or: python -m kommunenkat.tooling.glue_keys strategisk-chg-high-diff

Columns:

- ``key``: the key, as the page writes it;
- ``page``: the page that shows it (keys are page-local: each page glues its own);
- ``producer``: the function whose code writes the key's name (``kommunenkat.text.chapter.
  change_texts``), or the page itself when one of its code cells glues the key;
- ``site``: the file of the ``glue_text``/``glue_many``/``glue_figure`` call that glues it;
- ``written``: that call's key argument as the code writes it (``f"strategisk-{cat}-latest"``),
  or for ``glue_many`` the expression that makes the dict (``chapter.change_texts(Q,
  "strategisk")``): grep it in ``site``.

Keeping it current: ``tests/tooling/test_glue_keys.py`` (fast: executes nothing, reads the pages and
the CSV) fails when a page uses a key the registry does not list, when the registry lists a key
no page uses, when a row's producer or ``written`` text is no longer in the code, or when a new
key is outside the naming scheme below. Then run ``python -m kommunenkat.tooling.glue_record
--write``: it executes the pages' code cells and rewrites the CSV
(:mod:`kommunenkat.tooling.glue_record`; its ``--dump`` proves that a refactoring changes no glued
value). ``python -m kommunenkat.tooling.glue_keys`` runs the test's check.

Naming scheme for NEW keys: ``<page>-<topic>-<detail>``, lower-case ASCII letters and digits,
words joined by hyphens, Swedish words as in the prose (å, ä, ö written a, a, o), for example
``lan-avvikande-antal`` or ``strategisk-chg-high-diff``; a figure's key is ``fig-`` and the same:

- ``<page>``: the page's prefix, the first of :data:`PAGE_PREFIXES` (``index`` on the front
  page, ``service`` in chapter 1, ``fordjupat`` in chapter 2, ``strategisk``/``operativ``/
  ``samverkan`` in chapter 3, …). A producer function used by several pages takes the prefix as
  its ``prefix`` argument and appends the rest;
- ``<topic>``: what the number is about (``chg`` a change, ``lan`` the counties, ``ord`` the
  whole-scale test, ``styrka`` power, ``krymp`` partial pooling);
- ``<detail>``: which value (``diff``, ``ci``, ``p``, ``high``/``low`` for the aggregated
  categories, …); no year in a key (the year changes with the next round, the key must not).

The keys of :mod:`kommunenkat.text.rounds_text` (``round-latest``, ``period-change``, …) are the
same on every page and keep their names. The test fails for a new key outside the scheme. The
keys that were outside it before it was written are listed in :data:`LEGACY_KEYS` and are NOT
renamed: a rename changes nothing a reader sees but touches roles all over the prose, each a
chance to break a sentence, while the registry already makes every key findable. Do not add to
that list; remove a key from it when no page uses it any more.
"""

from __future__ import annotations

import argparse
import ast
import csv
import functools
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from kommunenkat.core import paths

REGISTRY = Path(__file__).with_name("glue_keys.csv")

# Each page's key prefixes; a new key starts with the first (see the naming scheme above).
PAGE_PREFIXES = {
    "book/index.md": ("index", "lan", "pastaenden", "fa", "service"),
    "book/lasanvisning.md": ("las",),
    "book/metod.md": ("m",),
    "book/metodbilaga.md": ("mb",),
    "book/om-statistiken.md": ("oms",),
    "notebooks/01_simple_service.md": ("service",),
    "notebooks/02_in_depth_support.md": ("fordjupat",),
    "notebooks/03_collaboration.md": ("strategisk", "operativ", "samverkan"),
    "notebooks/04_employer_support.md": ("arbetsgivare",),
    "notebooks/05_proposals.md": ("f",),
    "notebooks/06_claims_audit.md": ("granskning", "scan", "grim"),
    "notebooks/07_county_appendix.md": ("lan",),
}
SCHEME = re.compile(r"(?:fig-)?([a-z]+)(?:-[a-z0-9]+)+")
# The producers of the keys every page shares (their names are the rounds', not a page's).
SHARED_PRODUCERS = (
    "kommunenkat.text.rounds_text.round_texts",
    "kommunenkat.text.rounds_text.method_texts",
)
# Keys outside the scheme from before it was written, kept as they are (see above).
LEGACY_KEYS = frozenset(
    """
    ki version kallkod kontakt pastaenden fig-metod-kanslighet mb-B mb-styrka-obs-Noun
    employer_support-dont_know employer_support-high employer_support-high-ki
    far_from_labour_market-high far_from_labour_market-high-ki
    far_from_labour_market-high-previous far_from_labour_market-low
    operative_collab-high operative_collab-high-ki operative_collab-high-previous
    operative_collab-low strategic_collab-high strategic_collab-high-ki
    strategic_collab-high-previous
    index-far_from_labour_market-chg-high-ci index-far_from_labour_market-chg-high-diff
    index-far_from_labour_market-chg-high-robust index-operative_collab-chg-high-ci
    index-operative_collab-chg-high-diff index-operative_collab-chg-high-robust
    index-strategic_collab-chg-high-ci index-strategic_collab-chg-high-diff
    index-strategic_collab-chg-high-robust
    arbetsgivare-dist-dont_know fordjupat-chg-high-Noun fordjupat-dist-dont_know
    fordjupat-dist-fairly_low fordjupat-dist-very_high fordjupat-dist-very_low
    operativ-dist-fairly_high operativ-dist-very_low strategisk-chg-high-Noun
    strategisk-dist-dont_know strategisk-dist-fairly_high strategisk-dist-very_high
    m-manski-far_from_labour_market-high m-manski-strategic_collab-high
    m-share-far_from_labour_market-high m-share-strategic_collab-high m-status-as_printed
    m-status-order_assumed m-status-settled_from_prose
    """.split()
)
COLUMNS = ("key", "page", "producer", "site", "written")
PAGE_DIRS = ("book", "notebooks")

# {glue}`k`, {glue:text}`k`, {glue:md}`k`, {glue:figure}`k`, … and the directive
# ```{glue:figure} k / :::{glue:figure} k.
ROLE = re.compile(r"\{glue(?::[a-z]+)?\}`([^`]+)`")
DIRECTIVE = re.compile(r"^\s*(?:`{3,}|:{3,})\{glue(?::[a-z]+)?\}\s+(\S+)", re.MULTILINE)


@dataclass(frozen=True)
class Row:
    key: str
    page: str
    producer: str
    site: str
    written: str


# The YAML header of a MyST notebook (as the build tells them: kommunenkat.tooling.build).
HEADER = re.compile(r"\A---\n(.*?)^---$", re.MULTILINE | re.DOTALL)
NOTEBOOK = re.compile(r"^\s*(?:file_format: mystnb|format_name: myst)\s*$", re.MULTILINE)


def is_notebook(text: str) -> bool:
    header = HEADER.match(text)
    return bool(header and NOTEBOOK.search(header.group(1)))


def pages() -> list[Path]:
    """The book's pages that can glue: the MyST notebooks under book/ and notebooks/ (a page
    that is not one, such as book/redaktorer.md, shows glue roles only as examples)."""
    return sorted(
        p
        for d in PAGE_DIRS
        for p in (paths.ROOT / d).glob("*.md")
        if is_notebook(p.read_text(encoding="utf-8"))
    )


def rel(path: Path | str) -> str:
    return Path(path).resolve().relative_to(paths.ROOT).as_posix()


def used_keys(text: str) -> set[str]:
    """The glue keys a page's text uses (roles anywhere, also in a figure's ``:alt:``, and
    ``{glue:figure}`` directives)."""
    return set(ROLE.findall(text)) | set(DIRECTIVE.findall(text))


def page_keys() -> dict[tuple[str, str], None]:
    """Every (key, page) the book's pages use, sorted."""
    found = {(k, rel(p)) for p in pages() for k in used_keys(p.read_text(encoding="utf-8"))}
    return dict.fromkeys(sorted(found))


def read_registry(path: Path = REGISTRY) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{rel(path)}: columns must be {', '.join(COLUMNS)}")
        return [Row(**row) for row in reader]


def write_registry(rows: list[Row], path: Path = REGISTRY) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        for r in sorted(rows, key=lambda r: (r.page, r.key)):
            writer.writerow([r.key, r.page, r.producer, r.site, r.written])


def producer_defined(producer: str) -> bool:
    """Whether ``producer`` names a page, or a function defined in the package's source (read,
    not imported): ``kommunenkat.text.chapter.change_texts``."""
    if producer.endswith(".md"):
        return (paths.ROOT / producer).is_file()
    parts = producer.split(".")
    for i in range(len(parts) - 1, 0, -1):
        module = paths.ROOT / "src" / Path(*parts[:i]).with_suffix(".py")
        if module.is_file():
            return ".".join(parts[i:]) in defined_names(module)
    return False


@functools.cache
def defined_names(module: Path) -> frozenset[str]:
    """The qualified names of the functions and classes a module's source defines."""
    names = set()

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                names.add(prefix + node.name)
                visit(node.body, f"{prefix}{node.name}.")

    visit(ast.parse(module.read_text(encoding="utf-8")).body, "")
    return frozenset(names)


def follows_scheme(row: Row) -> bool:
    """Whether a key is named ``<page>-<topic>-<detail>`` with its page's prefix, or is one of
    the keys every page shares."""
    if row.producer in SHARED_PRODUCERS:
        return True
    m = SCHEME.fullmatch(row.key)
    return bool(m and m.group(1) in PAGE_PREFIXES.get(row.page, ()))


def problems(rows: list[Row] | None = None) -> list[str]:
    """What is wrong with the registry, one line each (empty: the registry is current)."""
    rows = read_registry() if rows is None else rows
    fix = "run `python -m kommunenkat.tooling.glue_record --write`"
    used = page_keys()
    listed = {(r.key, r.page): r for r in rows}
    out = [
        f"{page}: uses the glue key {key!r}, which {rel(REGISTRY)} does not list; {fix}"
        for key, page in used
        if (key, page) not in listed
    ]
    out += [
        f"{rel(REGISTRY)}: lists {key!r} for {page}, which does not use it; {fix}"
        for key, page in listed
        if (key, page) not in used
    ]
    if len(listed) != len(rows):
        out.append(f"{rel(REGISTRY)}: a (key, page) pair is listed twice; {fix}")
    for r in rows:
        if r.key not in LEGACY_KEYS and not follows_scheme(r):
            first = PAGE_PREFIXES.get(r.page, ("<page>",))[0]
            out.append(
                f"{r.page}: the new glue key {r.key!r} is outside the naming scheme: name it "
                f"{first}-<topic>-<detail> (see kommunenkat.tooling.glue_keys)"
            )
    gone = sorted(LEGACY_KEYS - {r.key for r in rows})
    if gone:
        out.append(f"kommunenkat.tooling.glue_keys.LEGACY_KEYS: no page uses {gone}; remove them")
    texts: dict[str, str] = {}
    for r in rows:
        if (r.key, r.page) not in used:
            continue
        if not producer_defined(r.producer):
            out.append(f"{rel(REGISTRY)}: {r.key!r} ({r.page}): no producer {r.producer}; {fix}")
        site = paths.ROOT / r.site
        if r.site not in texts:
            texts[r.site] = site.read_text(encoding="utf-8") if site.is_file() else ""
        if r.written not in texts[r.site]:
            out.append(
                f"{rel(REGISTRY)}: {r.key!r} ({r.page}): {r.written!r} is no longer in "
                f"{r.site}; {fix}"
            )
    return out


def lookup(key: str, rows: list[Row] | None = None) -> list[Row]:
    return [r for r in (read_registry() if rows is None else rows) if r.key == key]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kommunenkat.tooling.glue_keys",
        description="Check the registry of glue keys, or look keys up in it.",
    )
    parser.add_argument("key", nargs="*", help="keys to look up")
    args = parser.parse_args(argv)
    for key in args.key:
        found = lookup(key)
        for r in found:
            print(f"{r.key}  {r.page}  {r.producer}  ({r.site}: {r.written})")
        if not found:
            print(f"glue_keys: no page uses {key!r}")
    if args.key:
        return 0
    bad = problems()
    for line in bad:
        print(f"glue_keys: {line}")
    print(f"glue_keys: {len(read_registry())} keys listed, {len(bad)} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
