"""Figures of the whole-scale and county-precision analyses (issue 11), in the book's style.

Diverging stacked bars of the five answer levels per region, funnel plots and partially pooled
county estimates. Colours, width and the source line come from :mod:`style`, the short region
names from :mod:`figures`; every value that matters is also printed or in the figure's data
table, and the smallest text is 9 pt.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from kommunenkat.core import fmt
from kommunenkat.core.labels import CATEGORIES, REGION_NATIONAL
from kommunenkat.graphics.figures import SHORT_REGION
from kommunenkat.graphics.style import COLOURS, FIG_WIDTH, pct_axis, source_note
from kommunenkat.inference.county_precision import step_limits

FONT = 9  # the smallest text in these figures (points)
# The book's figure width: the PDF's text width, so the PDF shows the figure at 100 % and no
# text shrinks below FONT.
WIDTH = FIG_WIDTH
NEGATIVE = ["fairly_low", "very_low"]  # drawn leftwards from the middle, nearest first
POSITIVE = ["fairly_high", "very_high"]


def _short(region: str) -> str:
    return SHORT_REGION.get(region, region).replace("-\n", "").replace("\n", " ")


def _label(region: str, n: float) -> str:
    return f"{'Riket' if region == REGION_NATIONAL else _short(region)} ({int(n)})"


def diverging_chart(dist: pd.DataFrame, title: str):
    """Diverging stacked bars: negative levels left of 0, positive right, the middle level split
    in half across 0; "vet ej" in its own panel. Rows ordered by ``balance`` (most positive
    first), the country on top.

    ``dist``: :func:`ordinal.distribution` (index region incl. "Riket"; shares 0–1; n; balance).
    """
    nat = dist.loc[[REGION_NATIONAL]]
    rest = dist.drop(index=REGION_NATIONAL).sort_values(["balance", "mean_score"], ascending=False)
    d = pd.concat([nat, rest]) * 1
    rows = list(range(len(d)))
    fig, (ax, ax_dk) = plt.subplots(
        1,
        2,
        figsize=(WIDTH, 0.26 * len(d) + 2.0),
        sharey=True,
        # Constrained layout keeps labels, legend and title inside the figure's width, so the
        # PDF shows the figure at 100 % (text at its set size).
        layout="constrained",
        gridspec_kw={"width_ratios": [5, 1]},
    )
    half_mid = d["middle"] * 50
    left = -half_mid
    for cat in NEGATIVE:
        ax.barh(rows, -d[cat] * 100, left=left, color=COLOURS[cat], edgecolor="white",
                linewidth=0.5, label=CATEGORIES[cat])  # fmt: skip
        left = left - d[cat] * 100
    ax.barh(rows, d["middle"] * 100, left=-half_mid, color=COLOURS["middle"], edgecolor="white",
            linewidth=0.5, label=CATEGORIES["middle"])  # fmt: skip
    right = half_mid.copy()
    for cat in POSITIVE:
        ax.barh(rows, d[cat] * 100, left=right, color=COLOURS[cat], edgecolor="white",
                linewidth=0.5, label=CATEGORIES[cat])  # fmt: skip
        right = right + d[cat] * 100
    neg = (d["fairly_low"] + d["very_low"]) * 100
    pos = (d["fairly_high"] + d["very_high"]) * 100
    for i, (lo, hi, nv, pv) in enumerate(zip(left, right, neg, pos, strict=True)):
        ax.text(lo - 1.5, i, fmt.num(nv), ha="right", va="center", fontsize=FONT,
                color=COLOURS["very_low"])  # fmt: skip
        ax.text(hi + 1.5, i, fmt.num(pv), ha="left", va="center", fontsize=FONT,
                color=COLOURS["very_high"])  # fmt: skip
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.axhline(0.5, color="#444444", linewidth=0.6, linestyle=":")
    ax.set_xlim(-112, 112)
    ax.set_xticks([-100, -50, 0, 50, 100])
    ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: fmt.pct(abs(v))))
    ax.tick_params(axis="both", labelsize=FONT)
    ax.set_yticks(rows, [_label(r, n) for r, n in zip(d.index, d["n"], strict=True)])
    ax.get_yticklabels()[0].set_fontweight("bold")
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("← negativa svar   |   positiva svar →", fontsize=FONT)
    ax_dk.barh(rows, d["dont_know"] * 100, color="#bdbdbd", edgecolor="#6b6b6b", linewidth=0.5)
    for i, v in enumerate(d["dont_know"] * 100):
        ax_dk.text(v + 2, i, fmt.num(v), va="center", fontsize=FONT)
    ax_dk.set_xlim(0, 100)
    ax_dk.set_xticks([0, 50])
    pct_axis(ax_dk, "x")
    ax_dk.tick_params(axis="x", labelsize=FONT)
    ax_dk.set_title(CATEGORIES["dont_know"], fontsize=FONT)
    ax_dk.grid(axis="y", visible=False)
    handles, labels = ax.get_legend_handles_labels()
    order = [1, 0, 2, 3, 4]  # very low … very high
    fig.legend([handles[i] for i in order], [labels[i] for i in order], loc="outside upper left",
               ncol=2, fontsize=FONT, frameon=False)  # fmt: skip
    ax.set_title(title, fontsize=FONT + 1, loc="left")
    source_note(fig, freeze_layout=True)
    return fig


def funnel_limit_steps(fun: pd.DataFrame) -> pd.DataFrame:
    """The drawn limits of :func:`funnel_chart`: exact step limits
    (:func:`county_precision.step_limits`) at every whole n from 1 to a little beyond the
    largest region; NaN where no count is extreme enough (a gap in the drawing)."""
    p0 = float(fun["national"].iloc[0])
    return step_limits(p0, np.arange(1, int(fun["n"].max()) + 5))


def funnel_chart(fun: pd.DataFrame, title: str, ylabel: str = "Andel positiva svar"):
    """Funnel plot: regions' shares against n with exact, stepwise 95 % and 99.8 % limits around
    the national share (:func:`funnel_limit_steps`). Each step is half a count inside the first
    count whose exact one-sided tail is below the level, so a point lies beyond a step exactly
    when its ``position`` (:func:`county_precision.position_from_tails`) says so. Regions outside
    the 95 % limits are named; those outside 99.8 % have their own marker.

    ``fun``: :func:`county_precision.funnel` (index region; k, n, share, national, position).
    """
    p0 = float(fun["national"].iloc[0])
    lim = funnel_limit_steps(fun)
    grid = lim["n"]
    n_max = int(grid.max())
    fig, ax = plt.subplots(figsize=(WIDTH, 4.6), layout="constrained")
    for key, line_style, label in (("95", "--", "95 %-gräns"), ("998", ":", "99,8 %-gräns")):
        for side in ("hi", "lo"):
            ax.plot(grid, lim[f"{side}{key}"] * 100, line_style, color="#444444", linewidth=1.2,
                    drawstyle="steps-mid", label=label if side == "hi" else None)  # fmt: skip
    ax.axhline(p0 * 100, color="#444444", linewidth=1, label=f"Riket ({fmt.share_pct(p0)})")
    inside = fun["position"] == "inom"
    extreme = fun["position"].str.contains("99,8", regex=False)
    outer = ~inside & ~extreme
    ax.plot(fun.loc[inside, "n"], fun.loc[inside, "share"] * 100, "o", color=COLOURS["high"],
            markersize=6, label="Övriga län")  # fmt: skip
    ax.plot(fun.loc[outer, "n"], fun.loc[outer, "share"] * 100, "D", color=COLOURS["low"],
            markersize=7, label="Län utanför 95 %-gränserna")  # fmt: skip
    if extreme.any():
        ax.plot(fun.loc[extreme, "n"], fun.loc[extreme, "share"] * 100, "s",
                color=COLOURS["very_low"], markersize=7,
                label="Län utanför 99,8 %-gränserna")  # fmt: skip
    # Names beside the flagged points, alternately right and left in order of n (no overlaps
    # between neighbours).
    for i, (region, r) in enumerate(fun[~inside].sort_values("n").iterrows()):
        right = i % 2 == 0
        ax.annotate(_short(str(region)), (r["n"], r["share"] * 100), textcoords="offset points",
                    xytext=(7 if right else -7, 0), ha="left" if right else "right",
                    va="center", fontsize=FONT)  # fmt: skip
    ax.set_xlim(0, n_max)
    ax.set_ylim(-3, 103)
    pct_axis(ax)
    ax.tick_params(labelsize=FONT)
    ax.set_xlabel("Antal svarande kommuner i länet", fontsize=FONT)
    ax.set_ylabel(ylabel, fontsize=FONT)
    ax.set_title(title, fontsize=FONT + 1, loc="left")
    fig.legend(loc="outside upper left", ncol=2, fontsize=FONT, frameon=False)
    source_note(fig, freeze_layout=True)
    return fig


def shrinkage_chart(est: pd.DataFrame, title: str, xlabel: str = "Andel positiva svar"):
    """Raw share (open circle) and partially pooled estimate (filled, with 95 % interval) per
    region, ordered by the pooled estimate; the pooled national mean as a dotted line.

    ``est``: :func:`county_precision.shrinkage` (index region; n, raw, pooled, ci_low, ci_high).
    """
    d = est.sort_values("pooled")
    y = np.arange(len(d))
    fig, ax = plt.subplots(figsize=(WIDTH, 0.26 * len(d) + 1.6), layout="constrained")
    ax.hlines(y, d["ci_low"] * 100, d["ci_high"] * 100, color="#6b6b6b", linewidth=2,
              label="95 % intervall (sammanvägd)")  # fmt: skip
    ax.plot(d["raw"] * 100, y, "o", markerfacecolor="white", markeredgecolor=COLOURS["low"],
            markeredgewidth=1.5, markersize=6, label="Rå andel")  # fmt: skip
    ax.plot(d["pooled"] * 100, y, "o", color=COLOURS["high"], markersize=6,
            label="Sammanvägd skattning")  # fmt: skip
    mu = float(d["mu_pooled"].iloc[0])
    ax.axvline(mu * 100, color="#444444", linestyle=":", linewidth=1)
    ax.set_yticks(y, [_label(r, n) for r, n in zip(d.index, d["n"], strict=True)])
    ax.set_xlim(-2, 102)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    pct_axis(ax, "x")
    ax.tick_params(labelsize=FONT)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(xlabel, fontsize=FONT)
    ax.set_title(title, fontsize=FONT + 1, loc="left")
    fig.legend(loc="outside upper left", ncol=2, fontsize=FONT, frameon=False)
    source_note(fig, freeze_layout=True)
    return fig
