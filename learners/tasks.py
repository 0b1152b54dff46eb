"""Celery entry points for learners' data exports. The names are part of a deployment: never change them."""

from __future__ import annotations

from celery import shared_task

from learners.exports import learner_export_run, learner_exports_tidy


@shared_task(name="learners.tasks.learner_export_task", acks_late=True)
def learner_export_task(export_id: int) -> None:
    learner_export_run(export_id=export_id)


@shared_task(name="learners.tasks.learner_exports_tidy_task", acks_late=True)
def learner_exports_tidy_task() -> None:
    learner_exports_tidy()
