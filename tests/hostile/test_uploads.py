"""The hostile corpus against every upload of the web pages: a clear refusal each time (or the hostile part
taken out), never a 5xx, and nothing stored that should not be."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from badges.models import Achievement
from learners.models import ExternalCredential
from tests.badges.test_console_designer_access import definition_data
from tests.hostile import corpus
from tests.hostile.conftest import refused_clearly

pytestmark = pytest.mark.django_db


def evidence_files() -> int:
    storage = storages["evidence"]
    folders, _files = storage.listdir("")
    return sum(len(storage.listdir(folder)[1]) for folder in folders)


# --- evidence ---------------------------------------------------------------------------------------------
def post_evidence(client, application, outcome, name, content, **fields):
    prefix = f"outcome-{outcome.pk}"
    data = {f"{prefix}-title": fields.pop("title", "Intyg"), f"{prefix}-file": SimpleUploadedFile(name, content)}
    data.update({f"{prefix}-{key}": value for key, value in fields.items()})
    return client.post(reverse("applications:evidence-add", args=[application.public_id, outcome.public_id]), data)


@pytest.mark.parametrize("name", [*corpus.PNG_REFUSED, "svg-script", "html"])
def test_hostile_evidence_files_are_refused_and_nothing_is_kept(learner_client, application, outcome, name):
    content = {**corpus.PNG_REFUSED, "svg-script": corpus.SVG_SCRIPT,
               "html": b"<!doctype html><script>" + corpus.PWNED.encode() + b"</script>"}[name]
    response = post_evidence(learner_client, application, outcome, "intyg.png", content)
    refused_clearly(response)
    assert application.evidence.count() == 0 and evidence_files() == 0


def test_an_oversize_evidence_file_is_refused(learner_client, application, outcome, settings):
    settings.EVIDENCE_VIDEO_MAX_MB = settings.EVIDENCE_MAX_MB = 1
    response = post_evidence(learner_client, application, outcome, "stor.pdf", corpus.oversize(2))
    refused_clearly(response, "the limit is 1.0")
    assert application.evidence.count() == 0 and evidence_files() == 0


def test_a_png_html_polyglot_is_kept_only_as_a_redrawn_picture(learner_client, application, outcome):
    response = post_evidence(learner_client, application, outcome, "bild.png", corpus.png_html_polyglot())
    assert response.status_code == 302
    evidence = application.evidence.get()
    stored = storages["evidence"].open(evidence.file.name).read()
    assert b"<script" not in stored and b"<html" not in stored and stored.startswith(corpus.PNG_SIGNATURE)
    assert Image.open(io.BytesIO(stored)).size == (128, 128)


def test_the_gps_position_and_comments_of_a_photo_are_not_kept_but_its_orientation_is(
    learner_client, application, outcome
):
    photo = corpus.jpeg_with_gps()
    assert b"HostileCam" in photo and b"secret-comment" in photo
    response = post_evidence(learner_client, application, outcome, "foto.jpg", photo)
    assert response.status_code == 302
    evidence = application.evidence.get()
    stored = storages["evidence"].open(evidence.file.name).read()
    assert b"HostileCam" not in stored and b"secret-comment" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif() and "comment" not in image.info
        assert image.size == (40, 80)  # turned as the EXIF orientation asked, before the EXIF went
    assert evidence.size == len(stored) and evidence.content_type == "image/jpeg"


@pytest.mark.parametrize("name", corpus.PATH_TRICKS)
def test_path_tricks_in_evidence_file_names_reach_neither_the_storage_nor_the_download(
    learner_client, application, outcome, name
):
    response = post_evidence(learner_client, application, outcome, name, b"%PDF-1.4\n%%EOF\n")
    assert response.status_code == 302
    evidence = application.evidence.get()
    assert evidence.file.name.startswith(f"{application.public_id}/") and ".." not in evidence.file.name
    assert "/" not in evidence.original_name and "\\" not in evidence.original_name
    assert "\x00" not in evidence.original_name and "\u202e" not in evidence.original_name
    download = learner_client.get(reverse("applications:evidence-file", args=[evidence.public_id]))
    header = download["Content-Disposition"]
    assert header.startswith("attachment; ") and "\u202e" not in header and "%E2%80%AE" not in header
    assert '.pdf"' in header  # the sniffed type names the file, whatever it was called


@pytest.mark.parametrize("title", [*corpus.BIDI_NAMES[:2], "x" * 201])
def test_evidence_titles_with_direction_marks_or_too_long_are_refused(learner_client, application, outcome, title):
    response = post_evidence(learner_client, application, outcome, "intyg.pdf", b"%PDF-1.4\n%%EOF\n", title=title)
    refused_clearly(response)
    assert application.evidence.count() == 0 and evidence_files() == 0


def test_a_megabyte_narrative_is_refused_clearly(learner_client, application, outcome):
    prefix = f"outcome-{outcome.pk}"
    response = learner_client.post(
        reverse("applications:evidence-add", args=[application.public_id, outcome.public_id]),
        {f"{prefix}-title": "Berättelse", f"{prefix}-narrative": "x" * 1_000_000},
    )
    refused_clearly(response, "at most 10000 characters")
    assert application.evidence.count() == 0


@pytest.mark.parametrize("url", ["https://127.0.0.1/x", "https://169.254.169.254/latest/", "https://nas.local/"])
def test_evidence_links_to_private_addresses_are_refused(learner_client, application, outcome, url):
    prefix = f"outcome-{outcome.pk}"
    response = learner_client.post(
        reverse("applications:evidence-add", args=[application.public_id, outcome.public_id]),
        {f"{prefix}-title": "Länk", f"{prefix}-url": url},
    )
    refused_clearly(response, "Use a public web address")
    assert application.evidence.count() == 0


# --- the designer's badge image -------------------------------------------------------------------------
def post_edit(client, issuer, draft, **changes):
    url = reverse("achievements_console:edit", args=[issuer.slug, draft.public_id])
    return client.post(url, definition_data(draft, **changes))


@pytest.mark.parametrize("name", [*corpus.SVG_REFUSED, *corpus.PNG_REFUSED])
def test_hostile_badge_images_are_refused_and_the_image_stays(owner_client, issuer, draft, name):
    before = (draft.image.name, draft.image_svg.name)
    content = {**corpus.SVG_REFUSED, **corpus.PNG_REFUSED}[name]
    response = post_edit(owner_client, issuer, draft, image_upload=SimpleUploadedFile("badge.svg", content))
    refused_clearly(response)
    draft.refresh_from_db()
    assert (draft.image.name, draft.image_svg.name) == before


@pytest.mark.parametrize("name", corpus.SVG_CORPUS)
def test_scripting_badge_svgs_are_kept_only_without_what_runs(owner_client, issuer, draft, name):
    response = post_edit(owner_client, issuer, draft,
                         image_upload=SimpleUploadedFile("badge.svg", corpus.SVG_CORPUS[name]))
    assert response.status_code == 302
    draft.refresh_from_db()
    stored = draft.image_svg.read().lower()
    assert b"script" not in stored and b"javascript" not in stored and b"__pwned" not in stored
    assert b" on" not in stored.replace(b" onbegin", b"x")  # no event handler attribute is left
    assert b"onbegin" not in stored


def test_a_replaced_badge_image_is_deleted_after_commit_unless_another_version_uses_it(
    owner_client, issuer, draft, django_capture_on_commit_callbacks
):
    storage = draft.image.storage
    first = (draft.image.name, draft.image_svg.name)
    assert all(storage.exists(name) for name in first)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_edit(owner_client, issuer, draft,
                             image_upload=SimpleUploadedFile("b.png", corpus.png(), "image/png"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not any(storage.exists(name) for name in first)
    second = (draft.image.name, draft.image_svg.name)
    # Another version shares this image: replacing it on the draft keeps the file for the other one.
    Achievement.objects.filter(pk=draft.pk).values_list("pk", flat=True)
    sibling = Achievement.objects.get(pk=draft.pk)
    sibling.pk, sibling.public_id, sibling.version = None, None, 2
    import uuid

    sibling.public_id = uuid.uuid4()
    sibling.save()
    with django_capture_on_commit_callbacks(execute=True):
        post_edit(owner_client, issuer, draft, image_upload=SimpleUploadedFile("c.png", corpus.png(), "image/png"))
    assert all(storage.exists(name) for name in second)


def test_a_megabyte_in_a_designer_field_is_refused_and_the_draft_still_saves(owner_client, issuer, draft):
    response = post_edit(owner_client, issuer, draft, target_group="x" * 1_000_000)
    refused_clearly(response, "at most 2000 characters")
    draft.refresh_from_db()
    assert len(draft.target_group) < 2000
    assert post_edit(owner_client, issuer, draft, target_group="Nyanställda").status_code == 302


@pytest.mark.parametrize("field", ["qa_responsible_body_url", "counts_towards_url"])
@pytest.mark.parametrize("url", ["https://127.0.0.1/", "https://[::1]/", "https://kvalitet.internal/"])
def test_designer_links_to_private_addresses_are_refused(owner_client, issuer, draft, field, url):
    response = post_edit(owner_client, issuer, draft, **{field: url})
    refused_clearly(response, "Use a public web address")
    draft.refresh_from_db()
    assert getattr(draft, field) == ""


@pytest.mark.parametrize("name", corpus.BIDI_NAMES)
def test_micro_credential_titles_with_direction_marks_are_refused(owner_client, issuer, draft, name):
    response = post_edit(owner_client, issuer, draft, name=name)
    refused_clearly(response, "direction of the text")
    draft.refresh_from_db()
    assert draft.name == "Samarbete i arbetsgrupp"


# --- the issuer's logo and profile ----------------------------------------------------------------------
PROFILE = {
    "name": "Testskolan", "description": "", "url": "https://testskolan.se", "email": "", "phone": "",
    "official_identifier": "", "street_address": "", "postal_code": "", "locality": "", "region": "",
    "country_code": "SE", "identity_kind": "https",
}


def post_profile(client, issuer, **changes):
    return client.post(reverse("console:profile", args=[issuer.slug]), {**PROFILE, **changes})


@pytest.mark.parametrize("name", [*corpus.PNG_REFUSED, "svg-script", "png-html-polyglot-named-html"])
def test_hostile_logos_are_refused_and_nothing_is_kept(owner_client, issuer, name):
    content = {**corpus.PNG_REFUSED, "svg-script": corpus.SVG_SCRIPT,
               "png-html-polyglot-named-html": b"<html><script>1</script></html>"}[name]
    response = post_profile(owner_client, issuer, image=SimpleUploadedFile("logo.png", content))
    refused_clearly(response)
    issuer.refresh_from_db()
    assert not issuer.image


def test_a_replaced_logo_is_deleted_after_commit(owner_client, issuer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_profile(owner_client, issuer, image=SimpleUploadedFile("logo.png", corpus.png(), "image/png"))
    issuer.refresh_from_db()
    first = issuer.image.name
    storage = issuer.image.storage
    assert storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_profile(owner_client, issuer, image=SimpleUploadedFile("logo.png", corpus.png(300, 300)))
    assert response.status_code == 302
    issuer.refresh_from_db()
    assert issuer.image.name != first and storage.exists(issuer.image.name) and not storage.exists(first)


@pytest.mark.parametrize("url", corpus.PRIVATE_URLS[:8])
def test_an_issuer_website_on_a_private_address_is_refused(owner_client, issuer, url):
    response = post_profile(owner_client, issuer, url=url)
    refused_clearly(response)
    issuer.refresh_from_db()
    assert issuer.url == "https://testskolan.example"


@pytest.mark.parametrize("name", [*corpus.BIDI_NAMES[:2], "x" * 201])
def test_issuer_names_with_direction_marks_or_too_long_are_refused(owner_client, issuer, name):
    refused_clearly(post_profile(owner_client, issuer, name=name))
    issuer.refresh_from_db()
    assert issuer.name == "Testskolan"


def test_a_megabyte_description_is_refused(owner_client, issuer):
    refused_clearly(post_profile(owner_client, issuer, description="x" * 1_000_000), "at most 10000 characters")


# --- the wallet's import and the public check ---------------------------------------------------------------
HOSTILE_CREDENTIAL_TEXT = {
    **{f"malformed-{n}": text for n, text in enumerate(corpus.JSON_MALFORMED)},
    "deep-json": corpus.json_deep(20_000),
    "jwt-alg-none": corpus.JWT_ALG_NONE,
    **{f"jwt-malformed-{n}": text for n, text in enumerate(corpus.JWT_MALFORMED)},
}
HOSTILE_CREDENTIAL_FILES = {**corpus.SVG_REFUSED, **corpus.PNG_REFUSED, "svg-script": corpus.SVG_SCRIPT,
                            "png-html-polyglot": corpus.png_html_polyglot()}


@pytest.mark.parametrize("name", HOSTILE_CREDENTIAL_TEXT)
def test_hostile_pasted_credentials_are_not_imported(learner_client, name):
    response = learner_client.post(reverse("learners:import"), {"text": HOSTILE_CREDENTIAL_TEXT[name]})
    refused_clearly(response)
    assert not ExternalCredential.objects.exists()


@pytest.mark.parametrize("name", HOSTILE_CREDENTIAL_FILES)
def test_hostile_credential_files_are_not_imported(learner_client, name):
    upload = SimpleUploadedFile("badge.svg", HOSTILE_CREDENTIAL_FILES[name])
    refused_clearly(learner_client.post(reverse("learners:import"), {"file": upload}))
    assert not ExternalCredential.objects.exists()


def test_huge_pasted_json_is_refused(learner_client):
    response = learner_client.post(reverse("learners:import"), {"text": corpus.json_huge(2)})
    assert response.status_code < 500
    assert not ExternalCredential.objects.exists()


def test_a_learner_keeps_at_most_the_cap_of_imports(learner_client, learner, issued, monkeypatch):
    import json

    from learners import services
    from learners.errors import ImportUnreadable

    monkeypatch.setattr(services, "IMPORTS_MAX_PER_LEARNER", 2)
    for n in range(2):
        document = json.loads(json.dumps(issued.document))
        document["id"] = f"urn:uuid:00000000-0000-4000-8000-00000000000{n}"  # another credential, broken proof
        services.external_credential_import(user=learner, data=json.dumps(document), keep_invalid=True)
    with pytest.raises(ImportUnreadable) as refused:
        services.external_credential_import(user=learner, data=json.dumps(issued.document))
    assert refused.value.code == "too_many"
    response = learner_client.post(reverse("learners:import"), {"text": json.dumps(issued.document)})
    refused_clearly(response, "the most it keeps")
    assert ExternalCredential.objects.filter(user=learner).count() == 2


@pytest.mark.parametrize("name", HOSTILE_CREDENTIAL_FILES)
def test_the_public_check_refuses_hostile_files_clearly(client, name):
    upload = SimpleUploadedFile("badge.png", HOSTILE_CREDENTIAL_FILES[name])
    response = client.post(reverse("verification:verify"), {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code < 500
    assert b"__pwned" not in response.content


@pytest.mark.parametrize("body", [
    *corpus.JSON_MALFORMED, corpus.json_deep(20_000), corpus.JWT_ALG_NONE, *corpus.JWT_MALFORMED,
    corpus.jwt_huge(1),
])
def test_the_verification_api_answers_hostile_bodies_without_a_server_error(client, body):
    response = client.post(reverse("verification:verify-api"), body, content_type="application/json")
    assert response.status_code < 500
    if response.status_code == 200:
        assert response.json().get("verdict") != "valid"


def test_the_verification_api_refuses_a_huge_body(client):
    response = client.post(reverse("verification:verify-api"), corpus.json_huge(3), content_type="application/json")
    assert 400 <= response.status_code < 500


# --- names and CSV --------------------------------------------------------------------------------------------
def test_the_display_name_refuses_direction_marks(learner_client, learner):
    response = learner_client.post(reverse("learners:wallet"), {"display_name": "Amina\u202eadmin",
                                                                  "public_profile_enabled": "on"})
    refused_clearly(response, "direction of the text")


def test_csv_award_lists_with_formulas_or_direction_marks_are_refused(owner_client, issuer, achievement):
    rows = ["e-post;namn"] + [f"p{n}@example.org;{cell}" for n, cell in enumerate(corpus.CSV_FORMULAS)]
    rows.append("bidi@example.org;Anna\u202eexe")
    upload = SimpleUploadedFile("../../lista.csv", "\n".join(rows).encode(), "text/csv")
    response = owner_client.post(
        reverse("assessment:award-new", args=[issuer.slug]),
        {"form": "list", "list-achievement": str(achievement.public_id), "list-file": upload},
    )
    assert response.status_code < 500
    body = response.content.decode()
    assert "cannot start with =, +, -, or @" in body and "change the direction of the text" in body
    from badges.models import Credential

    assert not Credential.objects.exists()


def test_the_dashboard_csv_writes_formula_names_as_text(owner_client, issuer):
    from issuers.models import Issuer

    Issuer.objects.filter(pk=issuer.pk).update(name='=HYPERLINK("https://evil.example","x")')
    response = owner_client.get(reverse("dashboard:export", args=[issuer.slug]))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and not any(
        cell.startswith("=") for line in text.splitlines() for cell in line.replace(";", ",").split(",")
    )
