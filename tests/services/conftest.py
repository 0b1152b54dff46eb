"""Real PostgreSQL, Redis and Celery worker processes for the `services` tests.

The worker is a separate process with its own database connections, so these tests commit for real
(`django_db(transaction=True)`) and the worker connects to the test database pytest-django created.
Each test gets its own queue name, so it neither steals nor leaves behind anyone else's messages.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import kombu.pools
import pytest
from django.db import connection

from config.celery import app as celery_app
from tests.services.support import Broker, RedisServer, Worker

CELERY = Path(sys.executable).with_name("celery")



def real_broker_url() -> str:
    """The Redis URL CI gave; config.settings_test moves it out of CELERY_BROKER_URL so that ordinary
    tests never publish to a real broker."""
    return os.environ.get("SERVICES_BROKER_URL") or os.environ.get("CELERY_BROKER_URL", "")

def _missing_services() -> str | None:
    if not urlsplit(os.environ.get("DATABASE_URL", "")).scheme.startswith("postgres"):
        return "needs DATABASE_URL=postgres://… (real PostgreSQL); see scripts/ci_services.sh"
    if not real_broker_url().startswith("redis://"):
        return "needs CELERY_BROKER_URL=redis://… (real Redis); see scripts/ci_services.sh"
    return None


@pytest.fixture(autouse=True)
def _real_services_only() -> None:
    if reason := _missing_services():
        pytest.skip(reason)


# --- Files and database --------------------------------------------------------------------------------
@pytest.fixture
def media_root(settings, tmp_path: Path) -> Path:
    """Files both processes can see: the test suite's default in-memory storage lives in one process only."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return root


def _test_database_url() -> str:
    db = connection.settings_dict  # by now NAME is the test database pytest-django created
    credentials = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


# --- Broker --------------------------------------------------------------------------------------------
def _point_celery_at(broker_url: str | None, queue: str) -> None:
    celery_app.conf.broker_url = broker_url
    celery_app.conf.task_default_queue = queue
    # Celery and kombu cache connection pools, exchanges and routing tables on first use; drop them all.
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)


@pytest.fixture
def use_broker(monkeypatch) -> Iterator[Callable[[str], Broker]]:
    """`use_broker(url)`: this process publishes to `url` on a queue of its own until the test ends.

    The test settings pin the broker to memory://, which no worker process can read.
    """
    before = (celery_app.conf.get("broker_url"), celery_app.conf.task_default_queue)
    brokers: list[Broker] = []

    def use(url: str) -> Broker:
        broker = Broker(url)
        brokers.append(broker)
        # Celery reads CELERY_BROKER_URL from the environment before any setting.
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        _point_celery_at(broker.url, broker.queue)
        return broker

    yield use
    _point_celery_at(*before)
    for broker in brokers:
        broker.forget()


@pytest.fixture
def broker(use_broker) -> Broker:
    return use_broker(real_broker_url())


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server on PATH to stop and restart a broker of its own")
    server = RedisServer(tmp_path / "redis.log")
    server.start()
    yield server
    server.kill()


# --- Workers -------------------------------------------------------------------------------------------
@pytest.fixture
def start_worker(transactional_db, use_broker, media_root: Path, tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    """`start_worker(broker, pool="solo")`: a `celery worker` process on the broker's queue, as production
    runs it (config.settings), against this test's database and media files. Stopped when the test ends."""
    workers: list[Worker] = []
    env = {
        **os.environ,  # so it derives the same development secrets (KEK included) or reads the same real ones
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MIKROMERIT_DEV": "1",
        "DATABASE_URL": _test_database_url(),
        "MEDIA_ROOT": str(media_root),
        "LOG_FORMAT": "text",
    }

    def start(broker: Broker, *, pool: str = "solo", concurrency: int = 1) -> Worker:
        name = f"{broker.queue}-{len(workers) + 1}"
        command = [
            str(CELERY), "-A", "config", "worker", f"--pool={pool}", f"--concurrency={concurrency}",
            "-Q", broker.queue, "-n", f"{name}@%h", "--loglevel=INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        worker = Worker(name, command, {**env, "CELERY_BROKER_URL": broker.url}, tmp_path / f"{name}.log")
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
