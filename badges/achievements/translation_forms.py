"""The texts of a draft in its second language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from badges.achievements.editions import achievement_edition
from badges.achievements.translations import LevelTranslationInput, OutcomeTranslationInput
from badges.models import Achievement
from kernel.validation import TEXT_LONG, TEXT_SHORT, bidi_controls_refuse

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

    name = forms.CharField(label=_("Title"), max_length=200, validators=[bidi_controls_refuse])
    description = forms.CharField(
        label=_("Short description"), max_length=TEXT_LONG, widget=forms.Textarea(attrs={"rows": 3})
    )
    criteria_narrative = forms.CharField(
        label=_("What the learner must show"), max_length=TEXT_LONG, widget=forms.Textarea(attrs={"rows": 3})
    )
    target_group = forms.CharField(
        label=_("Who it is for"), required=False, max_length=TEXT_SHORT, widget=forms.Textarea(attrs={"rows": 2})
    )
    standalone_value = forms.CharField(
        label=_("Value on its own"), required=False, max_length=TEXT_SHORT, widget=forms.Textarea(attrs={"rows": 2})
    )
    prerequisites = forms.CharField(
        label=_("Prerequisites"), required=False, max_length=TEXT_SHORT, widget=forms.Textarea(attrs={"rows": 2})
    )
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
                item.statement, rows=2, max_length=TEXT_SHORT,
            )
            criteria = self._text_field(
                f"{prefix}-criteria", _("Assessment criteria for learning outcome %(n)s") % {"n": number},
                item.outcome.assessment_criteria, item.assessment_criteria, rows=2, max_length=TEXT_LONG,
            )
            levels = []
            for level_number, level in enumerate(item.levels, start=1):
                level_prefix = f"level-{level.level.public_id}"
                levels.append((
                    level,
                    self._text_field(
                        f"{level_prefix}-name",
                        _("Name of level %(level)s, learning outcome %(n)s") % {"level": level_number, "n": number},
                        level.level.name, level.name, max_length=100, validators=[bidi_controls_refuse],
                    ),
                    self._text_field(
                        f"{level_prefix}-description",
                        _("Description of level %(level)s, learning outcome %(n)s")
                        % {"level": level_number, "n": number},
                        level.level.description, level.description, rows=2, max_length=TEXT_SHORT,
                    ),
                ))
            self.outcome_rows.append((item, statement, criteria, levels))
        for field in self.fields.values():
            # The browser spell-checks, and screen readers pronounce, what is typed in the right language.
            field.widget.attrs["lang"] = language

    def _text_field(
        self, name: str, label: str, original: str, current: Any, *, rows: int = 0, max_length: int | None = None,
        validators: Sequence[Callable[[Any], None]] = (),
    ) -> str:
        widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
        self.fields[name] = forms.CharField(
            label=label, required=False, max_length=max_length, widget=widget, validators=validators
        )
        self.fields[name].original = original  # type: ignore[attr-defined]
        if current.lang == self.language:
            self.initial[name] = str(current)
        return name

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
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
