"""Values of a credential in words a reader understands, in the page's language: a country's name instead of
its code, the credit system's name and what it means, dates as dates. Only presentation: nothing here decides
whether a credential is valid."""

from __future__ import annotations

from datetime import date, datetime

from babel import Locale, UnknownLocaleError
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The units ob3's EU extension writes (ob3.eu.CREDIT_UNITS), with a name and a sentence explaining them.
CREDIT_UNITS: dict[str, tuple[Promise, Promise]] = {
    "ECTS": (
        _("ECTS credits"),
        _("European Credit Transfer and Accumulation System: 60 credits are one year of full-time study."),
    ),
    "hogskolepoang": (
        _("higher education credits (hp)"),
        _("Swedish higher education credits: one credit equals one ECTS credit."),
    ),
    "yh-poang": (
        _("higher vocational education credits (YH)"),
        _("Swedish higher vocational education credits: 5 credits are one week of full-time study."),
    ),
}


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in the page's language for an ISO 3166-1 alpha-2 code; anything else unchanged."""
    if not isinstance(code, str) or len(code) != 2:
        return code
    try:
        locale = Locale.parse((language or get_language() or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return code
    return str(locale.territories.get(code.upper(), code))


def credit_unit_name(unit: str) -> str:
    known = CREDIT_UNITS.get(unit)
    return str(known[0]) if known else unit


def credit_unit_note(unit: str) -> str:
    known = CREDIT_UNITS.get(unit)
    return str(known[1]) if known else ""


def parsed_date(value: str) -> date | datetime | str:
    """An ISO 8601 date or date-time from a credential as a date/datetime (for Django's date filter); a value
    that is not one is returned as it is, so the page still shows what the credential says."""
    if not isinstance(value, str) or not value:
        return value
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return value
