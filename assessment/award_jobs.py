"""Issuing a confirmed direct award, row by row in chunks: the one machinery behind the console's awards
and the API's award jobs.

Exactly once, whatever happens to the worker:
- a chunk takes its WAITING rows with SELECT … FOR UPDATE, issues each row's credential and marks the row
  ISSUED in the same transaction; a worker killed mid-chunk rolls all of it back, and the next run finds
  those rows WAITING again. A second runner of the same job (a redelivered message) waits for the lock and
  then sees the rows are no longer WAITING.
- the job's state changes by conditional UPDATEs, so running the task twice does no harm;
- a job whose worker vanished keeps an old heartbeat; `award_jobs_resume_stale` (periodic) queues it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from assessment.award_progress import failure_reason
from assessment.models import AwardBatch, AwardRecipient
from assessment.webhook_events import award_job_finished_emit
from badges.credentials.issuing import NewRecipient, credentials_issue
from badges.models import Achievement, Credential
from kernel.bulk import rows_update
from learners.selectors import learner_verified_dids_for_emails

RUN_TASK = "assessment.tasks.award_job_run_task"  # queued by name; the name never changes (docs/architecture.md)
# Rows per transaction: their credentials are recorded with a few bulk INSERTs and signed by one task.
CHUNK_ROWS = 100
STALE_MINUTES = 10  # no heartbeat for this long: the worker is gone
Status = AwardBatch.Status
State = AwardRecipient.State
# A row has failed when the job could not issue it, or when its credential could not be signed.
FAILED_ROWS = Q(state=State.FAILED) | Q(credential__status=Credential.Status.FAILED)


def row_error(code: str) -> str:
    """Why a row was not issued, in words an issuer can act on."""
    return failure_reason(code)


# --- Queueing ------------------------------------------------------------------------------------------
def award_job_queue(batch_id: int) -> None:
    """Run the job once the transaction commits (robust: a broker outage leaves it for the stale sweep)."""
    transaction.on_commit(lambda: current_app.tasks[RUN_TASK].delay(batch_id), robust=True)


# --- Running -------------------------------------------------------------------------------------------
def award_job_run(*, batch_id: int) -> None:
    """Issue every WAITING row of a queued or running job, a chunk per transaction. Safe to run twice."""
    now = timezone.now()
    started = AwardBatch.objects.filter(pk=batch_id, status__in=(Status.QUEUED, Status.RUNNING)).update(
        status=Status.RUNNING, heartbeat_at=now
    )
    if not started:
        return  # finished, stopped, not confirmed, or unknown: nothing to do
    batch = AwardBatch.objects.select_related("achievement", "created_by").get(pk=batch_id)
    while True:
        with transaction.atomic():
            done = _chunk_issue(batch)
        if done == 0:
            break
    _job_finish(batch)


def _chunk_issue(batch: AwardBatch) -> int:
    """Issue up to CHUNK_ROWS waiting rows in the caller's transaction; the number of rows handled."""
    rows = list(
        AwardRecipient.objects.select_for_update(of=("self",))
        .filter(batch=batch, state=State.WAITING)
        .order_by("line")[:CHUNK_ROWS]
    )
    if not rows:
        return 0
    achievement = Achievement.objects.get(pk=batch.achievement_id)
    if achievement.status != Achievement.Status.PUBLISHED:
        _job_stop(batch, "not_published")
        return 0
    dids = learner_verified_dids_for_emails(row.email for row in rows)
    credentials = credentials_issue(
        achievement=achievement,
        recipients=[
            NewRecipient(email=row.email, name=row.name, did=dids.get(row.email.strip().lower(), ""))
            for row in rows
        ],
        issued_by=batch.created_by,
        valid_until=batch.valid_until,
    )
    rows_update(AwardRecipient, fields=["credential"], same={"state": State.ISSUED},
                rows=[(row.pk, credential.pk) for row, credential in zip(rows, credentials, strict=True)])
    # The last statement of the chunk (tests/services hold the batch row here to catch a worker mid-chunk).
    AwardBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now())
    return len(rows)


