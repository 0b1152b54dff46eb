from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


class KernelConfig(AppConfig):
    name = "kernel"

    def ready(self) -> None:
        post_migrate.connect(cache_tables_create, sender=self)


def cache_tables_create(*, using: str, **kwargs: Any) -> None:
    """After every migrate, the table of each database cache (CACHE_URL=dbcache://, and the rate-limit
    counts of the embedded default) exists: `migrate` is all a deployment or `make demo` needs to run,
    also after switching to the database cache later. createcachetable leaves existing tables alone."""
    call_command("createcachetable", database=using, verbosity=0)
