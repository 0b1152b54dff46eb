"""Queueing the credential pipeline's Celery tasks once the transaction commits.

Services queue work here and the tasks (badges.tasks) call services; the tasks are looked up by their
registered names, so neither module imports the other. The names are part of a deployment: messages
already in the broker keep working across an upgrade, so they never change.
"""

from __future__ import annotations

from collections.abc import Sequence

from celery import current_app
from django.conf import settings
from django.db import transaction

SIGN = "badges.tasks.credential_sign_task"
SIGN_CHUNK = "badges.tasks.credentials_sign_task"
SWEEP = "badges.tasks.credential_sweep_stale_task"
# Revocation notices are now notifications.Notice rows; the task stays registered so that messages queued
# by an earlier version still find it after an upgrade.
NOTIFY_REVOKED = "badges.tasks.credential_revocation_notify_task"


def _queue(task_name: str, credential_id: int) -> None:
    current_app.tasks[task_name].delay(credential_id)


def credential_signing_queue(credential_id: int) -> None:
    """Sign the credential once the transaction commits.

    robust: a broker outage must not turn a recorded request into an error for the caller (who would retry
    and issue twice); the row stays PENDING and the sweeper queues it once the broker is back.
    """
    transaction.on_commit(lambda: _queue(SIGN, credential_id), robust=True)


def credentials_signing_queue(credential_ids: Sequence[int]) -> None:
    """Sign the credentials, CREDENTIAL_SIGNING_CHUNK_SIZE per task, once the transaction commits (robust, as
    above)."""
    ids = list(credential_ids)
    size = settings.CREDENTIAL_SIGNING_CHUNK_SIZE
    chunks = [ids[start:start + size] for start in range(0, len(ids), size)]

    def queue() -> None:
        for chunk in chunks:
            current_app.tasks[SIGN_CHUNK].delay(chunk)

    if chunks:
        transaction.on_commit(queue, robust=True)
