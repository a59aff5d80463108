"""The county profiles' figures (issue 21): a region's answers beside the country's as small
multiples (:func:`small_multiples_svg`, one figure per profile) and the clickable tile map of the
regions on the "Ditt län" page (:func:`tile_map_html`).

The small multiples are written as SVG directly, not with Matplotlib: twenty profiles are
generated at every clean build, and drawing them with Matplotlib took most of the time the
build may grow by (issue 21: at most 15 %). They follow the book's figure rules all the same:
the palette of :mod:`.style` (``COLOURS``, ``TEXT_ON``), a white background (the charts keep it in
dark mode, ``book/_static/custom.css``), text as text (no smaller than :data:`FONT_PX` CSS px at
the natural size, checked by ``tests/test_layout.py``) and a source line. The figure is narrow
(:data:`WIDTH`) so that a phone shows it whole, without scrolling sideways.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from html import escape

from kommunenkat.core import fmt
from kommunenkat.core.labels import SCALE
from kommunenkat.graphics.figures import SHORT_REGION, TILE_GRID
from kommunenkat.graphics.style import COLOURS, TEXT_ON

WIDTH = 380  # CSS px at the natural size; a phone (390 px) shows it at about 0.87
PAD = 8
FONT_PX = 13  # the smallest text: 11 CSS px and more on a 390 px phone
TITLE_PX = 14
BAR_PX = 24
FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif"
OUTLINE = "#6b6b6b"
INK = "#222222"


@dataclass(frozen=True)
class Bar:
    """One stacked bar: its label and the counts of each answer of :data:`SCALE`."""

    label: str
    counts: dict[str, int]
    n: int


@dataclass(frozen=True)
class Panel:
    title: str
    bars: tuple[Bar, ...]


def _text(x: float, y: float, text: str, size: int = FONT_PX, fill: str = INK, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v, quote=True)}"' for k, v in attrs.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}"{extra}>'
        f"{escape(text)}</text>"
    )


def _text_width(text: str, size: int) -> float:
    """About how wide ``text`` is in DejaVu Sans (0.6 em per character, generous)."""
    return len(text) * 0.6 * size


def _bar(y: float, bar: Bar) -> list[str]:
    width = WIDTH - 2 * PAD
    out = []
    x = float(PAD)
    for category in SCALE:
        count = bar.counts[category]
        if count == 0:
            continue
        w = width * count / bar.n
        out.append(
            f'<rect x="{x:.2f}" y="{y:.1f}" width="{w:.2f}" height="{BAR_PX}" '
            f'fill="{COLOURS[category]}" stroke="#ffffff" stroke-width="1"/>'
        )
        label = fmt.share_pct(count / bar.n)
        if _text_width(label, FONT_PX) + 10 <= w:
            out.append(
                _text(
                    x + w / 2,
                    y + BAR_PX / 2 + FONT_PX * 0.35,
                    label,
                    text_anchor="middle",
                    fill=TEXT_ON[category],
                )
            )
        x += w
    out.append(
        f'<rect x="{PAD}" y="{y:.1f}" width="{width}" height="{BAR_PX}" fill="none" '
        f'stroke="{OUTLINE}" stroke-width="1"/>'
    )
    return out


def _legend(y: float, levels: dict[str, str]) -> tuple[list[str], float]:
    out, columns, step = [], 3, (WIDTH - 2 * PAD) / 3
    for i, category in enumerate(SCALE):
        x = PAD + (i % columns) * step
        top = y + (i // columns) * (FONT_PX + 10)
        out.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="{FONT_PX}" height="{FONT_PX}" '
            f'fill="{COLOURS[category]}" stroke="{OUTLINE}" stroke-width="1"/>'
        )
        out.append(_text(x + FONT_PX + 6, top + FONT_PX * 0.85, levels[category]))
    rows = -(-len(SCALE) // columns)
    return out, y + rows * (FONT_PX + 10)


def small_multiples_svg(panels: list[Panel], levels: dict[str, str], source: str) -> str:
    """One SVG figure: a panel per question, each with stacked bars of the six answers (the
    region's and the country's), a legend on top and the source line below. A share is
    labelled inside its segment where the label fits; every value is also in the page's tables."""
    body, y = _legend(PAD, levels)
    y += 8
    for panel in panels:
        body.append(_text(PAD, y + TITLE_PX, panel.title, TITLE_PX, font_weight="bold"))
        y += TITLE_PX + 10
        for bar in panel.bars:
            body.append(_text(PAD, y + FONT_PX, bar.label))
            y += FONT_PX + 6
            body += _bar(y, bar)
            y += BAR_PX + 8
        y += 8
    for line in textwrap.wrap(source, int((WIDTH - 2 * PAD) / (0.56 * FONT_PX))):
        body.append(_text(PAD, y + FONT_PX, line, fill="#444444"))
        y += FONT_PX + 4
    height = int(y + PAD)
    return "\n".join(
        [
            '<?xml version="1.0" encoding="utf-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" font-family="{FAMILY}">',
            f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
            *body,
            "</svg>",
            "",
        ]
    )


def tile_name(region: str) -> str:
    """A region's name on a tile: the short two-line name of the chapters' tile maps, broken
    with a soft hyphen where the word is split ('Väster­norrland')."""
    return SHORT_REGION.get(region, region).replace("-\n", "\u00ad").replace("\n", " ")


def tile_map_html(links: dict[str, str], label: str) -> str:
    """The regions as a grid of links, roughly as they lie on the map (the chapters' tile
    grid, :data:`figures.TILE_GRID`), north to south in reading order. Its look is
    ``book/_static/custom.css``'s (``.kk-lanskarta``)."""
    tiles = sorted(TILE_GRID.items(), key=lambda kv: (kv[1][1], kv[1][0]))
    items = [
        f'<li style="grid-column: {col + 1}; grid-row: {row + 1}">'
        f'<a href="{escape(links[region], quote=True)}">{escape(tile_name(region))}</a></li>'
        for region, (col, row) in tiles
    ]
    return "\n".join(
        [
            f'<nav class="kk-lanskarta" aria-label="{escape(label, quote=True)}">',
            "<ul>",
            *items,
            "</ul>",
            "</nav>",
        ]
    )
