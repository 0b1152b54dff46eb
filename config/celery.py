"""The Celery app. Tasks live in each app's tasks.py; every periodic job is declared here."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("mikromerit")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _schedule_periodic_tasks(sender: Celery, **kwargs: object) -> None:
    from django.conf import settings

    sender.add_periodic_task(
        settings.CREDENTIAL_SWEEP_INTERVAL_MINUTES * 60,
        sender.signature("badges.tasks.credential_sweep_stale_task"),
        name="credential_sweep_stale",
    )
    sender.add_periodic_task(10 * 60, sender.signature("notifications.tasks.notice_sweep_task"), name="notice_sweep")
    sender.add_periodic_task(
        5 * 60, sender.signature("webhooks.tasks.webhook_deliveries_sweep_task"), name="webhook_deliveries_sweep"
    )
    sender.add_periodic_task(
        crontab(hour=settings.NOTICE_DIGEST_HOUR, minute=0),
        sender.signature("notifications.tasks.notice_digest_task"),
        name="notice_digest",
    )
    sender.add_periodic_task(
        60 * 60, sender.signature("learners.tasks.learner_exports_tidy_task"), name="learner_exports_tidy"
    )
    sender.add_periodic_task(
        crontab(hour=9, minute=0),  # in the morning, when people read mail; each credential is reminded once
        sender.signature("badges.tasks.credential_expiry_remind_task"),
        name="credential_expiry_remind",
    )
    sender.add_periodic_task(  # spent and expired wallet nonces (OpenID4VCI)
        60 * 60, sender.signature("openid4vci.tasks.wallet_nonces_tidy_task"), name="wallet_nonces_tidy"
    )
    sender.add_periodic_task(  # award jobs whose worker went away (each row is still issued once)
        5 * 60, sender.signature("assessment.tasks.award_jobs_resume_stale_task"), name="award_jobs_resume_stale"
    )
