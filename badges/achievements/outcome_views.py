"""A draft's learning outcomes in the designer: adding, changing, removing and ordering them."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from badges.achievements.access import access_outcome_of_achievement
from badges.achievements.console_support import (
    Status,
    achievement_page_context,
    console_achievement,
    edit_url,
    posted,
    refused,
)
from badges.achievements.outcome_forms import OutcomeForm, rubric_formset
from badges.achievements.outcomes import (
    achievement_outcome_add,
    achievement_outcome_move,
    achievement_outcome_remove,
    achievement_outcome_update,
)
from badges.models import Achievement, LearningOutcome
from issuers.models import IssuerMember
from issuers.roles import Capability
from kernel.errors import ApplicationError
from kernel.users import AuthenticatedHttpRequest


# --- learning outcomes -----------------------------------------------------------------------------------
def _outcome_page(
    request: AuthenticatedHttpRequest, member: IssuerMember, achievement: Achievement, outcome: LearningOutcome | None
) -> HttpResponse:
    if achievement.status != Status.DRAFT:
        messages.info(request, _("Only drafts can be changed."))
        return redirect("achievements_console:detail", member.issuer.slug, achievement.public_id)
    form = OutcomeForm(posted(request), instance=outcome)
    levels = rubric_formset(posted(request), levels=list(outcome.rubric_levels.all()) if outcome else None)
    if request.method == "POST" and form.is_valid() and levels.is_valid():
        fields = {name: form.cleaned_data[name] for name in OutcomeForm.Meta.fields}
        try:
            if outcome is None:
                achievement_outcome_add(
                    achievement=achievement, by=request.user, rubric_levels=levels.levels(), **fields
                )
            else:
                achievement_outcome_update(
                    outcome=outcome, by=request.user, rubric_levels=levels.levels(), **fields
                )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The learning outcome is saved."))
            if request.POST.get("then") == "add-outcome":
                return redirect("achievements_console:outcome-new", member.issuer.slug, achievement.public_id)
            return redirect(f"{edit_url(member, achievement)}#outcomes")
    context = achievement_page_context(member, achievement, form=form, levels=levels, outcome=outcome)
    return render(request, "badges/achievements/outcome_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def outcome_new(request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member, achievement = console_achievement(request, issuer_slug, public_id, Capability.EDIT_ACHIEVEMENTS)
    return _outcome_page(request, member, achievement, None)


@login_required
@require_http_methods(["GET", "POST"])
def outcome_edit(
    request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID, outcome_id: UUID
) -> HttpResponse:
    member, achievement = console_achievement(request, issuer_slug, public_id, Capability.EDIT_ACHIEVEMENTS)
    outcome = access_outcome_of_achievement(achievement, str(outcome_id))
    return _outcome_page(request, member, achievement, outcome)


@login_required
@require_http_methods(["GET", "POST"])
def outcome_remove(
    request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID, outcome_id: UUID
) -> HttpResponse:
    member, achievement = console_achievement(request, issuer_slug, public_id, Capability.EDIT_ACHIEVEMENTS)
    outcome = access_outcome_of_achievement(achievement, str(outcome_id))
    if request.method == "POST":
        try:
            achievement_outcome_remove(outcome=outcome, by=request.user)
        except ApplicationError as error:
            refused(request, error)
        else:
            messages.success(request, _("The learning outcome is removed."))
        return redirect(f"{edit_url(member, achievement)}#outcomes")
    context = achievement_page_context(member, achievement, outcome=outcome)
    return render(request, "badges/achievements/outcome_remove.html", context)


@login_required
@require_POST
def outcome_move(
    request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID, outcome_id: UUID
) -> HttpResponse:
    member, achievement = console_achievement(request, issuer_slug, public_id, Capability.EDIT_ACHIEVEMENTS)
    outcome = access_outcome_of_achievement(achievement, str(outcome_id))
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        return HttpResponse(_("Say whether to move it up or down."), status=400)
    try:
        achievement_outcome_move(outcome=outcome, by=request.user, offset=offset)
    except ApplicationError as error:
        refused(request, error)
    return redirect(f"{edit_url(member, achievement)}#outcome-{outcome.public_id}")
