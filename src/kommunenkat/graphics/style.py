"""The book's figure style: palette, sizes, the Matplotlib setup, source lines and helpers that
every figure module shares.

Colours are colour-blind safe (a blue–orange diverging scheme, distinguishable with the common
colour-vision deficiencies, each meeting 3:1 contrast against white where it carries meaning) and
every figure also labels its values, so nothing depends on colour alone. :func:`setup` applies the
style (``theme.mplstyle``, ``style.mplstyle``) and makes SVG/PDF output reproducible;
:func:`source_note` puts a source line (:func:`source_latest`, :func:`source_series`) under a
finished figure; :func:`suptitle`, :func:`pct_axis` and :func:`readable_text_colour` are the
shared drawing helpers. The chart kinds are in :mod:`figures`, :mod:`county_figures` and
:mod:`power_chart`.
"""

from __future__ import annotations

import os
from importlib import resources

import matplotlib as mpl
import matplotlib.pyplot as plt

from kommunenkat.core import fmt
from kommunenkat.inputs import data

COLOURS = {
    "very_high": "#08519c",
    "fairly_high": "#4a90c8",
    "middle": "#969696",
    "fairly_low": "#e6842a",
    "very_low": "#a63603",
    "dont_know": "#ececec",
    "high": "#08519c",
    "low": "#a63603",
}
TEXT_ON = {
    "very_high": "white",
    "fairly_high": "black",
    "middle": "black",
    "fairly_low": "black",
    "very_low": "white",
    "dont_know": "black",
}

# The four steps of the answer scale without its middle, darkest positive to darkest negative:
# lines of one family that need an order (e.g. the power chart's assumed correlations).
ORDERED_LINES = [COLOURS[level] for level in ("very_high", "fairly_high", "fairly_low", "very_low")]


def source_latest(year: int | None = None) -> str:
    """Source line of a figure of one round (default the latest): year, respondents and
    municipalities."""
    year = data.latest_round() if year is None else int(year)
    return (
        f"Källa: SKR, Kommunenkät {year} "
        f"({data.respondents(year)} av {data.municipalities(year)} kommuner svarade)."
    )


def source_series(years) -> str:
    """Source line of a national series over ``years`` (period and unpublished respondents)."""
    first, last = min(years), max(years)
    text = f"Källa: SKR, Kommunenkät {first}–{last}."
    known = data.first_published_respondents()
    if known is not None and known > first:
        text += f" Antalet svarande före {known} är inte publicerat."
    return text


# Size rules for every figure of the book (style.mplstyle sets the defaults to match).
# FIG_WIDTH is the PDF's text width (A4, 11 pt, Sphinx's 1 in margins: 159 mm = 6.26 in), so the
# PDF shows a figure at 100 % and its text at the size it was set in. In HTML the figure is shown
# at its natural size (6.2 in = 595 CSS px, narrower than the content column at 1280 px), where
# 9 pt is 12 CSS px. The tests measure both in the built book: smallest text >= 9 pt in the PDF
# (tests/book/test_pdf.py) and >= 11 CSS px in HTML at the rendered size
# (tests/book/test_layout.py).
FIG_WIDTH = 6.2
MIN_FONT_PT = 9
SMALL = MIN_FONT_PT  # value labels, annotations, source lines
TITLE_PT = 10.5


def setup() -> None:
    """Apply the book style; SVG in HTML, PDF in LaTeX; reproducible files."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    # theme.mplstyle is seaborn's set_theme(context="paper", style="whitegrid", font="DejaVu Sans")
    # frozen, so that no kernel has to import seaborn (and with it scipy) just for the theme.
    for name in ("theme.mplstyle", "style.mplstyle"):
        with resources.as_file(resources.files(__package__) / name) as sheet:
            plt.style.use(sheet)
    mpl.rcParams["axes.formatter.use_locale"] = False
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("svg", "pdf")
        _undated_figure_formats()
    except ImportError:  # pragma: no cover - outside Jupyter
        pass


def _undated_figure_formats() -> None:
    """SVG and PDF figures without a creation date: otherwise it comes from SOURCE_DATE_EPOCH (the
    last commit), so figures in the execution cache from an earlier commit differ from a clean
    build's. Without it a figure's bytes depend on the figure alone."""
    from functools import partial

    from IPython import get_ipython
    from IPython.core.pylabtools import print_figure
    from matplotlib.figure import Figure

    shell = get_ipython()
    if shell is None:
        return
    formatters = shell.display_formatter.formatters
    formatters["image/svg+xml"].for_type(
        Figure, partial(print_figure, fmt="svg", metadata={"Date": None})
    )
    formatters["application/pdf"].for_type(
        Figure, partial(print_figure, fmt="pdf", base64=True, metadata={"CreationDate": None})
    )


def source_note(fig, text: str | None = None, *, freeze_layout: bool = False) -> None:
    """Source line under everything already drawn (axes, legends, colour bars), wrapped to the
    figure's width so that it never widens the figure; by default the latest round's.

    ``freeze_layout``: switch the layout engine off after drawing, so that constrained layout
    does not move anything after the line is placed (the county figures, whose legends are
    placed outside the axes with ``fig.legend(loc="outside …")``)."""
    import textwrap

    text = source_latest() if text is None else text

    fig.canvas.draw()
    if freeze_layout:
        fig.set_layout_engine("none")
        fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.get_tightbbox(renderer)
    # Figure legends placed by constrained layout are not always in the tight box.
    for legend in fig.legends:
        extent = legend.get_window_extent(renderer).transformed(fig.dpi_scale_trans.inverted())
        box = mpl.transforms.Bbox.union([box, extent])
    # DejaVu Sans averages about 0.55 em per character.
    chars = int(fig.get_figwidth() * 72 / (0.55 * SMALL))
    fig.text(
        max(box.x0, 0) / fig.get_figwidth(),
        box.y0 / fig.get_figheight() - 0.01,
        textwrap.fill(text, chars),
        ha="left",
        va="top",
        fontsize=SMALL,
        color="#444444",
        transform=fig.transFigure,
    )


def suptitle(fig, title: str) -> None:
    """The figure's title at its left edge, wrapped to its width (an axes title starts after
    the tick labels and can run past the figure's right edge, widening it)."""
    import textwrap

    chars = int(fig.get_figwidth() * 72 / (0.62 * TITLE_PT))  # bold DejaVu Sans, about 0.62 em
    fig.suptitle(
        textwrap.fill(title, chars), x=0.01, ha="left", fontsize=TITLE_PT, fontweight="bold"
    )


def superscript(n: int) -> str:
    """``n`` in Unicode superscript digits (``-12`` → ``⁻¹²``)."""
    return str(n).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def pct_axis(ax, axis: str = "y") -> None:
    """Tick labels of the ``axis`` (``"x"`` or ``"y"``) as Swedish percentages."""
    formatter = mpl.ticker.FuncFormatter(lambda v, _: fmt.pct(v))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def relative_luminance(rgb) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour (components 0–1)."""
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb[:3]]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def readable_text_colour(background) -> str:
    """Black or white, whichever has the higher WCAG contrast ratio on ``background``."""
    lum = relative_luminance(mpl.colors.to_rgb(background))
    return "black" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "white"
