"""/api/v1/issuers/<slug>/applications/: the assessment queue, one application, its evidence files, decisions.

Thin callers: the queue is assessment.selectors.assessment_queue, the gates are assessment.access, the
download is assessment.responses.evidence_download (as in the console) and a decision is the assessor's
form and assessment.assessing.application_assess.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.access import access_api_member
from api.application_serializers import (
    ApplicationDecisionInputSerializer,
    ApplicationDetailSerializer,
    ApplicationSummarySerializer,
)
from api.etags import response_with_etag
from api.forms import form_validated
from api.idempotency import idempotent
from api.pagination import ApiCursorPagination
from api.scopes import Scope
from assessment.access import access_application_for_assessor, access_evidence_file_for_user
from assessment.assessing import OutcomeScoreInput, application_assess, check_can_assess
from assessment.files import DOCUMENTS, VIDEOS
from assessment.forms import AssessmentForm, QueueFilterForm
from assessment.models import Application, Assessment, Evidence, Submission
from assessment.responses import evidence_download
from assessment.selectors import application_history, assessment_queue, current_submission
from badges.models import LearningOutcome
from issuers.models import IssuerMember
from issuers.roles import Capability
from kernel.errors import ApplicationError

APPLICATION_ID = OpenApiParameter("application_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
EVIDENCE_ID = OpenApiParameter("evidence_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
# What an evidence file may be (assessment.files accepts nothing else), and the fallback for an unknown type.
FILE_TYPES = [*DOCUMENTS, *VIDEOS, "application/octet-stream"]


def _reader(request: Request, issuer_slug: str) -> IssuerMember:
    return access_api_member(request, issuer_slug, scope=Scope.READ, capability=Capability.ASSESS_APPLICATIONS)


# --- The list ----------------------------------------------------------------------------------------------
class UtcDateTimeField(forms.DateTimeField):
    """A moment, in UTC as the database compares it; one that has no UTC year between 1 and 9999
    (0001-01-01T00:00+01:00) is invalid here rather than an overflow in the query."""

    def to_python(self, value: Any) -> datetime | None:
        moment = super().to_python(value)
        try:
            return moment.astimezone(UTC) if moment is not None else None
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class ApplicationFilterForm(QueueFilterForm):
    """The console queue's filters (micro-credential, status), and when the latest round was sent."""

    submitted_after = UtcDateTimeField(required=False)
    submitted_before = UtcDateTimeField(required=False)


class ApplicationPagination(ApiCursorPagination):
    ordering = "submitted_at"

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> tuple[str, ...]:
        # The queue's own order (assessment_queue: the longest-waiting first), so it is written in one place.
        return tuple(str(field) for field in queryset.query.order_by) or (self.ordering,)


def _person(user: Any) -> dict[str, str] | None:
    if user is None:
        return None
    return {"name": user.get_full_name(), "email": user.email}


def _summary(request: Request, application: Application, round_count: int) -> dict[str, Any]:
    achievement = application.achievement
    url = reverse("api:application", args=[achievement.issuer.slug, application.public_id])
    return {
        "id": application.public_id,
        "achievement": {"id": achievement.public_id, "name": achievement.name, "version": achievement.version},
        "status": application.status,
        "learner": _person(application.learner),
        "round_count": round_count,
        "submitted_at": application.submitted_at,
        "decided_at": application.decided_at,
        "credential": application.credential.public_id if application.credential else None,
        "url": request.build_absolute_uri(url),
    }


def _queue_statuses() -> list[str]:
    """The statuses the console's queue filter offers (every one but a draft's, which is never sent)."""
    field = QueueFilterForm.base_fields["status"]
    assert isinstance(field, forms.ChoiceField)
    choices = cast("list[tuple[str, str]]", field.choices)  # a plain list there, not a callable or a group
    return [value for value, _label in choices if value]


STATUS_FILTER = OpenApiParameter(
    "status", str, enum=_queue_statuses(),
    description="Only applications in this status. Without it, every application that has been sent.",
)


