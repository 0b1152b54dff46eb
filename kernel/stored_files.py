"""Files replaced by newer ones: deleted once nothing points at them any more.

A replaced logo or badge image would otherwise stay in the media storage for ever. The old file is
deleted only after the transaction that replaced it commits (a rollback keeps the old row, which still
needs it), and only when no row references it then: a new version of a micro-credential shares its
predecessor's image files, so the caller says how to find references.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.core.files.storage import Storage
from django.db import transaction

logger = logging.getLogger(__name__)


def stored_files_delete_unused(*, storage: Storage, names: Iterable[str], in_use: Callable[[str], bool]) -> None:
    """After commit, delete each of `names` from `storage` that `in_use(name)` no longer reports."""
    candidates = [name for name in dict.fromkeys(names) if name]
    if not candidates:
        return

    def delete() -> None:
        for name in candidates:
            if in_use(name):
                continue
            try:
                storage.delete(name)
            except OSError:  # a file already gone, or a storage hiccup: the next replacement does not depend on it
                logger.warning("replaced file not deleted", extra={"file": name})

    transaction.on_commit(delete)
