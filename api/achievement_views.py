"""/api/v1/issuers/<slug>/achievements/: micro-credential definitions, their drafts and badge images.

Thin callers of badges.achievements (drafting, workflow), with input checked by the designer's own forms:
the API follows the same rules as the console and refuses with the same codes. Outcomes and translations
are in api.achievement_content_views, the review workflow in api.achievement_workflow_views.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.access import access_api_member
from api.achievement_serializers import (
    DEFINITION_FIELDS,
    AchievementCreateSerializer,
    AchievementDefinitionSerializer,
    AchievementImageResultSerializer,
    AchievementImageSerializer,
    AchievementSerializer,
    AchievementSummarySerializer,
    achievement_data,
    achievement_summary_data,
    file_url,
)
from api.etags import response_with_etag
from api.forms import form_validated
from api.idempotency import idempotent
from api.pagination import ApiCursorPagination
from api.scopes import Scope
from badges.achievements.definition_forms import AchievementCreateForm, AchievementForm
from badges.achievements.drafting import (
    achievement_create,
    achievement_image_generate,
    achievement_image_set,
    achievement_update,
)
from badges.achievements.workflow import achievement_check_editable
from badges.models import Achievement
from issuers.models import IssuerMember
from issuers.roles import Capability
from kernel.lookups import first_or_404

# Sent one value per form field in a multipart body; JSON sends them as arrays.
LIST_FIELDS = ("assessment_types", "qa_types")


def api_achievement(
    request: Request, issuer_slug: str, public_id: UUID, *, scope: Scope, capability: Capability
) -> tuple[IssuerMember, Achievement]:
    """The member, and the achievement of their issuer with this id (404 for any other issuer's)."""
    member = access_api_member(request, issuer_slug, scope=scope, capability=capability)
    achievement = first_or_404(Achievement.objects.filter(issuer=member.issuer), public_id=public_id)
    return member, achievement


def achievement_location(achievement: Achievement) -> str:
    return reverse("api:achievement", args=[achievement.issuer.slug, achievement.public_id])


def posted_fields(request: Request, names: tuple[str, ...], *, refuse_others: bool = True) -> dict[str, Any]:
    """The fields of `names` the client sent; a field it may not send here is a 400, not silently dropped."""
    data: Any = request.data
    if refuse_others:
        unknown = sorted(set(data) - set(names))
        if unknown:
            raise ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})
    sent: dict[str, Any] = {}
    for name in names:
        if name in data:
            many = name in LIST_FIELDS and hasattr(data, "getlist")
            sent[name] = data.getlist(name) if many else data[name]
    if isinstance(sent.get("occupation_uris"), list):
        sent["occupation_uris"] = "\n".join(str(uri) for uri in sent["occupation_uris"])
    return sent


def definition_form_data(achievement: Achievement) -> dict[str, Any]:
    """The designer form's data for the achievement as it is: what a PATCH starts from."""
    unbound = AchievementForm(instance=achievement)
    return {name: unbound.initial.get(name) for name in DEFINITION_FIELDS}


# --- the list and a new draft ----------------------------------------------------------------------------
class AchievementPagination(ApiCursorPagination):
    ordering = "-created_at"


FILTERS = [
    OpenApiParameter("status", str, enum=Achievement.Status.values, description="Only achievements in this status."),
    OpenApiParameter("language", str, enum=Achievement.Language.values, description="Only those written in it."),
]


