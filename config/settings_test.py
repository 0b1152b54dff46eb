"""The test run: a development run (labelled dev secrets allowed) with fast, isolated stand-ins."""

import os

os.environ["MIKROMERIT_DEV"] = "1"

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
CELERY_BROKER_URL = "memory://"
# allauth's per-address rate limits live in the cache and would carry over between tests.
ACCOUNT_RATE_LIMITS = False
