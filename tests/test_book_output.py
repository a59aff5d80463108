"""Checks of the built book (make test builds it before pytest runs)."""

import re

import pytest

from kommunenkat import paths

SITE = paths.BUILD / "html"
CHAPTERS = {
    "notebooks/01_simple_service.html": "Enklare service",
    "notebooks/02_in_depth_support.html": "Fördjupat stöd",
    "notebooks/03_collaboration.html": "Samverkan",
    "notebooks/04_employer_support.html": "Stöd till arbetsgivare",
    "notebooks/05_proposals.html": "Förslag",
}

pytestmark = pytest.mark.skipif(
    not (SITE / "book" / "index.html").exists(), reason="book not built (make test builds it first)"
)


def pages():
    return sorted(p for p in SITE.rglob("*.html") if "_static" not in p.parts)


def test_every_page_is_swedish():
    found = pages()
    assert len(found) >= 10
    for page in found:
        head = page.read_text(encoding="utf-8")[:500]
        if 'http-equiv="Refresh"' in head or 'http-equiv="refresh"' in head:
            continue
        assert '<html lang="sv"' in head, page


def test_one_page_per_chapter_with_title():
    for rel, title in CHAPTERS.items():
        html = (SITE / rel).read_text(encoding="utf-8")
        assert re.search(rf"<h1>\s*(<span[^>]*>[^<]*</span>\s*)?{re.escape(title)}", html), rel


def test_figures_are_svg_with_alt_text():
    html = (SITE / "notebooks/02_in_depth_support.html").read_text(encoding="utf-8")
    imgs = re.findall(r"<img [^>]*>", html)
    assert imgs
    for img in imgs:
        assert ".svg" in img, img
        assert re.search(r'alt="[^"]{20,}"', img), img


def test_no_error_output_in_book():
    for page in pages():
        html = page.read_text(encoding="utf-8")
        assert "Traceback (most recent call last)" not in html, page
        assert 'class="output traceback' not in html, page


def test_data_page_offers_every_data_file():
    """book/data.md lists data/ from the data package at build time: nothing may be missing."""
    html = (SITE / "book" / "data.html").read_text(encoding="utf-8")
    links = {h.rsplit("/", 1)[-1] for h in re.findall(r'href="\.\./data/([^"]+)"', html)}
    files = {p.name for p in paths.DATA.glob("*.csv")} | {"datapackage.json"}
    files |= {p.name for p in paths.DERIVED.glob("*.csv")}
    assert files <= links, f"not offered for download: {sorted(files - links)}"
    assert "Licens:" in html and "Källa:" in html


def test_table_and_figure_numbers_unique_and_appendices_lettered():
    """Numbers as in the PDF: chapters 1.1, 2.1, …; the appendices (unnumbered part of _toc.yml)
    A.1, B.1, … in their order; no number used twice on the site."""
    from kommunenkat.sphinxext import appendix_letters

    letters = appendix_letters(paths.ROOT)
    numbers: dict[str, str] = {}
    for page in pages():
        rel = page.relative_to(SITE).with_suffix("").as_posix()
        html = page.read_text(encoding="utf-8")
        for kind, number in re.findall(
            r'<span class="caption-number">(Tabell|Figur) ([^<]+?)\s*</span>', html
        ):
            key = f"{kind} {number}"
            assert key not in numbers, f"{key} on {rel} and on {numbers[key]}"
            numbers[key] = rel
            if rel in letters:
                assert re.fullmatch(rf"{letters[rel]}\.\d+", number), (rel, key)
            else:
                assert re.fullmatch(r"\d+\.\d+", number), (rel, key)
    assert any(rel == "notebooks/06_claims_audit" for rel in numbers.values())
    assert len(numbers) >= 20


def test_no_plain_space_between_number_and_percent():
    """'95 %' is written with a no-break space everywhere in the text (kommunenkat.fmt and
    kommunenkat.sphinxext), so number and sign never part."""
    found = []
    for page in pages():
        html = page.read_text(encoding="utf-8")
        body = re.sub(r"<(script|style|pre|code)\b.*?</\1>", "", html, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", body)
        found += [f"{page.name}: …{m.group(0)}…" for m in re.finditer(r"\S{0,12}\d %", text)]
    assert not found, found[:20]
