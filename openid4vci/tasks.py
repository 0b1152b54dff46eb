"""Celery entry points for wallet offers."""

from __future__ import annotations

from celery import shared_task

from openid4vci.offers import wallet_nonces_tidy


@shared_task(name="openid4vci.tasks.wallet_nonces_tidy_task", acks_late=True)
def wallet_nonces_tidy_task() -> None:
    wallet_nonces_tidy()
