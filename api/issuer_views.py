"""/api/v1/issuers/<slug>/ and its members."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.access import access_api_member
from api.etags import response_with_etag
from api.forms import form_validated
from api.idempotency import idempotent
from api.pagination import ApiCursorPagination
from api.scopes import Scope
from api.serializers import PROFILE_FIELDS, IssuerProfileSerializer, MemberSerializer
from issuers.forms import IssuerProfileForm
from issuers.models import Issuer, IssuerMember
from issuers.roles import Capability
from issuers.services import issuer_profile_update


def profile_data(issuer: Issuer) -> dict[str, Any]:
    data = {name: getattr(issuer, name) for name in PROFILE_FIELDS}
    return {"slug": issuer.slug, "id": issuer.identity, **data, "image": issuer.image.url if issuer.image else None}


class IssuerProfileView(APIView):
    @extend_schema(responses=IssuerProfileSerializer, operation_id="issuer_profile_read")
    def get(self, request: Request, issuer_slug: str) -> Response:
        member = access_api_member(request, issuer_slug, scope=Scope.READ, capability=Capability.VIEW_CONSOLE)
        return response_with_etag(request, profile_data(member.issuer))

    @extend_schema(
        request=IssuerProfileSerializer, responses=IssuerProfileSerializer, operation_id="issuer_profile_update"
    )
    @idempotent
    def patch(self, request: Request, issuer_slug: str) -> Response:
        """Change some fields of the profile; the others keep their values. The logo is a multipart `image`."""
        member = access_api_member(
            request, issuer_slug, scope=Scope.MANAGE_ACHIEVEMENTS, capability=Capability.EDIT_PROFILE
        )
        issuer = member.issuer
        posted = {**{name: getattr(issuer, name) for name in PROFILE_FIELDS}, **_posted_fields(request)}
        form = form_validated(IssuerProfileForm(posted, request.FILES or None, instance=issuer))
        issuer_profile_update(issuer=issuer, **form.profile_fields(), logo=form.cleaned_data["image"], by=member.user)
        issuer.refresh_from_db()
        return Response(profile_data(issuer))


def _posted_fields(request: Request) -> dict[str, Any]:
    data: Any = request.data
    return {name: data[name] for name in PROFILE_FIELDS if name in data}


class MemberPagination(ApiCursorPagination):
    ordering = "pk"


class MemberListView(ListAPIView):
    serializer_class = MemberSerializer
    pagination_class = MemberPagination

    def get_queryset(self) -> QuerySet[IssuerMember]:
        member = access_api_member(
            self.request, self.kwargs["issuer_slug"], scope=Scope.READ, capability=Capability.VIEW_CONSOLE
        )
        return IssuerMember.objects.filter(issuer=member.issuer).select_related("user").order_by("joined_at")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = [
            {
                "id": member.pk, "name": member.user.get_full_name() or member.user.get_username(),
                "email": member.user.email, "roles": sorted(member.roles), "joined_at": member.joined_at,
            }
            for member in page or []
        ]
        return self.get_paginated_response(MemberSerializer(rows, many=True).data)
