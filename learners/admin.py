from django.contrib import admin

from learners.models import ExternalCredential, LearnerProfile


@admin.register(LearnerProfile)
class LearnerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "public_profile_enabled", "updated_at"]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["user", "public_handle", "created_at", "updated_at"]


@admin.register(ExternalCredential)
class ExternalCredentialAdmin(admin.ModelAdmin):
    list_display = ["name", "issuer_name", "user", "format", "verdict", "verified_at"]
    list_filter = ["format", "verdict"]
    search_fields = ["name", "issuer_name", "user__username"]
    exclude = ["raw"]
    readonly_fields = ["public_id", "user", "format", "original_filename", "credential_id", "name", "issuer_name",
                       "verdict", "verification", "verified_at", "created_at"]
