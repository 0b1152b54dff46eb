from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from notifications.models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """What was sent to whom, for support: read-only (a notice is a record of what happened)."""

    list_display = ("kind", "email", "state", "created_at", "sent_at")
    list_filter = ("state", "kind")
    search_fields = ("email", "subject")
    readonly_fields = [field.name for field in Notice._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notice | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Notice | None = None) -> bool:
        return False
