"""Checks of the built PDF (make test builds it before pytest runs).

Pages are rendered with pdftoppm and read with pdftotext (poppler-utils). Expected chapter titles
come from _toc.yml and the built HTML pages, expected numbers from the data, so nothing here is
typed in twice.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import subprocess
import unicodedata

import pytest
import yaml

from kommunenkat.core import fmt, paths
from kommunenkat.core.labels import SCALE_QUESTIONS
from kommunenkat.inputs import data
from kommunenkat.tooling import build

PDF = paths.BUILD / "pdf" / build.PDF_NAME
SITE = paths.BUILD / "html"
LATEX_LOG = paths.BUILD / "work" / "_build" / "latex" / build.PDF_NAME.replace(".pdf", ".log")

pytestmark = [
    pytest.mark.built(f"pdf/{build.PDF_NAME}", target="make pdf"),
]


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def _plain(text: str) -> str:
    """No-break and thin spaces as spaces, runs of white space as one (as pdftotext reads them)."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def pages() -> list[str]:
    """The text of each page (pdftotext -layout; pages are separated by form feeds)."""
    return _run("pdftotext", "-layout", str(PDF), "-").split("\f")[:-1]


def page_count() -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(PDF)), re.M).group(1))


def toc_chapters() -> list[tuple[str, str]]:
    """(label, title) of every chapter of the PDF in _toc.yml: numbered parts 1, 2, …; an
    unnumbered part before them (Läsanvisning) without a label; the unnumbered part after them
    (Bilagor) as appendices A, B, …; pages in kommunenkat_html_only left out. Titles are read
    from the built HTML pages."""
    toc = yaml.safe_load((paths.ROOT / "_toc.yml").read_text(encoding="utf-8"))
    config = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    html_only = set(config["sphinx"]["config"].get("kommunenkat_html_only", []))
    out, number, letter = [], 0, 0
    for part in toc["parts"]:
        if not part.get("numbered") and number == 0:
            for chapter in part["chapters"]:
                page = (SITE / chapter["file"]).with_suffix(".html").read_text(encoding="utf-8")
                h1 = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
                h1 = re.sub(r'<a class="headerlink".*', "", h1)
                out.append(("", html.unescape(re.sub(r"<[^>]+>", "", h1)).strip()))
            continue
        for chapter in part["chapters"]:
            if chapter["file"] in html_only:  # on the site only (the editors' guide)
                continue
            page = (SITE / chapter["file"]).with_suffix(".html").read_text(encoding="utf-8")
            h1 = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
            h1 = re.sub(r'<span class="section-number">.*?</span>|<a class="headerlink".*', "", h1)
            title = html.unescape(re.sub(r"<[^>]+>", "", h1)).strip()
            if part.get("numbered"):
                number += 1
                out.append((str(number), title))
            else:
                out.append((chr(ord("A") + letter), title))
                letter += 1
    return out


def test_pdftoppm_renders_every_page(tmp_path):
    n = page_count()
    assert 10 <= n <= 150, n
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(PDF), str(tmp_path / "p")], check=True)
    rendered = sorted(tmp_path.glob("p-*.png"))
    assert len(rendered) == n, f"pdftoppm wrote {len(rendered)} PNGs for {n} pages"
    assert all(p.stat().st_size > 200 for p in rendered)


def test_title_page(pages):
    title = _plain(pages[0])
    latest = data.latest_round()  # 2023: the report's survey year
    assert f"Kommunenkät {latest} – en körbar rapportbok" in title
    assert "Sveriges Kommuner och Regioner (SKR)" in title
    assert f"Enkätår: {latest}" in title
    assert "[[" not in title  # every placeholder of _config.yml filled in
    built = re.search(r"Byggd (\d{4}-\d{2}-\d{2})", title)
    assert built, title
    if os.environ.get("SOURCE_DATE_EPOCH"):  # set by make: the date of the last commit
        epoch = int(os.environ["SOURCE_DATE_EPOCH"])
        assert built.group(1) == dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%d")


