"""Checks of the built book (make test builds it before pytest runs)."""

import re

import pytest

from kommunenkat.core import paths

SITE = paths.BUILD / "html"
CHAPTERS = {
    "notebooks/01_simple_service.html": "Enklare service",
    "notebooks/02_in_depth_support.html": "Fördjupat stöd",
    "notebooks/03_collaboration.html": "Samverkan",
    "notebooks/04_employer_support.html": "Stöd till arbetsgivare",
    "notebooks/05_proposals.html": "Förslag",
}

pytestmark = pytest.mark.built("html/book/index.html")


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
    from kommunenkat.tooling.sphinxext import appendix_letters

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
    """'95 %' is written with a no-break space everywhere in the text (kommunenkat.core.fmt and
    kommunenkat.tooling.sphinxext), so number and sign never part."""
    found = []
    for page in pages():
        html = page.read_text(encoding="utf-8")
        body = re.sub(r"<(script|style|pre|code)\b.*?</\1>", "", html, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", body)
        found += [f"{page.name}: …{m.group(0)}…" for m in re.finditer(r"\S{0,12}\d %", text)]
    assert not found, found[:20]


def _h1(html: str) -> str:
    """The page's heading (the article's h1, not the theme's print-only copy before it)."""
    return _text(re.findall(r"<h1>(.*?)</h1>", html, re.S)[-1])


def _text(fragment: str) -> str:
    from html import unescape

    return " ".join(unescape(re.sub(r"<[^>]+>", "", fragment)).replace("\u00a0", " ").split())


def test_appendix_pages_show_their_letter_in_heading_and_sidebar():
    """ "Tabell D.3" must point at a letter the reader sees: the heading of appendix D reads
    "Bilaga D. Titel" and its entry in the sidebar "D. Titel" (the PDF: "Bilaga D" over the
    title, "D Titel" in its table of contents). The letters are appendix_letters'."""
    from kommunenkat.tooling.sphinxext import appendix_letters

    letters = appendix_letters(paths.ROOT)
    assert len(letters) >= 5
    index = (SITE / "book" / "index.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="bd-links bd-docs-nav".*?</nav>', index, re.S).group(0)
    for doc, letter in letters.items():
        html = (SITE / f"{doc}.html").read_text(encoding="utf-8")
        h1 = _h1(html)
        assert re.fullmatch(rf"Bilaga {letter}\. \S.*", h1), (doc, h1)
        title = h1.removeprefix(f"Bilaga {letter}. ").rstrip("#").strip()
        name = doc.rsplit("/", 1)[-1]
        link = re.search(rf'<a class="reference internal" href="[^"]*{name}\.html">(.*?)</a>', nav)
        assert link, (doc, "not in the sidebar")
        assert _text(link.group(1)) == f"{letter}. {title}", (doc, _text(link.group(1)))
    # Numbered chapters keep their numbers; no other page gets a letter.
    first = (SITE / "notebooks" / "01_simple_service.html").read_text(encoding="utf-8")
    assert _h1(first).startswith("2. ")
    for page in ("lasanvisning", "om-statistiken"):
        h1 = _h1((SITE / "book" / f"{page}.html").read_text(encoding="utf-8"))
        assert not re.match(r"(Bilaga )?[A-Z]\. ", h1), (page, h1)


def test_appendix_letters_are_the_same_in_html_and_pdf():
    """Pages left out of the PDF (kommunenkat_html_only) come after every appendix the PDF has,
    so leaving them out changes no letter: HTML and PDF letter each appendix alike."""
    import yaml

    from kommunenkat.tooling.sphinxext import appendix_letters

    config = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    html_only = config["sphinx"]["config"]["kommunenkat_html_only"]
    html = appendix_letters(paths.ROOT)
    pdf = appendix_letters(paths.ROOT, skip=html_only)
    assert pdf == {doc: letter for doc, letter in html.items() if doc not in html_only}


def test_sensitivity_figure_alt_text_is_computed_from_the_data():
    """book/metod.md's sensitivity figure: its alt text is sensitivity_text.sensitivity_alt of
    the table the figure draws, so a new round cannot make it false."""
    from html import unescape

    from kommunenkat.inference import analysis
    from kommunenkat.text import sensitivity_text

    html = (SITE / "book" / "metod.html").read_text(encoding="utf-8")
    fig = re.search(r'<figure[^>]*id="fig-metod-kanslighet".*?</figure>', html, re.S).group(0)
    alt = unescape(re.search(r'<img [^>]*alt="([^"]*)"', fig).group(1))
    assert alt == sensitivity_text.sensitivity_alt(analysis.sensitivity_table(), analysis.ALPHA)
    assert "{glue" not in alt
