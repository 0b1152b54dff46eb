"""/api/v1/issuers/<slug>/credentials/: what the issuer has issued, each credential's files, revoking and
re-issuing. Reads need the read scope, changes the revoke scope; both need MANAGE_CREDENTIALS, as the
console's credential pages do. Queries are the console's (badges.credentials.selectors and .reach)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from django.db.models import DateTimeField, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.access import access_api_member
from api.credential_serializers import (
    FORMATS,
    CredentialFilterSerializer,
    CredentialSerializer,
    RevokeRequestSerializer,
)
from api.etags import response_with_etag
from api.forms import form_validated
from api.idempotency import idempotent
from api.pagination import ApiCursorPagination
from api.problems import problem_response
from api.scopes import Scope
from badges.credentials.access import access_credential_for_issuer
from badges.credentials.forms import RevokeForm
from badges.credentials.reach import claim_email_state, credentials_with_reach
from badges.credentials.revocation import credential_reissue, credential_revoke
from badges.credentials.selectors import credential_list_for_issuer, credential_state
from badges.models import Credential
from issuers.models import Issuer, IssuerMember
from issuers.roles import Capability
from kernel.public_urls import public_url
from kernel.usercontent import user_content_headers
from learners.filenames import attachment_header

S = Credential.Status
# The list's `state` filter, as the console's selector names it, or as stored statuses.
SELECTOR_STATES = {"issued": "valid", "expired": "expired", "revoked": "revoked"}
STORED_STATUSES = {"pending": (S.PENDING, S.SIGNING), "failed": (S.FAILED,)}
# Never expiring sorts after every date (cursor pages compare one value per row, so null cannot stay null).
NO_EXPIRY = datetime(9999, 1, 1, tzinfo=UTC)
ORDERING_FIELDS = {
    "created": ("created_at", "pk"), "-created": ("-created_at", "-pk"),
    "valid_until": ("expiry_order", "pk"), "-valid_until": ("-expiry_order", "-pk"),
}


def _available(credential: Credential) -> dict[str, bool]:
    return {
        "png": bool(credential.baked_png), "svg": bool(credential.baked_svg),
        "json": credential.has_document, "jwt": credential.has_jwt,
    }


def _claim_data(credential: Credential) -> dict[str, Any] | None:
    claim = getattr(credential, "claim", None)
    if claim is None:
        return None
    return {
        "email": claim.email, "email_state": claim_email_state(credential), "sent_count": claim.sent_count,
        "last_sent_at": claim.last_sent_at, "expires_at": claim.expires_at, "claimed_at": claim.claimed_at,
    }


def credential_data(credential: Credential, now: datetime) -> dict[str, Any]:
    """One credential as the API answers it (JSON types only); `credential` comes with reach annotations."""
    slug, public_id = credential.issuer.slug, credential.public_id
    downloads = {
        fmt: public_url(reverse("api:credential-download", args=[slug, public_id, fmt])) if ready else None
        for fmt, ready in _available(credential).items()
    }
    data = {
        "id": public_id, "uri": credential.uri,
        "achievement": {"id": credential.achievement.public_id, "name": credential.achievement.name},
        "recipient": {"email": credential.recipient_email, "name": credential.recipient_name},
        "state": credential_state(credential, now=now),
        "valid_from": credential.valid_from, "valid_until": credential.valid_until,
        "awarded_at": credential.awarded_at, "created_at": credential.created_at,
        "revoked_at": credential.revoked_at, "revocation_reason": credential.revocation_reason,
        "replaces": credential.replaces.public_id if credential.replaces else None,
        "verification_url": public_url(reverse("verification:credential", args=[public_id])),
        "shared": credential.is_shared_publicly, "first_shared_at": credential.first_shared_at,
        "claim": _claim_data(credential),
        "page_views": getattr(credential, "page_view_total", 0),
        "downloads": downloads,
    }
    return dict(CredentialSerializer(data).data)


def _with_reach(credentials: QuerySet[Credential]) -> QuerySet[Credential]:
    # Of the credential it replaces, only the id is answered: not its signed document.
    return credentials_with_reach(
        credentials.select_related("issuer", "achievement", "replaces").defer("replaces__document", "replaces__jwt")
    )


def _one_credential(member: IssuerMember, public_id: UUID) -> Credential:
    found = access_credential_for_issuer(member.issuer, str(public_id))
    return _with_reach(Credential.objects.filter(pk=found.pk)).get()


def _answer(credential: Credential) -> dict[str, Any]:
    return credential_data(_with_reach(Credential.objects.filter(pk=credential.pk)).get(), timezone.now())


# --- The list --------------------------------------------------------------------------------------------
def credentials_filtered(issuer: Issuer, filters: dict[str, Any]) -> QuerySet[Credential]:
    state = filters.get("state", "")
    credentials = credential_list_for_issuer(issuer=issuer, state=SELECTOR_STATES.get(state, ""))
    if state in STORED_STATUSES:
        credentials = credentials.filter(status__in=STORED_STATUSES[state])
    if "achievement" in filters:
        credentials = credentials.filter(achievement__public_id=filters["achievement"])
    if "recipient" in filters:
        # Stored lower-cased (credential_issue), so an exact match on the lower-cased address is case-insensitive
        # and uses the e-mail index.
        credentials = credentials.filter(recipient_email=filters["recipient"].strip().lower())
    if "issued_after" in filters:
        credentials = credentials.filter(created_at__gte=filters["issued_after"])
    if "issued_before" in filters:
        credentials = credentials.filter(created_at__lt=filters["issued_before"])
    credentials = credentials.annotate(
        expiry_order=Coalesce("valid_until", Value(NO_EXPIRY, output_field=DateTimeField()))
    )
    return _with_reach(credentials)


class CredentialPagination(ApiCursorPagination):
    chosen_ordering: tuple[str, ...] = ORDERING_FIELDS["-created"]

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> tuple[str, ...]:
        # A second field keeps rows with the same date in one order from page to page.
        return self.chosen_ordering


class CredentialListView(ListAPIView):
    serializer_class = CredentialSerializer
    pagination_class = CredentialPagination

    @extend_schema(parameters=[CredentialFilterSerializer], operation_id="credentials_list", tags=["credentials"])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The issuer's credentials, newest first unless `ordering` says otherwise."""
        return self.list(request, *args, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        member = access_api_member(
            request, kwargs["issuer_slug"], scope=Scope.READ, capability=Capability.MANAGE_CREDENTIALS
        )
        filters = CredentialFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        assert isinstance(self.paginator, CredentialPagination)
        self.paginator.chosen_ordering = ORDERING_FIELDS[filters.validated_data["ordering"]]
        page = self.paginate_queryset(credentials_filtered(member.issuer, filters.validated_data)) or []
        now = timezone.now()
        paginated = self.get_paginated_response([credential_data(credential, now) for credential in page])
        return response_with_etag(request, paginated.data)


# --- One credential --------------------------------------------------------------------------------------
class CredentialDetailView(APIView):
    @extend_schema(responses=CredentialSerializer, operation_id="credential_read", tags=["credentials"])
    def get(self, request: Request, issuer_slug: str, public_id: UUID) -> Response:
        """Everything about one credential: state, dates, its public page, the claim and its e-mail, views."""
        member = access_api_member(request, issuer_slug, scope=Scope.READ, capability=Capability.MANAGE_CREDENTIALS)
        return response_with_etag(request, credential_data(_one_credential(member, public_id), timezone.now()))


DOWNLOAD_MEDIA_TYPES = {
    "png": "image/png", "svg": "image/svg+xml", "json": "application/vc+ld+json", "jwt": "application/vc+jwt",
}
JSON_LD = "application/ld+json"


class CredentialDownloadView(APIView):
    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The answer is a file, not a rendered representation: an `Accept: image/png` must not be refused.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="credential_download", tags=["credentials"],
        parameters=[OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(FORMATS),
                                     description="png or svg (the baked badge), json (the signed document; "
                                                 "`Accept: application/ld+json` for that type) or jwt.")],
        responses={
            (200, media_type): OpenApiResponse(response=schema, description="The stored file, as an attachment.")
            for media_type, schema in (
                ("image/png", OpenApiTypes.BINARY), ("image/svg+xml", OpenApiTypes.BINARY),
                ("application/vc+ld+json", OpenApiTypes.OBJECT), (JSON_LD, OpenApiTypes.OBJECT),
                ("application/vc+jwt", OpenApiTypes.STR),
            )
        },
    )
    def get(self, request: Request, issuer_slug: str, public_id: UUID, fmt: str) -> HttpResponse | Response:
        """The credential as issued: a baked PNG or SVG badge, the signed JSON-LD document or the VC-JWT."""
        member = access_api_member(request, issuer_slug, scope=Scope.READ, capability=Capability.MANAGE_CREDENTIALS)
        credential = access_credential_for_issuer(member.issuer, str(public_id))
        if not _available(credential).get(fmt):
            return problem_response(404, "not_available", _("This credential has no %(format)s form.") % {
                "format": fmt.upper()})
        media_type = DOWNLOAD_MEDIA_TYPES[fmt]
        if fmt == "json" and request.get_preferred_type([media_type, JSON_LD]) == JSON_LD:
            media_type = JSON_LD
        response = HttpResponse(_file_bytes(credential, fmt), content_type=media_type)
        response["Content-Disposition"] = attachment_header(f"credential-{credential.public_id}.{fmt}")
        user_content_headers(response)
        return response


