"""Forms of the micro-credential designer and the quality review. They check shape; the services decide.

Every field says in plain words what to write, with an example, because the people filling them in
are teachers, HR staff and course leaders, not credential experts.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from badges.achievements.editions import achievement_edition
from badges.achievements.image_uploads import MAX_UPLOAD_BYTES, ImageRefused, badge_image_from_upload
from badges.achievements.outcomes import RubricLevelInput
from badges.achievements.translations import LevelTranslationInput, OutcomeTranslationInput
from badges.models import Achievement, AssessmentType, LearningOutcome, QualityAssuranceType

ESCO_SKILL = re.compile(r"https?://data\.europa\.eu/esco/skill/[A-Za-z0-9._-]+")
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
}

OUTCOME_HELP = {
    "statement": _(
        "What the learner can do afterwards. Start with a verb you can observe. Example: Plan a working day "
        "together with colleagues."
    ),
    "kind": _(
        "Knowledge is what the person knows, skill is what they can do, responsibility and autonomy is how "
        "independently they work. Example: skill."
    ),
    "esco_skill_uri": _(
        "Optional. The web address of a matching ESCO skill (find it at esco.ec.europa.eu). Example: "
        "http://data.europa.eu/esco/skill/…"
    ),
    "assessment_criteria": _(
        "How you decide whether the learner can do it. Example: The supervisor observes one working day and "
        "assesses against the rubric."
    ),
}


class _Form:
    """Labels and help texts from the tables above, and aria attributes that belong to them."""

    def _apply_help(self: Any, help_texts: dict, labels: dict) -> None:
        for name, field in self.fields.items():
            if name in help_texts:
                field.help_text = help_texts[name]
            if name in labels:
                field.label = labels[name]


class AchievementCreateForm(_Form, forms.ModelForm):
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


def _level_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=LEVEL_CHOICES, coerce=int, empty_value=None, required=False)


class AchievementForm(_Form, forms.ModelForm):
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
            "qa_types", "qa_internal_process", "qa_external_process", "qa_responsible_body",
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
        self.badge_image = None

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

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("image_upload") and cleaned.get("use_generated_image"):
            self.add_error("use_generated_image", _("Choose either your own image or the generated badge."))
        if cleaned.get("credit_unit") == Achievement.CreditUnit.OTHER and not cleaned.get("credit_unit_label"):
            self.add_error("credit_unit_label", _("Write the name of the unit, since you chose 'other'."))
        return cleaned

    def definition_changes(self) -> dict[str, Any]:
        """The changed definition fields, for `achievement_update`."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.Meta.fields}


class OutcomeForm(_Form, forms.ModelForm):
    # A plain text field: the address is checked against ESCO's pattern below, not as any URL.
    esco_skill_uri = forms.CharField(label=_("ESCO skill (web address)"), required=False, max_length=200)

    class Meta:
        model = LearningOutcome
        fields = ["statement", "kind", "esco_skill_uri", "assessment_criteria"]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 2}),
            "assessment_criteria": forms.Textarea(attrs={"rows": 3}),
            "kind": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._apply_help(OUTCOME_HELP, {})
        self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0]]
        self.fields["kind"].required = True

    def clean_esco_skill_uri(self) -> str:
        value = self.cleaned_data["esco_skill_uri"].strip()
        if value and not ESCO_SKILL.fullmatch(value):
            raise ValidationError(
                _("This is not an ESCO skill address. It starts with http://data.europa.eu/esco/skill/.")
            )
        # ESCO's identifiers are http; a pasted https address names the same skill.
        return value.replace("https://", "http://", 1)


