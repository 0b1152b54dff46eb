"""Finding one object by an identifier a visitor typed or followed, or 404."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def first_or_none(queryset: QuerySet[M], **lookup: Any) -> M | None:
    """The first object of `queryset` matching `lookup`, or None — also when a lookup value cannot even be
    one (a public id that is not a UUID), so malformed addresses answer like unknown ones."""
    try:
        return queryset.filter(**lookup).first()
    except (ValidationError, ValueError):
        return None


def first_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    """first_or_none, or 404."""
    found = first_or_none(queryset, **lookup)
    if found is None:
        raise Http404
    return found
