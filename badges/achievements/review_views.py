"""The quality review in the console: the queue, a reviewer's decision, external reviews, publishing."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from badges.achievements import publishing
from badges.achievements.console_support import (
    Status,
    achievement_page_context,
    console_achievement,
    console_member,
    posted,
    refused,
    scorecard_for,
    with_outcomes,
)
from badges.achievements.review import (
    achievement_external_review_record,
    achievement_review_approve,
    achievement_review_request_changes,
)
from badges.achievements.review_forms import ExternalReviewForm, ReviewForm
from badges.models import Achievement
from issuers.roles import Capability
from kernel.errors import ApplicationError
from kernel.users import AuthenticatedHttpRequest


@login_required
@require_GET
def review_queue(request: AuthenticatedHttpRequest, issuer_slug: str) -> HttpResponse:
    member = console_member(request, issuer_slug, Capability.SEE_REVIEW_QUEUE)
    waiting = Achievement.objects.filter(issuer=member.issuer, status__in=[Status.IN_REVIEW, Status.APPROVED])
    context = achievement_page_context(
        member,
        in_review=[a for a in waiting.select_related("submitted_by") if a.status == Status.IN_REVIEW],
        approved=[a for a in waiting if a.status == Status.APPROVED],
        section="review",
    )
    return render(request, "badges/achievements/review_queue.html", context)


# --- quality review --------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def achievement_review(request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member, achievement = console_achievement(request, issuer_slug, public_id, Capability.REVIEW_ACHIEVEMENTS)
    form = ReviewForm(posted(request))
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"].strip()
        try:
            if form.cleaned_data["decision"] == "approve":
                achievement_review_approve(achievement=achievement, by=request.user, comment=comment)
                messages.success(request, _("Approved. It can now be published."))
            else:
                achievement_review_request_changes(achievement=achievement, by=request.user, comment=comment)
                messages.success(request, _("Sent back to the author with your comment."))
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("achievements_console:detail", issuer_slug, public_id)
    achievement = with_outcomes(achievement)
    context = achievement_page_context(
        member,
        achievement,
        form=form,
        scorecard=scorecard_for(achievement),
        is_author=request.user.pk in {achievement.created_by_id, achievement.submitted_by_id},
        section="review",
    )
    return render(request, "badges/achievements/review.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def external_review_new(request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member, achievement = console_achievement(request, issuer_slug, public_id, Capability.RECORD_EXTERNAL_REVIEWS)
    form = ExternalReviewForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            achievement_external_review_record(achievement=achievement, by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The external review is recorded."))
            return redirect("achievements_console:detail", issuer_slug, public_id)
    context = achievement_page_context(member, achievement, form=form)
    return render(request, "badges/achievements/external_review.html", context)


# Publishing cannot be undone, so the POST must come from the confirmation page: its button carries this.
PUBLISH_CONFIRMATION = ("confirm", "publish")


@login_required
@require_http_methods(["GET", "POST"])
def achievement_publish(request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    """GET: what publishing means and that it cannot be undone; POST from that page: publish."""
    member, achievement = console_achievement(request, issuer_slug, public_id, Capability.PUBLISH_ACHIEVEMENTS)
    if request.method == "GET":
        context = achievement_page_context(member, achievement, confirmation=PUBLISH_CONFIRMATION, section="review")
        return render(request, "badges/achievements/publish_confirm.html", context)
    field, value = PUBLISH_CONFIRMATION
    if request.POST.get(field) != value:
        messages.error(request, _("Nothing was published. Confirm on this page that you want to publish it."))
        return redirect("achievements_console:publish", issuer_slug, public_id)
    try:
        publishing.achievement_publish(achievement=achievement, by=request.user)
    except ApplicationError as error:
        refused(request, error)
    else:
        messages.success(request, _("Published. Anyone can now see it, and it can be awarded."))
    return redirect("achievements_console:detail", issuer_slug, public_id)