def _file_bytes(credential: Credential, fmt: str) -> bytes:
    if fmt in ("png", "svg"):
        stored = credential.baked_png if fmt == "png" else credential.baked_svg
        with stored.open("rb") as file:
            return file.read()
    if fmt == "jwt":
        return credential.jwt.encode()
    return json.dumps(credential.document, ensure_ascii=False).encode()


# --- Changes ---------------------------------------------------------------------------------------------
class CredentialRevokeView(APIView):
    @extend_schema(
        request=RevokeRequestSerializer, responses=CredentialSerializer, operation_id="credential_revoke",
        tags=["credentials"],
    )
    @idempotent
    def post(self, request: Request, issuer_slug: str, public_id: UUID) -> Response:
        """Revoke an issued credential: verifiers see it within a minute, and the holder is told why by e-mail."""
        member = access_api_member(request, issuer_slug, scope=Scope.REVOKE, capability=Capability.MANAGE_CREDENTIALS)
        credential = access_credential_for_issuer(member.issuer, str(public_id))
        form = form_validated(RevokeForm(request.data if isinstance(request.data, Mapping) else {}))
        revoked = credential_revoke(credential=credential, by=member.user, reason=form.cleaned_data["reason"])
        return Response(_answer(revoked))


class CredentialReissueView(APIView):
    @extend_schema(
        request=None, responses={201: CredentialSerializer}, operation_id="credential_reissue", tags=["credentials"]
    )
    @idempotent
    def post(self, request: Request, issuer_slug: str, public_id: UUID) -> Response:
        """Issue the same micro-credential to the same person again, for a new validity period (once). Answers
        the new credential, still pending until it is signed."""
        member = access_api_member(request, issuer_slug, scope=Scope.REVOKE, capability=Capability.MANAGE_CREDENTIALS)
        credential = access_credential_for_issuer(member.issuer, str(public_id))
        renewal = credential_reissue(credential=credential, by=member.user)
        location = public_url(reverse("api:credential", args=[member.issuer.slug, renewal.public_id]))
        return Response(_answer(renewal), status=201, headers={"Location": location})
