"""The micro-credential designer: drafting a definition, its scorecard, submitting it for review,
starting a new version, and its texts in the second language."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

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
from badges.achievements.definition_forms import AchievementCreateForm, AchievementForm
from badges.achievements.drafting import (
    achievement_create,
    achievement_image_generate,
    achievement_image_set,
    achievement_update,
)
from badges.achievements.editions import LANGUAGES, translation_of
from badges.achievements.queue_notices import members_who_can
from badges.achievements.review import achievement_submit_for_review
from badges.achievements.translation_forms import TranslationForm
from badges.achievements.translations import achievement_translation_remove, achievement_translation_save
from badges.models import Achievement
from issuers.models import IssuerMember
from issuers.roles import Capability
from kernel.errors import ApplicationError
from kernel.users import AuthenticatedHttpRequest


# --- lists -----------------------------------------------------------------------------------------------
@login_required
@require_GET
def achievement_list(request: AuthenticatedHttpRequest, issuer_slug: str) -> HttpResponse:
    member = console_member(request, issuer_slug, Capability.VIEW_ACHIEVEMENTS)
    achievements = (
        Achievement.objects.filter(issuer=member.issuer)
        .select_related("previous_version")
        .order_by("name", "-version")
    )
    groups = [(value, label, [a for a in achievements if a.status == value]) for value, label in Status.choices]
    return render(request, "badges/achievements/achievement_list.html", achievement_page_context(member, groups=groups))


# --- the designer ----------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def achievement_new(request: AuthenticatedHttpRequest, issuer_slug: str) -> HttpResponse:
    member = console_member(request, issuer_slug, Capability.EDIT_ACHIEVEMENTS)
    form = AchievementCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        achievement = achievement_create(issuer=member.issuer, created_by=request.user, **form.cleaned_data)
        messages.success(request, _("The draft is saved. Now fill in the rest of the definition."))
        return redirect("achievements_console:edit", member.issuer.slug, achievement.public_id)
    return render(request, "badges/achievements/achievement_new.html", achievement_page_context(member, form=form))


@login_required
@require_GET
def achievement_detail(request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member, achievement = console_achievement(request, issuer_slug, public_id, Capability.VIEW_ACHIEVEMENTS)
    achievement = with_outcomes(achievement)
    context = achievement_page_context(
        member,
        achievement,
        scorecard=scorecard_for(achievement),
        audit_events=achievement.audit_events.select_related("actor"),
        external_reviews=achievement.external_reviews.all(),
        next_version=achievement.next_versions.first(),
        is_author=request.user.pk in {achievement.created_by_id, achievement.submitted_by_id},
        publishers=_publishers(achievement),
    )
    return render(request, "badges/achievements/achievement_detail.html", context)


def _publishers(achievement: Achievement) -> list[IssuerMember]:
    """Who may publish it, for a definition on its way there (the designer then knows whom to ask)."""
    if achievement.status not in {Status.IN_REVIEW, Status.APPROVED}:
        return []
    return members_who_can(achievement, Capability.PUBLISH_ACHIEVEMENTS)


def _save_definition(request: AuthenticatedHttpRequest, form: AchievementForm, achievement: Achievement) -> Achievement:
    changes = form.definition_changes()
    if changes:
        achievement = achievement_update(achievement=achievement, by=request.user, changes=changes)
    if form.badge_image is not None:
        achievement = achievement_image_set(achievement=achievement, by=request.user, image=form.badge_image)
        if form.badge_image.removed:
            messages.warning(
                request,
                _("We removed parts of the SVG image that are not allowed in a badge (%(parts)s). "
                  "Check that the image still looks right.") % {"parts": ", ".join(form.badge_image.removed)},
            )
    elif form.cleaned_data.get("use_generated_image"):
        achievement = achievement_image_generate(achievement=achievement, by=request.user)
    return achievement


@login_required
@require_http_methods(["GET", "POST"])
def achievement_edit(request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member, achievement = console_achievement(request, issuer_slug, public_id, Capability.EDIT_ACHIEVEMENTS)
    if achievement.status != Status.DRAFT:
        messages.info(request, _("Only drafts can be changed. This one is %(status)s.")
                      % {"status": achievement.get_status_display()})
        return redirect("achievements_console:detail", issuer_slug, public_id)
    form = AchievementForm(posted(request), request.FILES or None, instance=achievement)
    if request.method == "POST" and form.is_valid():
        try:
            _save_definition(request, form, achievement)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your changes are saved."))
            if request.POST.get("then") == "add-outcome":
                return redirect("achievements_console:outcome-new", issuer_slug, public_id)
            return redirect("achievements_console:edit", issuer_slug, public_id)
    saved = with_outcomes(achievement)
    context = achievement_page_context(
        member, saved, form=form, outcomes=saved.learning_outcomes.all(), scorecard=scorecard_for(saved), live=False,
        translations=_translation_links(saved),
    )
    return render(request, "badges/achievements/achievement_edit.html", context)


def _translation_links(achievement: Achievement) -> list[dict]:
    """The languages a draft can be translated into, and whether it already is."""
    return [
        {
            "language": language,
            "label": Achievement.Language(language).label,
            "exists": translation_of(achievement, language) is not None,
        }
        for language in LANGUAGES
        if language != achievement.in_language
    ]


@login_required
@require_POST
def achievement_scorecard(request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    """The scorecard for the form as it is now, without saving anything (scorecard.js asks for it)."""
    member, achievement = console_achievement(request, issuer_slug, public_id, Capability.EDIT_ACHIEVEMENTS)
    achievement = with_outcomes(achievement)
    form = AchievementForm(request.POST, instance=achievement)
    form.is_valid()  # fills the in-memory instance with every valid field; it is never saved here
    context = achievement_page_context(member, achievement, scorecard=scorecard_for(form.instance), live=True)
    return render(request, "badges/achievements/_scorecard.html", context)


@login_required
@require_POST
def achievement_submit(request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    __, achievement = console_achievement(request, issuer_slug, public_id, Capability.EDIT_ACHIEVEMENTS)
    try:
        achievement_submit_for_review(achievement=achievement, by=request.user)
    except ApplicationError as error:
        refused(request, error)
        return redirect("achievements_console:edit", issuer_slug, public_id)
    messages.success(request, _("Sent for quality review. A quality reviewer will look at it."))
    return redirect("achievements_console:detail", issuer_slug, public_id)


@login_required
@require_POST
def achievement_new_version(request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    __, achievement = console_achievement(request, issuer_slug, public_id, Capability.EDIT_ACHIEVEMENTS)
    try:
        copy = publishing.achievement_new_version(achievement=achievement, by=request.user)
    except ApplicationError as error:
        refused(request, error)
        return redirect("achievements_console:detail", issuer_slug, public_id)
    messages.success(request, _("Version %(version)s is a new draft. The published version stays as it is.")
                     % {"version": copy.version})
    return redirect("achievements_console:edit", issuer_slug, copy.public_id)


# --- the second language -------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def achievement_translation(
    request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID, language: str
) -> HttpResponse:
    """The draft's texts in its other language: a page per language, next to the primary texts."""
    member, achievement = console_achievement(request, issuer_slug, public_id, Capability.EDIT_ACHIEVEMENTS)
    if language not in LANGUAGES or language == achievement.in_language:
        raise Http404
    if achievement.status != Status.DRAFT:
        messages.info(request, _("Only drafts can be changed. This one is %(status)s.")
                      % {"status": achievement.get_status_display()})
        return redirect("achievements_console:detail", issuer_slug, public_id)
    achievement = with_outcomes(achievement)
    label = Achievement.Language(language).label
    if request.method == "POST" and request.POST.get("action") == "remove":
        try:
            achievement_translation_remove(achievement=achievement, by=request.user, language=language)
        except ApplicationError as error:
            refused(request, error)
        else:
            messages.success(request, _("The texts in %(language)s are removed.") % {"language": label})
        return redirect("achievements_console:edit", issuer_slug, public_id)
    form = TranslationForm(posted(request), achievement=achievement, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            achievement_translation_save(
                achievement=achievement, by=request.user, language=language, outcomes=form.outcomes(), **form.texts()
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The texts in %(language)s are saved.") % {"language": label})
            return redirect("achievements_console:translation", issuer_slug, public_id, language)
    context = achievement_page_context(
        member, achievement, form=form, language=language, language_label=label,
        exists=translation_of(achievement, language) is not None,
    )
    return render(request, "badges/achievements/translation_form.html", context)