class ApplicationListView(ListAPIView):
    serializer_class = ApplicationSummarySerializer
    pagination_class = ApplicationPagination

    @extend_schema(
        operation_id="applications_list", tags=["applications"],
        description="The applications sent for assessment, the longest-waiting first, in cursor pages.",
        parameters=[
            STATUS_FILTER,
            OpenApiParameter("achievement", OpenApiTypes.UUID, description="A published micro-credential's id."),
            OpenApiParameter("submitted_after", OpenApiTypes.DATETIME, description="Latest round sent at or after."),
            OpenApiParameter("submitted_before", OpenApiTypes.DATETIME, description="Latest round sent before."),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Application]:
        member = _reader(self.request, self.kwargs["issuer_slug"])
        form = form_validated(ApplicationFilterForm(self.request.query_params, issuer=member.issuer))
        chosen = form.cleaned_data
        statuses = (chosen["status"],) if chosen["status"] else tuple(Application.Status.values)
        queue = assessment_queue(issuer=member.issuer, achievement=chosen["achievement"], statuses=statuses)
        if chosen["submitted_after"]:
            queue = queue.filter(submitted_at__gte=chosen["submitted_after"])
        if chosen["submitted_before"]:
            queue = queue.filter(submitted_at__lt=chosen["submitted_before"])
        # Of the credential, only its id is answered: not its signed document.
        return queue.select_related("achievement__issuer", "credential").defer(
            "credential__document", "credential__jwt"
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        rows = [_summary(request, application, application.rounds) for application in page]  # type: ignore[attr-defined]
        paginated = self.get_paginated_response(ApplicationSummarySerializer(rows, many=True).data)
        return response_with_etag(request, paginated.data)


# --- One application -------------------------------------------------------------------------------------
def _download_url(request: Request, application: Application, evidence_id: Any) -> str:
    path = reverse(
        "api:application-evidence-file", args=[application.achievement.issuer.slug, application.public_id, evidence_id]
    )
    return request.build_absolute_uri(path)


def _evidence(request: Request, application: Application, item: Evidence) -> dict[str, Any]:
    return {
        "id": item.public_id, "kind": item.kind, "title": item.title, "narrative": item.narrative, "url": item.url,
        "file_name": item.original_name, "size": item.size, "content_type": item.content_type,
        "is_public": item.is_public,
        "download": _download_url(request, application, item.public_id) if item.file else None,
    }


def _outcomes(request: Request, application: Application, latest: Submission | None) -> list[dict[str, Any]]:
    """Each learning outcome with its rubric and the evidence of the latest round (as the assessor's page)."""
    sent = [entry["evidence"] for entry in latest.evidence_snapshot] if latest else []
    evidence = list(application.evidence.filter(public_id__in=sent))
    outcomes: list[LearningOutcome] = list(application.achievement.learning_outcomes.prefetch_related("rubric_levels"))
    return [
        {
            "id": outcome.public_id, "statement": outcome.statement,
            "assessment_criteria": outcome.assessment_criteria,
            "levels": [
                {"id": level.public_id, "name": level.name, "description": level.description,
                 "is_pass_level": level.is_pass_level}
                for level in outcome.rubric_levels.all()
            ],
            "evidence": [_evidence(request, application, item) for item in evidence if item.outcome_id == outcome.pk],
        }
        for outcome in outcomes
    ]


def _assessment(assessment: Assessment) -> dict[str, Any]:
    return {
        "assessor": _person(assessment.assessor), "decision": assessment.decision, "comment": assessment.comment,
        "created_at": assessment.created_at,
        "scores": [
            {"outcome": score.outcome.public_id, "level": score.level.public_id if score.level else None,
             "level_name": score.level.name if score.level else "", "comment": score.comment}
            for score in assessment.scores.all()
        ],
    }


def _round(request: Request, application: Application, submission: Submission) -> dict[str, Any]:
    sent = [
        {
            "id": entry["evidence"], "outcome": entry["outcome"], "kind": entry["kind"], "title": entry["title"],
            "narrative": entry["narrative"], "url": entry["url"], "file_name": entry["original_name"],
            "is_public": entry["is_public"],
            "download": _download_url(request, application, entry["evidence"])
            if entry["kind"] == Evidence.Kind.FILE else None,
        }
        for entry in submission.evidence_snapshot
    ]
    return {
        "number": submission.number, "submitted_at": submission.submitted_at, "evidence": sent,
        "assessments": [_assessment(assessment) for assessment in submission.assessments.all()],
    }


def _refusal(application: Application, member: IssuerMember) -> dict[str, str] | None:
    try:
        check_can_assess(application, member.user)
    except ApplicationError as refusal:
        return {"code": refusal.code, "message": refusal.message}
    return None


def application_data(request: Request, application: Application, member: IssuerMember) -> dict[str, Any]:
    history = application_history(application)
    data = {
        **_summary(request, application, len(history)),
        "show_name": application.show_name, "recipient_name": application.recipient_name,
        "created_at": application.created_at,
        "outcomes": _outcomes(request, application, current_submission(application)),
        "rounds": [_round(request, application, submission) for submission in history],
        "decision_refusal": _refusal(application, member),
    }
    return dict(ApplicationDetailSerializer(data).data)


class ApplicationView(APIView):
    @extend_schema(
        operation_id="application_read", tags=["applications"], parameters=[APPLICATION_ID],
        responses=ApplicationDetailSerializer,
        description="One application: each learning outcome with its evidence, every round with its assessments.",
    )
    def get(self, request: Request, issuer_slug: str, application_id: str) -> Response:
        member = _reader(request, issuer_slug)
        _member, application = access_application_for_assessor(member.user, issuer_slug, application_id)
        return response_with_etag(request, application_data(request, application, member))


class EvidenceFileView(APIView):
    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The answer is a file, not a rendered representation: an `Accept: application/pdf` must not be refused.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="application_evidence_file", tags=["applications"],
        parameters=[APPLICATION_ID, EVIDENCE_ID],
        responses={(200, media_type): OpenApiTypes.BINARY for media_type in FILE_TYPES},
        description="An evidence file, as an attachment in the type its content was recognised as.",
    )
    def get(self, request: Request, issuer_slug: str, application_id: str, evidence_id: str) -> FileResponse:
        member = _reader(request, issuer_slug)
        _member, application = access_application_for_assessor(member.user, issuer_slug, application_id)
        evidence = access_evidence_file_for_user(member.user, evidence_id)
        if evidence.application_id != application.pk:
            raise Http404
        return evidence_download(evidence)


# --- Deciding --------------------------------------------------------------------------------------------
def _form_data(posted: dict[str, Any], outcomes: list[LearningOutcome]) -> tuple[dict[str, Any], dict[str, str]]:
    """The assessor's form fields from the posted decision, and each form field's name in the request."""
    by_id = {str(outcome.public_id): outcome for outcome in outcomes}
    data: dict[str, Any] = {"decision": posted["decision"], "comment": posted["comment"]}
    names = {"decision": "decision", "comment": "comment"}
    errors: dict[str, list[str]] = {}
    for index, score in enumerate(posted["outcomes"]):
        outcome = by_id.get(str(score["outcome"]))
        if outcome is None or f"level-{outcome.pk}" in names:
            errors[f"outcomes.{index}.outcome"] = [
                _("Name each learning outcome of this micro-credential once.")
            ]
            continue
        level = next((lvl for lvl in outcome.rubric_levels.all() if lvl.public_id == score.get("level")), None)
        data[f"level-{outcome.pk}"] = level.pk if level else (str(score["level"]) if score.get("level") else "")
        data[f"comment-{outcome.pk}"] = score["comment"]
        names[f"level-{outcome.pk}"] = f"outcomes.{index}.level"
        names[f"comment-{outcome.pk}"] = f"outcomes.{index}.comment"
    if errors:
        raise ValidationError(errors)
    return data, names


def _assessor_form(posted: dict[str, Any], outcomes: list[LearningOutcome]) -> AssessmentForm:
    data, names = _form_data(posted, outcomes)
    try:
        return form_validated(AssessmentForm(data, outcomes=outcomes))
    except ValidationError as invalid:
        assert isinstance(invalid.detail, dict)
        renamed = {names.get(str(field), str(field)): messages for field, messages in invalid.detail.items()}
        raise ValidationError(renamed) from invalid


class ApplicationDecisionView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="application_decide", tags=["applications"], parameters=[APPLICATION_ID],
        request=ApplicationDecisionInputSerializer,
        responses=ApplicationDetailSerializer,
        description="Approve (issuing the credential, or waiting for a second approval), request a revision or "
        "reject, with a rubric level and feedback per learning outcome, as on the assessor's page.",
    )
    @idempotent
    def post(self, request: Request, issuer_slug: str, application_id: str) -> Response:
        member = access_api_member(request, issuer_slug, scope=Scope.AWARD, capability=Capability.ASSESS_APPLICATIONS)
        _member, application = access_application_for_assessor(member.user, issuer_slug, application_id)
        shape = ApplicationDecisionInputSerializer(data=request.data)
        shape.is_valid(raise_exception=True)
        outcomes = list(application.achievement.learning_outcomes.prefetch_related("rubric_levels"))
        form = _assessor_form(shape.validated_data, outcomes)
        application_assess(
            application=application, assessor=member.user, decision=form.cleaned_data["decision"],
            scores=[
                OutcomeScoreInput(
                    outcome=outcome, level=form.cleaned_data[f"level-{outcome.pk}"],
                    comment=form.cleaned_data[f"comment-{outcome.pk}"],
                )
                for outcome in outcomes
            ],
            comment=form.cleaned_data["comment"],
        )
        application.refresh_from_db()
        return Response(application_data(request, application, member))
