"""Writing a file under a name that is its own (a credential's baked images): in place, replacing what an
earlier run left, never a second name, nothing half-written left behind."""

import errno
import os
import stat
from unittest import mock

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import InMemoryStorage

from kernel.storage import FileSystemStorage, storage_overwrite


def test_a_new_file_is_written_under_exactly_its_name_with_its_directory(tmp_path):
    storage = FileSystemStorage(location=tmp_path)

    name = storage_overwrite(storage, "credentials/abc.png", b"baked")

    assert name == "credentials/abc.png"
    assert (tmp_path / "credentials" / "abc.png").read_bytes() == b"baked"


def test_a_file_an_earlier_run_left_is_replaced_not_kept_beside_a_new_name(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    (tmp_path / "credentials").mkdir()
    (tmp_path / "credentials" / "abc.png").write_bytes(b"half-written by a crashed run, and longer")

    name = storage_overwrite(storage, "credentials/abc.png", b"baked")

    assert name == "credentials/abc.png"
    assert sorted(path.name for path in (tmp_path / "credentials").iterdir()) == ["abc.png"]
    assert (tmp_path / "credentials" / "abc.png").read_bytes() == b"baked"


def test_the_configured_permissions_apply_whatever_the_umask(tmp_path):
    storage = FileSystemStorage(location=tmp_path, file_permissions_mode=0o640, directory_permissions_mode=0o750)
    old_umask = os.umask(0o077)
    try:
        storage_overwrite(storage, "credentials/abc.svg", b"<svg/>")
    finally:
        os.umask(old_umask)

    assert stat.S_IMODE((tmp_path / "credentials" / "abc.svg").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "credentials").stat().st_mode) == 0o750


@pytest.mark.parametrize("name", ["../outside.png", "/etc/outside.png", "credentials/../../outside.png"])
def test_a_name_that_leaves_the_storage_is_refused(tmp_path, name):
    storage = FileSystemStorage(location=tmp_path / "media")

    with pytest.raises(SuspiciousFileOperation):
        storage_overwrite(storage, name, b"x")

    assert not (tmp_path / "outside.png").exists()


def test_a_write_that_fails_part_way_leaves_no_file(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    full = OSError(errno.ENOSPC, "No space left on device")

    with mock.patch("kernel.storage.os.fdopen") as fdopen:
        fdopen.return_value.__enter__.return_value.write.side_effect = full
        with pytest.raises(OSError) as raised:
            storage_overwrite(storage, "credentials/abc.png", b"baked")

    assert raised.value.errno == errno.ENOSPC
    assert not (tmp_path / "credentials" / "abc.png").exists()


def test_another_storage_replaces_the_file_through_its_own_api():
    storage = InMemoryStorage()
    storage_overwrite(storage, "credentials/abc.png", b"first")

    name = storage_overwrite(storage, "credentials/abc.png", b"second")

    assert name == "credentials/abc.png"
    assert storage.open(name).read() == b"second"
    assert storage.listdir("credentials") == ([], ["abc.png"])
