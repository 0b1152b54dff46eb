"""A disk that fills up mid-write: nothing half-written stays behind, and the person uploading is told
clearly (503, "the storage is full"), never the generic error page. tests/faults fills a real file system."""

import errno
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from assessment.models import Evidence
from kernel.storage import FileSystemStorage
from tests.assessment.conftest import PDF, upload

pytestmark = pytest.mark.django_db


class DiskFillsUp(FileSystemStorage):
    """The real storage, on a disk that has room for the first 16 bytes of a file and no more."""

    def _save(self, name, content):
        return super()._save(name, _FirstChunkThenFull(content))


class _FirstChunkThenFull:
    def __init__(self, content):
        self.content = content

    def chunks(self):
        data = self.content.read()
        yield data[:16]
        raise OSError(errno.ENOSPC, "No space left on device")


class BrokenDisk(FileSystemStorage):
    def _save(self, name, content):
        raise OSError(errno.EIO, "Input/output error")


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def test_a_save_that_fails_part_way_leaves_no_file(tmp_path):
    storage = DiskFillsUp(location=tmp_path)

    with pytest.raises(OSError) as raised:
        storage.save("evidence/intyg.pdf", ContentFile(PDF))

    assert raised.value.errno == errno.ENOSPC
    assert files_under(tmp_path) == []


def test_a_failed_save_keeps_the_file_that_was_already_there(tmp_path):
    (tmp_path / "intyg.pdf").write_bytes(PDF)

    with pytest.raises(OSError):
        DiskFillsUp(location=tmp_path).save("intyg.pdf", ContentFile(b"x" * 64))

    # The new file went under another name and was removed; the old one is untouched.
    assert [(path.name, path.read_bytes()) for path in files_under(tmp_path)] == [("intyg.pdf", PDF)]


@pytest.fixture
def evidence_on_a_full_disk(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "evidence": {
        "BACKEND": "tests.assessment.test_evidence_disk_full.DiskFillsUp", "OPTIONS": {"location": tmp_path}}}
    return tmp_path


def test_uploading_evidence_into_a_full_disk_says_so_and_stores_nothing(
    client, evidence_on_a_full_disk, learner, application, outcome
):
    client.force_login(learner)
    prefix = f"outcome-{outcome.pk}"

    response = client.post(
        reverse("applications:evidence-add", args=[application.public_id, outcome.public_id]),
        {f"{prefix}-title": "Intyg", f"{prefix}-narrative": "Från praktiken.", f"{prefix}-file": upload()},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    assert "The storage is full" in response.content.decode()
    assert Evidence.objects.count() == 0
    assert files_under(evidence_on_a_full_disk) == []


def test_other_os_errors_still_reach_the_error_page(client, settings, tmp_path, learner, application, outcome):
    settings.STORAGES = {**settings.STORAGES, "evidence": {
        "BACKEND": "tests.assessment.test_evidence_disk_full.BrokenDisk", "OPTIONS": {"location": tmp_path}}}
    client.force_login(learner)
    client.raise_request_exception = False
    prefix = f"outcome-{outcome.pk}"

    response = client.post(
        reverse("applications:evidence-add", args=[application.public_id, outcome.public_id]),
        {f"{prefix}-title": "Intyg", f"{prefix}-file": upload()},
    )

    assert response.status_code == 500
