"""Slide-ready trend charts: total deal value per period stacked by deal model, deal counts as a line."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pharmadeals.pipeline.reports import Report

# A calm, colour-blind-safe palette (Okabe-Ito), one colour per deal model in a fixed order.
DEAL_TYPE_COLOURS = {
    "license": "#0072B2", "newco": "#E69F00", "option": "#009E73", "co_development": "#CC79A7",
    "research_collaboration": "#56B4E9", "acquisition": "#D55E00",
}
OTHER_COLOUR = "#999999"
COUNT_COLOUR = "#222222"
FIGSIZE = (11.0, 6.2)  # 16:9-ish, fills a slide
DPI = 160


def _stacked_bars(ax, rows: list[dict[str, Any]]) -> list[float]:  # type: ignore[no-untyped-def]
    """Total value per period in USD billions, one stacked segment per deal model; returns bar heights."""
    from matplotlib.ticker import FuncFormatter

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
    ax.set_ylabel("Total deal value (USD billions)")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"${v:,.0f}B" if v >= 1 or v == 0 else f"${v:.1f}B"))
    ax.set_xticks(positions, labels, rotation=0 if len(labels) <= 12 else 45)
    ax.set_ylim(0, max(bottom + [1.0]) * 1.18)
    ax.spines[["top"]].set_visible(False)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    return bottom


def _count_line(ax, rows: list[dict[str, Any]], heights: list[float]):  # type: ignore[no-untyped-def]
    """Deal counts on a second axis, with the bar totals labelled on top of everything."""
    from matplotlib.ticker import MaxNLocator

    counts = ax.twinx()
    positions = list(range(len(rows)))
    counts.plot(positions, [r["deals"] for r in rows], color=COUNT_COLOUR, marker="o", linewidth=2,
                label="number of deals")
    counts.set_ylabel("Number of deals")
    counts.yaxis.set_major_locator(MaxNLocator(integer=True))
    counts.set_ylim(0, max([r["deals"] for r in rows] + [1]) * 1.3)
    counts.spines[["top"]].set_visible(False)
    for x, height in zip(positions, heights):  # on the twin axes, so the labels sit above the count line
        if height:
            counts.annotate(f"${height:,.1f}B", (x, height), xycoords=ax.transData, xytext=(0, 4),
                            textcoords="offset points", ha="center", va="bottom", fontsize=9, color="#333333",
                            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none",
                                  "alpha": 0.85})
    return counts


def plot_trends(report: Report, path: str | Path, title: str | None = None) -> Path:
    """Write `report` (a trends report) as a PNG and return its path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(trends_png(report, title))
    return out


def trends_png(report: Report, title: str | None = None) -> bytes:
    """The trends chart as PNG bytes (the file `report --plot` writes, and the image `serve` shows)."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=FIGSIZE, dpi=DPI)
    heights = _stacked_bars(ax, report.rows)
    counts = _count_line(ax, report.rows, heights)
    handles, names = ax.get_legend_handles_labels()
    line_handles, line_names = counts.get_legend_handles_labels()
    ax.legend(handles + line_handles, names + line_names, loc="upper left", frameon=False, ncol=2)
    period = {"half": "half-year", "quarter": "quarter", "year": "year"}[report.options.get("period", "half")]
    ax.set_title(title or f"Licensing deals per {period}: total value by deal model and deal count",
                 loc="left", fontsize=13, fontweight="bold")
    fig.text(0.01, 0.01, f"Scope: {report.scope.summary()}; {len(report.deal_ids)} deals. "
             "Source: pharmadeals, deal_summary view.", fontsize=7.5, color="#555555", wrap=True)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()
