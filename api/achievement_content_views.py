"""A draft's learning outcomes (with their rubric levels) and its texts in the second language.

The JSON an integrator sends is turned into the data the designer's forms read (OutcomeForm with its rubric
formset, TranslationForm), so every rule is the designer's; field errors are named after the JSON.
"""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.achievement_serializers import (
    AchievementSerializer,
    LearningOutcomeSerializer,
    TranslationSerializer,
    achievement_data,
)
from api.achievement_views import api_achievement, posted_fields
from api.forms import form_validated
from api.idempotency import idempotent
from api.scopes import Scope
from badges.achievements.access import access_outcome_of_achievement
from badges.achievements.editions import LANGUAGES
from badges.achievements.outcome_forms import OutcomeForm, rubric_formset
from badges.achievements.outcomes import (
    achievement_outcome_add,
    achievement_outcome_remove,
    achievement_outcome_update,
)
from badges.achievements.translation_forms import TranslationForm
from badges.achievements.translations import achievement_translation_remove, achievement_translation_save
from badges.achievements.workflow import achievement_check_editable
from badges.models import Achievement, LearningOutcome
from issuers.roles import Capability

OUTCOME_FIELDS = tuple(OutcomeForm.Meta.fields)


def _draft(request: Request, issuer_slug: str, public_id: UUID) -> tuple[Any, Achievement]:
    member, achievement = api_achievement(
        request, issuer_slug, public_id, scope=Scope.MANAGE_ACHIEVEMENTS, capability=Capability.EDIT_ACHIEVEMENTS
    )
    achievement_check_editable(achievement)  # the same refusal as every service: only drafts change
    return member, achievement


