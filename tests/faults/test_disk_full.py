"""The media storage's disk full (a 4 MB tmpfs, filled to the last byte) while credentials are signed and
people upload: the workers do not mark a credential issued without its baked files (it goes back to
PENDING with the reason, and is issued once there is room again, exactly once); an upload gets a clear
"the storage is full" page (503), and nothing of it is stored."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.applications import application_start
from assessment.models import Evidence
from badges.credentials.issuing import credential_issue
from badges.models import Credential, CredentialEvent
from issuers.models import Issuer, Role
from tests.assessment.conftest import upload
from tests.factories import make_achievement, make_issuer, make_member, make_user
from tests.faults.support import SmallDisk, all_done, assert_credentials_exactly_once, files_in, sweep_as_beat_would
from tests.issuers.test_console_profile import VALID, png
from tests.services.support import count_with_status, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

ISSUED, PENDING = Credential.Status.ISSUED, Credential.Status.PENDING
NO_SPACE = "No space left on device"


@pytest.fixture
def disk(tmp_path: Path) -> SmallDisk:
    small = SmallDisk(tmp_path / "media", megabytes=4)
    if problem := small.mount():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, so the full-disk test must run; mounting a tmpfs failed: {problem}")
        pytest.skip(f"needs to mount a tmpfs (as root): {problem}")
    yield small
    small.unmount()


@pytest.fixture
def media_root(settings, disk: SmallDisk) -> Path:
    """The web side (this process) and the workers keep every file on the small disk."""
    files_in(settings, disk.path)
    return disk.path


def files_under(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file() and path.name != ".filler"}


def interrupted_by_full_disk(ids: list[int]) -> set[int]:
    events = CredentialEvent.objects.filter(credential__in=ids, kind=CredentialEvent.Kind.SIGNING_INTERRUPTED)
    return {credential for credential, data in events.values_list("credential", "data") if NO_SPACE in str(data)}


def test_a_full_media_disk_holds_credentials_back_and_refuses_uploads_clearly(
    start_worker, client, disk, media_root, mail_sink, report
):
    achievement = make_achievement(make_issuer())
    owner = make_member(achievement.issuer, "olga", Role.OWNER)
    learner = make_user("amina")
    application = application_start(achievement=achievement, learner=learner, language="sv")
    worker = start_worker(concurrency=2)
    ids = [credential_issue(achievement=achievement, recipient_email=f"f{n}@example.org").pk for n in range(3)]
    wait_for(lambda: count_with_status(ISSUED) == 3, what="3 credentials ISSUED", workers=[worker])

    disk.fill()
    files_before = files_under(media_root)
    held = [credential_issue(achievement=achievement, recipient_email=f"g{n}@example.org").pk for n in range(12)]
    wait_for(lambda: interrupted_by_full_disk(held) == set(held), what="every signing refused by the full disk",
             workers=[worker])
    # Not issued without its files; back to PENDING for the retries, with the reason on record.
    assert count_with_status(ISSUED, held) == 0
    assert set(Credential.objects.filter(pk__in=held).values_list("baked_png", flat=True)) == {""}

    # Uploads into the full disk: a clear 503 page, nothing stored, no half-written file.
    client.force_login(learner)
    outcome = achievement.learning_outcomes.first()
    prefix = f"outcome-{outcome.pk}"
    evidence = client.post(
        reverse("applications:evidence-add", args=[application.public_id, outcome.public_id]),
        {f"{prefix}-title": "Intyg", f"{prefix}-file": upload()}, HTTP_ACCEPT_LANGUAGE="en",
    )
    client.force_login(owner.user)
    logo = client.post(reverse("console:profile", args=[achievement.issuer.slug]),
                       {**VALID, "image": SimpleUploadedFile("logo.png", png(), "image/png")},
                       HTTP_ACCEPT_LANGUAGE="en")
    for response in (evidence, logo):
        assert response.status_code == 503
        assert response["Retry-After"] == "300"
        assert "The storage is full" in response.content.decode()
    assert Evidence.objects.count() == 0
    assert not Issuer.objects.get(pk=achievement.issuer.pk).image
    assert files_under(media_root) == files_before

    # Room again: the sweep (or the task's own retry) issues each held credential, once.
    disk.free()
    attempts = max(Credential.objects.filter(pk__in=held).values_list("attempts", flat=True))
    sweep_as_beat_would(held)
    wait_for(all_done, what="the held credentials ISSUED and mailed", workers=[worker], timeout=120)
    assert_credentials_exactly_once(ids + held, client=client, media_root=media_root, sink=mail_sink)
    client.force_login(learner)
    again = client.post(
        reverse("applications:evidence-add", args=[application.public_id, outcome.public_id]),
        {f"{prefix}-title": "Intyg", f"{prefix}-file": upload()},
    )
    assert again.status_code == 302
    assert Evidence.objects.count() == 1
    report("media disk full", held=len(held), attempts_while_full=attempts, upload_statuses=[
        evidence.status_code, logo.status_code])