class RubricLevelForm(forms.Form):
    name = forms.CharField(
        label=_("Level name"), max_length=100, required=False,
        help_text=_("Example: Not yet, Passed, Passed with distinction."),
    )
    description = forms.CharField(
        label=_("What the learner shows at this level"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Example: Shares out the tasks and checks that they are done."),
    )
    is_pass_level = forms.BooleanField(label=_("This level passes"), required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        filled = cleaned.get("name") or cleaned.get("description") or cleaned.get("is_pass_level")
        if filled and not cleaned.get("name"):
            self.add_error("name", _("Give the level a name."))
        return cleaned


class BaseRubricFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        levels = self.levels()
        if sum(level.is_pass_level for level in levels) > 1:
            raise ValidationError(_("Mark only one level as the one that passes: the lowest level that passes."))

    def levels(self) -> list[RubricLevelInput]:
        """The filled-in rows, lowest level first; empty rows are left out."""
        return [
            RubricLevelInput(
                name=form.cleaned_data["name"].strip(),
                description=form.cleaned_data.get("description", "").strip(),
                is_pass_level=bool(form.cleaned_data.get("is_pass_level")),
            )
            for form in self.forms
            if form.cleaned_data.get("name")
        ]


RubricFormSet = formset_factory(RubricLevelForm, formset=BaseRubricFormSet, extra=0, max_num=8, validate_max=True)
RUBRIC_ROWS = 4


def rubric_formset(data: Any, *, levels: list | None = None) -> forms.BaseFormSet:
    """Four rows to fill in (more if the rubric already has more), lowest level first."""
    initial = [
        {"name": level.name, "description": level.description, "is_pass_level": level.is_pass_level}
        for level in levels or []
    ]
    initial += [{}] * max(0, RUBRIC_ROWS - len(initial))
    # Every row is validated, also unchanged ones: otherwise a row equal to its initial value would count
    # as empty and the level would be lost on save.
    return RubricFormSet(data, initial=initial, prefix="levels", form_kwargs={"empty_permitted": False})


class ReviewForm(forms.Form):
    DECISIONS = [("approve", _("Approve")), ("request_changes", _("Request changes"))]
    decision = forms.ChoiceField(label=_("Your decision"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you request changes: say what should change. Example: Outcome 2 needs a "
                    "pass level."),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("decision") == "request_changes" and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Say what should be changed."))
        return cleaned


class ExternalReviewForm(forms.Form):
    reviewer = forms.CharField(
        label=_("Reviewer"), max_length=200, help_text=_("The person who reviewed it. Example: Karin Lind.")
    )
    body = forms.CharField(
        label=_("Reviewing body"), max_length=200,
        help_text=_("The organisation the reviewer works for. Example: Vård- och omsorgscollege."),
    )
    date = forms.DateField(
        label=_("Date of the review"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Example: 2025-03-14."),
    )
    statement = forms.CharField(
        label=_("What the reviewer concluded"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Example: The learning outcomes match what the industry needs."),
    )


TRANSLATION_HELP = {
    "name": _("The title in this language. Example: Working together in a team."),
    "description": _("The short description in this language."),
    "criteria_narrative": _("What the learner must show, in this language."),
    "target_group": _("Optional. Who it is for, in this language."),
    "standalone_value": _("Optional. What it is worth on its own, in this language."),
    "prerequisites": _("Optional. What the learner needs before starting, in this language."),
    "image_alt": _("Optional. The description of the badge image, in this language."),
}


class TranslationForm(forms.Form):
    """The texts of a draft in its second language: the achievement's, and each outcome's and level's.

    Each field shows the primary text it translates. An outcome or level left empty shows its primary
    text on the public pages."""

    name = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Short description"), widget=forms.Textarea(attrs={"rows": 3}))
    criteria_narrative = forms.CharField(
        label=_("What the learner must show"), widget=forms.Textarea(attrs={"rows": 3})
    )
    target_group = forms.CharField(label=_("Who it is for"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    standalone_value = forms.CharField(
        label=_("Value on its own"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    prerequisites = forms.CharField(label=_("Prerequisites"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    image_alt = forms.CharField(label=_("Image description"), required=False, max_length=300)

    ACHIEVEMENT_FIELDS = (
        "name", "description", "criteria_narrative", "target_group", "standalone_value", "prerequisites", "image_alt",
    )

    def __init__(self, data: Any, *, achievement: Achievement, language: str) -> None:
        super().__init__(data)
        self.language = language
        self.edition = achievement_edition(achievement, language)
        translated = self.edition.language == language
        for name in self.ACHIEVEMENT_FIELDS:
            field = self.fields[name]
            field.help_text = TRANSLATION_HELP[name]
            field.original = getattr(achievement, name)  # type: ignore[attr-defined]
            if translated and getattr(self.edition, name).lang == language:
                self.initial[name] = str(getattr(self.edition, name))
        self.outcome_rows = []
        for number, item in enumerate(self.edition.outcomes, start=1):
            prefix = f"outcome-{item.outcome.public_id}"
            statement = self._text_field(
                f"{prefix}-statement", _("Learning outcome %(n)s") % {"n": number}, item.outcome.statement,
                item.statement, rows=2,
            )
            criteria = self._text_field(
                f"{prefix}-criteria", _("Assessment criteria for learning outcome %(n)s") % {"n": number},
                item.outcome.assessment_criteria, item.assessment_criteria, rows=2,
            )
            levels = []
            for level_number, level in enumerate(item.levels, start=1):
                level_prefix = f"level-{level.level.public_id}"
                levels.append((
                    level,
                    self._text_field(
                        f"{level_prefix}-name",
                        _("Name of level %(level)s, learning outcome %(n)s") % {"level": level_number, "n": number},
                        level.level.name, level.name, max_length=100,
                    ),
                    self._text_field(
                        f"{level_prefix}-description",
                        _("Description of level %(level)s, learning outcome %(n)s")
                        % {"level": level_number, "n": number},
                        level.level.description, level.description, rows=2,
                    ),
                ))
            self.outcome_rows.append((item, statement, criteria, levels))
        for field in self.fields.values():
            # The browser spell-checks, and screen readers pronounce, what is typed in the right language.
            field.widget.attrs["lang"] = language

    def _text_field(
        self, name: str, label: str, original: str, current: Any, *, rows: int = 0, max_length: int | None = None
    ) -> str:
        widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
        self.fields[name] = forms.CharField(label=label, required=False, max_length=max_length, widget=widget)
        self.fields[name].original = original  # type: ignore[attr-defined]
        if current.lang == self.language:
            self.initial[name] = str(current)
        return name

    def clean(self) -> dict:
        cleaned = super().clean()
        for __, statement, criteria, levels in self.outcome_rows:
            if cleaned.get(criteria) and not cleaned.get(statement):
                self.add_error(statement, _("Write the learning outcome too, or leave its criteria empty."))
            for ___, name, description in levels:
                if cleaned.get(description) and not cleaned.get(name):
                    self.add_error(name, _("Give the level a name."))
        return cleaned

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.ACHIEVEMENT_FIELDS}

    def outcomes(self) -> list[OutcomeTranslationInput]:
        return [
            OutcomeTranslationInput(
                outcome_id=str(item.outcome.public_id),
                statement=self.cleaned_data[statement],
                assessment_criteria=self.cleaned_data[criteria],
                levels=tuple(
                    LevelTranslationInput(
                        level_id=str(level.level.public_id),
                        name=self.cleaned_data[name],
                        description=self.cleaned_data[description],
                    )
                    for level, name, description in levels
                ),
            )
            for item, statement, criteria, levels in self.outcome_rows
        ]

    def bound_rows(self) -> list[tuple]:
        """The outcome fields as bound fields, for the template."""
        return [
            (item, self[statement], self[criteria], [(level, self[name], self[desc]) for level, name, desc in levels])
            for item, statement, criteria, levels in self.outcome_rows
        ]
