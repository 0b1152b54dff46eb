"""Celery entry points for direct awards. Services queue them by name (assessment.award_jobs), so the names
never change: messages already in a broker must still find their task after an upgrade."""

from __future__ import annotations

from celery import shared_task

from assessment.award_jobs import award_job_run, award_jobs_resume_stale
from badges.credentials.signing import TRANSIENT_ERRORS


@shared_task(
    name="assessment.tasks.award_job_run_task",
    acks_late=True,
    reject_on_worker_lost=True,  # a killed worker's job comes back; each row is still issued once
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=8,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
)
def award_job_run_task(batch_id: int) -> None:
    award_job_run(batch_id=batch_id)


@shared_task(name="assessment.tasks.award_jobs_resume_stale_task", acks_late=True)
def award_jobs_resume_stale_task() -> None:
    """Periodic: queue again the award jobs whose worker went away."""
    award_jobs_resume_stale()
