"""Language editions of an achievement: its primary texts, or the same achievement in the other language.

OB 3.0 has no language maps (NOTES §9.11): each language is its own Achievement document. The primary
edition is the achievement itself (id /a/<id>, `inLanguage` = `Achievement.in_language`); a translated
edition lives at /a/<id>/<language>. Both list each other in `related`. Reading only, no decisions: a
text that has no translation falls back to the primary one, and every `Text` says which language it is
in, so pages can mark it with `lang`.

Prefetch `translations`, `learning_outcomes__translations` and `learning_outcomes__rubric_levels__translations`
to keep this free of extra queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import get_language_info

from badges.models import Achievement, AchievementTranslation, LearningOutcome, RubricLevel
from kernel.public_urls import public_url

LANGUAGES = tuple(Achievement.Language.values)


@dataclass(frozen=True)
class Text:
    """A text and the language it is written in; renders as the text itself in templates."""

    value: str
    lang: str

    def __str__(self) -> str:
        return self.value

    def __bool__(self) -> bool:
        return bool(self.value)


@dataclass(frozen=True)
class LevelEdition:
    level: RubricLevel
    name: Text
    description: Text

    @property
    def is_pass_level(self) -> bool:
        return self.level.is_pass_level


@dataclass(frozen=True)
class OutcomeEdition:
    outcome: LearningOutcome
    statement: Text
    assessment_criteria: Text
    levels: tuple[LevelEdition, ...]


@dataclass(frozen=True)
class EditionLink:
    language: str
    label: str  # the language's name in the page's language
    local_name: str  # and in its own, as language switchers show it
    uri: str


@dataclass(frozen=True)
class Edition:
    achievement: Achievement
    language: str
    uri: str
    name: Text
    description: Text
    criteria_narrative: Text
    target_group: Text
    standalone_value: Text
    prerequisites: Text
    image_alt: Text
    outcomes: tuple[OutcomeEdition, ...]
    others: tuple[EditionLink, ...]  # the achievement's editions in other languages

    @property
    def is_primary(self) -> bool:
        return self.language == self.achievement.in_language

    @property
    def language_label(self) -> str:
        return str(Achievement.Language(self.language).label)


def _in(rows: object, language: str) -> object | None:
    # `.all()` so a prefetch is used; the rows of one achievement are few.
    return next((row for row in rows.all() if row.language == language), None)  # type: ignore[attr-defined]


def translation_of(achievement: Achievement, language: str) -> AchievementTranslation | None:
    """The achievement's translation into `language`; never one in its own primary language."""
    if language == achievement.in_language:
        return None
    return _in(achievement.translations, language)  # type: ignore[return-value]


def edition_languages(achievement: Achievement) -> list[str]:
    """The primary language first, then each language it is translated into."""
    return [achievement.in_language, *(lang for lang in LANGUAGES if translation_of(achievement, lang))]


def edition_uri(achievement: Achievement, language: str) -> str:
    """The OB id of an edition: the achievement's own id for the primary language, else /a/<id>/<language>."""
    if language == achievement.in_language:
        return achievement.uri
    return public_url(reverse("achievements_public:achievement-edition", args=[achievement.public_id, language]))


def _text(translated: str | None, primary: str, language: str, primary_language: str) -> Text:
    if translated:
        return Text(translated, language)
    return Text(primary, primary_language)


def achievement_edition(achievement: Achievement, language: str) -> Edition:
    """The achievement as read in `language`, or in its primary language when it has no such translation."""
    primary = achievement.in_language
    translation = translation_of(achievement, language)
    if translation is None:
        language = primary

    def text(field: str, owner: object, row: object | None) -> Text:
        return _text(getattr(row, field, None), getattr(owner, field), language, primary)

    outcomes = []
    for outcome in achievement.learning_outcomes.all():
        outcome_row = _in(outcome.translations, language) if translation else None
        levels = []
        for level in outcome.rubric_levels.all():
            level_row = _in(level.translations, language) if translation else None
            levels.append(LevelEdition(level, text("name", level, level_row), text("description", level, level_row)))
        outcomes.append(OutcomeEdition(
            outcome,
            text("statement", outcome, outcome_row),
            text("assessment_criteria", outcome, outcome_row),
            tuple(levels),
        ))
    others = tuple(
        EditionLink(
            other,
            str(Achievement.Language(other).label),
            get_language_info(other)["name_local"],
            edition_uri(achievement, other),
        )
        for other in edition_languages(achievement)
        if other != language
    )
    return Edition(
        achievement=achievement,
        language=language,
        uri=edition_uri(achievement, language),
        name=text("name", achievement, translation),
        description=text("description", achievement, translation),
        criteria_narrative=text("criteria_narrative", achievement, translation),
        target_group=text("target_group", achievement, translation),
        standalone_value=text("standalone_value", achievement, translation),
        prerequisites=text("prerequisites", achievement, translation),
        image_alt=text("image_alt", achievement, translation),
        outcomes=tuple(outcomes),
        others=others,
    )
