"""The periods a dashboard is counted over: calendar months, quarters and years in the site's time zone,
or a chosen range of days. A period runs from the first moment of its first day up to, not including,
the first moment of the day after its last one, so an event exactly on a boundary counts in one period."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    THIS_MONTH = "this_month", _("This month")
    LAST_MONTH = "last_month", _("Last month")
    THIS_QUARTER = "this_quarter", _("This quarter")
    THIS_YEAR = "this_year", _("This year")
    RANGE = "range", _("From – to")


@dataclass(frozen=True)
class Period:
    kind: str
    first_day: date
    last_day: date  # included

    @property
    def start(self) -> datetime:
        return _midnight(self.first_day)

    @property
    def end(self) -> datetime:
        """The first moment after the period (excluded)."""
        return _midnight(self.last_day + timedelta(days=1))


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def period_for(kind: str, *, today: date, first_day: date | None = None, last_day: date | None = None) -> Period:
    """The period of `kind` that contains `today` (for RANGE: the given days, both included)."""
    if kind == PeriodKind.RANGE:
        if first_day is None or last_day is None or first_day > last_day:
            raise ValueError("a range needs a first day on or before its last day")
        return Period(kind, first_day, last_day)
    if kind == PeriodKind.LAST_MONTH:
        last = today.replace(day=1) - timedelta(days=1)
        return Period(kind, last.replace(day=1), last)
    if kind == PeriodKind.THIS_QUARTER:
        first = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
        return Period(kind, first, _month_end(first.replace(month=first.month + 2)))
    if kind == PeriodKind.THIS_YEAR:
        return Period(kind, date(today.year, 1, 1), date(today.year, 12, 31))
    return Period(PeriodKind.THIS_MONTH, today.replace(day=1), _month_end(today))
