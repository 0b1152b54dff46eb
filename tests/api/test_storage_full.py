"""An upload through the API into a full disk: a `storage_full` problem (503), nothing stored."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.test_achievements_api_support import achievements_url
from tests.factories import make_draft

pytestmark = pytest.mark.django_db


def test_a_badge_image_uploaded_into_a_full_disk_answers_storage_full(api, issuer, settings, tmp_path):
    from tests.badges.test_console_designer_forms import png

    draft = make_draft(issuer)
    before = (draft.image.name, draft.image_svg.name)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "tests.assessment.test_evidence_disk_full.DiskFillsUp", "OPTIONS": {"location": tmp_path}}}
    url = achievements_url(issuer, draft.public_id, "image")

    response = api.post(url, {"image_upload": SimpleUploadedFile("b.png", png(), "image/png")}, format="multipart",
                        HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "300"
    assert response.json()["code"] == "storage_full"
    assert response.json()["title"] == "The storage is full"
    draft.refresh_from_db()
    assert (draft.image.name, draft.image_svg.name) == before
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []
