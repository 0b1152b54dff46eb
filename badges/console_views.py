"""The micro-credential designer and the quality review in the issuer console.

Every view passes the gates first (issuers.access / badges.access), then calls one service. Roles:
owners and designers write drafts; quality reviewers approve or send back; owners and quality
reviewers publish and record external reviews; every member may look.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from badges import achievement_services as workflow
from badges import designer_services as designer
from badges.access import access_achievement_for_member, access_outcome_of_achievement
from badges.editions import LANGUAGES, translation_of
from badges.errors import ApplicationError
from badges.forms import (
    AchievementCreateForm,
    AchievementForm,
    ExternalReviewForm,
    OutcomeForm,
    ReviewForm,
    TranslationForm,
    rubric_formset,
)
from badges.models import Achievement, LearningOutcome
from badges.scorecard_text import scorecard_view
from badges.services import achievement_create
from issuers.access import access_membership_for_user
from issuers.models import IssuerMember, Role

EDITORS = (Role.OWNER, Role.DESIGNER)
PUBLISHERS = (Role.OWNER, Role.QA_REVIEWER)
Status = Achievement.Status


# --- gates -----------------------------------------------------------------------------------------------
def _require_role(member: IssuerMember, roles: tuple[str, ...]) -> None:
    if roles and not any(member.has_role(role) for role in roles):
        raise PermissionDenied


def _member(request: HttpRequest, issuer_slug: str, roles: tuple[str, ...] = ()) -> IssuerMember:
    member = access_membership_for_user(request.user, issuer_slug)
    _require_role(member, roles)
    return member


def _achievement(
    request: HttpRequest, issuer_slug: str, public_id: UUID, roles: tuple[str, ...] = ()
) -> tuple[IssuerMember, Achievement]:
    """The member and the achievement, which must belong to the issuer named in the address."""
    member = access_membership_for_user(request.user, issuer_slug)
    achievement = access_achievement_for_member(request.user, str(public_id))
    if achievement.issuer_id != member.issuer_id:
        raise Http404
    _require_role(member, roles)
    return member, achievement


def _posted(request: HttpRequest) -> dict | None:
    return request.POST if request.method == "POST" else None


def _context(member: IssuerMember, achievement: Achievement | None = None, **extra: object) -> dict:
    return {
        "member": member,
        "issuer": member.issuer,
        "achievement": achievement,
        "section": "achievements",
        "can_edit": any(member.has_role(role) for role in EDITORS),
        "can_publish": any(member.has_role(role) for role in PUBLISHERS),
        "is_qa_reviewer": member.is_qa_reviewer,
        **extra,
    }


def _with_outcomes(achievement: Achievement) -> Achievement:
    return (
        Achievement.objects.select_related("issuer", "previous_version", "created_by", "submitted_by")
        .prefetch_related(
            Prefetch("learning_outcomes", LearningOutcome.objects.prefetch_related("rubric_levels")),
        )
        .get(pk=achievement.pk)
    )


def _refused(request: HttpRequest, error: ApplicationError) -> None:
    messages.error(request, " ".join([error.message, *error.details]))


def _scorecard(achievement: Achievement) -> object:
    return scorecard_view(workflow.achievement_scorecard(achievement=achievement))


# --- lists -----------------------------------------------------------------------------------------------
@login_required
@require_GET
def achievement_list(request: HttpRequest, issuer_slug: str) -> HttpResponse:
    member = _member(request, issuer_slug, (*EDITORS, Role.QA_REVIEWER))
    achievements = (
        Achievement.objects.filter(issuer=member.issuer)
        .select_related("previous_version")
        .order_by("name", "-version")
    )
    groups = [(value, label, [a for a in achievements if a.status == value]) for value, label in Status.choices]
    return render(request, "badges/console/achievement_list.html", _context(member, groups=groups))


@login_required
@require_GET
def review_queue(request: HttpRequest, issuer_slug: str) -> HttpResponse:
    member = _member(request, issuer_slug, PUBLISHERS)
    waiting = Achievement.objects.filter(issuer=member.issuer, status__in=[Status.IN_REVIEW, Status.APPROVED])
    context = _context(
        member,
        in_review=[a for a in waiting.select_related("submitted_by") if a.status == Status.IN_REVIEW],
        approved=[a for a in waiting if a.status == Status.APPROVED],
        section="review",
    )
    return render(request, "badges/console/review_queue.html", context)


# --- the designer ----------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def achievement_new(request: HttpRequest, issuer_slug: str) -> HttpResponse:
    member = _member(request, issuer_slug, EDITORS)
    form = AchievementCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        achievement = achievement_create(issuer=member.issuer, created_by=request.user, **form.cleaned_data)
        messages.success(request, _("The draft is saved. Now fill in the rest of the definition."))
        return redirect("badges_console:edit", member.issuer.slug, achievement.public_id)
    return render(request, "badges/console/achievement_new.html", _context(member, form=form))


@login_required
@require_GET
def achievement_detail(request: HttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member, achievement = _achievement(request, issuer_slug, public_id, (*EDITORS, Role.QA_REVIEWER))
    achievement = _with_outcomes(achievement)
    context = _context(
        member,
        achievement,
        scorecard=_scorecard(achievement),
        audit_events=achievement.audit_events.select_related("actor"),
        external_reviews=achievement.external_reviews.all(),
        next_version=achievement.next_versions.first(),
        is_author=request.user.pk in {achievement.created_by_id, achievement.submitted_by_id},
    )
    return render(request, "badges/console/achievement_detail.html", context)


def _save_definition(request: HttpRequest, form: AchievementForm, achievement: Achievement) -> Achievement:
    changes = form.definition_changes()
    if changes:
        achievement = workflow.achievement_update(achievement=achievement, by=request.user, changes=changes)
    if form.badge_image is not None:
        achievement = designer.achievement_image_set(achievement=achievement, by=request.user, image=form.badge_image)
        if form.badge_image.removed:
            messages.warning(
                request,
                _("We removed parts of the SVG image that are not allowed in a badge (%(parts)s). "
                  "Check that the image still looks right.") % {"parts": ", ".join(form.badge_image.removed)},
            )
    elif form.cleaned_data.get("use_generated_image"):
        achievement = designer.achievement_image_generate(achievement=achievement, by=request.user)
    return achievement


@login_required
@require_http_methods(["GET", "POST"])
def achievement_edit(request: HttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member, achievement = _achievement(request, issuer_slug, public_id, EDITORS)
    if achievement.status != Status.DRAFT:
        messages.info(request, _("Only drafts can be changed. This one is %(status)s.")
                      % {"status": achievement.get_status_display()})
        return redirect("badges_console:detail", issuer_slug, public_id)
    form = AchievementForm(_posted(request), request.FILES or None, instance=achievement)
    if request.method == "POST" and form.is_valid():
        try:
            _save_definition(request, form, achievement)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your changes are saved."))
            if request.POST.get("then") == "add-outcome":
                return redirect("badges_console:outcome-new", issuer_slug, public_id)
            return redirect("badges_console:edit", issuer_slug, public_id)
    saved = _with_outcomes(achievement)
    context = _context(
        member, saved, form=form, outcomes=saved.learning_outcomes.all(), scorecard=_scorecard(saved), live=False,
        translations=_translation_links(saved),
    )
    return render(request, "badges/console/achievement_edit.html", context)


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
def achievement_scorecard(request: HttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    """The scorecard for the form as it is now, without saving anything (scorecard.js asks for it)."""
    member, achievement = _achievement(request, issuer_slug, public_id, EDITORS)
    achievement = _with_outcomes(achievement)
    form = AchievementForm(request.POST, instance=achievement)
    form.is_valid()  # fills the in-memory instance with every valid field; it is never saved here
    context = _context(member, achievement, scorecard=_scorecard(form.instance), live=True)
    return render(request, "badges/console/_scorecard.html", context)


@login_required
@require_POST
def achievement_submit(request: HttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    __, achievement = _achievement(request, issuer_slug, public_id, EDITORS)
    try:
        workflow.achievement_submit_for_review(achievement=achievement, by=request.user)
    except ApplicationError as error:
        _refused(request, error)
        return redirect("badges_console:edit", issuer_slug, public_id)
    messages.success(request, _("Sent for quality review. A quality reviewer will look at it."))
    return redirect("badges_console:detail", issuer_slug, public_id)


@login_required
@require_POST
def achievement_new_version(request: HttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    __, achievement = _achievement(request, issuer_slug, public_id, EDITORS)
    try:
        copy = workflow.achievement_new_version(achievement=achievement, by=request.user)
    except ApplicationError as error:
        _refused(request, error)
        return redirect("badges_console:detail", issuer_slug, public_id)
    messages.success(request, _("Version %(version)s is a new draft. The published version stays as it is.")
                     % {"version": copy.version})
    return redirect("badges_console:edit", issuer_slug, copy.public_id)


# --- learning outcomes -----------------------------------------------------------------------------------
def _outcome_page(
    request: HttpRequest, member: IssuerMember, achievement: Achievement, outcome: LearningOutcome | None
) -> HttpResponse:
    if achievement.status != Status.DRAFT:
        messages.info(request, _("Only drafts can be changed."))
        return redirect("badges_console:detail", member.issuer.slug, achievement.public_id)
    form = OutcomeForm(_posted(request), instance=outcome)
    levels = rubric_formset(_posted(request), levels=list(outcome.rubric_levels.all()) if outcome else None)
    if request.method == "POST" and form.is_valid() and levels.is_valid():
        fields = {name: form.cleaned_data[name] for name in OutcomeForm.Meta.fields}
        try:
            if outcome is None:
                workflow.achievement_outcome_add(
                    achievement=achievement, by=request.user, rubric_levels=levels.levels(), **fields
                )
            else:
                designer.achievement_outcome_update(
                    outcome=outcome, by=request.user, rubric_levels=levels.levels(), **fields
                )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The learning outcome is saved."))
            if request.POST.get("then") == "add-outcome":
                return redirect("badges_console:outcome-new", member.issuer.slug, achievement.public_id)
            return redirect(f"{_edit_url(member, achievement)}#outcomes")
    context = _context(member, achievement, form=form, levels=levels, outcome=outcome)
    return render(request, "badges/console/outcome_form.html", context)


def _edit_url(member: IssuerMember, achievement: Achievement) -> str:
    return reverse("badges_console:edit", args=[member.issuer.slug, achievement.public_id])


@login_required
@require_http_methods(["GET", "POST"])
def outcome_new(request: HttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member, achievement = _achievement(request, issuer_slug, public_id, EDITORS)
    return _outcome_page(request, member, achievement, None)


@login_required
@require_http_methods(["GET", "POST"])
def outcome_edit(request: HttpRequest, issuer_slug: str, public_id: UUID, outcome_id: UUID) -> HttpResponse:
    member, achievement = _achievement(request, issuer_slug, public_id, EDITORS)
    outcome = access_outcome_of_achievement(achievement, str(outcome_id))
    return _outcome_page(request, member, achievement, outcome)


@login_required
@require_http_methods(["GET", "POST"])
def outcome_remove(request: HttpRequest, issuer_slug: str, public_id: UUID, outcome_id: UUID) -> HttpResponse:
    member, achievement = _achievement(request, issuer_slug, public_id, EDITORS)
    outcome = access_outcome_of_achievement(achievement, str(outcome_id))
    if request.method == "POST":
        try:
            designer.achievement_outcome_remove(outcome=outcome, by=request.user)
        except ApplicationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The learning outcome is removed."))
        return redirect(f"{_edit_url(member, achievement)}#outcomes")
    return render(request, "badges/console/outcome_remove.html", _context(member, achievement, outcome=outcome))


@login_required
@require_POST
def outcome_move(request: HttpRequest, issuer_slug: str, public_id: UUID, outcome_id: UUID) -> HttpResponse:
    member, achievement = _achievement(request, issuer_slug, public_id, EDITORS)
    outcome = access_outcome_of_achievement(achievement, str(outcome_id))
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        return HttpResponse(_("Say whether to move it up or down."), status=400)
    try:
        designer.achievement_outcome_move(outcome=outcome, by=request.user, offset=offset)
    except ApplicationError as error:
        _refused(request, error)
    return redirect(f"{_edit_url(member, achievement)}#outcome-{outcome.public_id}")


# --- the second language -------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def achievement_translation(request: HttpRequest, issuer_slug: str, public_id: UUID, language: str) -> HttpResponse:
    """The draft's texts in its other language: a page per language, next to the primary texts."""
    member, achievement = _achievement(request, issuer_slug, public_id, EDITORS)
    if language not in LANGUAGES or language == achievement.in_language:
        raise Http404
    if achievement.status != Status.DRAFT:
        messages.info(request, _("Only drafts can be changed. This one is %(status)s.")
                      % {"status": achievement.get_status_display()})
        return redirect("badges_console:detail", issuer_slug, public_id)
    achievement = _with_outcomes(achievement)
    label = Achievement.Language(language).label
    if request.method == "POST" and request.POST.get("action") == "remove":
        try:
            designer.achievement_translation_remove(achievement=achievement, by=request.user, language=language)
        except ApplicationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The texts in %(language)s are removed.") % {"language": label})
        return redirect("badges_console:edit", issuer_slug, public_id)
    form = TranslationForm(_posted(request), achievement=achievement, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            designer.achievement_translation_save(
                achievement=achievement, by=request.user, language=language, outcomes=form.outcomes(), **form.texts()
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The texts in %(language)s are saved.") % {"language": label})
            return redirect("badges_console:translation", issuer_slug, public_id, language)
    context = _context(
        member, achievement, form=form, language=language, language_label=label,
        exists=translation_of(achievement, language) is not None,
    )
    return render(request, "badges/console/translation_form.html", context)


# --- quality review --------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def achievement_review(request: HttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member, achievement = _achievement(request, issuer_slug, public_id, (Role.QA_REVIEWER,))
    form = ReviewForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"].strip()
        try:
            if form.cleaned_data["decision"] == "approve":
                workflow.achievement_review_approve(achievement=achievement, by=request.user, comment=comment)
                messages.success(request, _("Approved. It can now be published."))
            else:
                workflow.achievement_review_request_changes(achievement=achievement, by=request.user, comment=comment)
                messages.success(request, _("Sent back to the author with your comment."))
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("badges_console:detail", issuer_slug, public_id)
    achievement = _with_outcomes(achievement)
    context = _context(
        member,
        achievement,
        form=form,
        scorecard=_scorecard(achievement),
        is_author=request.user.pk in {achievement.created_by_id, achievement.submitted_by_id},
        section="review",
    )
    return render(request, "badges/console/review.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def external_review_new(request: HttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member, achievement = _achievement(request, issuer_slug, public_id, PUBLISHERS)
    form = ExternalReviewForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            workflow.achievement_external_review_record(achievement=achievement, by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The external review is recorded."))
            return redirect("badges_console:detail", issuer_slug, public_id)
    return render(request, "badges/console/external_review.html", _context(member, achievement, form=form))


@login_required
@require_POST
def achievement_publish(request: HttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    __, achievement = _achievement(request, issuer_slug, public_id, PUBLISHERS)
    try:
        workflow.achievement_publish(achievement=achievement, by=request.user)
    except ApplicationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Published. Anyone can now see it, and it can be awarded."))
    return redirect("badges_console:detail", issuer_slug, public_id)
