"""The endpoint form: the console's page and the API validate with it, so the rules are written once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from webhooks.events import EventType


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Address (https)"), max_length=2000, assume_scheme="https",
        validators=[URLValidator(schemes=["https"], message=_("Enter an https address."))],
        help_text=_("Deliveries are POSTed here. Only public https addresses are reached."),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    event_types = forms.MultipleChoiceField(
        label=_("Events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)

    def endpoint_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "url": data["url"], "description": data["description"].strip(),
            "event_types": [value for value in EventType.values if value in data["event_types"]],
            "enabled": data["enabled"],
        }
