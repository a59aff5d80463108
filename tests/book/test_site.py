"""Details of the built site a reader or a checker notices (make test builds the site first):
one search box, titles that do not repeat, a description and an icon on every page, no empty
index page, a complete root page, no template files published as pages, search forms that can
be submitted. The browser-side checks (console errors, axe) are in test_accessibility.py."""

from __future__ import annotations

import re

import pytest

from kommunenkat.core import paths
from kommunenkat.tooling.web import dedupe_assets, redirect_page

SITE = paths.BUILD / "html"
BOOK_TITLE = "Kommunenkät 2023 – en körbar rapportbok"

built = pytest.mark.built("html/book/index.html")


def _pages() -> list:
    out = []
    for p in sorted(SITE.rglob("*.html")):
        rel = p.relative_to(SITE)
        if (
            rel.parts[0] in {"_static", "_sources", "_images", "_downloads"}
            or rel.name == ("index.html")
            and len(rel.parts) == 1
        ):
            continue
        out.append(p)
    return out


def test_dedupe_keeps_the_first_of_identical_scripts():
    from sphinx.builders.html._assets import _JavaScript

    a = _JavaScript("", priority=500, body="const THEBE_JS_URL = 1")
    b = _JavaScript(None, priority=200, body="const THEBE_JS_URL = 1")
    c = _JavaScript(None, body="const other = 1")
    d = _JavaScript("x.js", defer="defer")
    ctx = {"script_files": [a, d, b, c, d]}
    dedupe_assets(None, "page", "page.html", ctx, None)
    assert ctx["script_files"] == [a, d, c]


def test_redirect_page_is_a_complete_document():
    html = redirect_page("book/index.html", "Bok & data")
    assert html.startswith('<!DOCTYPE html>\n<html lang="sv">')
    assert "<title>Bok &amp; data</title>" in html
    assert 'content="0; url=book/index.html"' in html and 'href="book/index.html"' in html


@built
def test_root_page_is_a_complete_redirect():
    html = (SITE / "index.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="sv">' in html and f"<title>{BOOK_TITLE}</title>" in html
    assert 'http-equiv="refresh"' in html and "book/index.html" in html


@built
def test_every_page_has_one_title_description_and_icon():
    pages = _pages()
    assert len(pages) >= 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        rel = page.relative_to(SITE).as_posix()
        (title,) = re.findall(r"<title>([^<]*)</title>", html)
        assert title.count(BOOK_TITLE) <= 1, f"{rel}: title repeats the book title: {title}"
        descriptions = re.findall(r'<meta name="description" content="([^"]{50,})"', html)
        assert len(descriptions) == 1, f"{rel}: {len(descriptions)} meta descriptions"
        assert re.search(r'<link rel="icon" href="[^"]*favicon\.svg"', html), rel
        assert html.count("THEBE_JS_URL =") <= 1, f"{rel}: thebe configuration declared twice"


@built
def test_one_search_box_and_no_header_bar():
    for page in _pages():
        html = page.read_text(encoding="utf-8")
        rel = page.relative_to(SITE).as_posix()
        assert html.count('class="btn search-button-field') == 1, rel
        header = re.search(r'<header id="pst-header"[^>]*>(.*?)</header>', html, re.S)
        assert not header or not header.group(1).strip(), f"{rel}: the theme's header bar is back"


@built
def test_search_forms_can_be_submitted():
    for page in _pages():
        html = page.read_text(encoding="utf-8")
        forms = re.findall(r"<form[^>]*bd-search.*?</form>", html, re.S)
        assert forms, page
        for form in forms:
            assert re.search(r'<button type="submit"[^>]*>\s*Sök\s*</button>', form), page


@built
def test_no_empty_index_and_no_template_files():
    assert not (SITE / "genindex.html").exists()
    assert "genindex.html" not in (SITE / "book" / "index.html").read_text(encoding="utf-8")
    assert not list((SITE / "_static").glob("*.html"))
    assert (SITE / "_static" / "favicon.svg").is_file()
    for page in _pages():
        assert not re.search(r"<h1>\s*</h1>", page.read_text(encoding="utf-8")), page
