"""Slide-ready trend charts: total deal value per period stacked by deal model, deal counts as a line.

The chart is laid out in two bands so nothing can overprint: the stacked bars and their value labels fill the
lower band, the deal-count line and its labels the upper one, and the legend sits above the plot. Both axes
tick at round steps (1, 2, 2.5 or 5 times a power of ten) and every tick label says exactly its value.
"""
from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pharmadeals.pipeline.reports import Report

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# A calm, colour-blind-safe palette (Okabe-Ito), one colour per deal model in a fixed order.
DEAL_TYPE_COLOURS = {
    "license": "#0072B2", "newco": "#E69F00", "option": "#009E73", "co_development": "#CC79A7",
    "research_collaboration": "#56B4E9", "acquisition": "#D55E00",
}
OTHER_COLOUR = "#999999"
COUNT_COLOUR = "#222222"
FIGSIZE = (11.0, 6.2)  # 16:9-ish, fills a slide
DPI = 160
BAR_BAND = 0.58  # the tallest bar reaches this share of the plot's height; its label sits just above
COUNT_BAND = (0.72, 0.93)  # the count line runs between these shares of the height
ROUND_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
TICKS = 5


def round_ticks(top: float, count: int = TICKS, integer: bool = False) -> list[float]:
    """Ticks from 0 to at least `top` at a round step, about `count` of them (whole numbers if `integer`)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    steps = [s for s in ROUND_STEPS if not integer or (s * power).is_integer()] or [10.0]
    step = next((s * power for s in steps if s * power >= raw), steps[-1] * power)
    if integer:
        step = max(1.0, float(round(step)))
    n = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(n + 1)]


def billions_label(value: float) -> str:
    """'$2.5B', '$10B', '$0.25B': as many decimals as the value has, never rounded to a neighbour."""
    text = format(Decimal(str(round(value, 6))).normalize(), "f")
    whole, _, frac = text.partition(".")
    return f"${int(whole):,}{'.' + frac if frac else ''}B"


def _stacked_bars(ax, rows: list[dict[str, Any]]) -> list[float]:  # type: ignore[no-untyped-def]
    """Total value per period in USD billions, one stacked segment per deal model; returns bar heights."""
    from matplotlib.ticker import FixedLocator, FuncFormatter

    types = [t for t in DEAL_TYPE_COLOURS if any(r["total_by_deal_type"].get(t) for r in rows)]
    types += sorted({t for r in rows for t in r["total_by_deal_type"]} - set(types) - set(DEAL_TYPE_COLOURS))
    positions = list(range(len(rows)))
    bottom = [0.0] * len(rows)
    for deal_type in types:
        heights = [r["total_by_deal_type"].get(deal_type, 0.0) / 1e9 for r in rows]
        ax.bar(positions, heights, bottom=bottom, width=0.62, label=deal_type.replace("_", " "),
               color=DEAL_TYPE_COLOURS.get(deal_type, OTHER_COLOUR), edgecolor="white", linewidth=0.6)
        bottom = [b + h for b, h in zip(bottom, heights)]
    labels = [r["period"] for r in rows]
    ticks = round_ticks(max(bottom + [0.0]))
    ax.set_ylim(0, max(ticks[-1], max(bottom + [0.0])) / BAR_BAND)
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: billions_label(v)))
    ax.spines["left"].set_bounds(0, ticks[-1])
    ax.set_ylabel("Total deal value (USD billions)", loc="bottom")
    ax.set_xticks(positions, labels, rotation=0 if len(labels) <= 12 else 45)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    for x, height in zip(positions, bottom):
        if height:
            ax.annotate(f"${height:,.1f}B", (x, height), xytext=(0, 3), textcoords="offset points", ha="center",
                        va="bottom", fontsize=9, color="#333333", gid="bar-label")
    return bottom


def _count_line(ax, rows: list[dict[str, Any]]):  # type: ignore[no-untyped-def]
    """Deal counts on a second axis confined to the upper band, each point labelled with its count."""
    from matplotlib.ticker import FixedLocator

    counts = ax.twinx()
    positions = list(range(len(rows)))
    values = [r["deals"] for r in rows]
    ticks = round_ticks(max(values + [1]), count=3, integer=True)
    low, high = COUNT_BAND
    span = ticks[-1] / (high - low)
    counts.set_ylim(-low * span, ticks[-1] + (1 - high) * span)
    counts.yaxis.set_major_locator(FixedLocator(ticks))
    counts.yaxis.set_major_formatter(lambda v, _: f"{int(v)}")
    counts.spines["right"].set_bounds(0, ticks[-1])
    counts.spines[["top", "left", "bottom"]].set_visible(False)
    counts.set_ylabel("Number of deals", loc="top")
    counts.plot(positions, values, color=COUNT_COLOUR, marker="o", linewidth=2, label="number of deals",
                gid="count-line")
    for x, value in zip(positions, values):
        counts.annotate(str(value), (x, value), xytext=(0, 7), textcoords="offset points", ha="center",
                        va="bottom", fontsize=8.5, color=COUNT_COLOUR, gid="count-label")
    return counts


def plot_trends(report: Report, path: str | Path, title: str | None = None) -> Path:
    """Write `report` (a trends report) as a PNG and return its path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(trends_png(report, title))
    return out


def trends_figure(report: Report, title: str | None = None) -> Figure:
    """The trends chart as a matplotlib figure (drawn, so its text has its final place)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=FIGSIZE, dpi=DPI)
    FigureCanvasAgg(fig)  # its own canvas: no pyplot state shared between threads of `serve`
    ax = fig.add_subplot()
    _stacked_bars(ax, report.rows)
    counts = _count_line(ax, report.rows)
    handles, names = ax.get_legend_handles_labels()
    line_handles, line_names = counts.get_legend_handles_labels()
    ax.legend(handles + line_handles, names + line_names, loc="lower left", bbox_to_anchor=(0.0, 1.0),
              frameon=False, ncol=min(4, len(names) + 1), fontsize=9)
    period = {"half": "half-year", "quarter": "quarter", "year": "year"}[report.options.get("period", "half")]
    fig.suptitle(title or f"Licensing deals per {period}: total value by deal model and deal count",
                 x=0.01, ha="left", fontsize=13, fontweight="bold")
    fig.text(0.01, 0.01, f"Scope: {report.scope.summary()}; {len(report.deal_ids)} deals. "
             "Source: pharmadeals, deal_summary view.", fontsize=7.5, color="#555555", wrap=True)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    fig.canvas.draw()
    return fig


def trends_png(report: Report, title: str | None = None) -> bytes:
    """The trends chart as PNG bytes (the file `report --plot` writes, and the image `serve` shows)."""
    import io

    buffer = io.BytesIO()
    trends_figure(report, title).savefig(buffer, format="png")
    return buffer.getvalue()
