"""Template filters for the designer and the public achievement page."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.db.models import Choices
from django.utils import formats

from badges.models import AssessmentType, QualityAssuranceType

register = template.Library()


def _labels(values: list[str], choices: type[Choices]) -> str:
    known = dict(choices.choices)
    return ", ".join(str(known.get(value, value)) for value in values)


@register.filter
def assessment_labels(values: list[str]) -> str:
    """["observation", "portfolio"] -> "observation, portfolio" in the visitor's language."""
    return _labels(values, AssessmentType)


@register.filter
def qa_labels(values: list[str]) -> str:
    return _labels(values, QualityAssuranceType)


@register.filter
def amount(value: Decimal | None) -> str:
    """1.50 -> "1.5", 40.00 -> "40"; written the visitor's way ("1,5" in Swedish)."""
    if value is None:
        return ""
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return formats.number_format(value, use_l10n=True)
