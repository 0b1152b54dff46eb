"""The hostile corpus against the REST API: malformed and huge JSON, unsigned and broken JWTs, hostile files,
formula cells, direction marks, private addresses and megabyte texts. A problem answer (4xx) each time,
never a 5xx, and nothing stored."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessment.models import AwardBatch
from badges.models import Achievement, Credential
from tests.api.test_achievements_api_support import NEW_DRAFT, achievements_url
from tests.hostile import corpus

pytestmark = pytest.mark.django_db


def problem(response, status: int | None = None) -> dict:
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:500])
    if status is not None:
        assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


@pytest.mark.parametrize("body", [*corpus.JSON_MALFORMED, corpus.json_deep(20_000)])
def test_malformed_or_deep_json_is_a_problem_answer(api, issuer, body):
    before = Achievement.objects.count()
    response = api.generic("POST", achievements_url(issuer), body.encode("utf-8", "surrogatepass"),
                           content_type="application/json")
    problem(response)
    assert Achievement.objects.count() == before


def test_a_body_over_the_request_limit_is_a_problem_answer(api, issuer):
    before = Achievement.objects.count()
    response = api.generic("POST", achievements_url(issuer), corpus.json_huge(3).encode(),
                           content_type="application/json")
    problem(response)
    assert Achievement.objects.count() == before


@pytest.mark.parametrize("field, value, words", [
    ("description", "x" * 1_000_000, "at most 10000 characters"),
    ("name", "Kurs\u202eexe", "direction of the text"),
    ("criteria_narrative", "x" * 10_001, "at most 10000 characters"),
])
def test_drafts_refuse_megabyte_texts_and_direction_marks_field_by_field(api, issuer, field, value, words):
    before = Achievement.objects.count()
    body = problem(api.post(achievements_url(issuer), {**NEW_DRAFT, field: value}, format="json"), 400)
    assert any(error["field"] == field and words in error["message"] for error in body["errors"]), body
    assert Achievement.objects.count() == before


@pytest.mark.parametrize("url", ["https://127.0.0.1/", "https://[fe80::1]/", "https://qa.internal/"])
def test_a_draft_refuses_links_to_private_addresses(api, issuer, url):
    from tests.factories import make_draft

    draft = make_draft(issuer)
    response = api.patch(achievements_url(issuer, draft.public_id), {"qa_responsible_body_url": url}, format="json")
    body = problem(response, 400)
    assert body["errors"][0]["field"] == "qa_responsible_body_url"
    draft.refresh_from_db()
    assert draft.qa_responsible_body_url == ""


@pytest.mark.parametrize("url", corpus.PRIVATE_URLS[:6])
def test_the_issuer_profile_refuses_a_private_website(api, issuer, url):
    problem(api.patch(f"/api/v1/issuers/{issuer.slug}/", {"url": url}, format="json"), 400)
    issuer.refresh_from_db()
    assert issuer.url == "https://testskolan.example"


@pytest.mark.parametrize("name", [*corpus.SVG_REFUSED, *corpus.PNG_REFUSED])
def test_hostile_badge_images_are_refused_through_the_api(api, issuer, name):
    from tests.factories import make_draft

    draft = make_draft(issuer)
    before = (draft.image.name, draft.image_svg.name)
    content = {**corpus.SVG_REFUSED, **corpus.PNG_REFUSED}[name]
    response = api.post(achievements_url(issuer, draft.public_id, "image"),
                        {"image_upload": SimpleUploadedFile("badge.svg", content)}, format="multipart")
    body = problem(response, 400)
    assert body["errors"][0]["field"] == "image_upload"
    draft.refresh_from_db()
    assert (draft.image.name, draft.image_svg.name) == before


def test_award_jobs_refuse_formula_cells_and_direction_marks(api, issuer, achievement):
    rows = [{"email": f"p{n}@example.org", "name": cell} for n, cell in enumerate(corpus.CSV_FORMULAS)]
    rows.append({"email": "bidi@example.org", "name": "Anna\u202eexe"})
    response = api.post(f"/api/v1/issuers/{issuer.slug}/award-jobs/",
                        {"achievement": str(achievement.public_id), "rows": rows}, format="json")
    assert response.status_code < 500
    assert not Credential.objects.exists()
    text = response.content.decode()
    assert "cannot start with =, +, -, or @" in text and "direction of the text" in text


def test_a_csv_award_job_with_a_path_trick_name_and_binary_content_is_refused(api, issuer, achievement):
    upload = SimpleUploadedFile("../../etc/passwd\x00.csv", corpus.png_bomb(), "text/csv")
    response = api.post(f"/api/v1/issuers/{issuer.slug}/award-jobs/",
                        {"achievement": str(achievement.public_id), "file": upload}, format="multipart")
    problem(response)
    assert not AwardBatch.objects.exists() and not Credential.objects.exists()


def test_one_award_refuses_a_name_with_direction_marks(api, issuer, achievement):
    response = api.post(f"/api/v1/issuers/{issuer.slug}/awards/", {
        "achievement": str(achievement.public_id), "recipient_email": "a@example.org",
        "recipient_name": "Anna\u202eexe",
    }, format="json")
    body = problem(response, 400)
    assert body["errors"][0]["field"] == "recipient_name"
    assert not Credential.objects.exists()


@pytest.mark.parametrize("credential", [
    corpus.JWT_ALG_NONE, *corpus.JWT_MALFORMED, {"@context": "x" * 70_000}, {"a": [[[[[[[[[[[[]]]]]]]]]]]]},
])
def test_the_api_check_answers_unsigned_and_broken_credentials_without_a_server_error(api, credential):
    response = api.post("/api/v1/verify", {"credential": credential}, format="json")
    assert response.status_code < 500
    if response.status_code == 200:
        assert response.json()["verdict"] != "valid"


@pytest.mark.parametrize("name", [*corpus.SVG_REFUSED, *corpus.PNG_REFUSED, "polyglot"])
def test_the_api_check_refuses_hostile_files_clearly(api, name):
    content = {**corpus.SVG_REFUSED, **corpus.PNG_REFUSED, "polyglot": corpus.png_html_polyglot()}[name]
    response = api.post("/api/v1/verify", {"file": SimpleUploadedFile("x.png", content)}, format="multipart")
    assert response.status_code < 500
    if response.status_code == 200:
        assert response.json()["verdict"] != "valid"
