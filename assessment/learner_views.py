"""The learner's side: applying with evidence, inviting a mentor, sending for assessment, reading feedback.

Every view passes a gate from assessment.access first; the services decide everything else.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment import applications, mentors, selectors
from assessment.access import (
    access_achievement_to_apply_for,
    access_application_for_learner,
    access_application_for_mentor,
    access_evidence_file_for_user,
    access_public_evidence,
)
from assessment.forms import CommentForm, EvidenceForm, MentorInviteForm, NameForm, add_refusal_to_form
from assessment.models import Application, Evidence, MentorInvitation
from assessment.responses import evidence_download
from badges.models import LearningOutcome
from kernel.errors import ApplicationError
from kernel.users import AuthenticatedHttpRequest


def _application_context(application: Application, *, evidence_forms: dict | None = None) -> dict:
    evidence = selectors.evidence_current(application)
    outcomes = []
    for outcome in application.achievement.learning_outcomes.prefetch_related("rubric_levels"):
        form = (evidence_forms or {}).get(outcome.pk) or EvidenceForm(outcome=outcome)
        mine = [item for item in evidence if item.outcome_id == outcome.pk]
        outcomes.append({"outcome": outcome, "evidence": mine, "form": form})
    return {
        "application": application,
        "achievement": application.achievement,
        "outcomes": outcomes,
        "history": selectors.application_history(application),
        "comments": application.mentor_comments.select_related("author"),
        "comment_form": CommentForm(),
    }


@login_required
@require_GET
def application_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    own = Application.objects.filter(learner=request.user).select_related("achievement__issuer")
    mentoring = Application.objects.filter(
        mentor_invitations__mentor=request.user,
        mentor_invitations__revoked_at__isnull=True,
        status__in=Application.EDITABLE,
    ).select_related("achievement", "learner").distinct()
    return render(
        request, "assessment/application_list.html", {"applications": own, "mentoring": mentoring}
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request: AuthenticatedHttpRequest, achievement_id: UUID) -> HttpResponse:
    achievement = access_achievement_to_apply_for(request.user, str(achievement_id))
    if request.method == "POST":
        application = applications.application_start(achievement=achievement, learner=request.user)
        return redirect("applications:detail", application.public_id)
    existing = selectors.application_open(achievement=achievement, learner=request.user)
    return render(
        request,
        "assessment/application_new.html",
        {"achievement": achievement, "existing": existing, "outcomes": achievement.learning_outcomes.all()},
    )


@login_required
@require_GET
def application_detail(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    application = access_application_for_learner(request.user, str(public_id))
    context = _application_context(application)
    context.update(
        name_form=NameForm(instance=application),
        mentor_form=MentorInviteForm(),
        invitations=application.mentor_invitations.filter(revoked_at__isnull=True),
        submit_form=forms.Form(),
    )
    return render(request, "assessment/application_detail.html", context)


def _render_detail(request: HttpRequest, application: Application, status: int = 400, **forms_: Any) -> HttpResponse:
    context = _application_context(application, evidence_forms=forms_.pop("evidence_forms", None))
    context.update(
        name_form=forms_.pop("name_form", None) or NameForm(instance=application),
        mentor_form=forms_.pop("mentor_form", None) or MentorInviteForm(),
        invitations=application.mentor_invitations.filter(revoked_at__isnull=True),
        submit_form=forms_.pop("submit_form", None) or forms.Form(),
    )
    if "comment_form" in forms_:
        context["comment_form"] = forms_.pop("comment_form")
    return render(request, "assessment/application_detail.html", context, status=status)


def _outcome_of(application: Application, outcome_id: UUID) -> LearningOutcome:
    outcome = application.achievement.learning_outcomes.filter(public_id=outcome_id).first()
    if outcome is None:
        raise Http404
    return outcome


@login_required
@require_POST
def evidence_add(request: AuthenticatedHttpRequest, public_id: UUID, outcome_id: UUID) -> HttpResponse:
    application = access_application_for_learner(request.user, str(public_id))
    outcome = _outcome_of(application, outcome_id)
    form = EvidenceForm(request.POST, request.FILES, outcome=outcome)
    if form.is_valid():
        try:
            applications.evidence_add(
                application=application,
                by=request.user,
                outcome=outcome,
                title=form.cleaned_data["title"],
                narrative=form.cleaned_data["narrative"],
                url=form.cleaned_data["url"],
                upload=form.cleaned_data["file"] or None,
                is_public=form.cleaned_data["is_public"],
            )
        except ApplicationError as refusal:
            add_refusal_to_form(form, refusal)
        else:
            messages.success(request, _("Evidence added."))
            detail = reverse("applications:detail", args=[application.public_id])
            return redirect(f"{detail}#outcome-{outcome.public_id}")
    return _render_detail(request, application, evidence_forms={outcome.pk: form})


def _evidence_of(application: Application, evidence_id: UUID) -> Evidence:
    evidence = application.evidence.filter(public_id=evidence_id, removed_at__isnull=True).first()
    if evidence is None:
        raise Http404
    return evidence


@login_required
@require_POST
def evidence_visibility(request: AuthenticatedHttpRequest, public_id: UUID, evidence_id: UUID) -> HttpResponse:
    application = access_application_for_learner(request.user, str(public_id))
    evidence = _evidence_of(application, evidence_id)
    try:
        applications.evidence_set_public(
            evidence=evidence, by=request.user, is_public=request.POST.get("is_public") == "1"
        )
    except ApplicationError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Saved: “%(title)s” is now %(visibility)s.") % {
            "title": evidence.title,
            "visibility": _("public") if evidence.is_public else _("private"),
        })
    return redirect("applications:detail", application.public_id)


@login_required
@require_POST
def evidence_remove(request: AuthenticatedHttpRequest, public_id: UUID, evidence_id: UUID) -> HttpResponse:
    application = access_application_for_learner(request.user, str(public_id))
    evidence = _evidence_of(application, evidence_id)
    try:
        applications.evidence_remove(evidence=evidence, by=request.user)
    except ApplicationError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Evidence removed."))
    return redirect("applications:detail", application.public_id)


@login_required
@require_POST
def application_name(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    application = access_application_for_learner(request.user, str(public_id))
    form = NameForm(request.POST, instance=Application.objects.get(pk=application.pk))
    if form.is_valid():
        try:
            applications.application_name_set(
                application=application,
                by=request.user,
                show_name=form.cleaned_data["show_name"],
                recipient_name=form.cleaned_data["recipient_name"],
            )
        except ApplicationError as refusal:
            add_refusal_to_form(form, refusal)
        else:
            messages.success(request, _("Saved."))
            return redirect("applications:detail", application.public_id)
    return _render_detail(request, application, name_form=form)


@login_required
@require_POST
def application_submit(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    application = access_application_for_learner(request.user, str(public_id))
    form = forms.Form(request.POST)
    try:
        applications.application_submit(application=application, by=request.user)
    except ApplicationError as refusal:
        form.is_valid()
        add_refusal_to_form(form, refusal)
        return _render_detail(request, application, submit_form=form)
    messages.success(request, _("Sent. We have e-mailed you a receipt; you will hear from the assessor."))
    return redirect("applications:detail", application.public_id)


@login_required
@require_POST
def mentor_invite(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    application = access_application_for_learner(request.user, str(public_id))
    form = MentorInviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = mentors.mentor_invite(
                application=application, by=request.user, email=form.cleaned_data["email"]
            )
        except ApplicationError as refusal:
            add_refusal_to_form(form, refusal)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("applications:detail", application.public_id)
    return _render_detail(request, application, mentor_form=form)


@login_required
@require_POST
def comment_add(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """The learner's own comments go to their page; a mentor's to the mentor page."""
    try:
        application = access_application_for_learner(request.user, str(public_id))
        target = "applications:detail"
    except Http404:
        application = access_application_for_mentor(request.user, str(public_id))
        target = "applications:mentor-view"
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            mentors.mentor_comment_add(application=application, by=request.user, body=form.cleaned_data["body"])
        except ApplicationError as refusal:
            add_refusal_to_form(form, refusal)
        else:
            messages.success(request, _("Comment saved."))
            return redirect(target, application.public_id)
    if target == "applications:detail":
        return _render_detail(request, application, comment_form=form)
    return _render_mentor(request, application, comment_form=form, status=400)


def _render_mentor(
    request: HttpRequest, application: Application, *, status: int = 200, **extra: object
) -> HttpResponse:
    context = _application_context(application)
    context.update(extra)
    return render(request, "assessment/mentor_view.html", context, status=status)


@login_required
@require_GET
def mentor_view(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    application = access_application_for_mentor(request.user, str(public_id))
    return _render_mentor(request, application)


# Unknown or used links look the same as nonexistent ones; the others tell the mentor what to do.
_REFUSAL_STATUS = {"invalid": 404, "expired": 410, "wrong_email": 403, "own_application": 403}


@login_required
@require_http_methods(["GET", "POST"])
def mentor_accept(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            application = mentors.mentor_invitation_accept(token=token, user=request.user)
            messages.success(request, _("You can now read and comment on the application."))
            return redirect("applications:mentor-view", application.public_id)
        invitation: MentorInvitation = mentors.mentor_invitation_check(token=token, user=request.user)
    except ApplicationError as refusal:
        return render(
            request, "assessment/mentor_refused.html", {"reason": refusal.message}, status=_REFUSAL_STATUS[refusal.code]
        )
    return render(request, "assessment/mentor_accept.html", {"invitation": invitation, "form": forms.Form()})


@login_required
@require_GET
def evidence_file(request: AuthenticatedHttpRequest, evidence_id: UUID) -> FileResponse:
    return evidence_download(access_evidence_file_for_user(request.user, str(evidence_id)))


@require_GET
def public_evidence(request: HttpRequest, share_id: UUID) -> HttpResponseBase:
    """Evidence a learner made public in a credential. Files download; other kinds have a small page."""
    evidence = access_public_evidence(str(share_id))
    if evidence.kind == Evidence.Kind.FILE:
        return evidence_download(evidence)
    if evidence.kind == Evidence.Kind.LINK:
        return redirect(evidence.url)
    return render(request, "assessment/public_evidence.html", {"evidence": evidence})
