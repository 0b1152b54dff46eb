"""Helpers for the `services` tests: worker and Redis processes, bounded polling, credential checks."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
import redis
from django.db import connection, models
from django.db.models import Count, F
from psycopg import sql

from badges.contexts import platform_loader
from badges.credentials.issuing import credential_issue
from badges.models import Achievement, Credential, CredentialEvent
from ob3.resolve import KeyResolver, did_web_url
from ob3.verify import verify

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60.0
POLL_SECONDS = 0.1


# --- Workers -------------------------------------------------------------------------------------------
class Worker:
    def __init__(self, name: str, command: list[str], env: dict[str, str], log_path: Path):
        self.name = name
        self.log_path = log_path
        with log_path.open("wb") as log:
            # Its own process group, so a kill takes the prefork children down with the parent.
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.killed = False

    def kill(self) -> None:
        """SIGKILL the whole worker, children included: a crash, with nothing acknowledged or cleaned up."""
        self.killed = True
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()  # warm shutdown; the parent stops its own pool children
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def died_unexpectedly(self) -> bool:
        return not self.killed and self.process.poll() is not None

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        return f"--- {self.name} (exit code {self.process.poll()}), last {len(text)} log lines:\n" + "\n".join(text)


def wait_for(condition: Callable[[], bool], *, what: str, workers: list[Worker], timeout: float = WAIT_SECONDS):
    """Poll the database state until `condition()` holds; fail with the workers' log tails otherwise."""
    deadline = time.monotonic() + timeout
    while not condition():
        dead = [worker for worker in workers if worker.died_unexpectedly()]
        if dead or time.monotonic() > deadline:
            problem = "a worker exited" if dead else f"timed out after {timeout:.0f} s"
            logs = "\n".join(worker.log_tail() for worker in workers)
            pytest.fail(f"{problem} while waiting for {what}\n{logs}", pytrace=False)
        time.sleep(POLL_SECONDS)


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- Brokers -------------------------------------------------------------------------------------------
class Broker:
    def __init__(self, url: str):
        self.url = url
        self.queue = f"services-{uuid.uuid4().hex[:12]}"

    def forget(self) -> None:
        """Remove every key this test's queue left in Redis, including messages a killed worker never acked."""
        client = redis.Redis.from_url(self.url, socket_connect_timeout=2)
        try:
            for key in client.scan_iter(f"*{self.queue}*"):
                client.delete(key)
            for key in client.scan_iter("_kombu.binding.*"):  # the workers' remote-control bindings
                if ours := [member for member in client.smembers(key) if self.queue.encode() in member]:
                    client.srem(key, *ours)
            for tag, raw in client.hscan_iter("unacked"):
                _message, exchange, routing_key = json.loads(raw)
                if self.queue in (exchange, routing_key):
                    client.hdel("unacked", tag)
                    client.zrem("unacked_index", tag)
        except redis.ConnectionError:
            pass  # a private Redis that is already gone took everything with it
        finally:
            client.close()


class RedisServer:
    """A Redis of our own, to stop and start without disturbing the shared one. Nothing is persisted."""

    def __init__(self, log_path: Path):
        self.port = unused_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"redis-server did not start:\n{self.log_path.read_text()}") from None
                time.sleep(POLL_SECONDS)
        client.close()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@contextmanager
def table_locked(model: type[models.Model]) -> Iterator[None]:
    """Hold an ACCESS EXCLUSIVE lock on the model's table from a connection of our own: every process that
    reads or writes the table waits until the block ends. A way to catch a worker in the middle of a task."""
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or None, user=db["USER"], password=db["PASSWORD"], dbname=db["NAME"]
    ) as locker:
        locker.execute(sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(sql.Identifier(model._meta.db_table)))
        yield  # leaving the connection's block commits, which releases the lock


# --- Credentials ---------------------------------------------------------------------------------------
def issue(achievement: Achievement, count: int, *, label: str) -> list[int]:
    """Issue `count` credentials, each in its own committed transaction, as the web process does."""
    return [
        credential_issue(achievement=achievement, recipient_email=f"{label}-{n}@example.org").pk for n in range(count)
    ]


def count_with_status(status: str, ids: list[int] | None = None) -> int:
    credentials = Credential.objects.filter(status=status)
    return (credentials if ids is None else credentials.filter(pk__in=ids)).count()


def age(ids: list[int], *, minutes: int) -> None:
    """Move the credentials' pipeline clocks back, as if `minutes` had passed with nobody working on them."""
    delta = timedelta(minutes=minutes)
    Credential.objects.filter(pk__in=ids).update(updated_at=F("updated_at") - delta, claimed_at=F("claimed_at") - delta)


def events_per_credential(kind: str) -> dict[int, int]:
    rows = CredentialEvent.objects.filter(kind=kind).values("credential").annotate(n=Count("pk"))
    return {row["credential"]: row["n"] for row in rows}


def published(client) -> Callable[[str], dict]:
    """This site's public documents (Profiles, key and DID documents, status lists) as a verifier gets
    them: by their address, through the web stack (the test client), never from the database directly."""

    def get(url: str) -> dict:
        parts = urlsplit(url if not url.startswith("did:web:") else did_web_url(url))
        response = client.get(parts.path, HTTP_ACCEPT="application/ld+json")
        assert response.status_code == 200, (url, response.status_code)
        return response.json()

    return get


def assert_issued_exactly_once(ids: list[int], *, documents: Callable[[str], dict], media_root: Path) -> None:
    """Each credential ISSUED with one issued event, its own verifying document and one pair of baked files."""
    credentials = list(Credential.objects.filter(pk__in=ids).order_by("pk"))
    assert len(credentials) == len(ids)
    assert [c.pk for c in credentials if c.status != Credential.Status.ISSUED] == []
    issued_events = events_per_credential(CredentialEvent.Kind.ISSUED)
    assert {c.pk: issued_events.get(c.pk) for c in credentials} == {c.pk: 1 for c in credentials}
    for credential in credentials:
        assert credential.document["id"] == credential.uri
        for form in (credential.document, (media_root / credential.baked_png.name).read_bytes()):
            result = verify(form, resolver=KeyResolver(fetch=documents), status_fetcher=documents,
                            loader=platform_loader())
            assert result.valid, (credential.pk, [check for check in result.checks if not check.passed])
    baked = sorted(path.name for path in (media_root / "credentials").iterdir())
    assert baked == sorted(f"{c.public_id}.{ext}" for c in credentials for ext in ("png", "svg"))
