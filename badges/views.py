from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from badges.models import Achievement
from issuers.files import stored_file_response


@require_GET
def achievement_image(request: HttpRequest, public_id: UUID, extension: str) -> HttpResponse:
    """The unbaked badge image, as credentials link to it (it must outlive any change of status)."""
    achievement = get_object_or_404(Achievement, public_id=public_id)
    return stored_file_response(achievement.image if extension == "png" else achievement.image_svg)
