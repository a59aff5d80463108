"""The book's single figure style and its figure functions.

Colours are colour-blind safe (a blue–orange diverging scheme, distinguishable with the common
colour-vision deficiencies, each meeting 3:1 contrast against white where it carries meaning) and
every figure also labels its values, so nothing depends on colour alone.
"""

from __future__ import annotations

import os
from importlib import resources

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd

from . import fmt
from .labels import CATEGORIES, SCALE, SCALE_BREAK_AFTER
from .lazy import seaborn as sns  # noqa: F401 (imported on first use: it imports scipy)

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
TEXT_ON = {"very_high": "white", "fairly_high": "black", "middle": "black", "fairly_low": "black",
           "very_low": "white", "dont_know": "black"}
SOURCE_2023 = "Källa: SKR, Kommunenkät 2023 (244 av 290 kommuner svarade)."


def setup() -> None:
    """Apply the book style; SVG in HTML, PDF in LaTeX; reproducible files."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    # theme.mplstyle is seaborn's set_theme(context="paper", style="whitegrid", font="DejaVu Sans")
    # frozen, so that no kernel has to import seaborn (and with it scipy) just for the theme.
    for name in ("theme.mplstyle", "style.mplstyle"):
        with resources.as_file(resources.files(__package__) / name) as style:
            plt.style.use(style)
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
        Figure, partial(print_figure, fmt="svg", metadata={"Date": None}))
    formatters["application/pdf"].for_type(
        Figure, partial(print_figure, fmt="pdf", base64=True, metadata={"CreationDate": None}))


def _source(fig, text: str = SOURCE_2023) -> None:
    fig.text(0.0, -0.02, text, ha="left", va="top", fontsize=8, color="#444444",
             transform=fig.transFigure)


def _pct_axis(ax, axis: str = "y") -> None:
    formatter = mpl.ticker.FuncFormatter(lambda v, _: fmt.pct(v))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def series_chart(series: pd.DataFrame, title: str):
    """National yearly shares 'high' and 'low' with the 2021/2022 scale change as a visible break.

    ``series``: long table with columns year, category ('high'/'low'), percent.
    Lines are not drawn across the break: the two scales are not the same measurement.
    """
    fig, ax = plt.subplots(figsize=(7.0, 3.6))
    for cat, marker in (("high", "o"), ("low", "s")):
        d = series[series["category"] == cat].sort_values("year")
        for part in (d[d["year"] <= SCALE_BREAK_AFTER], d[d["year"] > SCALE_BREAK_AFTER]):
            if part.empty:
                continue
            ax.plot(part["year"], part["percent"], marker=marker, color=COLOURS[cat],
                    linewidth=2, label=CATEGORIES[cat] if part["year"].min() > SCALE_BREAK_AFTER
                    else None)
        for _, r in d.iterrows():
            ax.annotate(fmt.pct(r["percent"]), (r["year"], r["percent"]), textcoords="offset points",
                        xytext=(0, 7), ha="center", fontsize=9, color=COLOURS[cat])
    ax.axvline(SCALE_BREAK_AFTER + 0.5, color="#444444", linestyle="--", linewidth=1)
    ax.text(SCALE_BREAK_AFTER + 0.55, 102, "Ny svarsskala från 2022", fontsize=8, va="top",
            color="#444444")
    years = sorted(series["year"].unique())
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_xlim(min(years) - 0.4, max(years) + 0.4)
    ax.set_ylim(0, 105)
    _pct_axis(ax)
    ax.set_xlabel("")
    ax.set_ylabel("Andel av svarande kommuner")
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _source(fig, "Källa: SKR, Kommunenkät 2019–2023. Antalet svarande före 2023 är inte publicerat.")
    return fig


def distribution_chart(table: pd.DataFrame, title: str):
    """Stacked horizontal bars of the six answer categories, one bar per row of ``table``."""
    rows = list(table.index)
    fig, ax = plt.subplots(figsize=(7.0, 0.45 * len(rows) + 1.6))
    left = pd.Series(0.0, index=rows)
    for cat in SCALE:
        values = table[cat].astype(float)
        ax.barh(rows, values, left=left, color=COLOURS[cat], edgecolor="white", linewidth=0.5,
                label=CATEGORIES[cat])
        for row in rows:
            v = values[row]
            if v >= 6:
                ax.text(left[row] + v / 2, row, fmt.num(v), ha="center", va="center", fontsize=8,
                        color=TEXT_ON[cat])
        left = left + values
    ax.invert_yaxis()
    ax.set_xlim(0, 102)
    _pct_axis(ax, "x")
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize=8)
    _source(fig)
    return fig
