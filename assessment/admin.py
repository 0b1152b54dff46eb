"""Read-only views for staff: applications, their rounds and the audit trail are changed only through services."""

from django.contrib import admin

from assessment.models import Application, AssessmentAuditEvent, AwardBatch


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["achievement", "learner", "status", "submitted_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["learner__email", "achievement__name"]


@admin.register(AwardBatch)
class AwardBatchAdmin(ReadOnlyAdmin):
    list_display = ["achievement", "issuer", "status", "created_at"]


@admin.register(AssessmentAuditEvent)
class AssessmentAuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "achievement", "application", "actor"]
    list_filter = ["kind"]
