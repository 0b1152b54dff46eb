from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from assessment.files import ACCEPT_ATTRIBUTE
from assessment.models import Application, Assessment
from badges.models import Achievement, LearningOutcome
from issuers.models import Issuer
from kernel.errors import ApplicationError
from kernel.validation import TEXT_LONG, bidi_controls_refuse, public_url_validator


def add_refusal_to_form(form: forms.BaseForm, refusal: ApplicationError) -> None:
    """Show a service's refusal above the form: its message, then each detail (an outcome, a line) on its own."""
    form.add_error(None, refusal.message)
    for detail in refusal.details:
        form.add_error(None, detail)


class EvidenceForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, validators=[bidi_controls_refuse],
        help_text=_("A few words, e.g. “Work schedule I made”."),
    )
    narrative = forms.CharField(
        label=_("Describe what you did and what it shows"),
        required=False,
        max_length=TEXT_LONG,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    file = forms.FileField(
        label=_("File (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    url = forms.URLField(
        label=_("Link (optional)"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        validators=[public_url_validator],
        help_text=_("An https:// address, e.g. to a video or a portfolio."),
    )
    is_public = forms.BooleanField(
        label=_("Show this evidence in my credential"),
        required=False,
        help_text=_("Anyone who sees your credential can then see it. You can change this until you send."),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        files: MultiValueDict[str, UploadedFile] | None = None,
        *,
        outcome: LearningOutcome | None = None,
        **kwargs: Any,
    ) -> None:
        prefix = f"outcome-{outcome.pk}" if outcome is not None else None
        super().__init__(data, files, prefix=prefix, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, picture, office document (at most %(documents)s MB) or short video (at most %(videos)s MB)."
        ) % {"documents": settings.EVIDENCE_MAX_MB, "videos": settings.EVIDENCE_VIDEO_MAX_MB}


class NameForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["show_name", "recipient_name"]
        widgets = {"recipient_name": forms.TextInput(attrs={"autocomplete": "name"})}


class MentorInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Your mentor's or coach's e-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("They can read your draft and comment on it, but not change or send it."),
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_LONG)


class QueueFilterForm(forms.Form):
    achievement = forms.ModelChoiceField(
        label=_("Micro-credential"), queryset=Achievement.objects.none(), required=False, empty_label=_("All"),
        to_field_name="public_id",
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Waiting for assessment")),
            *[(value, label) for value, label in Application.Status.choices if value != Application.Status.DRAFT],
        ],
    )

    def __init__(self, *args: Any, issuer: Issuer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["achievement"]
        assert isinstance(field, forms.ModelChoiceField)  # declared above; `fields` types it as a plain Field
        field.queryset = Achievement.objects.filter(
            issuer=issuer, status=Achievement.Status.PUBLISHED
        )


class AssessmentForm(forms.Form):
    """A level and a comment per learning outcome, then the decision and the feedback."""

    decision = forms.ChoiceField(label=_("Decision"), choices=Assessment.Decision.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Feedback to the learner"),
        required=False,
        max_length=TEXT_LONG,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when you ask for a revision or do not approve: tell the learner what is missing."),
    )

    def __init__(self, *args: Any, outcomes: list[LearningOutcome], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcomes = outcomes
        self.outcome_fields = []
        for outcome in outcomes:
            level_name, comment_name = f"level-{outcome.pk}", f"comment-{outcome.pk}"
            self.fields[level_name] = forms.ModelChoiceField(
                label=_("Level reached"),
                queryset=outcome.rubric_levels.all(),
                required=False,
                widget=forms.RadioSelect,
                empty_label=None,
            )
            self.fields[comment_name] = forms.CharField(
                label=_("Comment on this outcome"), required=False, max_length=TEXT_LONG,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.outcome_fields.append((outcome, self[level_name], self[comment_name]))
        per_outcome = [name for name in self.fields if name not in ("decision", "comment")]
        self.order_fields([*per_outcome, "decision", "comment"])


class PolicyForm(forms.Form):
    second_approval_required = forms.BooleanField(
        label=_("Require a second, independent approval"), required=False
    )


class AwardOneForm(forms.Form):
    achievement = forms.ModelChoiceField(
        label=_("Micro-credential"), queryset=Achievement.objects.none(), to_field_name="public_id"
    )
    email = forms.EmailField(label=_("Recipient's e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    name = forms.CharField(
        label=_("Recipient's name (optional)"),
        required=False,
        max_length=200,
        validators=[bidi_controls_refuse],
        help_text=_("Shown in the credential. Leave empty to identify the recipient only by e-mail."),
    )

    def __init__(self, *args: Any, issuer: Issuer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["achievement"]
        assert isinstance(field, forms.ModelChoiceField)  # declared above; `fields` types it as a plain Field
        field.queryset = Achievement.objects.filter(
            issuer=issuer, status=Achievement.Status.PUBLISHED
        )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if name.startswith(("=", "+", "-", "@")):
            raise forms.ValidationError(_("A name cannot start with =, +, - or @."))
        return name


class AwardListForm(forms.Form):
    achievement = forms.ModelChoiceField(
        label=_("Micro-credential"), queryset=Achievement.objects.none(), to_field_name="public_id"
    )
    file = forms.FileField(
        label=_("List of recipients (CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=_(
            "Two columns: e-mail and name, separated by comma or semicolon, saved as CSV (UTF-8). "
            "A header row is allowed."
        ),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        files: MultiValueDict[str, UploadedFile] | None = None,
        *,
        issuer: Issuer,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, files, prefix="list", **kwargs)
        field = self.fields["achievement"]
        assert isinstance(field, forms.ModelChoiceField)  # declared above; `fields` types it as a plain Field
        field.queryset = Achievement.objects.filter(
            issuer=issuer, status=Achievement.Status.PUBLISHED
        )


class AwardJobForm(forms.Form):
    """An award through the API: the micro-credential (the same choice as the console's award forms) and,
    optionally, until when the credentials are valid. The rows are checked by assessment.csv_import."""

    achievement = forms.ModelChoiceField(
        label=_("Micro-credential"), queryset=Achievement.objects.none(), to_field_name="public_id"
    )
    valid_until = forms.DateTimeField(label=_("Valid until"), required=False)

    def __init__(self, *args: Any, issuer: Issuer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["achievement"]
        assert isinstance(field, forms.ModelChoiceField)  # declared above; `fields` types it as a plain Field
        field.queryset = Achievement.objects.filter(issuer=issuer, status=Achievement.Status.PUBLISHED)
