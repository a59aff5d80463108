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
import shutil
import subprocess
import unicodedata

import pytest
import yaml

from kommunenkat import build, data, fmt, paths
from kommunenkat.labels import SCALE_QUESTIONS

PDF = paths.BUILD / "pdf" / build.PDF_NAME
SITE = paths.BUILD / "html"
LATEX_LOG = paths.BUILD / "work" / "_build" / "latex" / build.PDF_NAME.replace(".pdf", ".log")

pytestmark = [
    pytest.mark.skipif(not PDF.exists(), reason="PDF not built (make test builds it first)"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing"),
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
    """(label, title) of every chapter in _toc.yml: numbered parts 1, 2, …; the unnumbered part
    (Bilagor) as appendices A, B, …. Titles are read from the built HTML pages."""
    toc = yaml.safe_load((paths.ROOT / "_toc.yml").read_text(encoding="utf-8"))
    out, number, letter = [], 0, 0
    for part in toc["parts"]:
        for chapter in part["chapters"]:
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
    assert "Kommunenkät 2023 – en körbar rapportbok" in title
    assert "Sveriges Kommuner och Regioner (SKR)" in title
    assert "Enkätår: 2023" in title
    built = re.search(r"Byggd (\d{4}-\d{2}-\d{2})", title)
    assert built, title
    if os.environ.get("SOURCE_DATE_EPOCH"):  # set by make: the date of the last commit
        epoch = int(os.environ["SOURCE_DATE_EPOCH"])
        assert built.group(1) == dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%d")


def test_table_of_contents_with_heading_and_numbered_chapters(pages):
    toc = "\n".join(pages[1:8])
    assert re.search(r"^\s*Innehåll\s*$", toc, re.M), "no table of contents heading 'Innehåll'"
    for label, title in toc_chapters():
        entry = rf"^\s*{label}\s+{re.escape(title)}\s+\d+\s*$"
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
    assert "Kommunenkät 2023" in biblio and "[1]" in biblio


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