def _job_stop(batch: AwardBatch, code: str) -> None:
    """A refusal that holds for every row: the remaining rows fail with it and the job stops."""
    with transaction.atomic():
        AwardRecipient.objects.filter(batch=batch, state=State.WAITING).update(state=State.FAILED, error_code=code)
        stopped = AwardBatch.objects.filter(pk=batch.pk, status=Status.RUNNING).update(
            status=Status.FAILED, error_code=code, finished_at=timezone.now()
        )
        if stopped:
            award_job_finished_emit(AwardBatch.objects.select_related("achievement").get(pk=batch.pk))


def _job_finish(batch: AwardBatch) -> None:
    with transaction.atomic():
        # Locked, so a re-run of failed rows (which sets rows WAITING under the same lock) cannot slip in
        # between "nothing is waiting" and "finished".
        locked = AwardBatch.objects.select_for_update().get(pk=batch.pk)
        waiting = AwardRecipient.objects.filter(batch=batch, state=State.WAITING).exists()
        if locked.status == Status.RUNNING and not waiting:
            locked.status, locked.finished_at = Status.FINISHED, timezone.now()
            locked.save(update_fields=["status", "finished_at"])
            award_job_finished_emit(locked)


# --- Re-running failed rows ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RerunRefusal:
    not_failed: list[int]


@transaction.atomic
def award_job_rows_rerun(*, batch: AwardBatch, lines: list[int]) -> list[int] | RerunRefusal:
    """Issue the given failed rows again (a new credential each; a failed one stays as it was).

    Every named row must have failed, else nothing changes and the rows that did not are returned.
    The caller has checked the person may award (assessment.awards.award_batch_rows_rerun)."""
    locked = AwardBatch.objects.select_for_update().get(pk=batch.pk)
    wanted = set(lines)
    failed = set(
        AwardRecipient.objects.filter(FAILED_ROWS, batch=locked, line__in=wanted).values_list("line", flat=True)
    )
    if wanted - failed:
        return RerunRefusal(not_failed=sorted(wanted - failed))
    AwardRecipient.objects.filter(batch=locked, line__in=failed).update(
        state=State.WAITING, credential=None, error_code=""
    )
    locked.status, locked.error_code, locked.finished_at = Status.QUEUED, "", None
    locked.heartbeat_at = timezone.now()
    locked.save(update_fields=["status", "error_code", "finished_at", "heartbeat_at"])
    award_job_queue(locked.pk)
    return sorted(failed)


# --- Jobs that lost their worker -----------------------------------------------------------------------
def award_jobs_resume_stale() -> int:
    """Queue again every queued or running job with no heartbeat for STALE_MINUTES; the number queued."""
    stale_before = timezone.now() - timedelta(minutes=STALE_MINUTES)
    ids = list(
        AwardBatch.objects.filter(status__in=(Status.QUEUED, Status.RUNNING), heartbeat_at__lt=stale_before)
        .values_list("pk", flat=True)
    )
    for batch_id in ids:
        current_app.tasks[RUN_TASK].delay(batch_id)
    return len(ids)


# --- Progress ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class JobProgress:
    total: int
    waiting: int
    issued: int  # rows with a credential that has not failed (signed or still being signed)
    failed: int
    signed: int  # credentials signed and delivered (ISSUED, or REVOKED since)

    @property
    def done(self) -> int:
        return self.issued + self.failed


def award_job_progress(batch: AwardBatch) -> JobProgress:
    """The job's counts, from one query over its rows."""
    credential_failed = Q(credential__status=Credential.Status.FAILED)
    counts = AwardRecipient.objects.filter(batch=batch).aggregate(
        total=Count("pk"),
        waiting=Count("pk", filter=Q(state=State.WAITING)),
        failed=Count("pk", filter=FAILED_ROWS),
        issued=Count("pk", filter=Q(state=State.ISSUED) & ~credential_failed),
        signed=Count("pk", filter=Q(credential__status__in=(Credential.Status.ISSUED, Credential.Status.REVOKED))),
    )
    return JobProgress(**counts)

