"""The chapters' chart kinds, drawn in the book's style (:mod:`style`).

National series with the change of answer scale as a break (:func:`series_chart`), stacked
answer distributions (:func:`distribution_chart`), county shares with intervals
(:func:`county_interval_chart`), a tile map of the regions (:func:`tile_map`), the kinds of help
municipalities give (:func:`help_chart`), and the p-values of the change tests against the
unpublished number of respondents (:func:`sensitivity_chart`; its alt text is written by
:mod:`kommunenkat.text.sensitivity_text` from the same table). The county-precision figures are in
:mod:`county_figures`, the power chart in :mod:`power_chart`.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from kommunenkat.core import fmt
from kommunenkat.core.labels import CATEGORIES, SCALE
from kommunenkat.core.lazy import LazyModule
from kommunenkat.graphics import style
from kommunenkat.inputs import data

# Imported on first use: seaborn imports scipy (about 0.6 s in every notebook kernel).
sns = LazyModule("seaborn")


def series_chart(series: pd.DataFrame, title: str):
    """National yearly shares 'high' and 'low' with the 2021/2022 scale change as a visible break.

    ``series``: long table with columns year, category ('high'/'low'), percent.
    Lines are not drawn across the break: the two scales are not the same measurement.
    """
    fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 3.8))
    breaks = data.scale_breaks()
    edges = [-np.inf, *breaks, np.inf]
    for cat, marker in (("high", "o"), ("low", "s")):
        d = series[series["category"] == cat].sort_values("year")
        for lo, hi in zip(edges[:-1], edges[1:], strict=True):
            part = d[(d["year"] > lo) & (d["year"] <= hi)]
            if part.empty:
                continue
            ax.plot(
                part["year"],
                part["percent"],
                marker=marker,
                color=style.COLOURS[cat],
                linewidth=2,
                label=CATEGORIES[cat] if hi == np.inf else None,
            )
        for _, r in d.iterrows():
            ax.annotate(
                fmt.pct(r["percent"]),
                (r["year"], r["percent"]),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontsize=9,
                color=style.COLOURS[cat],
            )
    years_all = data.round_years()
    for brk in breaks:
        ax.axvline(brk + 0.5, color="#444444", linestyle="--", linewidth=1)
        ax.text(
            brk + 0.55,
            102,
            f"Ny svarsskala från {min(y for y in years_all if y > brk)}",
            fontsize=style.SMALL,
            va="top",
            color="#444444",
        )
    years = sorted(series["year"].unique())
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_xlim(min(years) - 0.4, max(years) + 0.4)
    ax.set_ylim(0, 105)
    style.pct_axis(ax)
    ax.set_xlabel("")
    ax.set_ylabel("Andel av svarande kommuner")
    # Title and legend above the axes: the figure's right edge is the latest year, which a phone
    # shows first (book/_static/custom.css opens time series scrolled to the right).
    ax.set_title(title, pad=30)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, borderaxespad=0.2)
    style.source_note(fig, style.source_series(years))
    return fig


def distribution_chart(table: pd.DataFrame, title: str):
    """Stacked horizontal bars of the six answer categories, one bar per row of ``table``."""
    rows = list(table.index)
    fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 0.45 * len(rows) + 1.9))
    left = pd.Series(0.0, index=rows)
    for cat in SCALE:
        values = table[cat].astype(float)
        ax.barh(
            rows,
            values,
            left=left,
            color=style.COLOURS[cat],
            edgecolor="white",
            linewidth=0.5,
            label=CATEGORIES[cat],
        )
        for row in rows:
            v = values[row]
            if v >= 6:
                ax.text(
                    left[row] + v / 2,
                    row,
                    fmt.num(v),
                    ha="center",
                    va="center",
                    fontsize=style.SMALL,
                    color=style.TEXT_ON[cat],
                )
        left = left + values
    ax.invert_yaxis()
    ax.set_xlim(0, 102)
    style.pct_axis(ax, "x")
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    # The legend under the axis labels, in two columns inside the figure's width.
    ax.legend(
        loc="upper left",
        bbox_to_anchor=(0, 0),
        bbox_transform=mpl.transforms.offset_copy(ax.transAxes, fig=fig, y=-24, units="points"),
        ncol=2,
        fontsize=style.SMALL,
        borderaxespad=0,
    )
    ax.set_title(title)
    style.source_note(fig)
    return fig


# A tile grid of the report's 20 regions, roughly as they lie on the map (column, row from north).
TILE_GRID = {
    "Norrbotten": (2, 0),
    "Västerbotten": (1, 1),
    "Jämtland": (0, 2),
    "Västernorrland": (1, 2),
    "Dalarna": (0, 3),
    "Gävleborg": (1, 3),
    "Värmland": (0, 4),
    "Örebro": (1, 4),
    "Västmanland": (2, 4),
    "Uppsala": (3, 4),
    "Västra Götaland": (0, 5),
    "Östergötland": (1, 5),
    "Södermanland": (2, 5),
    "Stockholm samt Gotland": (3, 5),
    "Halland": (0, 6),
    "Jönköping": (1, 6),
    "Kalmar": (2, 6),
    "Skåne": (0, 7),
    "Kronoberg": (1, 7),
    "Blekinge": (2, 7),
}
SHORT_REGION = {
    "Norrbotten": "Norr-\nbotten",
    "Västmanland": "Väst-\nmanland",
    "Gävleborg": "Gävle-\nborg",
    "Jönköping": "Jön-\nköping",
    "Kronoberg": "Krono-\nberg",
    "Stockholm samt Gotland": "Stockholm\n+ Gotland",
    "Västra Götaland": "Västra\nGötaland",
    "Västernorrland": "Väster-\nnorrland",
    "Östergötland": "Öster-\ngötland",
    "Södermanland": "Söder-\nmanland",
    "Västerbotten": "Väster-\nbotten",
}


def county_interval_chart(
    df: pd.DataFrame,
    title: str,
    national: float | None = None,
    xlabel: str = "Andel av svarande kommuner",
):
    """Dot plot of a share per region with its interval, ordered by the share.

    ``df``: index region; columns share, ci_low, ci_high (shares in 0–1), n; optional bool
    column ``differs_from_rest`` (differs from the rest of the country after multiplicity control).
    """
    d = df.sort_values("share")
    fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 0.3 * len(d) + 1.4))
    y = range(len(d))
    ax.hlines(list(y), d["ci_low"] * 100, d["ci_high"] * 100, color="#6b6b6b", linewidth=2)
    flagged = d.get("differs_from_rest", pd.Series(False, index=d.index)).astype(bool)
    ax.plot(d["share"] * 100, list(y), "o", color=style.COLOURS["high"], markersize=6)
    ax.plot(
        (d["share"] * 100)[flagged],
        [i for i, f in zip(y, flagged, strict=False) if f],
        "D",
        color=style.COLOURS["low"],
        markersize=7,
        label="Skiljer sig från övriga landet",
    )
    labels = [f"{r} (n = {int(n)})" for r, n in zip(d.index, d["n"], strict=False)]
    ax.set_yticks(list(y), labels, fontsize=style.SMALL)
    if national is not None:
        ax.axvline(national * 100, color="#444444", linestyle=":", linewidth=1)
        ax.text(national * 100, len(d) - 0.3, " Riket", fontsize=style.SMALL, color="#444444")
    ax.set_xlim(-1.5, 100)  # a 0 % point is a whole dot
    style.pct_axis(ax, "x")
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel(xlabel)
    style.suptitle(fig, title)
    if flagged.any():
        ax.legend(loc="lower right", fontsize=style.SMALL)
    style.source_note(fig)
    return fig


# Tile map classes: "0 %" on its own (no respondent in the region answered so), then 20-point
# classes, coloured by a light-to-dark sequential palette (YlGnBu, colour-blind safe, lightness
# falls monotonically), so 0 % and, say, 18 % or 20 % never share a colour. The colour bar labels
# the classes; tiles without a value are white and hatched. Printed shares are whole per cent, so
# anything that rounds to 0 % is in the 0 % class.
TILE_BOUNDS = np.array([0.0, 0.005, 0.2, 0.4, 0.6, 0.8, 1.0])
TILE_CLASSES = ["0 %", "1–19 %", "20–39 %", "40–59 %", "60–79 %", "80–100 %"]


def tile_map(values: pd.Series, title: str, label: str = "Andel"):
    """Tile map of the 20 regions coloured by ``values`` (shares 0–1), each tile labelled.

    Tiles are 0.78 in wide, so the two-line names fit inside at 9 pt; the colour bar has one tick
    per class boundary.
    """
    fig, ax = plt.subplots(figsize=(4.9, 7.4), layout="constrained")
    cmap = mpl.colors.ListedColormap(
        mpl.colormaps["YlGnBu"](np.linspace(0.05, 0.95, len(TILE_BOUNDS) - 1))
    )
    norm = mpl.colors.BoundaryNorm(TILE_BOUNDS, cmap.N, clip=True)
    for region, (col, row) in TILE_GRID.items():
        v = values.get(region)
        share = None if v is None or pd.isna(v) else float(v)
        missing = share is None
        colour = "#ffffff" if share is None else cmap(norm(share))
        ax.add_patch(
            mpl.patches.Rectangle(
                (col, -row),
                0.95,
                0.95,
                facecolor=colour,
                edgecolor="#444444",
                linewidth=0.6,
                hatch="///" if missing else None,
            )
        )
        text_colour = style.readable_text_colour(colour)
        name = SHORT_REGION.get(region, region)
        value = "–" if share is None else fmt.share_pct(share)
        ax.text(
            col + 0.475,
            -row + 0.6,
            name,
            ha="center",
            va="center",
            fontsize=style.SMALL,
            linespacing=1.0,
            color=text_colour,
        )
        ax.text(
            col + 0.475,
            -row + 0.18,
            value,
            ha="center",
            va="center",
            fontsize=style.SMALL + 1,
            fontweight="bold",
            color=text_colour,
        )
    ax.set_xlim(-0.05, 4.0)
    ax.set_ylim(-7.05, 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title)
    cbar = fig.colorbar(
        mpl.cm.ScalarMappable(norm=norm, cmap=cmap),
        ax=ax,
        shrink=0.45,
        location="right",
        pad=0.02,
        spacing="uniform",
    )
    # One label per class, in the middle of its (uniform) band.
    cbar.set_ticks(
        (TILE_BOUNDS[:-1] + TILE_BOUNDS[1:]) / 2,
        labels=[c.replace(" ", "\u00a0") for c in TILE_CLASSES],
    )
    cbar.ax.tick_params(labelsize=style.SMALL + 0.5, length=0)
    cbar.set_label(label, fontsize=style.SMALL + 1)
    style.source_note(fig)
    return fig


def help_chart(values: pd.DataFrame, title: str):
    """Kinds of help municipalities give (the report's figures 1–3, values from its prose).

    ``values``: columns measure (one panel per measure, in order of appearance: shares of
    different things are not put on one scale of bars), label, percent, flag (a note put after
    the row's label, e.g. that the value is ambiguous). Rows of one measure with the same label
    are one quantity the report gives conflicting values for: they are drawn as one row, the
    values as open points joined by a line, never as two bars. Row labels stand above their
    bars, so the bars use the figure's whole width.
    """
    d = values.reset_index(drop=True)
    measures = list(dict.fromkeys(d["measure"]))
    rows = {m: list(dict.fromkeys(d.loc[d["measure"] == m, "label"])) for m in measures}
    n_rows = sum(len(r) for r in rows.values())
    fig, axes = plt.subplots(
        len(measures),
        1,
        figsize=(style.FIG_WIDTH, 0.55 * n_rows + 0.55 * len(measures) + 1.0),
        sharex=True,
        height_ratios=[len(rows[m]) for m in measures],
        squeeze=False,
    )
    for ax, measure in zip(axes[:, 0], measures, strict=True):
        labels = rows[measure]
        part = d[d["measure"] == measure]
        for i, label in enumerate(labels):
            same = part[part["label"] == label]
            flag = next((f for f in same["flag"] if f), "")
            ax.text(
                0,
                i - 0.33,
                label + (f" ({flag})" if flag else ""),
                va="bottom",
                fontsize=style.SMALL + 0.5,
            )
            if len(same) == 1:
                v = float(same["percent"].iloc[0])
                ax.barh(i, v, color=style.COLOURS["high"], height=0.5)
                ax.text(
                    v - 1.5,
                    i,
                    fmt.pct(v),
                    va="center",
                    ha="right",
                    fontsize=style.SMALL,
                    fontweight="bold",
                    color="white",
                )
            else:  # conflicting values of one quantity: one row, both values
                lo, hi = float(same["percent"].min()), float(same["percent"].max())
                ax.hlines(i, lo, hi, color="#444444", linewidth=1.5)
                ax.plot(
                    same["percent"],
                    [i] * len(same),
                    "o",
                    mfc="white",
                    mec=style.COLOURS["low"],
                    mew=2,
                    markersize=8,
                )
                text = " eller ".join(fmt.pct(v) for v in sorted(same["percent"]))
                ax.text(
                    lo - 2.5,
                    i,
                    f"två värden: {text}",
                    va="center",
                    ha="right",
                    fontsize=style.SMALL,
                )
        ax.set_yticks([])
        ax.set_ylim(len(labels) - 0.55, -0.95)
        ax.set_title(measure, fontsize=style.SMALL + 1, fontweight="bold", loc="left")
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.spines["left"].set_visible(False)
    ax = axes[-1, 0]
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 25, 50, 75, 100])
    style.pct_axis(ax, "x")
    ax.set_xlabel("Andel av svarande kommuner")
    style.suptitle(fig, title)
    style.source_note(fig, style.source_latest(values["year"].max() if "year" in values else None))
    return fig


def sensitivity_chart(
    sens: pd.DataFrame, labels: dict[tuple[str, str], str], alpha: float, headline_n: int
):
    """p-value of each change (previous comparable round → latest) against the assumed number of
    respondents in the previous round (unpublished).

    ``sens``: columns question, category, n1, p_value_max (the least favourable count consistent
    with the printed, rounded percentage of the previous round) and, from
    :func:`analysis.sensitivity_table`, year_from (only the previous round's rows are drawn).
    Points below the dashed line are significant.
    """
    latest = data.latest_round()
    prev = data.previous_comparable_round(latest)
    if "year_from" in sens:
        sens = sens[sens["year_from"] == prev]
    fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 6.4))
    palette = sns.color_palette("colorblind", n_colors=len(labels))
    styles = ["-", "--", "-.", ":", "-", "--"]
    for (key, label), colour, line_style in zip(labels.items(), palette, styles, strict=False):
        d = sens[(sens["question"] == key[0]) & (sens["category"] == key[1])]
        ax.plot(
            d["n1"],
            d["p_value_max"].clip(lower=1e-9),
            line_style,
            color=colour,
            linewidth=1.8,
            label=label,
        )
    ax.set_yscale("log")
    ax.axhline(alpha, color="#444444", linestyle="--", linewidth=1)
    ax.text(
        sens["n1"].max(),
        alpha * 1.4,
        f"p = {fmt.num(alpha, 2)}",
        fontsize=style.SMALL,
        color="#444444",
        ha="right",
    )
    ax.axvline(headline_n, color="#444444", linestyle=":", linewidth=1)
    ax.text(
        headline_n - 2,
        3e-9,
        f"huvudantagande n = {headline_n}",
        fontsize=style.SMALL,
        color="#444444",
        ha="right",
    )
    ax.set_ylim(1e-9, 1.5)
    ax.set_xlabel(f"Antaget antal svarande kommuner {prev}")
    ax.set_ylabel("p-värde (ogynnsammaste avrundning)")
    ax.yaxis.set_major_formatter(
        mpl.ticker.FuncFormatter(
            # Unicode superscripts, not mathtext: a mathtext exponent is set at 70 % of the
            # label's size, below the book's minimum text size.
            lambda v, _: "1" if v >= 1 else "10" + style.superscript(int(round(np.log10(v))))
        )
    )
    style.suptitle(fig, f"Förändringarnas p-värden beroende på antalet svarande {prev}")
    # One column: two columns of these labels are wider than the figure.
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.14), ncol=1, fontsize=style.SMALL)
    style.source_note(fig, f"Källa: SKR, kommunenkäterna {prev} och {latest}; egna beräkningar.")
    return fig
