"""Forms of the console's credential pages. They check shape; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from badges.credentials.revocation import REASON_MAX_LENGTH


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The holder gets it by e-mail, and employers who check the credential see it."),
    )


STATES = (
    ("", _("All")),
    ("valid", _("Valid")),
    ("expired", _("Expired")),
    ("revoked", _("Revoked")),
)
