from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from badges.models import Achievement
from learners.models import LearnerProfile

EQF_CHOICES = [("", _("Any level"))] + [(str(level), _("Level %(level)s") % {"level": level}) for level in range(1, 9)]


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    issuer = forms.ChoiceField(label=_("Issuer"), required=False)
    eqf = forms.TypedChoiceField(
        label=_("EQF level"), required=False, choices=EQF_CHOICES, coerce=int, empty_value=None
    )
    field = forms.ChoiceField(label=_("Field or sector"), required=False)
    occupation = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *Achievement.Language.choices]
    )

    def __init__(self, *args: Any, issuers: list[tuple[str, str]], fields: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Both are declared above as ChoiceFields; `fields` types them as plain Fields.
        issuer_filter, field_filter = self.fields["issuer"], self.fields["field"]
        assert isinstance(issuer_filter, forms.ChoiceField) and isinstance(field_filter, forms.ChoiceField)
        issuer_filter.choices = [("", _("All issuers")), *issuers]
        field_filter.choices = [("", _("All fields")), *[(value, value) for value in fields]]


class PublicProfileForm(forms.ModelForm):
    class Meta:
        model = LearnerProfile
        fields = ["public_profile_enabled", "display_name"]
        labels = {"public_profile_enabled": _("Show my public page")}
        help_texts = {
            "public_profile_enabled": _("Lists only the credentials you have chosen to share. Off by default."),
        }


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(label=_("I understand that this cannot be undone"))


class DidProofForm(forms.Form):
    signed = forms.CharField(
        label=_("The signed challenge from your wallet"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("A long text in three parts separated by dots (a compact JWS)."),
    )
    # The challenge shown on the page, carried along so it can be shown again if something is wrong.
    nonce = forms.RegexField(regex=r"^[A-Za-z0-9_-]{1,100}$", required=False, widget=forms.HiddenInput)
