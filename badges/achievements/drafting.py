"""Drafting a micro-credential definition: creating it, changing its fields and its badge image.

Learning outcomes (badges.achievements.outcomes) and the second language (…translations) are drafted
beside this; badges.achievements.workflow has the rules every change follows.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q

from badges.achievements import images
from badges.achievements.image_uploads import BadgeImage
from badges.achievements.workflow import Kind, achievement_audit_record, achievement_for_editing
from badges.models import Achievement, AchievementAuditEvent
from issuers.models import Issuer
from kernel.stored_files import stored_files_delete_unused

if TYPE_CHECKING:
    from kernel.users import User

# The definition fields a draft's editors may change; everything else moves only through the workflow.
EDITABLE_FIELDS = frozenset({
    "name", "description", "criteria_narrative", "in_language", "human_code", "field_of_study", "colour",
    "image_alt", "target_group", "standalone_value", "occupation_uris", "workload_hours", "credit_points",
    "credit_unit", "credit_unit_label", "eqf_level", "seqf_level", "level_not_applicable", "assessment_types",
    "participation_form", "supervision", "prerequisites", "validity_months", "qa_types", "qa_internal_process",
    "qa_external_process", "qa_responsible_body", "qa_responsible_body_url", "stackability", "counts_towards",
    "counts_towards_url",
    "expiry_reminder_days",  # not signed into credentials: only how long before expiry the holder is reminded
})


@transaction.atomic
def achievement_create(
    *,
    issuer: Issuer,
    name: str,
    description: str,
    criteria_narrative: str,
    image_png: bytes | None = None,
    image_alt: str = "",
    colour: str = "#1f5f8b",
    achievement_type: str = "MicroCredential",
    in_language: str = "sv",
    human_code: str = "",
    field_of_study: str = "",
    created_by: User | None = None,
) -> Achievement:
    """A new draft. It is published through the review workflow (badges.achievements.workflow)."""
    achievement = Achievement(
        issuer=issuer,
        name=name,
        description=description,
        criteria_narrative=criteria_narrative,
        image_alt=image_alt,
        colour=colour,
        achievement_type=achievement_type,
        in_language=in_language,
        human_code=human_code,
        field_of_study=field_of_study,
        created_by=created_by,
    )
    if image_png is not None:
        if not images.png_is_valid(image_png):
            raise ValueError("the achievement image must be a PNG")
        achievement.image.save(f"{achievement.public_id}.png", ContentFile(image_png), save=False)
    achievement.full_clean()
    achievement.save()
    achievement_images_ensure(achievement=achievement)
    achievement_audit_record(achievement=achievement, kind=AchievementAuditEvent.Kind.CREATED, actor=created_by)
    return achievement


def achievement_images_ensure(*, achievement: Achievement) -> None:
    """Give the achievement a PNG and an SVG to bake into: generated from name and colour if none was
    uploaded, or an SVG that shows the uploaded PNG. Also records a text alternative."""
    changed = []
    if not achievement.image:
        png = images.default_badge_png(achievement.name, achievement.colour)
        achievement.image.save(f"{achievement.public_id}.png", ContentFile(png), save=False)
        achievement.image_svg.save(
            f"{achievement.public_id}.svg",
            ContentFile(images.default_badge_svg(achievement.name, achievement.colour)),
            save=False,
        )
        changed += ["image", "image_svg"]
    elif not achievement.image_svg:
        with achievement.image.open("rb") as file:
            svg = images.svg_wrapping_png(file.read(), achievement.name)
        achievement.image_svg.save(f"{achievement.public_id}.svg", ContentFile(svg), save=False)
        changed.append("image_svg")
    if not achievement.image_alt:
        achievement.image_alt = achievement.name
        changed.append("image_alt")
    if changed:
        achievement.save(update_fields=[*changed, "updated_at"])


@transaction.atomic
def achievement_update(*, achievement: Achievement, by: User, changes: Mapping[str, Any]) -> Achievement:
    """Change definition fields of a draft (owner or designer). Unknown or workflow fields are refused."""
    unknown = sorted(set(changes) - EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {unknown}")
    locked = achievement_for_editing(achievement, by)
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.full_clean()
    locked.save(update_fields=[*changes, "updated_at"])
    achievement_audit_record(achievement=locked, kind=Kind.UPDATED, actor=by, fields=sorted(changes))
    return locked


def _file_name(achievement: Achievement, extension: str) -> str:
    # A fresh name each time: earlier versions of the achievement may still share the previous file.
    return f"{achievement.public_id}-{uuid.uuid4().hex[:8]}.{extension}"


def _image_in_use(name: str) -> bool:
    return Achievement.objects.filter(Q(image=name) | Q(image_svg=name)).exists()


def _replaced_images_delete(achievement: Achievement) -> None:
    """The achievement's current image files, deleted after commit unless another version still uses them."""
    stored_files_delete_unused(
        storage=achievement.image.storage,
        names=[achievement.image.name or "", achievement.image_svg.name or ""],
        in_use=_image_in_use,
    )


@transaction.atomic
def achievement_image_set(*, achievement: Achievement, by: User, image: BadgeImage) -> Achievement:
    """Use an uploaded (already checked) image; an SVG upload keeps the sanitised SVG for SVG baking."""
    locked = achievement_for_editing(achievement, by)
    _replaced_images_delete(locked)
    locked.image.save(_file_name(locked, "png"), ContentFile(image.png), save=False)
    svg = image.svg if image.svg is not None else images.svg_wrapping_png(image.png, locked.name)
    locked.image_svg.save(_file_name(locked, "svg"), ContentFile(svg), save=False)
    locked.save(update_fields=["image", "image_svg", "updated_at"])
    achievement_audit_record(
        achievement=locked, kind=Kind.UPDATED, actor=by, fields=["image"], image="svg" if image.svg else "png"
    )
    return locked


@transaction.atomic
def achievement_image_generate(*, achievement: Achievement, by: User) -> Achievement:
    """Draw the default badge again from the current title and colour."""
    locked = achievement_for_editing(achievement, by)
    _replaced_images_delete(locked)
    locked.image.save(
        _file_name(locked, "png"), ContentFile(images.default_badge_png(locked.name, locked.colour)), save=False
    )
    locked.image_svg.save(
        _file_name(locked, "svg"), ContentFile(images.default_badge_svg(locked.name, locked.colour)), save=False
    )
    locked.save(update_fields=["image", "image_svg", "updated_at"])
    achievement_audit_record(achievement=locked, kind=Kind.UPDATED, actor=by, fields=["image"], image="generated")
    return locked
