from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from issuers.logos import LOGO_MAX_BYTES, LOGO_MAX_SIDE, CleanLogo, logo_clean
from issuers.models import Issuer, Role

_PROFILE_FIELDS = [
    "name", "description", "url", "email", "phone", "official_identifier",
    "street_address", "postal_code", "locality", "region", "country_code", "identity_kind",
]


class IssuerProfileForm(forms.ModelForm):
    url = forms.URLField(
        label=_("website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    image = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )

    class Meta:
        model = Issuer
        fields = _PROFILE_FIELDS
        widgets = {
            "country_code": forms.TextInput(attrs={"size": 2, "maxlength": 2, "autocomplete": "country"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel"}),
            "street_address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "identity_kind": forms.RadioSelect,
        }
        help_texts = {
            "country_code": _("Two letters (ISO 3166-1 alpha-2), for example SE for Sweden."),
            "identity_kind": _(
                "How your credentials name your organisation, and so where verification tools look for its "
                "keys. The web address (https) is the default: Open Badges 3.0 only requires verifiers to "
                "support keys at web addresses, so every certified verifier can check your credentials without "
                "a DID resolver, and the same address is your public issuer page. did:web suits wallets and "
                "registries that expect a decentralised identifier (DID). A change affects only credentials "
                "issued afterwards: earlier ones keep verifying, because both documents stay published."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = _(
            "PNG or JPEG, at most %(size)s and %(side)s pixels wide or high. Leave empty to keep the current logo."
        ) % {"size": filesizeformat(LOGO_MAX_BYTES), "side": LOGO_MAX_SIDE}

    def clean_country_code(self) -> str:
        return self.cleaned_data["country_code"].strip().upper()

    def clean_image(self) -> CleanLogo | None:
        """The logo as it will be stored (drawn again, see issuers.logos), or None when none was sent."""
        image = self.cleaned_data["image"]
        if not image:
            return None
        if image.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(
                _("The logo is %(actual)s; the limit is %(limit)s."),
                code="too_large",
                params={"actual": filesizeformat(image.size), "limit": filesizeformat(LOGO_MAX_BYTES)},
            )
        logo = logo_clean(image)
        if logo is None:
            raise forms.ValidationError(
                _("The logo must be a PNG or JPEG image, at most %(side)s pixels wide or high."),
                code="invalid_image",
                params={"side": LOGO_MAX_SIDE},
            )
        return logo

    def profile_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in _PROFILE_FIELDS}


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=Role.choices,
            label=_("Roles"),
            error_messages={"required": _("Choose at least one role.")},
            **kwargs,
        )


class MemberInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    roles = RolesField(help_text=_("Owners manage members and the profile; designers write micro-credentials; "
                                   "assessors award them; quality reviewers check assessments."))


class MemberRolesForm(forms.Form):
    roles = RolesField()
