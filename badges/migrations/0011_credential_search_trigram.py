"""Trigram indexes for the console's credential search (PostgreSQL only).

The search matches any part of a recipient's name or e-mail, case-insensitively (`icontains`, which
PostgreSQL runs as `UPPER(column) LIKE UPPER('%…%')`). Only a trigram index (pg_trgm, GIN) can answer that
without reading every credential of the issuer. SQLite, the embedded default, has no such index type, so
these live here rather than in the model's Meta, and the migration does nothing elsewhere.
"""

from django.db import migrations

INDEXES = {
    "credential_name_trgm": 'UPPER("recipient_name"::text) gin_trgm_ops',
    "credential_email_trgm": 'UPPER("recipient_email"::text) gin_trgm_ops',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "badges_credential" USING gin ({expression})')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("badges", "0010_credential_lookup_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
