"""The application and award-job events integrators receive by webhook: ids, counts and public addresses only."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from assessment.models import Application, AwardBatch, AwardRecipient
from badges.credentials.webhook_events import webhook_time
from badges.models import Credential
from webhooks.emitting import webhook_event_emit
from webhooks.events import EventType


def application_webhook_emit(application: Application, event_type: EventType, **extra: Any) -> None:
    """Inside the transaction that changed the application, once per change."""
    achievement = application.achievement
    data = {"application": {
        "id": str(application.public_id),
        "achievement": {"id": str(achievement.public_id), "url": achievement.uri},
        "submitted_at": webhook_time(application.submitted_at),
        **extra,
    }}
    webhook_event_emit(issuer_id=achievement.issuer_id, event_type=event_type, data=data)


def award_job_finished_emit(batch: AwardBatch) -> None:
    """Inside the transaction that marked the job finished (or stopped), once: how many rows were issued
    and how many failed (the same rule as the job's own figures, award_jobs.FAILED_ROWS)."""
    signing_failed = Q(credential__status=Credential.Status.FAILED)
    counts = AwardRecipient.objects.filter(batch=batch).aggregate(
        issued=Count("pk", filter=Q(state=AwardRecipient.State.ISSUED) & ~signing_failed),
        failed=Count("pk", filter=Q(state=AwardRecipient.State.FAILED) | signing_failed),
    )
    achievement = batch.achievement
    data = {"award_job": {
        "id": str(batch.public_id),
        "achievement": {"id": str(achievement.public_id), "url": achievement.uri},
        "issued": counts["issued"], "failed": counts["failed"],
        "finished_at": webhook_time(batch.finished_at),
    }}
    webhook_event_emit(issuer_id=batch.issuer_id, event_type=EventType.AWARD_JOB_FINISHED, data=data)
