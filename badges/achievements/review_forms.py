"""The quality review's forms: a reviewer's decision and an external review's record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.validation import TEXT_LONG, bidi_controls_refuse


class ReviewForm(forms.Form):
    DECISIONS = [("approve", _("Approve")), ("request_changes", _("Request changes"))]
    decision = forms.ChoiceField(label=_("Your decision"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=TEXT_LONG, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you request changes: say what should change. Example: Outcome 2 needs a "
                    "pass level."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("decision") == "request_changes" and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Say what should be changed."))
        return cleaned


class ExternalReviewForm(forms.Form):
    reviewer = forms.CharField(
        label=_("Reviewer"), max_length=200, validators=[bidi_controls_refuse],
        help_text=_("The person who reviewed it. Example: Karin Lind."),
    )
    body = forms.CharField(
        label=_("Reviewing body"), max_length=200, validators=[bidi_controls_refuse],
        help_text=_("The organisation the reviewer works for. Example: Vård- och omsorgscollege."),
    )
    date = forms.DateField(
        label=_("Date of the review"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Example: 2025-03-14."),
    )
    statement = forms.CharField(
        label=_("What the reviewer concluded"), max_length=TEXT_LONG, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Example: The learning outcomes match what the industry needs."),
    )
