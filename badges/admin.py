from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from badges.achievements.drafting import achievement_images_ensure
from badges.models import Achievement, AchievementAuditEvent, Credential, CredentialEvent, ExternalReview


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


@admin.register(Achievement)
class AchievementAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "issuer", "achievement_type", "status", "updated_at")
    list_filter = ("status", "issuer", "achievement_type")
    search_fields = ("name", "description", "human_code")
    # The review workflow (badges.achievements.review and .publishing) is the only way to move these.
    readonly_fields = ("public_id", "image_svg", "status", "version", "previous_version", "created_by", "submitted_by")
    inlines = (ExternalReviewInline, AchievementAuditEventInline)

    def has_change_permission(self, request: HttpRequest, obj: Achievement | None = None) -> bool:
        # Only drafts change; published ones are what signed credentials point at.
        if obj is not None and obj.status != Achievement.Status.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Achievement, form: object, change: bool) -> None:
        if change and "image" in getattr(form, "changed_data", ()):
            obj.image_svg = ""  # regenerated below to match the new image
        super().save_model(request, obj, form, change)
        achievement_images_ensure(achievement=obj)


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
