"""/api/v1/issuers/<slug>/awards/ and /award-jobs/: award one person at once, or many as a background job.

Thin callers of assessment.awards (the console's services) and assessment.award_jobs (the one machinery that
issues every direct award). Everything here needs the `award` scope and the AWARD_CREDENTIALS capability:
a job's rows name people, so reading them is part of awarding.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import award_serializers as s
from api.access import access_api_member
from api.etags import response_with_etag
from api.forms import form_validated
from api.idempotency import idempotent
from api.pagination import ApiCursorPagination
from api.scopes import Scope
from assessment import awards
from assessment.award_jobs import FAILED_ROWS, award_job_progress, row_error
from assessment.award_progress import credential_failure_code
from assessment.csv_import import ParsedList, check_recipients, parse_recipients
from assessment.forms import AwardJobForm, AwardOneForm
from assessment.models import AwardBatch, AwardRecipient
from badges.models import Credential
from issuers.models import IssuerMember
from issuers.roles import Capability

# The console's form names the recipient `email` and `name`; the API says recipient_email and recipient_name.
ONE_FORM_FIELDS = {"email": "recipient_email", "name": "recipient_name"}
ROW_ERRORS_SHOWN = 500  # in a 400 answer; a dry run lists every row


def _member(request: Request, issuer_slug: str) -> IssuerMember:
    return access_api_member(request, issuer_slug, scope=Scope.AWARD, capability=Capability.AWARD_CREDENTIALS)


def _job_of(member: IssuerMember, job_id: UUID) -> AwardBatch:
    job = AwardBatch.objects.filter(issuer=member.issuer, public_id=job_id).select_related("achievement").first()
    if job is None:
        raise NotFound()
    return job


def _absolute(request: Request, name: str, *args: Any) -> str:
    return request.build_absolute_uri(reverse(f"api:{name}", args=args))


def job_data(request: Request, job: AwardBatch) -> dict[str, Any]:
    progress = award_job_progress(job)
    slug = job.issuer.slug
    return {
        "id": str(job.public_id), "url": _absolute(request, "award-job", slug, job.public_id),
        "state": job.status, "achievement": str(job.achievement.public_id), "source_name": job.source_name,
        "valid_until": _iso(job.valid_until), "created_at": _iso(job.created_at),
        "confirmed_at": _iso(job.confirmed_at), "finished_at": _iso(job.finished_at),
        "error": {"code": job.error_code, "message": row_error(job.error_code)} if job.error_code else None,
        "progress": {
            "total": progress.total, "done": progress.done, "waiting": progress.waiting,
            "issued": progress.issued, "failed": progress.failed, "signed": progress.signed,
        },
        "rows_url": _absolute(request, "award-job-rows", slug, job.public_id),
    }


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


# --- One person ----------------------------------------------------------------------------------------
class AwardCreateView(APIView):
    @extend_schema(
        request=s.AwardRequestSerializer, responses={201: s.AwardedCredentialSerializer}, operation_id="award_create",
        description="Award a credential to one person at once (as the console's direct award). Send an "
        "Idempotency-Key: a retry then issues nothing twice.",
    )
    @idempotent
    def post(self, request: Request, issuer_slug: str) -> Response:
        member = _member(request, issuer_slug)
        data: Any = request.data
        posted = {"achievement": data.get("achievement", ""), "email": data.get("recipient_email", ""),
                  "name": data.get("recipient_name", "")}
        one = _renamed(lambda: form_validated(AwardOneForm(posted, issuer=member.issuer)), ONE_FORM_FIELDS)
        job_form = form_validated(AwardJobForm(
            {"achievement": posted["achievement"], "valid_until": data.get("valid_until") or ""}, issuer=member.issuer
        ))
        batch, credential = awards.award_to_one(
            issuer=member.issuer, achievement=one.cleaned_data["achievement"], by=member.user,
            email=one.cleaned_data["email"], name=one.cleaned_data["name"],
            valid_until=job_form.cleaned_data["valid_until"],
        )
        url = request.build_absolute_uri(
            reverse("credentials_console:detail", args=[member.issuer.slug, credential.public_id])
        )
        body = {
            "id": str(credential.public_id), "uri": credential.uri, "status": credential.status, "url": url,
            "recipient_email": credential.recipient_email, "achievement": str(batch.achievement.public_id),
            "job": _absolute(request, "award-job", member.issuer.slug, batch.public_id),
        }
        return Response(body, status=201, headers={"Location": url})


def _renamed(validate: Any, names: dict[str, str]) -> Any:
    try:
        return validate()
    except ValidationError as error:
        detail: Any = error.detail
        raise ValidationError({names.get(key, key): value for key, value in detail.items()}) from None


# --- Jobs ----------------------------------------------------------------------------------------------
class AwardJobCreateView(APIView):
    @extend_schema(
        request={"application/json": s.AwardJobRequestSerializer, "multipart/form-data": s.AwardJobRequestSerializer},
        responses={202: s.AwardJobSerializer, 200: s.AwardJobDryRunSerializer},
        operation_id="award_job_create",
        description="Award many people: JSON `rows` or a CSV `file`, every row checked first (400 naming each "
        "bad row; nothing issued). `dry_run` only checks. A real job answers 202 at once and runs in the "
        "background; follow its `url`.",
    )
    @idempotent
    def post(self, request: Request, issuer_slug: str) -> Response:
        member = _member(request, issuer_slug)
        data: Any = request.data
        form = form_validated(AwardJobForm(
            {"achievement": data.get("achievement", ""), "valid_until": data.get("valid_until") or ""},
            issuer=member.issuer,
        ))
        parsed, source_name = _rows_checked(request)
        dry_run = str(data.get("dry_run", "")).lower() in ("true", "1", "yes")
        if dry_run:
            return Response(_dry_run_report(parsed))
        if parsed.row_problems:
            raise ValidationError({
                f"rows.{problem.line}": ["; ".join(problem.messages)]
                for problem in parsed.row_problems[:ROW_ERRORS_SHOWN]
            })
        batch = awards.award_batch_prepare(
            issuer=member.issuer, achievement=form.cleaned_data["achievement"], by=member.user, rows=parsed.rows,
            source_name=source_name, valid_until=form.cleaned_data["valid_until"],
        )
        batch = awards.award_batch_confirm(batch=batch, by=member.user, in_background=True)
        body = job_data(request, batch)
        return Response(body, status=202, headers={"Location": body["url"]})


def _rows_checked(request: Request) -> tuple[ParsedList, str]:
    """The rows, read and checked as the console checks a list; 400 for what is wrong with the whole list."""
    data: Any = request.data
    upload = request.FILES.get("file")
    if upload is not None:
        parsed = parse_recipients(
            upload.read(settings.DATA_UPLOAD_MAX_MEMORY_SIZE), max_rows=settings.AWARD_CSV_MAX_ROWS
        )
        field, source_name = "file", upload.name or ""
    else:
        rows = data.get("rows") if hasattr(data, "get") else None
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            message = _("Send “rows” as a list of objects with “email” and “name”, or a CSV “file”.")
            raise ValidationError({"rows": [message]})
        parsed = check_recipients(rows, max_rows=settings.AWARD_CSV_MAX_ROWS)
        field, source_name = "rows", ""
    if parsed.list_problems:
        raise ValidationError({field: parsed.list_problems})
    return parsed, source_name


def _dry_run_report(parsed: ParsedList) -> dict[str, Any]:
    total = len(parsed.rows) + len(parsed.row_problems)
    return {
        "dry_run": True, "valid": not parsed.row_problems, "total": total, "valid_rows": len(parsed.rows),
        "errors": [
            {"row": problem.line, "email": problem.email, "messages": list(problem.messages)}
            for problem in parsed.row_problems
        ],
    }


class AwardJobView(APIView):
    @extend_schema(responses=s.AwardJobSerializer, operation_id="award_job_read",
                   description="A job's state and progress; its rows are under `rows_url`.")
    def get(self, request: Request, issuer_slug: str, job_id: UUID) -> Response:
        job = _job_of(_member(request, issuer_slug), job_id)
        return response_with_etag(request, job_data(request, job))


class RowPagination(ApiCursorPagination):
    ordering = "line"


class AwardJobRowListView(ListAPIView):
    serializer_class = s.AwardJobRowSerializer
    pagination_class = RowPagination

    def get_queryset(self) -> QuerySet[AwardRecipient]:
        job = _job_of(_member(self.request, self.kwargs["issuer_slug"]), self.kwargs["job_id"])
        # Of each row's credential, only its id and status are answered: not its signed document.
        rows = AwardRecipient.objects.filter(batch=job).select_related("credential").defer(
            "credential__document", "credential__jwt"
        )
        rows = rows.annotate(failure_code=credential_failure_code())
        state = self.request.query_params.get("state", "")
        if state == AwardRecipient.State.FAILED:
            rows = rows.filter(FAILED_ROWS)
        elif state in (AwardRecipient.State.WAITING, AwardRecipient.State.ISSUED):
            rows = rows.filter(state=state).exclude(FAILED_ROWS)
        return rows

    @extend_schema(
        operation_id="award_job_rows",
        parameters=[OpenApiParameter("state", OpenApiTypes.STR, enum=AwardRecipient.State.values,
                                     description="Only rows in this state.")],
        description="Every row's result: its credential, or why it failed. Ordered by row.",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([_row_data(row) for row in page or []])


def _row_data(row: Any) -> dict[str, Any]:
    credential: Credential | None = row.credential
    failed_signing = credential is not None and credential.status == Credential.Status.FAILED
    state = AwardRecipient.State.FAILED if failed_signing else row.state
    code = (row.failure_code or "signing_failed") if failed_signing else row.error_code
    return {
        "row": row.line, "email": row.email, "name": row.name, "state": state,
        "credential": {"id": str(credential.public_id), "status": credential.status} if credential else None,
        "error": {"code": code, "message": row_error(code)} if state == AwardRecipient.State.FAILED else None,
    }


class AwardJobRerunView(APIView):
    @extend_schema(
        request=s.AwardJobRerunRequestSerializer, responses={202: s.AwardJobSerializer}, operation_id="award_job_rerun",
        description="Issue the given failed rows again (by row number); 422 if one of them has not failed.",
    )
    @idempotent
    def post(self, request: Request, issuer_slug: str, job_id: UUID) -> Response:
        member = _member(request, issuer_slug)
        job = _job_of(member, job_id)
        body = s.AwardJobRerunRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        awards.award_batch_rows_rerun(batch=job, by=member.user, lines=body.validated_data["rows"])
        job.refresh_from_db()
        return Response(job_data(request, job), status=202, headers={"Location": _absolute(
            request, "award-job", member.issuer.slug, job.public_id)})

