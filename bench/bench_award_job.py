"""Rows per second of a direct-award job: checking the rows, keeping them, and issuing them in chunks.

    .venv/bin/python bench/bench_award_job.py [--rows 10000]
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_award_job.py --rows 10000   # on PostgreSQL

It creates a throwaway test database (as pytest does; SQLite in memory unless DATABASE_URL names another),
an issuer and a published micro-credential, then times, for `--rows` recipients:
  check    assessment.csv_import.check_recipients (what the API does with JSON rows)
  prepare  assessment.awards.award_batch_prepare (the rows stored, nothing issued)
  run      assessment.award_jobs.award_job_run (what the Celery task does: every credential recorded
           PENDING, its row marked ISSUED, chunk by chunk)
Signing is separate work (badges.tasks.credential_sign_task, one task per credential, see bench_ob3.py);
here its tasks are only queued, to the test settings' in-memory broker.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from assessment.award_jobs import CHUNK_ROWS, award_job_run  # noqa: E402
from assessment.awards import award_batch_confirm, award_batch_prepare  # noqa: E402
from assessment.csv_import import check_recipients  # noqa: E402
from assessment.models import AwardBatch, AwardRecipient  # noqa: E402
from bench.bench_ob3 import machine  # noqa: E402
from issuers.models import Role  # noqa: E402
from tests.factories import make_achievement, make_issuer, make_member  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    rows = parser.parse_args().rows
    setup_test_environment()
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        figures = _measure(rows)
    finally:
        connection.creation.destroy_test_db(database, verbosity=0)
    print(f"machine: {machine()}")
    print(f"database: {connection.vendor}; rows: {rows}; chunk: {figures.pop('chunk')} rows per transaction")
    for name, seconds in figures.items():
        print(f"{name:<8} {seconds:8.2f} s  {rows / seconds:10.1f} rows/s")


def _measure(rows: int) -> dict[str, float | int]:
    achievement = make_achievement(make_issuer("bench"))
    owner = make_member(achievement.issuer, "bench-owner", Role.OWNER).user
    sent = [{"email": f"person{n}@example.org", "name": f"Person {n}"} for n in range(rows)]

    started = time.perf_counter()
    parsed = check_recipients(sent, max_rows=rows)
    checked = time.perf_counter()
    assert not parsed.problems, parsed.problems[:3]
    batch = award_batch_prepare(issuer=achievement.issuer, achievement=achievement, by=owner, rows=parsed.rows)
    batch = award_batch_confirm(batch=batch, by=owner, in_background=True)
    prepared = time.perf_counter()
    award_job_run(batch_id=batch.pk)
    ran = time.perf_counter()

    assert AwardBatch.objects.get(pk=batch.pk).status == AwardBatch.Status.FINISHED
    assert AwardRecipient.objects.filter(batch=batch, state="issued", credential__isnull=False).count() == rows
    return {"chunk": CHUNK_ROWS, "check": checked - started, "prepare": prepared - checked, "run": ran - prepared,
            "total": ran - started}


if __name__ == "__main__":
    main()
