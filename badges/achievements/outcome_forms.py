"""The learning-outcome page of the designer: the outcome and its rubric (lowest level first)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from badges.achievements.definition_forms import PlainLanguageForm
from badges.achievements.outcomes import RubricLevelInput
from badges.models import LearningOutcome
from kernel.validation import TEXT_SHORT, bidi_controls_refuse

ESCO_SKILL = re.compile(r"https?://data\.europa\.eu/esco/skill/[A-Za-z0-9._-]+")

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


class OutcomeForm(PlainLanguageForm, forms.ModelForm):
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
        label=_("Level name"), max_length=100, required=False, validators=[bidi_controls_refuse],
        help_text=_("Example: Not yet, Passed, Passed with distinction."),
    )
    description = forms.CharField(
        label=_("What the learner shows at this level"), required=False, max_length=TEXT_SHORT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Example: Shares out the tasks and checks that they are done."),
    )
    is_pass_level = forms.BooleanField(label=_("This level passes"), required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
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
