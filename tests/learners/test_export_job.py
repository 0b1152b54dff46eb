"""The data export as a background job: queued on commit, true progress, private file, one at a time,
owner-only download, deleted after EXPORT_KEEP_DAYS, failures shown and retried; names keep their letters."""

import io
import json
import zipfile
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from badges.models import Achievement
from learners import exports
from learners.errors import ExportTooLarge
from learners.exports import learner_export_request, learner_export_run, learner_exports_tidy
from learners.models import LearnerExport
from learners.services import learner_export_write
from learners.tasks import learner_export_task, learner_exports_tidy_task

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
Status = LearnerExport.Status


@pytest.fixture
def amina_client(amina):
    client = Client()
    client.force_login(amina)
    return client


def start(client, callbacks):
    with callbacks(execute=False) as queued:
        response = client.post(reverse("learners:export-start"))
    assert response.status_code == 302
    return queued


def test_asking_creates_a_job_queued_on_commit_and_the_task_writes_it(
        amina, amina_client, credential, django_capture_on_commit_callbacks, settings):
    queued = start(amina_client, django_capture_on_commit_callbacks)
    export = LearnerExport.objects.get(user=amina)
    assert export.status == Status.QUEUED and len(queued) == 1
    with mock.patch.object(learner_export_task, "delay") as delay:
        queued[0]()
    delay.assert_called_once_with(export.pk)

    learner_export_task(export.pk)
    export.refresh_from_db()
    assert export.status == Status.READY
    assert (export.items_done, export.items_total) == (2, 2)  # one credential and the profile
    assert export.expires_at == export.finished_at + timedelta(days=settings.EXPORT_KEEP_DAYS)
    assert exports.export_storage().exists(export.file_name)
    assert not export.file_name.startswith(settings.MEDIA_URL.strip("/"))

    learner_export_task(export.pk)  # run twice: nothing changes, no second file
    again = LearnerExport.objects.get(pk=export.pk)
    assert (again.status, again.file_name, again.finished_at) == (Status.READY, export.file_name, export.finished_at)


