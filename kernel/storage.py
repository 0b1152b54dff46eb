"""File storage that leaves nothing half-written behind when the disk fills up or fails mid-write, and that
writes a file in place when its name is its own."""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage as DjangoFileSystemStorage
from django.core.files.storage import Storage
from django.core.files.utils import validate_file_name
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)


class FileSystemStorage(DjangoFileSystemStorage):
    """Django's FileSystemStorage, except that a save that fails part-way (ENOSPC, EIO, a quota) removes
    the file it had begun, instead of leaving a truncated file that a later read would take for the real one.

    Django's `_save` creates the file (O_EXCL) and then writes it chunk by chunk, with no clean-up on error.
    A file that was already there is never removed; the names saved here are random or written by one
    process at a time, so two saves racing for one new name (where the loser would take another) do not occur.
    """

    def _save(self, name: str, content: Any) -> str:
        path = self.path(name)
        existed = os.path.lexists(path)
        try:
            return super()._save(name, content)  # type: ignore[misc]  # django-stubs does not declare _save
        except OSError:
            # Only a file this call created: one that was there before belongs to someone else.
            if not existed and os.path.lexists(path):
                try:
                    os.remove(path)
                except OSError:
                    pass
            raise

    def overwrite(self, name: str, content: bytes) -> str:
        """Write `content` under exactly `name`, replacing any file there, and return the name.

        For files whose name is theirs alone and that one process writes at a time (a credential's baked
        images, under its signing claim): one open and one write, without `save`'s search for a free name,
        its existence checks and its file lock, which cost several times the write itself in a cohort.
        A write that fails part-way removes the file, as `_save` does."""
        validate_file_name(name, allow_relative_path=True)
        path = self.path(name)  # refuses a name that would leave the storage's directory
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC | getattr(os, "O_BINARY", 0)
        try:
            descriptor = os.open(path, flags, 0o666)
        except FileNotFoundError:  # the first file of its directory
            self._make_directory(os.path.dirname(path))
            descriptor = os.open(path, flags, 0o666)
        try:
            with os.fdopen(descriptor, "wb") as file:
                if self.file_permissions_mode is not None:
                    os.fchmod(file.fileno(), self.file_permissions_mode)
                file.write(content)
        except OSError:
            try:
                os.remove(path)
            except OSError:
                pass
            raise
        return os.path.relpath(path, self.location).replace("\\", "/")

    def _make_directory(self, directory: str) -> None:
        # As Django's _save does: the umask must not narrow an explicitly configured mode.
        if self.directory_permissions_mode is None:
            os.makedirs(directory, exist_ok=True)
            return
        old_umask = os.umask(0o777 & ~self.directory_permissions_mode)
        try:
            os.makedirs(directory, self.directory_permissions_mode, exist_ok=True)
        finally:
            os.umask(old_umask)


def storage_overwrite(storage: Storage, name: str, content: bytes) -> str:
    """Store `content` under exactly `name`, replacing a file an earlier (crashed) run may have left there.
    Our file system storage writes it in place; any other storage deletes the old file and saves anew."""
    if isinstance(storage, FileSystemStorage):
        return storage.overwrite(name, content)
    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(content))


# --- A full disk, answered clearly ---------------------------------------------------------------------
# The file system (or a quota) has no room: a condition of the server, not of what the user sent.
STORAGE_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


def is_storage_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in STORAGE_FULL_ERRNOS


class StorageFullMiddleware:
    """An upload into a full disk answers 503 with a page that says so (and when to try again), not the
    generic error page; the request's transaction has rolled back and the storage removed its partial file."""

    RETRY_AFTER_SECONDS = 300

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_storage_full(exception):
            return None
        logger.error("storage full", extra={"path": request.path, "error": str(exception)})
        response = render(request, "storage_full.html", status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response
