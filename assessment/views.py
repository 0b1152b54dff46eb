"""The issuer side: the assessment queue, assessing one application, assessment policies, direct awards.

Every view passes a gate from assessment.access first; the services decide everything else.
"""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment import assessing, awards, selectors
from assessment.access import (
    access_application_for_assessor,
    access_assessor_membership,
    access_award_batch_for_member,
    access_award_membership,
    access_published_achievement_of_issuer,
)
from assessment.award_progress import award_batch_snapshot, award_rows_shown
from assessment.csv_import import parse_recipients
from assessment.forms import (
    AssessmentForm,
    AwardListForm,
    AwardOneForm,
    PolicyForm,
    QueueFilterForm,
    add_refusal_to_form,
)
from assessment.models import Application, AwardBatch, Submission
from badges.models import Achievement
from issuers.access import access_membership_for_user
from issuers.models import Issuer, IssuerMember
from issuers.roles import Capability
from kernel.errors import ApplicationError
from kernel.users import AuthenticatedHttpRequest


def _posted(request: HttpRequest) -> dict | None:
    return request.POST if request.method == "POST" else None


@login_required
@require_GET
def queue(request: AuthenticatedHttpRequest, issuer_slug: str) -> HttpResponse:
    member = access_assessor_membership(request.user, issuer_slug)
    form = QueueFilterForm(request.GET or None, issuer=member.issuer)
    statuses: tuple[str, ...]
    achievement, statuses = None, Application.IN_ASSESSMENT
    if form.is_valid():
        achievement = form.cleaned_data["achievement"]
        if form.cleaned_data["status"]:
            statuses = (form.cleaned_data["status"],)
    applications = selectors.assessment_queue(issuer=member.issuer, achievement=achievement, statuses=statuses)
    context = {
        "member": member,
        "issuer": member.issuer,
        "form": form,
        "applications": applications[:500],
        "section": "assessments",
    }
    return render(request, "assessment/queue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def assess(request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member, application = access_application_for_assessor(request.user, issuer_slug, str(public_id))
    outcomes = list(application.achievement.learning_outcomes.prefetch_related("rubric_levels"))
    form = AssessmentForm(_posted(request), outcomes=outcomes)
    try:
        assessing.check_can_assess(application, request.user)
        refusal = None
    except ApplicationError as error:
        refusal = error
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            assessing.application_assess(
                application=application,
                assessor=request.user,
                decision=form.cleaned_data["decision"],
                scores=_scores(form),
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, _("Your assessment is saved and the learner has been told."))
            return redirect("assessment:queue", member.issuer.slug)
    elif request.method == "POST" and refusal is not None:
        form.is_valid()
        add_refusal_to_form(form, refusal)
    status = 400 if request.method == "POST" else 200
    return render(request, "assessment/assess.html", _assess_context(member, application, form, refusal), status=status)


def _scores(form: AssessmentForm) -> list[assessing.OutcomeScoreInput]:
    return [
        assessing.OutcomeScoreInput(
            outcome=outcome,
            level=form.cleaned_data[f"level-{outcome.pk}"],
            comment=form.cleaned_data[f"comment-{outcome.pk}"],
        )
        for outcome in form.outcomes
    ]


def _assess_context(
    member: IssuerMember, application: Application, form: AssessmentForm, refusal: ApplicationError | None
) -> dict:
    """The open round with the evidence as it was sent, each outcome's fields, and the earlier rounds."""
    submission = selectors.current_submission(application)
    evidence = list(application.evidence.filter(public_id__in=_snapshot_ids(submission)).select_related("outcome"))
    return {
        "member": member,
        "issuer": member.issuer,
        "application": application,
        "achievement": application.achievement,
        "submission": submission,
        "outcome_rows": [
            {"outcome": outcome, "level": level, "comment": comment,
             "evidence": [item for item in evidence if item.outcome_id == outcome.pk]}
            for outcome, level, comment in form.outcome_fields
        ],
        "form": form,
        "refusal": refusal,
        "history": selectors.application_history(application),
        "policy": selectors.policy_for(application.achievement),
        "section": "assessments",
    }


def _snapshot_ids(submission: Submission | None) -> list[str]:
    if submission is None:
        return []
    return [item["evidence"] for item in submission.evidence_snapshot]


@login_required
@require_http_methods(["GET", "POST"])
def policies(request: AuthenticatedHttpRequest, issuer_slug: str) -> HttpResponse:
    """Assessors and owners see the policies; only owners change them (the POST)."""
    changing = request.method == "POST"
    needed = Capability.SET_ASSESSMENT_POLICIES if changing else Capability.SEE_ASSESSMENT_POLICIES
    member = access_membership_for_user(request.user, issuer_slug, capability=needed)
    if changing:
        achievement = access_published_achievement_of_issuer(member, request.POST.get("achievement", ""))
        form = PolicyForm(request.POST)
        if form.is_valid():
            assessing.assessment_policy_set(
                achievement=achievement,
                by=request.user,
                second_approval_required=form.cleaned_data["second_approval_required"],
            )
            messages.success(request, _("Saved for %(achievement)s.") % {"achievement": achievement.name})
        return redirect("assessment:policies", member.issuer.slug)
    achievements = Achievement.objects.filter(issuer=member.issuer, status=Achievement.Status.PUBLISHED).select_related(
        "assessment_policy"
    )
    rows = [
        {"achievement": achievement, "required": getattr(getattr(achievement, "assessment_policy", None),
                                                          "second_approval_required", False)}
        for achievement in achievements
    ]
    return render(
        request,
        "assessment/policies.html",
        {"member": member, "issuer": member.issuer, "rows": rows, "section": "assessments"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_new(request: AuthenticatedHttpRequest, issuer_slug: str) -> HttpResponse:
    """Award to one person (issued at once) or upload a list (checked, then shown for confirmation)."""
    member = access_award_membership(request.user, issuer_slug)
    issuer = member.issuer
    which = request.POST.get("form") if request.method == "POST" else None
    one_form = AwardOneForm(request.POST if which == "one" else None, issuer=issuer)
    list_form = AwardListForm(
        request.POST if which == "list" else None, request.FILES if which == "list" else None, issuer=issuer
    )
    done: HttpResponse | None = None
    problems: list[str] = []
    if which == "one" and one_form.is_valid():
        done = _award_to_one(request, issuer, one_form)
    elif which == "list" and list_form.is_valid():
        done, problems = _award_list_prepare(request, issuer, list_form)
    if done is not None:
        return done
    context = {
        "member": member,
        "issuer": issuer,
        "one_form": one_form,
        "list_form": list_form,
        "problems": problems[:200],
        "more_problems": max(0, len(problems) - 200),
        "batches": AwardBatch.objects.filter(issuer=issuer).select_related("achievement")[:20],
        "section": "awards",
    }
    return render(request, "assessment/award_new.html", context, status=400 if which else 200)


def _award_to_one(request: AuthenticatedHttpRequest, issuer: Issuer, form: AwardOneForm) -> HttpResponse | None:
    """Issue at once; on a refusal, None with the reason on the form."""
    data = form.cleaned_data
    try:
        batch, _credential = awards.award_to_one(
            issuer=issuer, achievement=data["achievement"], by=request.user, email=data["email"], name=data["name"]
        )
    except ApplicationError as refusal:
        add_refusal_to_form(form, refusal)
        return None
    messages.success(request, _("The credential is being issued to %(email)s.") % {"email": data["email"]})
    return redirect("assessment:award-batch", issuer.slug, batch.public_id)


def _award_list_prepare(
    request: AuthenticatedHttpRequest, issuer: Issuer, form: AwardListForm
) -> tuple[HttpResponse | None, list[str]]:
    """The batch page to confirm on; else None with the reasons on the form, and the list's problems by line."""
    upload = form.cleaned_data["file"]
    parsed = parse_recipients(upload.read(1024 * 1024 + 1), max_rows=settings.AWARD_CSV_MAX_ROWS)
    if not parsed.valid:
        form.add_error("file", _("The list has problems; nothing has been issued. See below."))
        return None, parsed.problems
    try:
        batch = awards.award_batch_prepare(
            issuer=issuer,
            achievement=form.cleaned_data["achievement"],
            by=request.user,
            rows=parsed.rows,
            source_name=upload.name or "",
        )
    except ApplicationError as refusal:
        add_refusal_to_form(form, refusal)
        return None, []
    return redirect("assessment:award-batch", issuer.slug, batch.public_id), []


@login_required
@require_GET
def award_batch(request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member, batch = access_award_batch_for_member(request.user, issuer_slug, str(public_id))
    progress = award_batch_snapshot(batch=batch)
    context = {
        "member": member,
        "issuer": member.issuer,
        "batch": batch,
        "progress": progress,
        "shown": award_rows_shown(progress, page=request.GET.get("page"), show=request.GET.get("show")),
        "confirm_form": forms.Form(),
        "section": "awards",
    }
    return render(request, "assessment/award_batch.html", context)


@login_required
@require_POST
def award_batch_confirm(request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member, batch = access_award_batch_for_member(request.user, issuer_slug, str(public_id))
    try:
        awards.award_batch_confirm(batch=batch, by=request.user)
    except ApplicationError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Confirmed. The credentials are being issued."))
    return redirect("assessment:award-batch", member.issuer.slug, batch.public_id)


@login_required
@require_GET
def award_batch_progress(request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID) -> JsonResponse:
    """The summary and the rows of the page shown (same query string) from one snapshot, for
    static/js/live_progress.js (same gate as the page)."""
    _member, batch = access_award_batch_for_member(request.user, issuer_slug, str(public_id))
    progress = award_batch_snapshot(batch=batch)
    shown = award_rows_shown(progress, page=request.GET.get("page"), show=request.GET.get("show"))
    text = render_to_string("assessment/includes/award_progress.html", {"progress": progress}).strip()
    response = JsonResponse({
        **progress.summary(), "text": text, "rows": [row.as_json() for row in shown.page.object_list],
    })
    response["Cache-Control"] = "private, no-store"
    return response
