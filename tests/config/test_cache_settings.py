"""Which cache config.settings sets up: one every web process shares in production, never a per-process one."""

from __future__ import annotations

import runpy

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured

from tests.config.test_settings_startup import PRODUCTION_ENV, ROOT, run_django

DATABASE_CACHE = "kernel.ratelimit.DatabaseCounterCache"
REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"
LOCMEM_CACHE = "django.core.cache.backends.locmem.LocMemCache"


@pytest.fixture
def settings_for(monkeypatch):
    """`settings_for(**env)`: config.settings evaluated afresh (not the running settings) under `env` alone."""

    def evaluate(**env: str) -> dict:
        for name in ("MIKROMERIT_DEV", "DJANGO_DEBUG", "DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(ROOT / "config" / "settings.py"))

    return evaluate


def backends(settings: dict) -> dict[str, str]:
    return {alias: cache["BACKEND"] for alias, cache in settings["CACHES"].items()}


def test_the_embedded_default_counts_rate_limits_in_the_database_every_process_shares(settings_for):
    settings = settings_for(MIKROMERIT_DEV="1")
    assert settings["RATELIMIT_USE_CACHE"] == "ratelimit"
    assert backends(settings) == {"default": LOCMEM_CACHE, "ratelimit": DATABASE_CACHE}


def test_production_without_redis_uses_the_database(settings_for):
    settings = settings_for(**PRODUCTION_ENV)
    assert backends(settings) == {"default": DATABASE_CACHE, "ratelimit": DATABASE_CACHE}


def test_production_uses_the_celery_brokers_redis_unless_told_otherwise(settings_for):
    settings = settings_for(**PRODUCTION_ENV, CELERY_BROKER_URL="redis://broker:6379/0")
    assert {cache["LOCATION"] for cache in settings["CACHES"].values()} == {"redis://broker:6379/0"}
    assert set(backends(settings).values()) == {REDIS_CACHE}

    settings = settings_for(**PRODUCTION_ENV, CELERY_BROKER_URL="redis://broker:6379/0", CACHE_URL="rediss://c:6380/1")
    assert {cache["LOCATION"] for cache in settings["CACHES"].values()} == {"rediss://c:6380/1"}


def test_production_refuses_a_per_process_cache(settings_for):
    with pytest.raises(ImproperlyConfigured, match="production needs a shared cache"):
        settings_for(**PRODUCTION_ENV, CACHE_URL="locmem://")


def test_a_development_run_may_keep_its_counts_in_memory(settings_for):
    settings = settings_for(MIKROMERIT_DEV="1", CACHE_URL="locmem://")
    assert set(backends(settings).values()) == {LOCMEM_CACHE}


def test_an_unknown_cache_is_refused_without_repeating_its_password(settings_for):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must start with") as refusal:
        settings_for(MIKROMERIT_DEV="1", CACHE_URL="memcached://user:hunter2@cache:11211")
    assert "hunter2" not in str(refusal.value)


def test_it_refuses_to_start_in_production_with_a_per_process_cache():
    result = run_django({**PRODUCTION_ENV, "CACHE_URL": "locmem://"}, "check")
    assert result.returncode != 0
    assert "production needs a shared cache" in result.stderr


def test_docker_compose_gives_the_web_processes_a_redis_cache_apart_from_the_broker():
    environment = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]["environment"]
    assert environment["CACHE_URL"].startswith("redis://")
    assert environment["CACHE_URL"] != environment["CELERY_BROKER_URL"]
