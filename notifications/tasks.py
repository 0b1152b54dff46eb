"""Celery entry points for e-mail. Services queue them by name (notifications.sending); the names stay."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.db import InterfaceError, OperationalError

from notifications.digests import digest_recipients, digest_send
from notifications.sending import notice_deliver, notices_stale_requeue


@shared_task(
    name="notifications.tasks.notice_deliver_task",
    acks_late=True,
    # A database that is briefly away (a restart) too: the notice is claimed only in a transaction that
    # committed, so a retry either finds it still WAITING or already claimed.
    autoretry_for=(smtplib.SMTPException, OSError, OperationalError, InterfaceError),
    max_retries=8,
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
)
def notice_deliver_task(notice_id: int) -> None:
    notice_deliver(notice_id=notice_id)


@shared_task(
    name="notifications.tasks.notices_deliver_task",
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    max_retries=8,
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
)
def notices_deliver_task(notice_ids: list[int]) -> None:
    """Many notices decided on together (a cohort's claim e-mails). A retry skips those already sent."""
    for notice_id in notice_ids:
        notice_deliver(notice_id=notice_id)


@shared_task(name="notifications.tasks.notice_sweep_task", acks_late=True)
def notice_sweep_task() -> None:
    notices_stale_requeue()


@shared_task(name="notifications.tasks.notice_digest_task", acks_late=True)
def notice_digest_task() -> None:
    for user_id in digest_recipients():
        digest_send(user_id=user_id)
