"""Servers of the faults tests' own, to kill and restart without disturbing anyone: a PostgreSQL cluster,
a Redis, an SMTP server that counts what it is given, and a small file system that can fill up."""

from __future__ import annotations

import asyncio
import email
import email.policy
import errno
import glob
import logging
import os
import pwd
import shutil
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.services.support import unused_port


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and the server refuse to run as root: as root, run them as the `postgres` user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def postgres_bindir() -> Path | None:
    """Debian keeps initdb and pg_ctl in /usr/lib/postgresql/<version>/bin (the newest wins), off PATH."""
    for bindir in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True):
        if os.access(f"{bindir}/initdb", os.X_OK) and os.access(f"{bindir}/pg_ctl", os.X_OK):
            return Path(bindir)
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def missing_servers() -> str | None:
    if postgres_bindir() is None:
        return "needs PostgreSQL's initdb and pg_ctl (apt-get install postgresql; see scripts/ci_services.sh)"
    if shutil.which("redis-server") is None:
        return "needs redis-server on PATH (apt-get install redis-server)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root needs a `postgres` user to run the PostgreSQL server as"
    return None


class PostgresCluster:
    """A throwaway cluster in a temporary folder on a free port: fsync off, trust authentication."""

    def __init__(self) -> None:
        bindir = postgres_bindir()
        assert bindir is not None
        self.bindir = bindir
        self.port = unused_port()
        self.root = Path(os.environ.get("TMPDIR", "/tmp")) / f"mikromerit-faults-pg-{self.port}"
        self.data = self.root / "data"
        self.log_path = self.root / "postgres.log"

    def _ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        command = _as_postgres([str(self.bindir / "pg_ctl"), "-D", str(self.data), *args])
        # From /, so the postgres user is not asked to read the caller's working directory.
        return subprocess.run(command, cwd="/", stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, check=check, timeout=120)

    def start(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(mode=0o700)
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        subprocess.run(
            _as_postgres([str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                          "-E", "UTF8", "--locale=C", "--no-sync"]),
            cwd="/", capture_output=True, check=True, timeout=120,
        )
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        self._ctl("-l", str(self.log_path), "-o", options, "-w", "-t", "60", "start")

    def restart(self) -> float:
        """`pg_ctl restart -m fast`: every session is disconnected, open transactions roll back. Returns
        how many seconds the server was away."""
        began = time.monotonic()
        # With its log file named again: otherwise the new server writes to (and holds open) our pipe.
        self._ctl("-l", str(self.log_path), "-m", "fast", "-w", "-t", "60", "restart")
        return time.monotonic() - began

    def stop(self) -> None:
        self._ctl("-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class MailSink:
    """An SMTP server (aiosmtpd) that accepts everything and remembers who was sent what."""

    def __init__(self) -> None:
        self.port = unused_port()
        self._lock = threading.Lock()
        self._received: list[tuple[str, str]] = []
        self._gate = threading.Event()
        self._gate.set()
        self.arrived = threading.Event()
        from aiosmtpd.controller import Controller  # here: collecting the other tests does not need it

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        subject = " ".join(str(message["Subject"]).split())
        self.arrived.set()
        while not self._gate.is_set():  # held: the client waits for our answer
            await asyncio.sleep(0.05)
        with self._lock:
            self._received.extend((recipient.lower(), subject) for recipient in envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def hold(self) -> None:
        """Keep the next e-mails waiting for the server's answer until `release()`."""
        self.arrived.clear()
        self._gate.clear()

    def release(self) -> None:
        self._gate.set()

    def clear(self) -> None:
        with self._lock:
            self._received.clear()

    def received(self) -> Counter[tuple[str, str]]:
        """(recipient, subject) → how many times the server accepted it."""
        with self._lock:
            return Counter(self._received)


class SmallDisk:
    """A file system of `megabytes` at `path`: tmpfs when this process may mount (root, CI), else skip."""

    def __init__(self, path: Path, megabytes: int) -> None:
        self.path = path
        self.megabytes = megabytes
        self.filler = path / ".filler"

    def mount(self) -> str | None:
        """Mount it; returns why it could not be mounted, or None."""
        self.path.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={self.megabytes}m,mode=0777", "tmpfs",
                                 str(self.path)], capture_output=True, timeout=30)
        return None if result.returncode == 0 else (result.stderr.decode(errors="replace").strip() or "mount failed")

    def unmount(self) -> None:
        subprocess.run(["umount", "-l", str(self.path)], capture_output=True, timeout=30)

    def fill(self) -> None:
        """Write until the file system says ENOSPC: nothing more fits, not even a small file."""
        with self.filler.open("ab", buffering=0) as out:
            block = b"\0" * 65536
            while True:
                try:
                    out.write(block)
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    if len(block) == 1:
                        break
                    block = block[: len(block) // 2]

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def free_bytes(self) -> int:
        stats = os.statvfs(self.path)
        return stats.f_bavail * stats.f_frsize


# --- Waiting, sweeping, counting -----------------------------------------------------------------------
def lock_waiters() -> int:
    """How many other sessions wait for a lock: workers caught inside a transaction."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                       " AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0]


def sweep_as_beat_would(credential_ids=None, *, notices_before=None) -> dict[str, int]:
    """What the periodic sweeps do once their timeouts have passed; the clocks are moved instead of waited
    for. Only call this while no worker is in the middle of what it sweeps (production waits out the
    staleness timeouts for the same reason)."""
    from datetime import timedelta

    from django.db.models import F, Q

    from assessment.award_jobs import award_jobs_resume_stale
    from assessment.models import AwardBatch
    from badges.credentials.sweeping import credential_sweep_stale
    from badges.models import Credential
    from notifications.models import Notice
    from notifications.sending import notices_stale_requeue
    from tests.services.support import age

    hour = timedelta(hours=1)
    AwardBatch.objects.filter(status=AwardBatch.Status.RUNNING).update(heartbeat_at=F("heartbeat_at") - hour)
    unfinished = Credential.objects.filter(status__in=(Credential.Status.PENDING, Credential.Status.SIGNING))
    if credential_ids is not None:
        unfinished = unfinished.filter(pk__in=credential_ids)
    age(list(unfinished.values_list("pk", flat=True)), minutes=60)
    waiting = Notice.objects.filter(state=Notice.State.WAITING)
    if notices_before is not None:  # never a notice a live worker has just claimed: it could be sent twice
        waiting = waiting.filter(created_at__lt=notices_before).filter(
            Q(sending_since__isnull=True) | Q(sending_since__lt=notices_before))
    waiting.update(created_at=F("created_at") - hour, sending_since=F("sending_since") - hour)
    return {
        "award_jobs": award_jobs_resume_stale(),
        "credentials": credential_sweep_stale(),
        "notices": notices_stale_requeue(),
    }


def all_done() -> bool:
    from badges.models import Credential
    from notifications.models import Notice

    return (
        not Credential.objects.exclude(status=Credential.Status.ISSUED).exists()
        and not Notice.objects.filter(state=Notice.State.WAITING).exists()
    )


def assert_every_email_sent_once(sink: MailSink) -> int:
    """Every notice SENT, and the SMTP server was given each exactly once (and nothing else)."""
    from notifications.models import Notice

    notices = list(Notice.objects.values_list("email", "subject", "state"))
    assert {state for _e, _s, state in notices} <= {Notice.State.SENT}, Counter(s for _e, _s, s in notices)
    expected = Counter((address.lower(), " ".join(subject.split())) for address, subject, _state in notices)
    received = sink.received()
    # (Several notices may share an address and subject: an assessor told of each new application.)
    assert received - expected == Counter(), f"sent more often than decided on: {received - expected}"
    assert received == expected, {"not received": expected - received, "not a notice": received - expected}
    return len(notices)


def assert_credentials_exactly_once(ids: list[int], *, client, media_root: Path, sink: MailSink) -> None:
    """Issued once, verifying (document and baked PNG), status-list indexes unique, one claim e-mail each."""
    from badges.models import Credential, CredentialClaim
    from notifications.models import Notice
    from tests.services.support import assert_issued_exactly_once, published

    assert_issued_exactly_once(ids, documents=published(client), media_root=media_root)
    entries = list(Credential.objects.filter(pk__in=ids).values_list("status_list", "status_list_index"))
    assert None not in {index for _list, index in entries}
    assert len(set(entries)) == len(ids)
    claims = CredentialClaim.objects.filter(credential__in=ids)
    assert claims.count() == len(ids)
    assert set(claims.values_list("notice__state", flat=True)) == {Notice.State.SENT}
    received = sink.received()
    for address, subject in claims.values_list("notice__email", "notice__subject"):
        assert received[(address.lower(), " ".join(subject.split()))] == 1, address


@contextmanager
def tables_locked(*models, row: int | None = None, unclaimed_notices: bool = False) -> Iterator[None]:
    """ACCESS EXCLUSIVE locks on the models' tables from a session of our own, held until the block ends:
    every worker that touches them waits inside its transaction. Survives the server going away meanwhile
    (a restart ends the session, and with it the locks).

    `unclaimed_notices` also locks the rows of the e-mails no worker has claimed yet: a worker then waits
    before it sends one. (Locking the whole notice table would also stop a worker that the SMTP server has
    just taken an e-mail from, before it records it SENT; killed there, any design sends it again.)"""
    import psycopg
    from django.db import connection
    from psycopg import sql

    db = connection.settings_dict
    locker = psycopg.connect(host=db["HOST"], port=db["PORT"] or None, user=db["USER"], password=db["PASSWORD"],
                             dbname=db["NAME"])
    try:
        for model in models:
            table = sql.Identifier(model._meta.db_table)
            if row is None:
                locker.execute(sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(table))
            else:  # only that row: a worker waits when it writes it
                locker.execute(sql.SQL("SELECT id FROM {} WHERE id = %s FOR UPDATE").format(table), [row])
        if unclaimed_notices:
            from notifications.models import Notice

            locker.execute(
                sql.SQL("SELECT id FROM {} WHERE state = %s AND sending_since IS NULL FOR UPDATE").format(
                    sql.Identifier(Notice._meta.db_table)),
                [Notice.State.WAITING],
            )
        yield
    finally:
        try:
            locker.close()  # without a commit: the transaction rolls back and the locks go with it
        except psycopg.Error:
            pass


def files_in(settings, root: Path) -> None:
    """Every file the platform stores (images, baked credentials, evidence, exports) under `root`."""
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "kernel.storage.FileSystemStorage"},
        "evidence": {"BACKEND": "kernel.storage.FileSystemStorage", "OPTIONS": {"location": root / "evidence"}},
        "exports": {"BACKEND": "kernel.storage.FileSystemStorage", "OPTIONS": {"location": root / "exports"}},
    }
