from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from issuers.models import Issuer, IssuerMember, SigningKey
from issuers.services import signing_key_create, signing_key_rotate

# Only public parts: the encrypted private key and its KEK id are neither shown nor editable.
_KEY_FIELDS = (
    "kind",
    "status",
    "thumbprint",
    "public_key_multibase",
    "public_key_jwk",
    "created_at",
    "retired_at",
    "compromised_since",
)


class SigningKeyInline(admin.TabularInline):
    model = SigningKey
    fields = ("kind", "status", "thumbprint", "created_at", "retired_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Issuer | None = None) -> bool:
        return False


class IssuerMemberInline(admin.TabularInline):
    model = IssuerMember
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Issuer)
class IssuerAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "country_code", "jwt_enabled", "created_at")
    search_fields = ("name", "slug", "official_identifier")
    inlines = (IssuerMemberInline, SigningKeyInline)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ("rotate_signing_keys",)

    # The slug is part of the issuer id inside every credential already issued: fixed once created. The
    # identity credentials name is changed in the console (issuer_profile_update), which logs it.
    def get_readonly_fields(self, request: HttpRequest, obj: Issuer | None = None) -> tuple[str, ...]:
        return ("slug", "identity_kind") if obj is not None else ()

    def get_prepopulated_fields(self, request: HttpRequest, obj: Issuer | None = None) -> dict[str, tuple[str, ...]]:
        return {} if obj is not None else {"slug": ("name",)}

    def save_model(self, request: HttpRequest, obj: Issuer, form: object, change: bool) -> None:
        super().save_model(request, obj, form, change)
        active_kinds = set(obj.signing_keys.filter(status=SigningKey.Status.ACTIVE).values_list("kind", flat=True))
        wanted = {SigningKey.Kind.ED25519, *([SigningKey.Kind.RSA] if obj.jwt_enabled else [])}
        for kind in wanted - active_kinds:
            signing_key_create(issuer=obj, kind=kind)

    @admin.action(description=_("Rotate signing keys (old keys stay published)"))
    def rotate_signing_keys(self, request: HttpRequest, queryset: QuerySet[Issuer]) -> None:
        for issuer in queryset:
            kinds = set(issuer.signing_keys.filter(status=SigningKey.Status.ACTIVE).values_list("kind", flat=True))
            for kind in kinds:
                signing_key_rotate(issuer=issuer, kind=kind)
        self.message_user(request, _("Signing keys rotated."), messages.SUCCESS)


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    list_display = ("issuer", "kind", "status", "thumbprint", "created_at", "retired_at")
    list_filter = ("kind", "status")
    fields = ("issuer", *_KEY_FIELDS)
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SigningKey | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: SigningKey | None = None) -> bool:
        return False
