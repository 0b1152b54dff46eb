"""Forms of the micro-credential designer's definition pages. They check shape; the services decide.

Every field says in plain words what to write, with an example, because the people filling them in
are teachers, HR staff and course leaders, not credential experts.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from badges.achievements.image_uploads import MAX_UPLOAD_BYTES, BadgeImage, ImageRefused, badge_image_from_upload
from badges.models import Achievement, AssessmentType, QualityAssuranceType

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ESCO_OCCUPATION = re.compile(r"https?://data\.europa\.eu/esco/(?:occupation|isco)/[A-Za-z0-9._-]+")
LEVEL_CHOICES = [("", _("Not chosen")), *[(str(n), str(n)) for n in range(1, 9)]]

# Plain-language help with an example for every field of the definition.
HELP = {
    "name": _("A short name that says what the person can do. Example: Working together in a team."),
    "description": _(
        "Two or three sentences about the content, in everyday words. Example: You practise planning work "
        "together with others and following up that it gets done."
    ),
    "criteria_narrative": _(
        "What the learner has to show to earn it, in a few sentences. Example: You have planned and carried "
        "out a shared task with your team, and your supervisor has observed it."
    ),
    "in_language": _("The language the definition is written in. Example: Swedish."),
    "human_code": _("Your own course code, if you have one. Example: VÅR-SAM-01."),
    "field_of_study": _("The subject area. Example: Health and social care."),
    "colour": _("The colour of the generated badge. Example: dark blue."),
    "image_alt": _(
        "Describe the badge image for people who cannot see it. Example: Round blue badge with the text "
        "Working together in a team."
    ),
    "image_upload": _(
        "Optional. A PNG (at most 1 MB and 2048 × 2048 pixels) or an SVG (at most 512 kB). Example: a square "
        "logo for the course. Leave empty to keep the current image."
    ),
    "use_generated_image": _(
        "Draws a round badge from the title and the colour. Example: tick this after you change the title."
    ),
    "target_group": _(
        "Who the micro-credential is for. Example: New employees in home care, and people who want to work "
        "in elderly care."
    ),
    "standalone_value": _(
        "What it is worth on its own: which tasks or jobs it prepares for. Example: Shows an employer that "
        "the person can plan and share work in a team."
    ),
    "occupation_uris": _(
        "Optional. Web addresses of ESCO occupations it is useful for, one per line (find them at "
        "esco.ec.europa.eu). Example: http://data.europa.eu/esco/occupation/…"
    ),
    "workload_hours": _("About how many hours of learning it takes, in total. Example: 40."),
    "credit_points": _("The credits it gives, if any. Example: 1.5."),
    "credit_unit": _("The kind of credits. Example: ECTS credits for a university course, YH for vocational."),
    "credit_unit_label": _("Only if you chose 'other': the name of the unit. Example: Studienpunkte."),
    "eqf_level": _(
        "The level in the European Qualifications Framework, from 1 (basic) to 8 (doctorate). Example: 4 for "
        "upper secondary vocational education."
    ),
    "seqf_level": _(
        "The level in the Swedish framework SeQF, from 1 to 8. It is often the same as the EQF level. "
        "Example: 4."
    ),
    "level_not_applicable": _(
        "Tick this only if no level fits. Example: a short workplace course without a formal level."
    ),
    "assessment_types": _("How the learning is assessed. Choose one or more. Example: observation."),
    "participation_form": _("Where the learning happens. Example: on site."),
    "supervision": _(
        "Whether someone watches the assessment and checks who the learner is. Example: supervised on site, "
        "with identity verification."
    ),
    "prerequisites": _(
        "What the learner needs before starting. Write 'None' if nothing is needed. Example: Swedish at "
        "level SFI D."
    ),
    "validity_months": _(
        "Optional. How many months the credential is valid. Leave empty if it does not expire. Example: 36 "
        "for a first-aid course."
    ),
    "expiry_reminder_days": _(
        "How many days before the credential expires its holder gets an e-mail reminding them, with the way to "
        "renew it. Write 0 for no reminder. Only used when the credential expires. Example: 30."
    ),
    "qa_types": _("What kind of quality review the micro-credential has. Example: internal review."),
    "qa_internal_process": _(
        "How your own organisation reviews the quality: who reviews, and how often. Example: The subject team "
        "reviews the definition every term."
    ),
    "qa_external_process": _(
        "How someone outside your organisation reviews it. Example: The industry council reviews the "
        "definition every second year."
    ),
    "qa_responsible_body": _(
        "The organisation responsible for the external review. Example: Vård- och omsorgscollege Västerbotten."
    ),
    "qa_responsible_body_url": _("Optional. Its web address. Example: https://vo-college.se."),
    "stackability": _(
        "Whether it stands alone or counts towards something larger. Example: stackable towards a larger "
        "qualification."
    ),
    "counts_towards": _(
        "The larger qualification it counts towards, if any. Example: Vocational programme for care "
        "assistants."
    ),
    "counts_towards_url": _("Optional. The web address of that qualification. Example: https://example.se/vard."),
}

LABELS = {
    "name": _("Title"),
    "description": _("Short description"),
    "criteria_narrative": _("What the learner must show"),
    "target_group": _("Who it is for"),
    "standalone_value": _("Value on its own"),
    "occupation_uris": _("ESCO occupations"),
    "validity_months": _("Valid for (months)"),
    "expiry_reminder_days": _("Remind the holder before it expires (days)"),
}


class PlainLanguageForm:
    """Labels and help texts from the tables above, and aria attributes that belong to them."""

    def _apply_help(self: Any, help_texts: dict, labels: dict) -> None:
        for name, field in self.fields.items():
            if name in help_texts:
                field.help_text = help_texts[name]
            if name in labels:
                field.label = labels[name]


class AchievementCreateForm(PlainLanguageForm, forms.ModelForm):
    class Meta:
        model = Achievement
        fields = ["name", "description", "criteria_narrative", "in_language", "colour"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "criteria_narrative": forms.Textarea(attrs={"rows": 3}),
            "colour": forms.TextInput(attrs={"type": "color"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._apply_help(HELP, LABELS)


def _level_field(label: StrOrPromise) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=LEVEL_CHOICES, coerce=int, empty_value=None, required=False)


class AchievementForm(PlainLanguageForm, forms.ModelForm):
    """The whole definition of a draft, except learning outcomes (one page each)."""

    image_upload = forms.FileField(label=_("Upload your own image"), required=False)
    use_generated_image = forms.BooleanField(label=_("Use the generated badge"), required=False)
    occupation_uris = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    eqf_level = _level_field(_("EQF level"))
    seqf_level = _level_field(_("SeQF level"))
    assessment_types = forms.MultipleChoiceField(
        label=_("Types of assessment"), choices=AssessmentType.choices, widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    qa_responsible_body_url = forms.URLField(
        label=_("Web address of the quality assurance body"), required=False, max_length=200, assume_scheme="https"
    )
    counts_towards_url = forms.URLField(
        label=_("Web address of that qualification"), required=False, max_length=200, assume_scheme="https"
    )
    qa_types = forms.MultipleChoiceField(
        label=_("Types of quality assurance"), choices=QualityAssuranceType.choices,
        widget=forms.CheckboxSelectMultiple, required=False,
    )

    class Meta:
        model = Achievement
        fields = [
            "name", "description", "criteria_narrative", "in_language", "human_code", "field_of_study",
            "colour", "image_alt", "target_group", "standalone_value", "occupation_uris", "workload_hours",
            "credit_points", "credit_unit", "credit_unit_label", "eqf_level", "seqf_level", "level_not_applicable",
            "assessment_types", "participation_form", "supervision", "prerequisites", "validity_months",
            "expiry_reminder_days", "qa_types", "qa_internal_process", "qa_external_process", "qa_responsible_body",
            "qa_responsible_body_url", "stackability", "counts_towards", "counts_towards_url",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "criteria_narrative": forms.Textarea(attrs={"rows": 3}),
            "target_group": forms.Textarea(attrs={"rows": 2}),
            "standalone_value": forms.Textarea(attrs={"rows": 2}),
            "prerequisites": forms.Textarea(attrs={"rows": 2}),
            "qa_internal_process": forms.Textarea(attrs={"rows": 2}),
            "qa_external_process": forms.Textarea(attrs={"rows": 2}),
            "counts_towards": forms.Textarea(attrs={"rows": 2}),
            "colour": forms.TextInput(attrs={"type": "color"}),
            "participation_form": forms.RadioSelect,
            "supervision": forms.RadioSelect,
            "stackability": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._apply_help(HELP, LABELS)
        for name in ("participation_form", "supervision", "stackability", "credit_unit"):
            # The model's blank choice reads "---------"; say what it means instead.
            self.fields[name].choices = [("", _("Not chosen")), *[c for c in self.fields[name].choices if c[0]]]
        if self.instance.pk and not self.is_bound:
            self.initial["occupation_uris"] = "\n".join(self.instance.occupation_uris)
        self.badge_image: BadgeImage | None = None
        # Left empty (or not sent by an older form), the achievement keeps its current setting.
        self.fields["expiry_reminder_days"].required = False

    def clean_occupation_uris(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["occupation_uris"].splitlines() if line.strip()]
        wrong = [line for line in lines if not ESCO_OCCUPATION.fullmatch(line)]
        if wrong:
            raise ValidationError(
                _("This is not an ESCO occupation address: %(value)s. It starts with "
                  "http://data.europa.eu/esco/occupation/."),
                params={"value": wrong[0]},
            )
        return list(dict.fromkeys(line.replace("https://", "http://", 1) for line in lines))

    def clean_expiry_reminder_days(self) -> int:
        days = self.cleaned_data.get("expiry_reminder_days")
        return self.instance.expiry_reminder_days if days is None else days

    def clean_image_upload(self) -> Any:
        upload = self.cleaned_data.get("image_upload")
        if not upload:
            return None
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(ImageRefused("png_too_large").message)
        try:
            self.badge_image = badge_image_from_upload(upload.read())
        except ImageRefused as refusal:
            raise ValidationError(refusal.message) from None
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("image_upload") and cleaned.get("use_generated_image"):
            self.add_error("use_generated_image", _("Choose either your own image or the generated badge."))
        if cleaned.get("credit_unit") == Achievement.CreditUnit.OTHER and not cleaned.get("credit_unit_label"):
            self.add_error("credit_unit_label", _("Write the name of the unit, since you chose 'other'."))
        return cleaned

    def definition_changes(self) -> dict[str, Any]:
        """The changed definition fields, for `achievement_update`."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.Meta.fields}