def _objects(value: Any, field: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ValidationError({field: [_("Send a list of objects.")]})
    return value


# --- learning outcomes -----------------------------------------------------------------------------------
def _rubric_data(levels: list[dict[str, Any]]) -> dict[str, Any]:
    """The rubric as the designer's formset reads it: one row per level, lowest first."""
    data: dict[str, Any] = {
        "levels-TOTAL_FORMS": str(len(levels)), "levels-INITIAL_FORMS": "0",
        "levels-MIN_NUM_FORMS": "0", "levels-MAX_NUM_FORMS": "8",
    }
    for row, level in enumerate(levels):
        data[f"levels-{row}-name"] = level.get("name", "")
        data[f"levels-{row}-description"] = level.get("description", "")
        data[f"levels-{row}-is_pass_level"] = bool(level.get("is_pass_level", False))
    return data


def _outcome_input(request: Request, outcome: LearningOutcome | None) -> dict[str, Any]:
    """The outcome's fields and rubric from the request, on top of what it has now (PATCH keeps the rest)."""
    current: dict[str, Any] = {name: getattr(outcome, name) for name in OUTCOME_FIELDS} if outcome else {}
    sent = posted_fields(request, (*OUTCOME_FIELDS, "rubric_levels"))
    levels = [
        {"name": level.name, "description": level.description, "is_pass_level": level.is_pass_level}
        for level in (outcome.rubric_levels.all() if outcome else [])
    ]
    if "rubric_levels" in sent:
        levels = _objects(sent.pop("rubric_levels"), "rubric_levels")
    form = OutcomeForm({**current, **sent}, instance=outcome)
    formset = rubric_formset(_rubric_data(levels))
    valid = form.is_valid()
    if not formset.is_valid() or not valid:
        errors: dict[str, Any] = {
            ("non_field_errors" if name == "__all__" else name): [str(message) for message in messages]
            for name, messages in form.errors.items()
        }
        rows = {
            str(row): {name: [str(message) for message in messages] for name, messages in row_errors.items()}
            for row, row_errors in enumerate(cast(list[dict[str, Any]], formset.errors)) if row_errors
        }
        general = [str(message) for message in formset.non_form_errors()]
        if rows or general:
            errors["rubric_levels"] = {**rows, **({"non_field_errors": general} if general else {})}
        raise ValidationError(errors)
    return {
        **{name: form.cleaned_data[name] for name in OUTCOME_FIELDS},
        "rubric_levels": formset.levels(),  # type: ignore[attr-defined]
    }


class OutcomeListView(APIView):
    @extend_schema(
        request=LearningOutcomeSerializer, responses={201: AchievementSerializer},
        operation_id="achievement_outcomes_add",
        description="Add a learning outcome, with its rubric (lowest level first), at the end of a draft's list.",
    )
    @idempotent
    def post(self, request: Request, issuer_slug: str, public_id: UUID) -> Response:
        member, achievement = _draft(request, issuer_slug, public_id)
        achievement_outcome_add(achievement=achievement, by=member.user, **_outcome_input(request, None))
        return Response(achievement_data(request, achievement), status=201)


class OutcomeView(APIView):
    @extend_schema(
        request=LearningOutcomeSerializer, responses=AchievementSerializer, operation_id="achievement_outcomes_update",
        description="Change a draft's outcome; fields not sent keep their values. `rubric_levels`, when sent, "
                    "replaces the whole rubric (a level keeping its name keeps its translations).",
    )
    @idempotent
    def patch(self, request: Request, issuer_slug: str, public_id: UUID, outcome_id: UUID) -> Response:
        member, achievement = _draft(request, issuer_slug, public_id)
        outcome = access_outcome_of_achievement(achievement, str(outcome_id))
        achievement_outcome_update(outcome=outcome, by=member.user, **_outcome_input(request, outcome))
        return Response(achievement_data(request, achievement))

    @extend_schema(request=None, responses={204: None}, operation_id="achievement_outcomes_remove",
                   description="Remove a learning outcome of a draft; the others move up.")
    @idempotent
    def delete(self, request: Request, issuer_slug: str, public_id: UUID, outcome_id: UUID) -> Response:
        member, achievement = _draft(request, issuer_slug, public_id)
        outcome = access_outcome_of_achievement(achievement, str(outcome_id))
        achievement_outcome_remove(outcome=outcome, by=member.user)
        return Response(status=204)


# --- the second language ---------------------------------------------------------------------------------
def _translation_form(request: Request, achievement: Achievement, language: str) -> TranslationForm:
    """The designer's TranslationForm filled from the JSON; its field names mapped back in any errors."""
    data = posted_fields(request, (*TranslationForm.ACHIEVEMENT_FIELDS, "outcomes"))
    known = {
        str(outcome.public_id): {str(level.public_id) for level in outcome.rubric_levels.all()}
        for outcome in achievement.learning_outcomes.all()
    }
    paths: dict[str, str] = {}
    wrong: dict[str, list[str]] = {}
    for row, item in enumerate(_objects(data.pop("outcomes", []), "outcomes")):
        outcome_id = str(item.get("id", ""))
        if outcome_id not in known:
            wrong[f"outcomes.{row}.id"] = [_("Not a learning outcome of this achievement.")]
            continue
        for key, form_key in (("statement", "statement"), ("assessment_criteria", "criteria")):
            name = f"outcome-{outcome_id}-{form_key}"
            data[name], paths[name] = item.get(key, ""), f"outcomes.{row}.{key}"
        for level_row, level in enumerate(_objects(item.get("levels", []), f"outcomes.{row}.levels")):
            level_id = str(level.get("id", ""))
            if level_id not in known[outcome_id]:
                wrong[f"outcomes.{row}.levels.{level_row}.id"] = [_("Not a rubric level of this learning outcome.")]
                continue
            for key in ("name", "description"):
                name = f"level-{level_id}-{key}"
                data[name], paths[name] = level.get(key, ""), f"outcomes.{row}.levels.{level_row}.{key}"
    if wrong:
        raise ValidationError(wrong)
    try:
        return form_validated(TranslationForm(data, achievement=achievement, language=language))
    except ValidationError as error:
        detail: Any = error.detail
        raise ValidationError({paths.get(name, name): messages for name, messages in detail.items()}) from None


class TranslationView(APIView):
    def _draft(self, request: Request, issuer_slug: str, public_id: UUID, language: str) -> tuple[Any, Achievement]:
        if language not in LANGUAGES:
            raise Http404
        return _draft(request, issuer_slug, public_id)

    @extend_schema(
        request=TranslationSerializer, responses=AchievementSerializer, operation_id="achievement_translations_save",
        description="Write a draft's texts in its other language (add or replace them). An outcome or level not "
                    "sent, or sent empty, has no translation: its primary text is shown.",
    )
    @idempotent
    def put(self, request: Request, issuer_slug: str, public_id: UUID, language: str) -> Response:
        member, achievement = self._draft(request, issuer_slug, public_id, language)
        form = _translation_form(request, achievement, language)
        achievement_translation_save(
            achievement=achievement, by=member.user, language=language, outcomes=form.outcomes(), **form.texts()
        )
        return Response(achievement_data(request, achievement))

    @extend_schema(request=None, responses={204: None}, operation_id="achievement_translations_remove",
                   description="Remove a draft's texts in this language, outcomes and rubric levels included.")
    @idempotent
    def delete(self, request: Request, issuer_slug: str, public_id: UUID, language: str) -> Response:
        member, achievement = self._draft(request, issuer_slug, public_id, language)
        achievement_translation_remove(achievement=achievement, by=member.user, language=language)
        return Response(status=204)