class AchievementListView(ListAPIView):
    serializer_class = AchievementSummarySerializer
    pagination_class = AchievementPagination

    def get_queryset(self) -> QuerySet[Achievement]:
        member = access_api_member(
            self.request, self.kwargs["issuer_slug"], scope=Scope.READ, capability=Capability.VIEW_ACHIEVEMENTS
        )
        found = Achievement.objects.filter(issuer=member.issuer)
        wrong = {}
        for parameter, field, allowed in (
            ("status", "status", Achievement.Status.values), ("language", "in_language", Achievement.Language.values),
        ):
            value = self.request.query_params.get(parameter)
            if value is None:
                continue
            if value not in allowed:
                wrong[parameter] = [_("Choose one of: %(values)s.") % {"values": ", ".join(allowed)}]
            found = found.filter(**{field: value})
        if wrong:
            raise ValidationError(wrong)
        return found

    @extend_schema(parameters=FILTERS, operation_id="achievements_list",
                   description="The issuer's micro-credential definitions, newest first, in cursor pages.")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        rows = AchievementSummarySerializer([achievement_summary_data(request, a) for a in page], many=True).data
        return response_with_etag(request, self.get_paginated_response(rows).data)

    @extend_schema(
        request=AchievementCreateSerializer, responses={201: AchievementSerializer}, operation_id="achievements_create",
        description="Start a draft (as the console's “New micro-credential”); fill in the rest with PATCH.",
    )
    @idempotent
    def post(self, request: Request, issuer_slug: str) -> Response:
        member = access_api_member(
            request, issuer_slug, scope=Scope.MANAGE_ACHIEVEMENTS, capability=Capability.EDIT_ACHIEVEMENTS
        )
        fresh = Achievement()  # what the model gives a new one, for the two fields an integrator may leave out
        defaults = {"in_language": fresh.in_language, "colour": fresh.colour}
        sent = posted_fields(request, tuple(AchievementCreateForm.Meta.fields))
        form = form_validated(AchievementCreateForm({**defaults, **sent}))
        achievement = achievement_create(issuer=member.issuer, created_by=member.user, **form.cleaned_data)
        return Response(
            achievement_data(request, achievement), status=201, headers={"Location": achievement_location(achievement)}
        )


# --- one achievement ------------------------------------------------------------------------------------
class AchievementView(APIView):
    @extend_schema(responses=AchievementSerializer, operation_id="achievements_read",
                   description="The definition with its EU elements, outcomes, translations and scorecard.")
    def get(self, request: Request, issuer_slug: str, public_id: UUID) -> Response:
        __, achievement = api_achievement(
            request, issuer_slug, public_id, scope=Scope.READ, capability=Capability.VIEW_ACHIEVEMENTS
        )
        return response_with_etag(request, achievement_data(request, achievement))

    @extend_schema(
        request=AchievementDefinitionSerializer, responses=AchievementSerializer, operation_id="achievements_update",
        description="Change fields of a draft; fields not sent keep their values. Only drafts change.",
    )
    @idempotent
    def patch(self, request: Request, issuer_slug: str, public_id: UUID) -> Response:
        member, achievement = api_achievement(
            request, issuer_slug, public_id, scope=Scope.MANAGE_ACHIEVEMENTS, capability=Capability.EDIT_ACHIEVEMENTS
        )
        achievement_check_editable(achievement)
        data = {**definition_form_data(achievement), **posted_fields(request, DEFINITION_FIELDS)}
        form = form_validated(AchievementForm(data, instance=achievement))
        changes = form.definition_changes()
        if changes:
            achievement = achievement_update(achievement=achievement, by=member.user, changes=changes)
        return Response(achievement_data(request, achievement))


class AchievementImageView(APIView):
    @extend_schema(
        request={"multipart/form-data": AchievementImageSerializer, "application/json": AchievementImageSerializer},
        responses=AchievementImageResultSerializer, operation_id="achievements_image_set",
        description="A draft's badge image: upload a PNG or SVG (multipart `image_upload`, checked and sanitised "
                    "as in the designer), or `use_generated_image` to draw it from the title and colour.",
    )
    @idempotent
    def post(self, request: Request, issuer_slug: str, public_id: UUID) -> Response:
        member, achievement = api_achievement(
            request, issuer_slug, public_id, scope=Scope.MANAGE_ACHIEVEMENTS, capability=Capability.EDIT_ACHIEVEMENTS
        )
        achievement_check_editable(achievement)
        posted = posted_fields(request, ("image_upload", "use_generated_image"))
        data = {**definition_form_data(achievement), "use_generated_image": posted.get("use_generated_image", False)}
        upload = request.FILES.get("image_upload")
        form = form_validated(AchievementForm(data, {"image_upload": upload} if upload else None, instance=achievement))
        removed: tuple[str, ...] = ()
        if form.badge_image is not None:
            achievement = achievement_image_set(achievement=achievement, by=member.user, image=form.badge_image)
            removed = form.badge_image.removed
        elif form.cleaned_data.get("use_generated_image"):
            achievement = achievement_image_generate(achievement=achievement, by=member.user)
        else:
            nothing = _("Upload a PNG or an SVG image, or ask for the generated badge.")
            raise ValidationError({"image_upload": [nothing]})
        result = {
            "image": file_url(request, achievement.image), "image_svg": file_url(request, achievement.image_svg),
            "image_alt": achievement.image_alt, "svg_parts_removed": list(removed),
        }
        return Response(dict(AchievementImageResultSerializer(result).data))

