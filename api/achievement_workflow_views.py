"""The review workflow of a definition through the API: submit, review decisions, publish, new version.

The same services as the console's buttons, so the same refusals: an incomplete draft cannot be submitted,
its author can never approve it, only an approved definition is published, a published one never changes.
"""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.achievement_serializers import AchievementSerializer, ReviewDecisionSerializer, achievement_data
from api.achievement_views import achievement_location, api_achievement, posted_fields
from api.forms import form_validated
from api.idempotency import idempotent
from api.scopes import Scope
from badges.achievements.publishing import achievement_new_version, achievement_publish
from badges.achievements.review import (
    achievement_review_approve,
    achievement_review_request_changes,
    achievement_submit_for_review,
)
from badges.achievements.review_forms import ReviewForm
from issuers.roles import Capability

MANAGE = Scope.MANAGE_ACHIEVEMENTS


class AchievementSubmitView(APIView):
    @extend_schema(
        request=None, responses=AchievementSerializer, operation_id="achievements_submit",
        description="Send a draft to quality review. Refused (`not_publishable`, with what is missing in "
                    "`detail`) unless the scorecard is met.",
    )
    @idempotent
    def post(self, request: Request, issuer_slug: str, public_id: UUID) -> Response:
        member, achievement = api_achievement(
            request, issuer_slug, public_id, scope=MANAGE, capability=Capability.EDIT_ACHIEVEMENTS
        )
        achievement = achievement_submit_for_review(achievement=achievement, by=member.user)
        return Response(achievement_data(request, achievement))


class AchievementReviewView(APIView):
    @extend_schema(
        request=ReviewDecisionSerializer, responses=AchievementSerializer, operation_id="achievements_review",
        description="A quality reviewer's decision: `approve`, or `request_changes` with a comment (back to "
                    "draft). Whoever wrote or submitted the definition cannot approve it (`own_work`).",
    )
    @idempotent
    def post(self, request: Request, issuer_slug: str, public_id: UUID) -> Response:
        member, achievement = api_achievement(
            request, issuer_slug, public_id, scope=MANAGE, capability=Capability.REVIEW_ACHIEVEMENTS
        )
        form = form_validated(ReviewForm(posted_fields(request, ("decision", "comment"))))
        comment = form.cleaned_data["comment"].strip()
        if form.cleaned_data["decision"] == "approve":
            achievement = achievement_review_approve(achievement=achievement, by=member.user, comment=comment)
        else:
            achievement = achievement_review_request_changes(achievement=achievement, by=member.user, comment=comment)
        return Response(achievement_data(request, achievement))


class AchievementPublishView(APIView):
    @extend_schema(
        request=None, responses=AchievementSerializer, operation_id="achievements_publish",
        description="Publish an approved definition. It cannot be undone: the console asks for confirmation "
                    "first, and this explicit POST is that confirmation.",
    )
    @idempotent
    def post(self, request: Request, issuer_slug: str, public_id: UUID) -> Response:
        member, achievement = api_achievement(
            request, issuer_slug, public_id, scope=MANAGE, capability=Capability.PUBLISH_ACHIEVEMENTS
        )
        achievement = achievement_publish(achievement=achievement, by=member.user)
        return Response(achievement_data(request, achievement))


class AchievementNewVersionView(APIView):
    @extend_schema(
        request=None, responses={201: AchievementSerializer}, operation_id="achievements_new_version",
        description="Start the next version of a published definition: a draft copy, version + 1 (`Location`). "
                    "The published version stays as it is.",
    )
    @idempotent
    def post(self, request: Request, issuer_slug: str, public_id: UUID) -> Response:
        member, achievement = api_achievement(
            request, issuer_slug, public_id, scope=MANAGE, capability=Capability.EDIT_ACHIEVEMENTS
        )
        copy = achievement_new_version(achievement=achievement, by=member.user)
        return Response(achievement_data(request, copy), status=201, headers={"Location": achievement_location(copy)})
