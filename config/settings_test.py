"""The test run: a development run (labelled dev secrets allowed) with fast, isolated stand-ins."""

import os

os.environ["MIKROMERIT_DEV"] = "1"
# Celery reads CELERY_BROKER_URL from the environment before settings, and CI sets it for the
# real-services tests; ordinary tests must never publish to that shared broker.
# The real-services tests (tests/services) read the original from SERVICES_BROKER_URL.
_real_broker = os.environ.pop("CELERY_BROKER_URL", None)
if _real_broker:
    os.environ.setdefault("SERVICES_BROKER_URL", _real_broker)

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "exports": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
CELERY_BROKER_URL = "memory://"
# allauth's per-address rate limits live in the cache and would carry over between tests.
ACCOUNT_RATE_LIMITS = False
# One process: every cache in memory, all aliases in one store, so the cache.clear() before each test
# (tests/conftest.py) also empties the rate-limit counts, and tests without a database can still be counted.
# The tests that count across processes set up the real caches in processes of their own (tests/kernel).
CACHES = {
    alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    for alias in CACHES  # noqa: F405
}
