import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from badges.models import Credential
from learners.errors import DeletionRefused, ExportTooLarge
from learners.exports import learner_export_run
from learners.models import ExternalCredential, LearnerExport, LearnerProfile
from learners.services import (
    external_credential_import,
    learner_account_delete,
    learner_export_extra_files,
    learner_export_write,
)
from learners.signals import learner_erase, learner_export_collect
from tests.badges.site import site_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def amina_client(amina):
    client = Client()
    client.force_login(amina)
    return client


def stored(field) -> bytes:
    with default_storage.open(field.name, "rb") as file:
        return file.read()


def test_the_export_holds_every_credential_file_and_the_profile(credential, amina, amina_client, issue,
                                                                django_capture_on_commit_callbacks):
    issue("saman@example.org")  # not Amina's: must not be in her export
    external = external_credential_import(user=amina, data=json.dumps(credential.document).encode())
    with django_capture_on_commit_callbacks(execute=False):
        amina_client.post(reverse("learners:export-start"))
    export = LearnerExport.objects.get(user=amina)
    learner_export_run(export_id=export.pk)  # what the queued task does
    response = amina_client.get(reverse("learners:export-download", args=[export.public_id]))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    folder = f"credentials/Samarbete-i-arbetsgrupp-{credential.public_id}"
    assert sorted(archive.namelist()) == sorted([
        f"{folder}/credential.json", f"{folder}/badge.png", f"{folder}/badge.svg",
        f"imported/Samarbete-i-arbetsgrupp-{external.public_id}/credential.json",
        f"imported/Samarbete-i-arbetsgrupp-{external.public_id}/verification.json",
        "profile.json",
    ])
    assert archive.read(f"{folder}/badge.png") == stored(credential.baked_png)
    assert archive.read(f"{folder}/badge.svg") == stored(credential.baked_svg)
    assert site_verify(archive.read(f"{folder}/credential.json")).valid
    profile = json.loads(archive.read("profile.json"))
    assert profile["emails"] == [{"email": "amina@example.org", "verified": True, "primary": True}]
    assert [entry["id"] for entry in profile["credentials"]] == [str(credential.public_id)]
    assert profile["public_profile"]["enabled"] is False


def test_other_apps_add_their_files_through_the_export_hook(amina):
    assert learner_export_extra_files(amina) == []

    def evidence(sender, user, **kwargs):
        return [("applications/1/evidence.txt", f"by {user.username}".encode())]

    learner_export_collect.connect(evidence)
    try:
        buffer = io.BytesIO()
        learner_export_write(user=amina, file=buffer)
        assert zipfile.ZipFile(buffer).read("other/applications/1/evidence.txt") == b"by amina"
    finally:
        learner_export_collect.disconnect(evidence)


def test_the_export_is_size_capped(credential, amina):
    with pytest.raises(ExportTooLarge) as refused:
        learner_export_write(user=amina, file=io.BytesIO(), limit=1000)
    assert refused.value.code == "export_too_large"


def test_deleting_the_account_removes_personal_data_and_the_credential_still_verifies(credential, amina,
                                                                                      amina_client, issue):
    pending = issue("amina@example.org", recipient_name="Amina Hassan", sign=False)
    Credential.objects.filter(pk=credential.pk).update(share_enabled=True)
    external_credential_import(user=amina, data=json.dumps(credential.document).encode())
    downloaded = stored(credential.baked_png)

    response = amina_client.post(reverse("learners:account-delete"),
                                 {"password": "correct-horse-battery", "confirm": "on"})
    assert response.status_code == 302

    user = get_user_model().objects.get(pk=amina.pk)
    assert user.username.startswith("deleted-") and user.email == "" and not user.is_active
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not ExternalCredential.objects.exists() and not LearnerProfile.objects.exists()
    for row in (credential, pending):
        row.refresh_from_db()
        assert row.recipient_email == "" and row.recipient_name == "" and not row.share_enabled
    assert not Client().login(username="amina", password="correct-horse-battery")
    assert amina_client.get(reverse("learners:wallet")).status_code == 302  # signed out
    # The issued credential's document is unchanged and what Amina downloaded still verifies.
    assert site_verify(credential.document).valid
    assert site_verify(downloaded).valid


def test_deletion_needs_the_right_password_and_confirmation(credential, amina, amina_client):
    response = amina_client.post(reverse("learners:account-delete"), {"password": "wrong", "confirm": "on"},
                                 HTTP_ACCEPT_LANGUAGE="en")
    assert "The password is not correct." in response.content.decode()
    response = amina_client.post(reverse("learners:account-delete"), {"password": "correct-horse-battery"})
    assert 'class="error-summary"' in response.content.decode()
    amina.refresh_from_db()
    assert amina.is_active and EmailAddress.objects.filter(user=amina).exists()


def test_issuer_members_are_asked_to_leave_their_issuer_first(issuer):
    from tests.factories import make_member

    member = make_member(issuer, "eli", "assessor").user
    with pytest.raises(DeletionRefused) as refused:
        learner_account_delete(user=member, password="correct-horse-battery")
    assert refused.value.code == "issuer_member"
    member.refresh_from_db()
    assert member.is_active


def test_other_apps_erase_their_data_in_the_same_transaction(amina):
    def failing(sender, user, **kwargs):
        raise RuntimeError("assessment could not erase")

    learner_erase.connect(failing)
    try:
        with pytest.raises(RuntimeError):
            learner_account_delete(user=amina, password="correct-horse-battery")
    finally:
        learner_erase.disconnect(failing)
    assert EmailAddress.objects.filter(user=amina).exists()
