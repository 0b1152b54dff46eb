"""A cohort from a CSV file to every credential signed, baked, stored and its e-mail queued, on PostgreSQL,
Redis and real Celery workers.

    .venv/bin/python bench/bench_cohort.py                 # 10,000 learners
    .venv/bin/python bench/bench_cohort.py --jwt           # the issuer signs VC-JWTs too
    .venv/bin/python bench/bench_cohort.py --rows 200      # CI: proves the script works

The baked images are stored under BENCH_MEDIA_PARENT (default /dev/shm, see MEDIA_PARENT below for why).
It creates a database of its own (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/
mikromerit_bench_cohort; dropped and created afresh), uses Redis (BENCH_BROKER_URL, default
redis://127.0.0.1:6379/13) and starts `--workers` Celery workers of `--concurrency` processes each, as
production runs them (config.settings, prefork). An issuer and a published micro-credential are made,
then the same services the console and the API call: the CSV checked (assessment.csv_import), the list
kept (award_batch_prepare), the job confirmed in the background (award_batch_confirm). It waits until
every credential is ISSUED and prints:
  confirm            how long the confirming request took (it only records the job and queues it)
  wall               confirm to the last credential ISSUED, and credentials per second
  CPU s/credential   the workers' processes, this process (the web side), and the PostgreSQL backends
                     serving our database (read from /proc; wall time is noisy on a shared machine)
  SQL/credential     every statement the workers and this process ran (counted in each process)
  connections        PostgreSQL sessions opened during the run (pg_stat_database.sessions)
and a profile (cProfile, top functions by own time) of the worker's code path for one chunk, run
afterwards in this process after one unprofiled chunk (as in a worker that has started), so the timed
run carries no profiler.

The recipients' e-mails are queued (a Notice WAITING each, its delivery task sent) to a queue of their
own that no bench worker reads: delivering them is the mail server's time, not issuing's.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mikromerit_bench_cohort")
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/13")
QUEUE = "bench-cohort"
MAIL_QUEUE = "bench-cohort-mail"  # the e-mail deliveries wait here, unread
# The baked images go to memory (tmpfs) unless BENCH_MEDIA_PARENT names a directory: the measured machine's
# disk is ext4 without a journal, which will not reuse an inode freed in the last minutes and scans past each
# one, so right after a run's clean-up (20,000 files) creating a file costs up to 20 times more than in a
# steady state (0.05 ms). A journaled file system, as production volumes are, does not do this.
# mkdtemp below makes a private directory (0700, random name) in it.
SHARED_MEMORY = "/dev/shm"  # noqa: S108  # nosec B108
MEDIA_PARENT = os.environ.get("BENCH_MEDIA_PARENT") or (SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else None)
MEDIA = Path(tempfile.mkdtemp(prefix="bench-cohort-media-", dir=MEDIA_PARENT))
COUNTS = Path(tempfile.mkdtemp(prefix="bench-cohort-counts-"))
ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "MIKROMERIT_DEV": "1",
    "DATABASE_URL": DATABASE_URL,
    "CELERY_BROKER_URL": BROKER_URL,
    "MEDIA_ROOT": str(MEDIA),
    "LOG_FORMAT": "text",
    "LOG_LEVEL": "WARNING",
    "BENCH_COHORT_COUNTS": str(COUNTS),
    # The workers keep their connections for the whole run, so the PostgreSQL backends still connected at
    # the end did all of the run's database work and their CPU time can be read from /proc.
    "DATABASE_CONN_MAX_AGE": "3600",
}
os.environ.update(ENV)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _recreate_database() -> None:
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    with psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                         password=parts.password, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / CLOCK_TICKS


def _group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[2]) == pgid:
                    pids.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
    return pids


def _start_workers(count: int, concurrency: int, logs: Path) -> list[subprocess.Popen[bytes]]:
    workers = []
    for number in range(count):
        command = [sys.executable, str(ROOT / "bench" / "cohort_worker.py"), "worker", "--pool=prefork",
                   f"--concurrency={concurrency}", "-Q", QUEUE, "-n", f"bench-cohort-{number}@%h",
                   "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        log = (logs / f"worker-{number}.log").open("wb")
        workers.append(subprocess.Popen(command, cwd=ROOT, env={**os.environ, **ENV}, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True))
    return workers


def _stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)


def _worker_queries() -> int:
    return sum(int(path.read_text() or 0) for path in COUNTS.glob("queries-*"))


class _Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # noqa: ANN001 (Django's execute wrapper)
        self.count += 1
        return execute(sql, params, many, context)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1, help="Celery worker processes (default 1)")
    parser.add_argument("--concurrency", type=int, default=2, help="pool processes per worker (default 2)")
    parser.add_argument("--timeout", type=float, default=900, help="give up after this many seconds")
    parser.add_argument("--jwt", action="store_true", help="the issuer signs VC-JWTs too (an RSA signature each)")
    args = parser.parse_args()

    _recreate_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    logs = Path(tempfile.mkdtemp(prefix="bench-cohort-logs-"))
    workers = _start_workers(args.workers, args.concurrency, logs)
    try:
        achievement, owner = _run(args, connection, workers, logs)
        _stop(workers)  # before the profile, whose job and signing tasks nobody may pick up
        _profile(achievement, owner)
    finally:
        _stop(workers)
        connection.close()
        shutil.rmtree(MEDIA, ignore_errors=True)
        shutil.rmtree(COUNTS, ignore_errors=True)
        import redis

        client = redis.Redis.from_url(BROKER_URL)
        client.delete(QUEUE, MAIL_QUEUE)
        client.close()


def _run(args: argparse.Namespace, connection, workers: list[subprocess.Popen[bytes]], logs: Path):  # noqa: ANN001, ANN201
    from assessment.awards import award_batch_confirm, award_batch_prepare
    from assessment.csv_import import parse_recipients
    from badges.models import Credential
    from bench.bench_ob3 import machine
    from config.celery import app
    from issuers.models import Role
    from notifications.models import Notice
    from tests.factories import make_achievement, make_issuer, make_member

    app.conf.task_default_queue = QUEUE
    app.conf.task_routes = {"notifications.tasks.*": {"queue": MAIL_QUEUE}}
    achievement = make_achievement(make_issuer("bench-cohort", jwt_enabled=args.jwt))
    owner = make_member(achievement.issuer, "bench-owner", Role.OWNER).user
    csv = "email,name\n" + "".join(f"learner{n}@example.org,Learner {n}\n" for n in range(args.rows))
    name = connection.settings_dict["NAME"]

    def sessions() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = %s", [name])
            return int(cursor.fetchone()[0])

    time.sleep(3)  # let the workers start before the clock does (their start is not the cohort's time)
    calibration = _calibration()
    sessions_before = sessions()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [name])
        backends_before = {row[0]: _cpu_seconds([row[0]]) for row in cursor.fetchall()}
    worker_cpu_before = sum(_cpu_seconds(_group_pids(worker.pid)) for worker in workers)
    counter = _Counter()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        parsed = parse_recipients(csv.encode(), max_rows=args.rows)
        assert parsed.valid, parsed.problems[:3]
        batch = award_batch_prepare(issuer=achievement.issuer, achievement=achievement, by=owner, rows=parsed.rows)
        prepared = time.perf_counter()
        award_batch_confirm(batch=batch, by=owner, in_background=True)
        confirmed = time.perf_counter()
    web_cpu = _rusage_seconds(resource.getrusage(resource.RUSAGE_SELF)) - _rusage_seconds(cpu_before)
    web_queries = counter.count

    issued, deadline, last_print = 0, started + args.timeout, 0.0
    while issued < args.rows:
        if time.perf_counter() > deadline or any(worker.poll() is not None for worker in workers):
            tails = "\n".join(path.read_text(errors="replace")[-3000:] for path in logs.glob("*.log"))
            raise SystemExit(f"gave up with {issued} of {args.rows} ISSUED\n{tails}")
        time.sleep(0.2)
        issued = Credential.objects.filter(status=Credential.Status.ISSUED).count()
        if time.perf_counter() - last_print > 5:
            last_print = time.perf_counter()
            print(f"  {time.perf_counter() - confirmed:6.1f} s  {issued:>6} ISSUED", flush=True)
    finished = time.perf_counter()

    worker_cpu = sum(_cpu_seconds(_group_pids(worker.pid)) for worker in workers) - worker_cpu_before
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [name])
        backends = [row[0] for row in cursor.fetchall()]
    postgres_cpu = _cpu_seconds(backends) - sum(backends_before.get(pid, 0) for pid in backends)
    sessions_opened = sessions() - sessions_before
    time.sleep(1)  # the workers write their counts after each task
    worker_queries = _worker_queries()
    failed = Credential.objects.filter(status=Credential.Status.FAILED).count()
    queued = Notice.objects.filter(state=Notice.State.WAITING).count()
    rows, wall = args.rows, finished - confirmed

    print(f"machine: {machine()}; load average at the end {os.getloadavg()[0]:.1f}")
    print(f"machine speed before the run: {calibration}")
    print(f"rows: {rows}; workers: {args.workers} x {args.concurrency} processes (prefork); media in {MEDIA.parent}")
    print(f"prepare (check + keep the list)   {prepared - started:7.2f} s")
    print(f"confirm (the request)             {confirmed - prepared:7.2f} s")
    print(f"wall, confirm to all ISSUED       {wall:7.2f} s   {rows / wall:8.1f} credentials/s")
    print(f"failed: {failed}; e-mails queued (WAITING): {queued}")
    print(f"CPU s/credential: workers {worker_cpu / rows * 1000:.2f} ms, web {web_cpu / rows * 1000:.2f} ms, "
          f"postgres {postgres_cpu / rows * 1000:.2f} ms ({len(backends)} backends); "
          f"total {(worker_cpu + web_cpu + postgres_cpu) / rows * 1000:.2f} ms")
    print(f"CPU-bound rate on 2 cores: {2 * rows / (worker_cpu + web_cpu + postgres_cpu):.0f} credentials/s")
    print(f"SQL/credential: {(worker_queries + web_queries) / rows:.1f} "
          f"(workers {worker_queries}, web {web_queries} statements)")
    print(f"PostgreSQL connections opened: {sessions_opened}")
    return achievement, owner


def _calibration() -> str:
    """How fast this machine is right now, so runs at different times can be compared: a shared cloud
    machine's speed drifts by a third over a day. CPU time of one RSA-3072 signature (what a VC-JWT costs)
    and of a pure-Python JSON round trip of a credential-sized document."""
    import json

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    document = {"credentialSubject": {"achievement": {"name": "x" * 40, "criteria": ["y" * 60] * 40}},
                "items": list(range(300))}

    def per_call(work, times: int) -> float:  # noqa: ANN001
        work()
        start = time.process_time()
        for _ in range(times):
            work()
        return (time.process_time() - start) / times * 1000

    rsa_ms = per_call(lambda: key.sign(b"x" * 8000, padding.PKCS1v15(), hashes.SHA256()), 200)
    json_ms = per_call(lambda: json.loads(json.dumps(document)), 2000)
    return f"RSA-3072 signature {rsa_ms:.2f} ms, JSON round trip {json_ms * 1000:.0f} µs (CPU)"


def _rusage_seconds(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def _profile(achievement, owner) -> None:  # noqa: ANN001
    """The worker's path for one chunk (award job, then signing), in this process under cProfile."""
    from assessment.award_jobs import CHUNK_ROWS, award_job_run
    from assessment.awards import award_batch_confirm, award_batch_prepare
    from assessment.csv_import import RecipientRow
    from badges.credentials.signing import credentials_sign
    from badges.models import Credential

    def one_chunk(prefix: str, profiler: cProfile.Profile | None) -> list[int]:
        rows = [RecipientRow(line=n + 1, email=f"{prefix}{n}@example.org", name=f"P {n}") for n in range(CHUNK_ROWS)]
        batch = award_batch_prepare(issuer=achievement.issuer, achievement=achievement, by=owner, rows=rows)
        award_batch_confirm(batch=batch, by=owner, in_background=True)
        if profiler:
            profiler.enable()
        award_job_run(batch_id=batch.pk)
        ids = list(Credential.objects.filter(recipient_email__startswith=prefix).values_list("pk", flat=True))
        credentials_sign(credential_ids=ids)
        if profiler:
            profiler.disable()
        return ids

    # A worker has done this before: what it looks up and compiles once per process is not a chunk's cost.
    one_chunk("warmup", None)
    profiler = cProfile.Profile()
    ids = one_chunk("profiled", profiler)
    total = pstats.Stats(profiler).total_tt  # type: ignore[attr-defined]
    print(f"\nprofile of one chunk ({len(ids)} credentials: recorded, then signed) in this process, after an "
          f"unprofiled one, {total:.2f} s under cProfile")
    for order, title in (("cumulative", "including what they call"), ("tottime", "own time")):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(18)
        lines = [line for line in out.getvalue().splitlines() if line.strip()]
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        print(f"top functions by {title}:")
        print("\n".join(lines[start:start + 19]))


if __name__ == "__main__":
    main()
