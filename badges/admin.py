"""The admin shows achievements and credentials; it does not change them.

Every change to a definition or a credential goes through a service (badges.achievements.*,
badges.credentials.*) that checks the member's capability, holds the row lock and writes the audit trail
(AchievementAuditEvent, CredentialEvent). An admin form would do none of that, so these are read-only
here for everyone, superusers included; the console is where they change.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from badges.models import (
    Achievement,
    AchievementAuditEvent,
    Credential,
    CredentialEvent,
    ExternalReview,
    LearningOutcome,
)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class AchievementAuditEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AchievementAuditEvent
    fields = ("created_at", "kind", "actor", "comment", "data")
    readonly_fields = fields
    extra = 0


class ExternalReviewInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ExternalReview
    fields = ("reviewed_on", "body", "reviewer", "statement", "recorded_by")
    readonly_fields = fields
    extra = 0


class LearningOutcomeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = LearningOutcome
    fields = ("position", "statement", "kind", "esco_skill_uri", "assessment_criteria")
    readonly_fields = fields
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Achievement)
class AchievementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "version", "issuer", "achievement_type", "status", "updated_at")
    list_filter = ("status", "issuer", "achievement_type")
    search_fields = ("name", "description", "human_code")
    # Drafts are written, reviewed and published in the console (badges.achievements.drafting, .outcomes,
    # .review, .publishing), which records each step; a published one is what signed credentials point at.
    inlines = (LearningOutcomeInline, ExternalReviewInline, AchievementAuditEventInline)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class CredentialEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CredentialEvent
    fields = ("created_at", "kind", "actor", "data")
    readonly_fields = fields
    extra = 0


@admin.register(Credential)
class CredentialAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("public_id", "achievement", "recipient_email", "status", "attempts", "created_at")
    list_filter = ("status", "issuer")
    search_fields = ("public_id", "recipient_email", "recipient_name", "achievement__name")
    inlines = (CredentialEventInline,)
    fields = (
        "public_id",
        "issuer",
        "achievement",
        "recipient_email",
        "recipient_name",
        "recipient_identifier",
        "status",
        "valid_from",
        "valid_until",
        "attempts",
        "claimed_at",
        "baked_png",
        "baked_svg",
        "document",
        "jwt",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields


@admin.register(CredentialEvent)
class CredentialEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "credential", "kind", "actor")
    list_filter = ("kind",)
    fields = ("credential", "kind", "actor", "data", "created_at")
    readonly_fields = fields
    date_hierarchy = "created_at"
    list_select_related = ("credential__achievement",)