def test_progress_is_reported_item_by_item(amina, credential, issue):
    issue("amina@example.org")
    calls = []
    learner_export_write(user=amina, file=io.BytesIO(), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_progress_is_stored_while_running(amina, credential):
    export = learner_export_request(user=amina)
    seen = []

    def watch(*, user, file, progress):
        def spy(done, total):
            progress(done, total)
            row = LearnerExport.objects.get(pk=export.pk)
            seen.append((row.status, row.items_done, row.items_total))
        learner_export_write(user=user, file=file, progress=spy)

    with mock.patch.object(exports, "learner_export_write", watch):
        learner_export_run(export_id=export.pk)
    assert seen == [("running", 0, 2), ("running", 1, 2), ("running", 2, 2)]


def test_the_status_json_shows_progress_and_then_the_download(amina, amina_client, credential,
                                                              django_capture_on_commit_callbacks):
    start(amina_client, django_capture_on_commit_callbacks)
    export = LearnerExport.objects.get(user=amina)
    url = reverse("learners:export-status", args=[export.public_id])
    snapshot = amina_client.get(url, **EN).json()
    assert (snapshot["done"], snapshot["status"]) == (False, "queued")
    assert snapshot["text"] == "Your data export is waiting to start."
    page = amina_client.get(reverse("learners:export"), **EN).content.decode()
    assert "live_progress.js" in page and 'href="/wallet/export/">Refresh</a>' in page

    learner_export_run(export_id=export.pk)
    snapshot = amina_client.get(url, **EN).json()
    assert snapshot["done"] and (snapshot["finished"], snapshot["total"]) == (2, 2)
    download = reverse("learners:export-download", args=[export.public_id])
    assert f'href="{download}"' in snapshot["html"]
    assert "Your data is ready to download." in snapshot["text"]


def test_one_running_export_per_person(amina, amina_client, django_capture_on_commit_callbacks):
    start(amina_client, django_capture_on_commit_callbacks)
    queued = start(amina_client, django_capture_on_commit_callbacks)
    assert LearnerExport.objects.filter(user=amina).count() == 1 and queued == []
    assert learner_export_request(user=amina) == LearnerExport.objects.get(user=amina)


def test_only_the_owner_can_download_or_watch(amina, saman, amina_client, credential):
    export = learner_export_request(user=amina)
    learner_export_run(export_id=export.pk)
    download = reverse("learners:export-download", args=[export.public_id])
    assert amina_client.get(download).status_code == 200
    other = Client()
    other.force_login(saman)
    assert other.get(download).status_code == 404
    assert other.get(reverse("learners:export-status", args=[export.public_id])).status_code == 404
    assert Client().get(download).status_code == 302  # to sign in


def test_a_failure_is_shown_and_can_be_retried(amina, amina_client, credential, django_capture_on_commit_callbacks):
    export = learner_export_request(user=amina)
    refusal = ExportTooLarge("export_too_large", "too large")
    with mock.patch.object(exports, "learner_export_write", side_effect=refusal):
        learner_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert (export.status, export.error_code) == (Status.FAILED, "export_too_large")
    page = amina_client.get(reverse("learners:export"), **EN).content.decode()
    assert "Your data is too large to download in one file." in page and "Try again" in page
    download = reverse("learners:export-download", args=[export.public_id])
    assert amina_client.get(download).status_code == 404

    start(amina_client, django_capture_on_commit_callbacks)
    retry = LearnerExport.objects.filter(user=amina).exclude(pk=export.pk).get()
    learner_export_run(export_id=retry.pk)
    retry.refresh_from_db()
    assert retry.status == Status.READY


def test_an_unexpected_error_fails_the_job_with_a_general_message(amina, amina_client, credential):
    export = learner_export_request(user=amina)
    with mock.patch.object(exports, "learner_export_write", side_effect=RuntimeError("disk")):
        learner_export_run(export_id=export.pk)
    page = amina_client.get(reverse("learners:export"), **EN).content.decode()
    assert "Something went wrong while preparing your data." in page and "disk" not in page


def test_files_are_deleted_after_the_keep_days(amina, credential, settings):
    settings.EXPORT_KEEP_DAYS = 3
    export = learner_export_request(user=amina)
    learner_export_run(export_id=export.pk)
    export.refresh_from_db()
    name = export.file_name
    with freeze_time(timezone.now() + timedelta(days=2, hours=23)):
        assert learner_exports_tidy() == 0
    assert exports.export_storage().exists(name)
    with freeze_time(timezone.now() + timedelta(days=3, minutes=1)):
        learner_exports_tidy_task()
    export.refresh_from_db()
    assert (export.status, export.file_name) == (Status.EXPIRED, "")
    assert not exports.export_storage().exists(name)


def test_a_job_left_by_a_crashed_worker_ends_and_can_be_asked_again(amina):
    export = learner_export_request(user=amina)
    LearnerExport.objects.filter(pk=export.pk).update(status=Status.RUNNING, started_at=timezone.now())
    with freeze_time(timezone.now() + timedelta(hours=1)):
        learner_exports_tidy()
    export.refresh_from_db()
    assert (export.status, export.error_code) == (Status.FAILED, "interrupted")
    assert learner_export_request(user=amina).pk != export.pk


def test_deleting_the_account_deletes_the_export_files(amina, credential):
    from learners.services import learner_account_delete

    export = learner_export_request(user=amina)
    learner_export_run(export_id=export.pk)
    export.refresh_from_db()
    learner_account_delete(user=amina, password="correct-horse-battery")
    assert not LearnerExport.objects.exists()
    assert not exports.export_storage().exists(export.file_name)


def test_zip_names_keep_their_letters_and_are_marked_utf8(amina, amina_client, issue, achievement):
    Achievement.objects.filter(pk=achievement.pk).update(name='Grundläggande svetsning: Ö/Å "del 1"')
    credential = issue("amina@example.org")
    export = learner_export_request(user=amina)
    learner_export_run(export_id=export.pk)
    response = amina_client.get(reverse("learners:export-download", args=[export.public_id]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    folder = f"credentials/Grundläggande-svetsning-Ö-Å-del-1-{credential.public_id}"
    assert f"{folder}/credential.json" in archive.namelist()
    unicode_names = [info for info in archive.infolist() if not info.filename.isascii()]
    assert unicode_names and all(info.flag_bits & 0x800 for info in unicode_names)  # marked as UTF-8
    profile = json.loads(archive.read("profile.json"))
    assert profile["credentials"][0]["folder"] == folder


def test_downloads_name_the_file_per_rfc_6266(amina, amina_client, issue, achievement):
    Achievement.objects.filter(pk=achievement.pk).update(name="Grundläggande svetsning")
    credential = issue("amina@example.org")
    response = amina_client.get(reverse("learners:credential-download", args=[credential.public_id, "json"]))
    assert response["Content-Disposition"] == (
        f'attachment; filename="Grundlaggande-svetsning-{credential.public_id}.json"; '
        f"filename*=UTF-8''Grundl%C3%A4ggande-svetsning-{credential.public_id}.json"
    )
