"""Filters for the verification pages' values in words (verification.readable)."""

from __future__ import annotations

from datetime import date, datetime

from django import template

from verification import readable

register = template.Library()

register.filter("country_name", readable.country_name)
register.filter("credit_unit_name", readable.credit_unit_name)
register.filter("credit_unit_note", readable.credit_unit_note)


@register.filter
def credential_date(value: str) -> date | datetime | str:
    """{{ summary.valid_until|credential_date|date:"DATE_FORMAT" }}: the date in the page language's format."""
    return readable.parsed_date(value)
