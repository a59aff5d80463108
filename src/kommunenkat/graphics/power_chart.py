"""The chart of what the next round can detect (minimum detectable change against respondents).

Draws :mod:`kommunenkat.inference.power`'s curve in the book's figure style (:mod:`style`): one
line per assumed correlation ρ, coloured in the order of :data:`style.ORDERED_LINES`.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt

from kommunenkat.core import fmt
from kommunenkat.graphics import style
from kommunenkat.inference import analysis, power
from kommunenkat.inputs import data


def detectable_change_chart(question: str, observed: float | None = None, observed_label: str = ""):
    """MDC (increase of the 'high' share, percentage points) against respondents per round, one
    line per ρ; today's response and full response marked; optionally a horizontal line at an
    observed change (share units) for comparison."""
    c = power.curve()
    c = c[c["question"] == question]
    n_today, n_all = power.respondents(), data.municipalities(analysis.latest_year())
    # Narrow enough that the tight figure (with the line labels at the right) fits the PDF's
    # 6.27 in text width unscaled, so 10 pt stays 10 pt there.
    fig, ax = plt.subplots(figsize=(5.0, 4.4))
    line_styles = ["-", "--", "-.", ":"]
    for rho, colour, line_style in zip(power.RHOS, style.ORDERED_LINES, line_styles, strict=True):
        d = c[c["rho"] == rho].sort_values("n")
        y = d["mdc_up"] * 100
        ax.plot(d["n"], y, line_style, color=colour, linewidth=2.4 if rho == 0 else 1.9)
        ax.text(
            d["n"].iloc[-1] + 4,
            y.iloc[-1],
            power.rho_label(rho),
            color="#222222",
            fontsize=10,
            va="center",
            ha="left",
        )
    top = float(c["mdc_up"].max() * 100) * 1.12
    marks = (
        (n_today, f"svarande {analysis.latest_year()}\n(n\u00a0=\u00a0{n_today})", -3, "right"),
        (n_all, f"alla kommuner\n(n\u00a0=\u00a0{n_all})", 3, "left"),
    )
    for n, label, dx, ha in marks:
        ax.axvline(n, color="#444444", linestyle=":", linewidth=1)
        ax.text(n + dx, top * 0.98, label, fontsize=10, color="#444444", ha=ha, va="top")
    if observed is not None:
        v = observed * 100
        ax.axhline(v, color="#444444", linestyle="--", linewidth=1)
        ax.text(
            min(c["n"]) + 2,
            v - top * 0.02,
            observed_label,
            fontsize=10,
            color="#444444",
            va="top",
        )
    ax.set_xlim(min(c["n"]) - 5, n_all + 5)
    ax.set_ylim(0, top)
    ax.yaxis.set_major_locator(mpl.ticker.MultipleLocator(2))
    ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: fmt.num(v)))
    ax.tick_params(labelsize=10)
    ax.set_xlabel("Svarande kommuner per omgång", fontsize=10.5)
    ax.set_ylabel("Minsta upptäckbara ökning,\nprocentenheter", fontsize=10.5)
    ax.set_title("Hur stor ökning nästa omgång kan upptäcka", fontsize=11.5)
    style.source_note(
        fig,
        f"Källa: SKR, Kommunenkät {analysis.latest_year()}; egna beräkningar\n(80\u00a0% styrka, "
        "5\u00a0% signifikansnivå, tvåsidigt test).",
    )
    fig.texts[-1].set_fontsize(10)
    return fig
