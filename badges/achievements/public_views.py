"""Public pages: what a published micro-credential stands for, and the extension's context and schema.

/a/<id> is also the Achievement's OB id, so it answers both people (HTML) and machines (JSON-LD, by
content negotiation). Only published achievements are public; drafts and reviews are the issuer's own.
"""

from __future__ import annotations

import dataclasses
import hashlib
from functools import cache
from typing import Any
from uuid import UUID

from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from badges.achievements.adapters import achievement_value, eu_elements
from badges.achievements.editions import LANGUAGES, achievement_edition, translation_of
from badges.contexts import extension_context_url
from badges.models import Achievement, LearningOutcome
from issuers.files import stored_file_response
from kernel.http_cache import IMMUTABLE, cache_document, cache_page, public_viewer
from kernel.lookups import first_or_404
from kernel.public_urls import public_url
from ob3 import eu
from ob3.build import build_achievement
from ob3.documents import CONTEXTS_DIR, OB_V3P0, VC_V2
from ob3.schema import SCHEMAS_DIR

JSON_TYPES = ("application/ld+json", "application/json")
# /ns/v1 never changes (a new version gets a new address, docs/extension.md), and signatures depend on
# what it says: verifiers and caches may keep it for good.
EXTENSION_CACHE = IMMUTABLE


def _published(public_id: UUID) -> Achievement:
    """The published achievement with this id; anything else is as unknown as an id that never existed."""
    achievement = (
        Achievement.objects.filter(public_id=public_id, status=Achievement.Status.PUBLISHED)
        .select_related("issuer", "previous_version")
        .prefetch_related(
            "translations",
            Prefetch(
                "learning_outcomes",
                LearningOutcome.objects.prefetch_related("translations", "rubric_levels__translations"),
            ),
        )
        .first()
    )
    if achievement is None:
        raise Http404
    return achievement


def achievement_document(achievement: Achievement, *, language: str | None = None) -> dict[str, Any]:
    """The OB 3.0 Achievement with the Mikromerit EU extension, as a standalone JSON-LD document: the
    primary language edition, or the translated edition in `language`."""
    value = achievement_value(achievement, language=language)
    extension = eu.eu_extension(eu_elements(achievement, language=language))
    value = dataclasses.replace(value, extensions={**value.extensions, **extension})
    return {"@context": [VC_V2, OB_V3P0, extension_context_url()], **build_achievement(value)}


def _versions(achievement: Achievement) -> list[Achievement]:
    """Every published version of this micro-credential, newest first."""
    oldest = achievement
    while oldest.previous_version_id is not None:
        oldest = Achievement.objects.get(pk=oldest.previous_version_id)
    chain = [oldest]
    while (following := Achievement.objects.filter(previous_version=chain[-1]).first()) is not None:
        chain.append(following)
    return [a for a in reversed(chain) if a.status == Achievement.Status.PUBLISHED]


def _achievement_response(request: HttpRequest, achievement: Achievement, *, language: str | None) -> HttpResponse:
    """JSON-LD of the edition in `language` (None: the primary one), or the page for people. At /a/<id>
    people read the edition in their own language when there is one."""
    preferred = request.get_preferred_type(["text/html", *JSON_TYPES])
    if preferred in JSON_TYPES:
        response: HttpResponse = JsonResponse(
            achievement_document(achievement, language=language),
            content_type=preferred,
            json_dumps_params={"ensure_ascii": False},
        )
        response["Access-Control-Allow-Origin"] = "*"
        response = cache_document(request, response)
        patch_vary_headers(response, ["Accept"])
    else:
        edition = achievement_edition(achievement, language or request.LANGUAGE_CODE)
        versions = _versions(achievement)
        context = {
            "user": public_viewer(request),  # the session is not read for a visitor who has none
            "public_page": True,
            "achievement": achievement,
            "edition": edition,
            "issuer": achievement.issuer,
            "outcomes": edition.outcomes,
            "external_reviews": achievement.external_reviews.all(),
            "versions": versions,
            "newest": versions[0] if versions and versions[0].pk != achievement.pk else None,
            "image_url": public_url(reverse("achievements_public:image", args=[achievement.public_id, "png"])),
            "page_url": edition.uri if language else achievement.uri,
        }
        # The edition people read follows Accept-Language or the language cookie (kernel.http_cache).
        response = cache_page(request, render(request, "badges/public/achievement.html", context))
    return response


@require_GET
def achievement_page(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _achievement_response(request, _published(public_id), language=None)


@require_GET
def achievement_edition_page(request: HttpRequest, public_id: UUID, language: str) -> HttpResponse:
    """/a/<id>/<language>: the translated edition, whose OB id is this address. The primary language's
    address leads to /a/<id>, the primary edition's id; a language without a translation is unknown."""
    if language not in LANGUAGES:
        raise Http404
    achievement = _published(public_id)
    if language == achievement.in_language:
        return redirect("achievements_public:achievement", achievement.public_id, permanent=True)
    if translation_of(achievement, language) is None:
        raise Http404
    return _achievement_response(request, achievement, language=language)


@cache
def _file(path: str) -> tuple[bytes, str]:
    """The file's bytes and their strong ETag."""
    with open(path, "rb") as file:
        data = file.read()
    return data, f'"{hashlib.sha256(data).hexdigest()[:32]}"'


def _extension_response(request: HttpRequest, path: str, content_type: str) -> HttpResponse:
    data, etag = _file(path)
    if etag in (tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(data, content_type=content_type)
    response["ETag"] = etag
    response["Access-Control-Allow-Origin"] = "*"  # JSON-LD processors in browsers fetch it cross-origin
    response["Access-Control-Expose-Headers"] = "ETag"
    response["Cache-Control"] = EXTENSION_CACHE
    return response


@require_GET
def extension_context(request: HttpRequest) -> HttpResponse:
    """The Mikromerit v1 JSON-LD context, byte for byte the vendored file ob3 signs and verifies with."""
    return _extension_response(request, str(CONTEXTS_DIR / "mikromerit-v1.jsonld"), "application/ld+json")


@require_GET
def extension_schema(request: HttpRequest) -> HttpResponse:
    return _extension_response(request, str(SCHEMAS_DIR / eu.SCHEMA_FILE), "application/schema+json")


@require_GET
def achievement_image(request: HttpRequest, public_id: UUID, extension: str) -> FileResponse:
    """The unbaked badge image, as credentials link to it (it must outlive any change of status)."""
    achievement = first_or_404(Achievement.objects.all(), public_id=public_id)
    return stored_file_response(achievement.image if extension == "png" else achievement.image_svg)
