"""The dashboard's figures as labelled rows, shared by the page (tables and charts) and the CSV export,
so both always show the same numbers under the same names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from console.dashboard import DashboardFigures


@dataclass(frozen=True)
class Row:
    label: str | Promise
    value: int | Decimal | None  # None: nothing to measure in the period (e.g. no decision yet)
    unit: str | Promise = ""


@dataclass(frozen=True)
class Group:
    key: str
    title: str | Promise
    rows: list[Row]
    charted: bool = True  # a bar chart only where the bars compare like with like


def days(duration: timedelta | None) -> Decimal | None:
    """A duration in days, to one decimal."""
    if duration is None:
        return None
    return (Decimal(duration.total_seconds()) / 86400).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def figure_groups(figures: DashboardFigures) -> list[Group]:
    day_unit = _("days")
    return [
        Group("applications", _("Applications and decisions"), [
            Row(_("Applications submitted"), figures.submitted),
            Row(_("Approved"), figures.approved),
            Row(_("Revision requested"), figures.revision_requested),
            Row(_("Rejected"), figures.rejected),
        ]),
        Group("time", _("Time from submission to decision"), [
            Row(_("Median"), days(figures.decision_median), day_unit),
            Row(_("Average"), days(figures.decision_average), day_unit),
        ], charted=False),
        Group("credentials", _("Credentials"), [
            Row(_("Credentials issued"), figures.issued),
            Row(_("Credentials claimed"), figures.claimed),
            Row(_("Credentials shared"), figures.shared),
            Row(_("Credentials revoked"), figures.revoked),
            Row(_("Credentials expired"), figures.expired),
        ]),
        Group("views", _("Verification"), [Row(_("Verification page views"), figures.page_views)], charted=False),
    ]


# --- Bar charts ----------------------------------------------------------------------------------------
CHART_WIDTH = 320  # SVG units; the chart scales to its container
ROW_HEIGHT = 44
BAR_MAX = 250  # leaves room for the value written after the longest bar


@dataclass(frozen=True)
class Bar:
    label: str | Promise
    value: int
    label_y: int
    bar_y: int
    width: int
    value_x: int
    value_y: int


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int


def bar_chart(rows: list[Row]) -> BarChart:
    """Horizontal bars, longest for the largest value; each bar is named above it and its value is written
    after it, so the chart reads without colour."""
    values = [int(row.value or 0) for row in rows]
    largest = max(values, default=0) or 1
    bars = []
    for index, (row, value) in enumerate(zip(rows, values, strict=True)):
        top = index * ROW_HEIGHT
        width = round(BAR_MAX * value / largest)
        bars.append(Bar(row.label, value, label_y=top + 14, bar_y=top + 20, width=width,
                        value_x=width + 6, value_y=top + 33))
    return BarChart(bars, CHART_WIDTH, ROW_HEIGHT * len(rows))
