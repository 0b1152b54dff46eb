"""A learner's data export as background work: ask for it, watch it progress, download it, and it goes away.

`learner_export_request` creates the job (one in progress per person) and queues the task after commit;
the task calls `learner_export_run`, which writes the ZIP (learners.services.learner_export_write)
with its progress into the private "exports" storage. `learner_exports_tidy` (periodic) deletes files
older than EXPORT_KEEP_DAYS and ends jobs a crashed worker left behind, so they can be asked for again.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from celery import current_app
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from learners.errors import LearnerError
from learners.models import LearnerExport
from learners.services import learner_export_write

if TYPE_CHECKING:
    from kernel.users import User

logger = logging.getLogger(__name__)

EXPORT_TASK = "learners.tasks.learner_export_task"
# A job running this long has lost its worker (exports take seconds to minutes): it may be taken over.
STALE_AFTER = timedelta(minutes=30)
Status = LearnerExport.Status


def export_storage() -> Storage:
    """Where export files are kept: private, outside MEDIA_URL; they leave only through the owner's download."""
    return storages["exports"]


def learner_export_latest(*, user: User) -> LearnerExport | None:
    return LearnerExport.objects.filter(user=user).order_by("-created_at", "-pk").first()


def learner_export_request(*, user: User) -> LearnerExport:
    """Start preparing the person's data; while one export is in progress, asking again returns it."""
    running = LearnerExport.objects.filter(user=user, status__in=LearnerExport.RUNNING_STATUSES).first()
    if running is not None:
        return running
    try:
        with transaction.atomic():
            export = LearnerExport.objects.create(user=user)
    except IntegrityError:  # two requests at once: the constraint let one through, and that one stands
        return LearnerExport.objects.get(user=user, status__in=LearnerExport.RUNNING_STATUSES)
    export_id = export.pk
    # robust: a broker outage must not turn the request into an error; the tidy task ends the job later.
    transaction.on_commit(lambda: current_app.tasks[EXPORT_TASK].delay(export_id), robust=True)
    return export


def learner_export_run(*, export_id: int) -> None:
    """Write the ZIP for one job. Safe to run twice: only the run that claims the job writes it."""
    started = timezone.now()
    claimable = Q(status=Status.QUEUED) | Q(status=Status.RUNNING, started_at__lt=started - STALE_AFTER)
    claimed = LearnerExport.objects.filter(claimable, pk=export_id).update(
        status=Status.RUNNING, started_at=started, items_done=0, error_code=""
    )
    if not claimed:
        return
    export = LearnerExport.objects.select_related("user").get(pk=export_id)
    ours = LearnerExport.objects.filter(pk=export_id, status=Status.RUNNING, started_at=started)

    def progress(done: int, total: int) -> None:
        ours.update(items_done=done, items_total=total)

    storage, name = export_storage(), f"{export.user_id}/{export.public_id}.zip"
    try:
        with tempfile.TemporaryFile() as file:
            learner_export_write(user=export.user, file=file, progress=progress)
            size = file.tell()
            file.seek(0)
            if storage.exists(name):  # left by a run that lost its claim
                storage.delete(name)
            name = storage.save(name, File(file, name=name))
    except LearnerError as refusal:
        ours.update(status=Status.FAILED, error_code=refusal.code, finished_at=timezone.now())
        return
    except Exception:
        # Shown as a failure the person can retry; the details go to the log, not to the page.
        logger.exception("learner export failed", extra={"export_id": export_id})
        ours.update(status=Status.FAILED, error_code="unexpected", finished_at=timezone.now())
        return
    finished_at = timezone.now()
    finished = ours.update(
        status=Status.READY, file_name=name, file_size=size, finished_at=finished_at,
        expires_at=finished_at + timedelta(days=settings.EXPORT_KEEP_DAYS),
    )
    if not finished:  # another run took over; its file stands
        logger.warning("export claim lost before finishing", extra={"export_id": export_id})


def learner_export_failure_message(export: LearnerExport) -> str:
    messages = {
        "export_too_large": _("Your data is too large to download in one file. Please contact support."),
        "interrupted": _("Preparing your data was interrupted."),
    }
    return messages.get(export.error_code, _("Something went wrong while preparing your data."))


def learner_exports_tidy(*, now: datetime | None = None) -> int:
    """Delete the files of exports older than EXPORT_KEEP_DAYS; end jobs whose worker is gone. Returns
    how many files were deleted."""
    now = now or timezone.now()
    deleted = 0
    for export in LearnerExport.objects.filter(status=Status.READY, expires_at__lte=now):
        if export.file_name:
            export_storage().delete(export.file_name)
        deleted += LearnerExport.objects.filter(pk=export.pk, status=Status.READY).update(
            status=Status.EXPIRED, file_name=""
        )
    stuck = Q(status=Status.RUNNING, started_at__lt=now - STALE_AFTER) | Q(
        status=Status.QUEUED, created_at__lt=now - STALE_AFTER
    )
    LearnerExport.objects.filter(stuck).update(status=Status.FAILED, error_code="interrupted", finished_at=now)
    return deleted
