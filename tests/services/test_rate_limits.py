"""Rate limits hold across processes on the production caches: real Redis, and the database cache on
real PostgreSQL (the fallback without Redis), each counted by two separate Python processes at once."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import pytest
from django.db import connection

from tests.kernel.counting import count_in_two_processes
from tests.services.conftest import real_broker_url

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

LIMIT = 10


def _test_database_url() -> str:
    db = connection.settings_dict  # the test database pytest-django created, where the cache table is too
    credentials = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


def _shared_limit_holds(cache_url: str) -> list[tuple]:
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MIKROMERIT_DEV": "1",
        "DATABASE_URL": _test_database_url(),
        "CACHE_URL": cache_url,
    }
    # Each process alone stays within the limit; together they exceed it by two.
    results = count_in_two_processes(env=env, group=f"test-{uuid.uuid4()}", rate=f"{LIMIT}/m", requests=LIMIT // 2 + 1)
    statuses = [status for _, answered in results for status in answered]
    assert sorted(statuses) == [200] * LIMIT + [429] * 2
    return results


def test_two_processes_share_one_limit_in_redis():
    results = _shared_limit_holds(real_broker_url())
    assert [backend for backend, _ in results] == ["django.core.cache.backends.redis.RedisCache"] * 2


def test_two_processes_share_one_limit_in_the_postgresql_cache_table():
    results = _shared_limit_holds("dbcache://")
    assert [backend for backend, _ in results] == ["kernel.ratelimit.DatabaseCounterCache"] * 2
