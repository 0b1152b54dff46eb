"""Celery entry points for the credential pipeline. Each fetches nothing and decides only about retries.

Services queue these by name (badges.credentials.queue), so the names below never change: messages
already in a broker must still find their task after an upgrade.
"""

from __future__ import annotations

from celery import shared_task

from badges.credentials.expiry import credential_expiry_reminders_send
from badges.credentials.revocation import credential_revocation_notify
from badges.credentials.signing import TRANSIENT_ERRORS, credential_sign, credentials_sign
from badges.credentials.sweeping import credential_sweep_stale


@shared_task(
    name="badges.tasks.credential_sign_task",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=8,
    retry_backoff=5,  # 5 s, 10 s, 20 s, … capped below
    retry_backoff_max=600,
    retry_jitter=True,
)
def credential_sign_task(credential_id: int) -> None:
    credential_sign(credential_id=credential_id)


@shared_task(
    name="badges.tasks.credentials_sign_task",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=8,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
)
def credentials_sign_task(credential_ids: list[int]) -> None:
    """A chunk of credentials (a cohort's are queued CREDENTIAL_SIGNING_CHUNK_SIZE at a time)."""
    credentials_sign(credential_ids=credential_ids)


@shared_task(name="badges.tasks.credential_sweep_stale_task", acks_late=True)
def credential_sweep_stale_task() -> None:
    credential_sweep_stale()


@shared_task(
    name="badges.tasks.credential_revocation_notify_task",
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=5,
    retry_backoff=30,
)
def credential_revocation_notify_task(credential_id: int) -> None:
    credential_revocation_notify(credential_id=credential_id)


@shared_task(name="badges.tasks.credential_expiry_remind_task", acks_late=True)
def credential_expiry_remind_task() -> None:
    """Daily: remind holders before their credentials expire (each credential once)."""
    credential_expiry_reminders_send()
