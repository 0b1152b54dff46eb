"""Rate limits hold across processes: the counts live in a cache every process shares, added to atomically."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command

from kernel.ratelimit import DatabaseCounterCache
from tests.kernel.counting import count_in_two_processes

LIMIT = 10


def test_two_processes_of_the_embedded_default_share_one_limit(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.kernel.sqlite_settings",
        "MIKROMERIT_TEST_SQLITE": str(tmp_path / "db.sqlite3"),
        "MIKROMERIT_DEV": "1",
        # Nothing configured: whatever CI set for the rest of the suite does not reach these processes.
        "DATABASE_URL": None,
        "CACHE_URL": None,
        "CELERY_BROKER_URL": None,
    }
    # Each process alone stays within the limit; together they exceed it by two.
    results = count_in_two_processes(env=env, group=f"test-{uuid.uuid4()}", rate=f"{LIMIT}/m", requests=LIMIT // 2 + 1)

    assert [backend for backend, _ in results] == ["kernel.ratelimit.DatabaseCounterCache"] * 2
    statuses = [status for _, answered in results for status in answered]
    assert sorted(statuses) == [200] * LIMIT + [429] * 2
    for _, answered in results:  # once refused, a process stays refused
        assert answered == sorted(answered)


@pytest.mark.django_db
def test_the_database_cache_adds_to_a_count_and_refuses_a_missing_one():
    call_command("createcachetable", "test_counters", verbosity=0)
    cache = DatabaseCounterCache("test_counters", {})
    assert cache.add("count", 1, 60)
    assert cache.incr("count") == 2
    assert cache.incr("count", 3) == 5
    assert cache.get("count") == 5
    with pytest.raises(ValueError):
        cache.incr("never-added")
