"""File storage that leaves nothing half-written behind when the disk fills up or fails mid-write."""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Callable
from typing import Any

from django.core.files.storage import FileSystemStorage as DjangoFileSystemStorage
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
