"""`migrate` is all a deployment runs: afterwards every database cache's table exists."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.models.signals import post_migrate
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(CACHES={
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {"BACKEND": "kernel.ratelimit.DatabaseCounterCache", "LOCATION": "probe_counts"},
})
def test_every_migrate_creates_the_database_caches_table():
    assert "probe_counts" not in connection.introspection.table_names()
    post_migrate.send(sender=apps.get_app_config("kernel"), app_config=apps.get_app_config("kernel"),
                      verbosity=0, interactive=False, using="default", plan=[], apps=apps)
    assert "probe_counts" in connection.introspection.table_names()
