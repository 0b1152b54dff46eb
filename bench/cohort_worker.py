"""`celery worker` for bench/bench_cohort.py: production's worker (config.celery, config.settings), plus a
count of the SQL statements each pool process runs, written after every task for the bench to add up,
and the e-mail deliveries routed to a queue the bench leaves unread."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from celery import signals  # noqa: E402

from config.celery import app  # noqa: E402

COUNTS = Path(os.environ["BENCH_COHORT_COUNTS"])
app.conf.task_routes = {"notifications.tasks.*": {"queue": "bench-cohort-mail"}}
app.conf.task_default_queue = "bench-cohort"
_count = [0]


def _counting(execute, sql, params, many, context):  # noqa: ANN001, ANN202 (Django's execute wrapper)
    _count[0] += 1
    return execute(sql, params, many, context)


@signals.worker_process_init.connect
def _count_queries(**kwargs: object) -> None:
    from django.db import connection

    connection.execute_wrappers.append(_counting)


@signals.task_postrun.connect
def _write_count(**kwargs: object) -> None:
    (COUNTS / f"queries-{os.getpid()}").write_text(str(_count[0]))


if __name__ == "__main__":
    app.worker_main(sys.argv[1:])