def test_table_of_contents_with_heading_and_numbered_chapters(pages):
    toc = "\n".join(pages[1:8])
    assert re.search(r"^\s*Innehåll\s*$", toc, re.M), "no table of contents heading 'Innehåll'"
    for label, title in toc_chapters():
        prefix = rf"{label}\s+" if label else ""
        entry = rf"^\s*{prefix}{re.escape(title)}\s+\d+\s*$"
        assert re.search(entry, toc, re.M), f"TOC entry '{label} {title}' missing"
    assert re.search(r"^\s*Litteraturförteckning\s+\d+\s*$", toc, re.M)


def test_every_chapter_title_in_the_text(pages):
    body = _plain("\n".join(pages[2:]))
    for _, title in toc_chapters():
        assert title in body, title


def test_front_page_numbers_from_the_data(pages):
    """The summary's key numbers (national 'high' shares 2023, response) as the data give them."""
    summary = next(_plain(p) for p in pages if "Huvudresultat 2023" in p)
    respondents, total = int(data.fact("respondents")), int(data.fact("municipalities_total"))
    expected = [f"{respondents} av {total} kommuner", fmt.share_pct(respondents / total)]
    expected += [fmt.pct(data.county_table(q).loc["Riket", "high"]) for q in SCALE_QUESTIONS]
    for number in expected:
        assert _plain(number) in summary, f"{number!r} missing from the PDF's summary page"


def test_numbered_figures_tables_and_bibliography(pages):
    text = _plain("\n".join(pages))
    assert re.search(r"Figur \d+\.\d+: ", text), "no numbered figure caption"
    assert re.search(r"Tabell \d+\.\d+: ", text), "no numbered table caption"
    start = next(
        i for i, p in enumerate(pages) if re.search(r"^\s*Litteraturförteckning\s*$", p, re.M)
    )
    biblio = _plain("\n".join(pages[start:]))
    # An author-year list (kommunenkat.tooling.bibstyle): "Arbetsförmedlingen (2023a). …", no
    # [1]-[n].
    assert "Kommunenkät 2023" in biblio and "Arbetsförmedlingen (2023a)." in biblio
    assert "[1]" not in biblio and "[Arbetsförmedlingen" not in biblio


def test_figures_are_vector():
    listing = _run("pdfimages", "-list", str(PDF)).splitlines()
    assert len(listing) == 2, "raster images in the PDF:\n" + "\n".join(listing)


def test_no_overfull_lines():
    """No line sticks out into the margin (LaTeX 'Overfull \\hbox' over 1 pt)."""
    log = LATEX_LOG.read_text(encoding="utf-8", errors="replace")
    overfull = [
        m
        for m in re.finditer(r"Overfull \\hbox \(([\d.]+)pt too wide\).*", log)
        if float(m.group(1)) > 1.0
    ]
    assert not overfull, "\n".join(m.group(0) for m in overfull)


# --- Issue 12: metadata, language, numbering, boilerplate, figures -----------------------------

LATEX_DIR = LATEX_LOG.parent
# English strings LaTeX and Sphinx write by themselves (a Swedish book must have none of them).
ENGLISH = [
    r"continue[sd]? (on|from) (the )?(next|previous) page",
    r"\bContinued\b",
    r"\bChapter\b",
    r"\bAppendix\b",
    r"\bContents\b",
    r"\bBibliography\b",
    r"\bIndex\b",
    r"\bFigure \d",
    r"\bTable \d",
    r"\bPage \d",
    r"\bRelease\b",
    r"\bList of (Figures|Tables)\b",
    r"\bsee also\b",
]
CAPTION = re.compile(r"\b(Tabell|Figur) ([A-Z]|\d+)\.(\d+): ")


def _citation() -> dict:
    return yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_document_language_is_swedish():
    """/Lang in the catalog (from \\DocumentMetadata before \\documentclass) and PDF 1.7."""
    import pikepdf

    with pikepdf.open(PDF) as pdf:
        assert str(pdf.Root.get("/Lang")) == "sv-SE"
        assert pdf.pdf_version >= "1.7", pdf.pdf_version


def test_title_and_author_agree_with_citation_cff():
    """The PDF's title is the book's, with the latest round's year filled in from the data; for
    the data of this edition that is CITATION.cff's title too."""
    import pikepdf

    cff = _citation()
    with pikepdf.open(PDF) as pdf:
        info = {k: str(v) for k, v in pdf.docinfo.items()}
    assert info["/Title"] == f"Kommunenkät {data.latest_round()} – en körbar rapportbok"
    assert info["/Title"] == cff["title"]
    for author in cff["authors"]:
        assert author.get("name", author.get("family-names")) in info["/Author"]


