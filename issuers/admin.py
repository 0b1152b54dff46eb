from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from issuers.errors import MembershipRefused
from issuers.membership import issuer_member_invite
from issuers.models import Issuer, IssuerMember, Role, SigningKey
from issuers.services import signing_key_create, signing_key_rotate
from kernel.users import AuthenticatedHttpRequest

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
    """Who works for the issuer, read-only. People join by invitation and owners change roles in the console,
    through issuers.membership: it keeps the last owner, locks the issuer and logs every change. An admin
    form would do none of that; the "invite an owner" action below goes through the same service."""

    model = IssuerMember
    fields = ("user", "is_owner", "is_designer", "is_assessor", "is_qa_reviewer", "joined_at")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Issuer | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Issuer | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Issuer | None = None) -> bool:
        return False


class IssuerActionForm(ActionForm):
    email = forms.EmailField(label=_("E-mail for an owner invitation:"), required=False)


@admin.register(Issuer)
class IssuerAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "country_code", "jwt_enabled", "created_at")
    search_fields = ("name", "slug", "official_identifier")
    inlines = (IssuerMemberInline, SigningKeyInline)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    action_form = IssuerActionForm
    actions = ("rotate_signing_keys", "invite_owner")

    # The slug is part of the issuer id inside every credential already issued: fixed once created. The
    # identity credentials name is changed in the console (issuer_profile_update), which logs it.
    def get_readonly_fields(self, request: HttpRequest, obj: Issuer | None = None) -> tuple[str, ...]:
        return ("slug", "identity_kind") if obj is not None else ()

    def get_prepopulated_fields(self, request: HttpRequest, obj: Issuer | None = None) -> dict[str, Sequence[str]]:
        return {} if obj is not None else {"slug": ("name",)}

    def save_model(self, request: HttpRequest, obj: Issuer, form: object, change: bool) -> None:
        super().save_model(request, obj, form, change)
        active_kinds = set(obj.signing_keys.filter(status=SigningKey.Status.ACTIVE).values_list("kind", flat=True))
        wanted = {SigningKey.Kind.ED25519, *([SigningKey.Kind.RSA] if obj.jwt_enabled else [])}
        for kind in wanted - active_kinds:
            signing_key_create(issuer=obj, kind=kind, by=request.user)  # type: ignore[arg-type]

    @admin.action(description=_("Rotate signing keys (old keys stay published)"), permissions=["change"])
    def rotate_signing_keys(self, request: HttpRequest, queryset: QuerySet[Issuer]) -> None:
        for issuer in queryset:
            kinds = set(issuer.signing_keys.filter(status=SigningKey.Status.ACTIVE).values_list("kind", flat=True))
            for kind in kinds:
                signing_key_rotate(issuer=issuer, kind=kind, by=request.user)  # type: ignore[arg-type]
        self.message_user(request, _("Signing keys rotated."), messages.SUCCESS)

    # How a new issuer gets its first owner: the invitation an owner would send from the console.
    @admin.action(description=_("Invite an owner (the e-mail address beside the action)"), permissions=["change"])
    def invite_owner(self, request: AuthenticatedHttpRequest, queryset: QuerySet[Issuer]) -> None:
        try:
            email = forms.EmailField().clean(request.POST.get("email", ""))
        except ValidationError:
            self.message_user(request, _("Write the e-mail address of the person to invite."), messages.ERROR)
            return
        for issuer in queryset:
            try:
                invitation = issuer_member_invite(
                    issuer=issuer, invited_by=request.user, email=email, roles=[Role.OWNER]
                )
            except MembershipRefused as refusal:
                self.message_user(request, f"{issuer}: {refusal.message}", messages.ERROR)
            else:
                sent = _("Invitation sent to %(email)s.") % {"email": invitation.email}
                self.message_user(request, f"{issuer}: {sent}", messages.SUCCESS)


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
