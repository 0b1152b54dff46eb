"""Append-only audit logs: rows are written once and never changed or deleted.

Every log (credential pipeline, achievement review, assessment) extends `AppendOnlyEvent`, so the
guard lives in one place: instance save/delete and queryset update/delete all raise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError(f"{self.model._meta.verbose_name_plural} are append-only")

    def delete(self) -> NoReturn:
        raise TypeError(f"{self.model._meta.verbose_name_plural} are append-only")


class AppendOnlyEvent(models.Model):
    """Who did what, when; subclasses add `kind` (their own choices) and what the event is about."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()
    # Each subclass's `kind` field, with its choices, gives it this method.
    get_kind_display: Callable[[], str]

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError(f"{self._meta.verbose_name_plural} are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError(f"{self._meta.verbose_name_plural} are append-only")
