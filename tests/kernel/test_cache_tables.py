"""`migrate` creates the database cache's table (CACHE_URL=dbcache://, production without Redis)."""

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection

pytestmark = pytest.mark.django_db  # the table is created inside the test's transaction, and goes with it


def test_migrate_creates_the_database_cache_table(settings):
    settings.CACHES = {**settings.CACHES, "probe": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "probe_cache_after_migrate",
    }}
    assert "probe_cache_after_migrate" not in connection.introspection.table_names()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert "probe_cache_after_migrate" in connection.introspection.table_names()
