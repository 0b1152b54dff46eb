"""The dashboard's choice of micro-credential and period, and the expiring list's window."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from console.dashboard import EXPIRING_WINDOWS, achievements_with_activity
from console.periods import Period, PeriodKind, period_for
from issuers.models import Issuer


class AchievementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.version > 1:
            return gettext("%(name)s (version %(version)d)") % {"name": obj.name, "version": obj.version}
        return str(obj.name)


class DashboardFilterForm(forms.Form):
    achievement = AchievementChoiceField(
        label=_("Micro-credential"), queryset=None, required=False, empty_label=_("All micro-credentials"),
        to_field_name="public_id",
    )
    period = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, required=False)
    first_day = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, issuer: Issuer, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        field = self.fields["achievement"]
        assert isinstance(field, forms.ModelChoiceField)  # declared above; `fields` types it as a plain Field
        field.queryset = achievements_with_activity(issuer)
        for name in ("first_day", "last_day"):
            self.fields[name].help_text = _("Used when the period is “From – to”.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("period") == PeriodKind.RANGE:
            first, last = cleaned.get("first_day"), cleaned.get("last_day")
            if first is None and "first_day" not in self.errors:
                self.add_error("first_day", _("Choose the first day of the period."))
            if last is None and "last_day" not in self.errors:
                self.add_error("last_day", _("Choose the last day of the period."))
            if first and last and first > last:
                self.add_error("last_day", _("The last day must be on or after the first day."))
        return cleaned

    def chosen_period(self) -> Period:
        """The period asked for; this month when the form was not sent or is not valid."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return period_for(
            data.get("period") or PeriodKind.THIS_MONTH, today=self.today,
            first_day=data.get("first_day"), last_day=data.get("last_day"),
        )


class ExpiringWindowForm(forms.Form):
    within = forms.TypedChoiceField(
        label=_("Expires within"), coerce=int, required=False, empty_value=None,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built per request, so the words are in the page's language.
        field = self.fields["within"]
        assert isinstance(field, forms.TypedChoiceField)  # declared above; `fields` types it as a plain Field
        field.choices = [(days, gettext("%(days)d days") % {"days": days}) for days in EXPIRING_WINDOWS]

    def chosen_days(self) -> int:
        chosen = self.cleaned_data["within"] if self.is_bound and self.is_valid() else None
        return chosen or EXPIRING_WINDOWS[0]
