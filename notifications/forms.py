from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import NotificationSettings


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["delivery", "language"]
        labels = {"delivery": _("E-mails about work waiting for you"), "language": _("Language of your e-mails")}
        help_texts = {
            "delivery": _("Credentials, invitations and answers to your applications always come at once."),
        }
        widgets = {"delivery": forms.RadioSelect, "language": forms.RadioSelect}
