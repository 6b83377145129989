"""The trend chart's axes tick at round values their labels state exactly, and no label overprints another,
the legend or the count line."""
from __future__ import annotations

import re
from typing import Any

import pytest
from matplotlib.transforms import Bbox

from pharmadeals.pipeline.plots import billions_label, round_ticks, trends_figure
from pharmadeals.pipeline.reports import Report, Scope


def report(totals: list[float], counts: list[int]) -> Report:
    rows = [{"period": f"{2020 + i // 2}-H{i % 2 + 1}", "deals": n,
             "total_by_deal_type": {"license": t * 0.6e9, "newco": t * 0.4e9} if t else {}}
            for i, (t, n) in enumerate(zip(totals, counts))]
    return Report("trends", Scope(), rows, deal_ids=list(range(sum(counts))), options={"period": "half"})


# Tallest bar and highest count in the same period were where the old chart put a value label on the line.
SHAPES = {
    "peak together": ([1.1, 0.0, 6.0, 1.7, 18.0, 12.0], [1, 0, 1, 2, 4, 2]),
    "2.5B steps": ([3.0, 7.0, 11.9, 4.4], [3, 5, 9, 4]),
    "many periods": ([0.4 * i for i in range(14)], [i % 5 for i in range(14)]),
    "small values": ([0.12, 0.3, 0.05], [1, 2, 1]),
}


def _parse_billions(label: str) -> float:
    return float(re.sub(r"[$,B]", "", label.replace("\u2212", "-")))


@pytest.mark.parametrize("shape", SHAPES)
def test_ticks_are_round_and_labelled_with_their_exact_value(shape: str) -> None:
    fig = trends_figure(report(*SHAPES[shape]))
    bars, counts = fig.axes
    values = list(bars.get_yticks())
    steps = {round(b - a, 9) for a, b in zip(values, values[1:])}
    assert len(steps) == 1 and re.fullmatch(r"(1|2|2\.5|5)(0*)|0\.(0*)(1|2|25|5)", f"{steps.pop():g}")
    for tick, label in zip(values, bars.get_yticklabels()):
        assert _parse_billions(label.get_text()) == pytest.approx(tick), (tick, label.get_text())
    for tick, label in zip(counts.get_yticks(), counts.get_yticklabels()):
        assert float(tick).is_integer() and int(label.get_text()) == tick


def _boxes(fig: Any, gid: str) -> list[Bbox]:
    renderer = fig.canvas.get_renderer()
    return [t.get_window_extent(renderer) for ax in fig.axes for t in ax.texts if t.get_gid() == gid]


def _line_points(fig: Any) -> list[tuple[float, float]]:
    """The count line in display coordinates, sampled densely along each segment."""
    line = next(ln for ax in fig.axes for ln in ax.lines if ln.get_gid() == "count-line")
    xy = line.get_transform().transform(line.get_xydata())
    return [(x0 + (x1 - x0) * k / 50, y0 + (y1 - y0) * k / 50)
            for (x0, y0), (x1, y1) in zip(xy, xy[1:]) for k in range(51)]


@pytest.mark.parametrize("shape", SHAPES)
def test_no_label_collides_with_another_the_legend_or_the_count_line(shape: str) -> None:
    fig = trends_figure(report(*SHAPES[shape]))
    renderer = fig.canvas.get_renderer()
    labels = _boxes(fig, "bar-label") + _boxes(fig, "count-label")
    assert labels, "the chart labels its bars and counts"
    legend = fig.axes[0].get_legend().get_window_extent(renderer)
    for i, box in enumerate(labels):
        assert not any(box.overlaps(other) for other in labels[i + 1:])
        assert not box.overlaps(legend)
        assert not any(box.contains(x, y) for x, y in _line_points(fig))
    for box in _boxes(fig, "bar-label"):  # value labels stay below the count band
        assert box.y1 < min(y for _, y in _line_points(fig))


def test_round_ticks_and_labels() -> None:
    assert round_ticks(18.0) == [0, 5, 10, 15, 20]
    assert round_ticks(11.9) == [0, 2.5, 5, 7.5, 10, 12.5]
    assert round_ticks(4, count=3, integer=True) == [0, 2, 4]
    assert [billions_label(v) for v in (0, 2.5, 7.5, 1250, 0.25)] == ["$0B", "$2.5B", "$7.5B", "$1,250B", "$0.25B"]
