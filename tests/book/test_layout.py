"""Tables and figures that fit, measured in the built site in headless Chromium
(``tools/a11y/layout-check.mjs``, which ``make setup`` can run: Node.js + playwright-core).

- At 1280 px no table is wider than the column it sits in (nothing hides behind a horizontal
  scroll).
- Every figure's smallest text is at least 11 CSS px at the size the page shows it (1280 px):
  the SVG's smallest font size (user units) times the rendered width over the SVG's width.
- On a phone (390 px) a time series (figure ids ``fig-*-serie``) shows its right end, the latest
  year, without scrolling.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest

from kommunenkat.core import paths

SITE = paths.BUILD / "html"
TOOL = paths.ROOT / "tools" / "a11y"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
MIN_CSS_PX = 11.0

pytestmark = pytest.mark.built("html/book/index.html")


@pytest.fixture(scope="module")
def layout() -> dict:
    node = shutil.which("node")
    assert node, "node is missing: run `make setup` (scripts/system-deps.sh names the package)"
    assert (TOOL / "node_modules" / "playwright-core").is_dir(), "npm packages: `make setup`"
    assert shutil.which(CHROMIUM), f"{CHROMIUM} is missing: `make setup` (or set CHROMIUM)"
    run = subprocess.run(
        [node, str(TOOL / "layout-check.mjs"), str(SITE)],
        capture_output=True,
        text=True,
        timeout=900,  # generous, as for axe (test_accessibility): the machine may be shared
        cwd=paths.ROOT,
    )
    assert run.returncode == 0, f"layout-check failed (exit {run.returncode}):\n{run.stderr}"
    return json.loads(run.stdout)


def svg_text(src: str, page: str) -> tuple[float, float]:
    """(smallest font size, viewBox width) of an SVG figure, both in its user units."""
    svg = (SITE / page).parent.joinpath(src).resolve().read_text(encoding="utf-8")
    view = re.search(r'viewBox="[\d.\-]+ [\d.\-]+ ([\d.]+) [\d.]+"', svg)
    sizes = [float(s) for s in re.findall(r"font-size:\s*([\d.]+)px", svg)]
    sizes += [float(s) for s in re.findall(r'font-size="([\d.]+)(?:px)?"', svg)]
    assert view and sizes, f"{src}: no viewBox or no text"
    return min(sizes), float(view.group(1))


def test_no_table_wider_than_its_column_at_1280(layout):
    wide = [
        f"{page}: '{t['caption'][:60]}' {t['scroll']} px in a {t['column']} px column"
        for page, widths in layout.items()
        for t in widths["1280"]["tables"]
        if t["scroll"] > t["column"] + 1
    ]
    tables = sum(len(w["1280"]["tables"]) for w in layout.values())
    assert tables >= 20, tables
    assert not wide, "tables that scroll sideways at 1280 px:\n" + "\n".join(wide)


def test_claims_audit_shows_verdict_and_explanation_at_1280(layout):
    tables = layout["notebooks/06_claims_audit.html"]["1280"]["tables"]
    audit = [t for t in tables if "påståenden" in t["caption"]]
    assert audit and all(t["scroll"] <= t["column"] + 1 for t in audit), audit


def test_figure_text_at_least_11_css_px_at_1280(layout):
    small, seen = [], 0
    for page, widths in layout.items():
        for img in widths["1280"]["images"]:
            if not img["src"].endswith(".svg"):
                continue
            seen += 1
            size, view_width = svg_text(img["src"], page)
            px = size * img["rendered"] / view_width
            if px < MIN_CSS_PX - 0.01:
                small.append(f"{page} {img['figure']}: {size} units -> {px:.1f} px")
    assert seen >= 10, seen
    assert not small, "figure text below 11 CSS px at 1280 px:\n" + "\n".join(small)


def test_time_series_show_latest_year_on_a_phone(layout):
    series = [
        (page, img)
        for page, widths in layout.items()
        for img in widths["390"]["images"]
        if img["figure"].endswith("-serie")
    ]
    assert len(series) >= 4, series
    hidden = [
        f"{page} {img['figure']}: right edge {img['right']:.0f}, shown to {img['shownRight']:.0f}"
        for page, img in series
        if img["shownRight"] < img["right"] - 1
    ]
    assert not hidden, "time series whose latest year is off screen at 390 px:\n" + "\n".join(
        hidden
    )