def test_no_english_latex_strings(pages):
    text = _plain("\n".join(pages))
    found = [m.group(0) for pattern in ENGLISH for m in re.finditer(pattern, text)]
    assert not found, f"English strings in the PDF: {sorted(set(found))}"


def test_table_and_figure_numbers_unique_and_appendices_lettered(pages):
    text = _plain("\n".join(pages))
    numbers = [f"{m[1]} {m[2]}.{m[3]}" for m in CAPTION.finditer(text)]
    assert len(numbers) >= 20, numbers
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    assert not repeated, f"numbers used twice in the PDF: {repeated}"
    appendix = [n for n in numbers if re.match(r"\w+ [A-Z]\.", n)]
    assert any(n.startswith("Tabell A.") for n in appendix), numbers
    assert any(n.startswith("Tabell B.") for n in appendix), numbers


def test_editors_guide_is_not_in_the_pdf(pages):
    """book/redaktorer.md is for editors: on the site, not in the readers' PDF."""
    text = _plain("\n".join(pages))
    assert "Så redigerar du boken" not in text
    assert (SITE / "book" / "redaktorer.html").exists()


def test_bibtex_is_whole_and_copyable(pages):
    """The BibTeX entries of book/citera.md appear in the PDF's text as written (white space
    aside), with no wrap markers."""
    source = (paths.ROOT / "book" / "citera.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bibtex\n(.*?)```", source, re.S)
    assert blocks, "no BibTeX block in book/citera.md"
    text = _plain("\n".join(pages))
    for block in blocks:
        for entry in re.split(r"\n(?=@)", block.strip()):
            assert _plain(entry.strip()) in text, f"BibTeX entry not whole in the PDF:\n{entry}"
    markers = [c for c in ("↪", "␣", ",→", "\u2423") if c in text]
    assert not markers, f"wrap markers in the PDF: {markers}"


def test_number_and_percent_never_part(pages):
    """A no-break space between a number and '%': no line ends in a number whose '%' starts
    the next line."""
    parted = []
    for page in pages:
        lines = [line.strip() for line in page.splitlines()]
        for a, b in zip(lines, lines[1:], strict=False):
            if re.search(r"\d$", a) and b.startswith("%"):
                parted.append(f"{a[-40:]} / {b[:20]}")
    assert not parted, parted


def _linewidth_pt() -> float:
    log = LATEX_LOG.read_text(encoding="utf-8", errors="replace")
    return float(re.search(r"kommunenkat-linewidth=([\d.]+)pt", log).group(1)) * 72 / 72.27


def _pdf_font_sizes(path) -> list[float]:
    """Font sizes (Tf operands) in a matplotlib PDF; its text matrices do not scale."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        sizes = []
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "Tf":
                    sizes.append(float(operands[1]))
                elif str(operator) == "Tm":
                    a, b = float(operands[0]), float(operands[1])
                    assert abs((a * a + b * b) ** 0.5 - 1) < 1e-3, f"scaled text in {path}"
        return sizes, float(pdf.pages[0].mediabox[2]) - float(pdf.pages[0].mediabox[0])


def test_figure_text_at_least_9pt_in_the_pdf():
    """Every figure's smallest text, at the size the PDF shows it (figures wider than the text
    are scaled down to it), is at least 9 pt."""
    tex = (LATEX_DIR / build.PDF_NAME.replace(".pdf", ".tex")).read_text(encoding="utf-8")
    figures = sorted(
        set(re.findall(r"\\sphinxincludegraphics(?:\[[^]]*\])?\{\{(\w+)\}\.pdf\}", tex))
    )
    assert len(figures) >= 10, figures
    line = _linewidth_pt()
    small = []
    for name in figures:
        sizes, width = _pdf_font_sizes(LATEX_DIR / f"{name}.pdf")
        shown = min(sizes) * min(1.0, line / width)
        if shown < 9 - 0.01:
            small.append(
                f"{name}.pdf: {min(sizes)} pt at {min(1.0, line / width):.2f} = {shown:.1f}"
            )
    assert not small, "figure text below 9 pt in the PDF:\n" + "\n".join(small)
