"""Faults on real servers of the tests' own: a PostgreSQL cluster (initdb into a temporary folder), a Redis,
an SMTP server and `celery worker` processes, so the tests may kill and restart them at will.

These tests run in a pytest run of their own (`make test-faults`): the database of the whole run is the
private cluster's. Without the server binaries they skip, unless CI=1, where they fail.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import kombu.pools
import pytest
import redis

from config.celery import app as celery_app
from tests.faults.support import MailSink, PostgresCluster, files_in, missing_servers
from tests.services.support import RedisServer, Worker

CELERY = Path(sys.executable).with_name("celery")
HERE = Path(__file__).resolve().parent


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI is set, so the faults tests must run: {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(config, items) -> None:
    """The whole run's database is the private cluster: these tests cannot share a run with others."""
    ours = [item for item in items if HERE in Path(str(item.path)).resolve().parents]
    if ours and len(ours) < len(items):
        for item in ours:
            item.add_marker(pytest.mark.skip(reason="tests/faults run on their own: make test-faults"))


# --- Servers, once per run -----------------------------------------------------------------------------
@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    if reason := missing_servers():
        _unavailable(reason)
    cluster = PostgresCluster()
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(postgres: PostgresCluster) -> None:
    """pytest-django's hook: the test database is created in the private cluster, whatever DATABASE_URL says."""
    from django.conf import settings
    from django.db import connections

    db = settings.DATABASES["default"]
    db.update(ENGINE="django.db.backends.postgresql", NAME="mikromerit_faults", USER="postgres", PASSWORD="",
              HOST="127.0.0.1", PORT=str(postgres.port), OPTIONS={}, CONN_MAX_AGE=0, CONN_HEALTH_CHECKS=True)
    db.setdefault("TEST", {})["NAME"] = "test_mikromerit_faults"
    try:
        del connections["default"]  # made before we got here: it would keep the old engine
    except AttributeError:
        pass


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory) -> Iterator[RedisServer]:
    if reason := missing_servers():
        _unavailable(reason)
    server = RedisServer(tmp_path_factory.mktemp("redis") / "redis.log")
    server.start()
    yield server
    server.kill()


@pytest.fixture(scope="session")
def mail_sink() -> Iterator[MailSink]:
    sink = MailSink()
    sink.start()
    yield sink
    sink.stop()


# --- Per test ------------------------------------------------------------------------------------------
def _point_celery_at(broker_url: str | None, queue: str) -> None:
    celery_app.conf.broker_url = broker_url
    celery_app.conf.task_default_queue = queue
    # Celery and kombu cache connection pools, exchanges and routing tables on first use; drop them all.
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)


@pytest.fixture
def broker(redis_server: RedisServer, monkeypatch) -> Iterator[RedisServer]:
    """This process publishes to the private Redis, on Celery's default queue (the Redis is ours alone, so
    the workers read the queue production uses and everything they queue themselves reaches them too)."""
    if redis_server.process is None or redis_server.process.poll() is not None:
        redis_server.start()  # a test that failed mid-outage left it stopped
    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    client.close()
    before = (celery_app.conf.get("broker_url"), celery_app.conf.task_default_queue)
    monkeypatch.setenv("CELERY_BROKER_URL", redis_server.url)
    _point_celery_at(redis_server.url, "celery")
    yield redis_server
    _point_celery_at(*before)


@pytest.fixture
def media_root(settings, tmp_path: Path) -> Path:
    """Files the web side (this process) and the workers share: images, baked credentials, evidence."""
    root = tmp_path / "media"
    root.mkdir()
    files_in(settings, root)
    return root


@pytest.fixture
def start_worker(transactional_db, broker, media_root: Path, mail_sink: MailSink, postgres: PostgresCluster,
                 tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    """`start_worker(concurrency=2)`: a `celery worker` process as production runs it (config.settings:
    persistent database connections with health checks, Redis as broker and cache, SMTP e-mail)."""
    from django.db import connection

    mail_sink.clear()
    workers: list[Worker] = []
    env = {
        **os.environ,  # so it derives the same development secrets (KEK included) or reads the same real ones
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MIKROMERIT_DEV": "1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{postgres.port}/{connection.settings_dict['NAME']}",
        "CELERY_BROKER_URL": broker.url,
        "MEDIA_ROOT": str(media_root),
        "EVIDENCE_ROOT": str(media_root / "evidence"),
        "EXPORT_ROOT": str(media_root / "exports"),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mail_sink.port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_TIMEOUT": "10",
        "LOG_FORMAT": "text",
        # A cohort of a few hundred is then many signing tasks, not three: a kill lands in the middle of it.
        "CREDENTIAL_SIGNING_CHUNK_SIZE": "10",
    }
    env.pop("SERVICES_BROKER_URL", None)

    def start(*, concurrency: int = 2) -> Worker:
        name = f"faults-{len(workers) + 1}"
        command = [
            str(CELERY), "-A", "config", "worker", "--pool=prefork", f"--concurrency={concurrency}",
            "-Q", "celery", "-n", f"{name}@%h", "--loglevel=INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        worker = Worker(name, command, env, tmp_path / f"{name}.log")
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def report(request) -> Callable[..., None]:
    """`report(title, **figures)`: what a scenario observed, printed and (with FAULTS_REPORT=<file>) appended
    to a JSON-lines file; docs/reliability.md quotes these figures."""
    import json

    def write(title: str, **figures: object) -> None:
        line = json.dumps({"test": request.node.name, "title": title, **figures}, default=str)
        print(f"\nFAULTS {line}")
        if path := os.environ.get("FAULTS_REPORT"):
            with open(path, "a") as out:
                out.write(line + "\n")

    return write


@pytest.fixture(autouse=True)
def _notices_delivered_on_commit() -> None:
    """Off here (tests/conftest.py delivers e-mail in the test process): a real worker sends every e-mail,
    through the broker, as in production."""
