import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from learners.models import ExternalCredential
from learners.services import IMPORT_MAX_BYTES, ImportUnreadable, external_credential_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def amina_client(amina):
    client = Client()
    client.force_login(amina)
    return client


def png_of(credential) -> bytes:
    with default_storage.open(credential.baked_png.name, "rb") as file:
        return file.read()


def test_our_own_baked_png_imports_as_valid(credential, saman, amina_client):
    url = reverse("learners:import")
    response = amina_client.post(url, {"file": SimpleUploadedFile("badge.png", png_of(credential), "image/png")})
    external = ExternalCredential.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/wallet/imported/{external.public_id}/")
    assert external.format == "png" and external.verdict == "valid"
    assert external.name == "Samarbete i arbetsgrupp" and external.issuer_name == "Testskolan"
    assert bytes(external.raw) == png_of(credential)
    assert external.credential_id == f"urn:uuid:{credential.public_id}"
    page = amina_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Checked: valid" in page and "External" in page
    wallet = amina_client.get(reverse("learners:wallet"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"/wallet/imported/{external.public_id}/" in wallet


def test_pasted_json_is_verified_and_a_second_import_does_not_duplicate(credential, amina):
    text = json.dumps(credential.document).encode()
    first = external_credential_import(user=amina, data=text)
    second = external_credential_import(user=amina, data=text)
    assert first == second and first.verdict == "valid" and first.format == "json"


def test_a_tampered_credential_is_kept_as_invalid_with_the_reason(credential, amina_client):
    tampered = json.loads(json.dumps(credential.document))
    tampered["credentialSubject"]["achievement"]["name"] = "Överläkare"
    amina_client.post(reverse("learners:import"), {"pasted": json.dumps(tampered)})
    external = ExternalCredential.objects.get()
    assert external.verdict == "invalid"
    failed = [check for check in external.verification["checks"] if not check["passed"]]
    assert [check["name"] for check in failed] == ["proof"]
    page = amina_client.get(reverse("learners:external", args=[external.public_id]),
                            HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Checked: not valid" in page and "Failed" in page and failed[0]["reason"] in page


def test_a_credential_revoked_here_is_reported_revoked(credential, amina):
    from badges.revocation import credential_revoke
    from tests.factories import make_member

    owner = make_member(credential.issuer, "olle", "owner").user
    credential_revoke(credential=credential, by=owner, reason="Utfärdat av misstag.")
    external = external_credential_import(user=amina, data=json.dumps(credential.document).encode())
    assert external.verdict == "revoked"


def test_a_foreign_key_is_not_fetched_and_the_result_says_so(amina):
    from datetime import UTC, datetime

    from ob3.build import build_credential
    from ob3.keys import LocalSigner
    from ob3.proofs.data_integrity import sign_credential
    from tests.ob3.factories import ISSUER_ID, realistic_draft

    signer = LocalSigner.generate()
    signed = sign_credential(
        build_credential(realistic_draft()),
        signer=signer,
        verification_method=f"{ISSUER_ID}#{signer.public_key.to_multikey()}",
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )
    external = external_credential_import(user=amina, data=json.dumps(signed).encode())
    assert external.issuer_name == "Högskolan i Exempelstad" and external.name
    warnings = [check["reason"] for check in external.verification["checks"] if check["warning"]]
    assert any("not consulted" in reason for reason in warnings), external.verification["checks"]


@pytest.mark.parametrize("data, message", [
    (b"hello, this is not a credential", "We could not find a credential"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "We could not find a credential"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><svg>&e;</svg>',
     "We could not find a credential"),
    (b"{not json", "We could not find a credential"),
])
def test_garbage_gets_a_clear_message_and_nothing_is_stored(amina_client, data, message):
    response = amina_client.post(
        reverse("learners:import"), {"file": SimpleUploadedFile("x.png", data)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'class="error-summary"' in response.content.decode()
    assert not ExternalCredential.objects.exists()


def test_a_file_over_the_limit_is_refused_with_a_message(amina_client):
    big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * IMPORT_MAX_BYTES)
    response = amina_client.post(reverse("learners:import"), {"file": big}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "larger than 5 MB" in response.content.decode()
    assert not ExternalCredential.objects.exists()
    with pytest.raises(ImportUnreadable):
        external_credential_import(user=response.wsgi_request.user, data=b"{" * (IMPORT_MAX_BYTES + 1))


def test_an_empty_form_asks_for_a_file_or_text(amina_client):
    response = amina_client.post(reverse("learners:import"), {}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Choose a file or paste a credential." in response.content.decode()


def test_a_learner_can_remove_an_import_and_nobody_else_can(credential, amina, saman, amina_client):
    external = external_credential_import(user=amina, data=json.dumps(credential.document).encode())
    other = Client()
    other.force_login(saman)
    assert other.get(reverse("learners:external", args=[external.public_id])).status_code == 404
    assert other.post(reverse("learners:external-delete", args=[external.public_id])).status_code == 404
    assert ExternalCredential.objects.filter(pk=external.pk).exists()
    amina_client.post(reverse("learners:external-delete", args=[external.public_id]))
    assert not ExternalCredential.objects.filter(pk=external.pk).exists()
