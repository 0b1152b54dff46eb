"""Drop the credential indexes that no lookup needs: every row of a cohort writes each of them on insert and
on each of its non-HOT updates. The issuer's and the status list's are served by the composite indexes that
begin with them; nothing looks credentials up by their recipient identifier (a salted hash).

Only the indexes go: the foreign-key constraints stay as they are (letting Django alter the fields would
drop and re-add them, which re-checks every row of a large table under lock)."""

import django.db.models.deletion
from django.db import migrations, models

DROPPED = [
    # (index, what recreates it when the migration is reversed)
    ("badges_credential_issuer_id_c9e76c79", 'CREATE INDEX "badges_credential_issuer_id_c9e76c79" '
                                             'ON "badges_credential" ("issuer_id")'),
    ("badges_credential_status_list_id_7a5d895b", 'CREATE INDEX "badges_credential_status_list_id_7a5d895b" '
                                                  'ON "badges_credential" ("status_list_id")'),
    ("badges_credential_recipient_identifier_aa46bdb9", 'CREATE INDEX "badges_credential_recipient_identifier_aa46bdb9" '
                                                        'ON "badges_credential" ("recipient_identifier")'),
]
# PostgreSQL only: Django's second index of an indexed CharField, for LIKE 'prefix%'.
DROPPED_POSTGRESQL = ("badges_credential_recipient_identifier_aa46bdb9_like",
                      'CREATE INDEX "badges_credential_recipient_identifier_aa46bdb9_like" '
                      'ON "badges_credential" ("recipient_identifier" varchar_pattern_ops)')


def drop_postgresql_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{DROPPED_POSTGRESQL[0]}"')


def recreate_postgresql_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROPPED_POSTGRESQL[1])


class Migration(migrations.Migration):

    dependencies = [
        ("badges", "0012_text_limits_bidi_public_urls"),
        ("issuers", "0007_audit_did_key_identity"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="credential",
                    name="issuer",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="credentials", to="issuers.issuer"),
                ),
                migrations.AlterField(
                    model_name="credential",
                    name="recipient_identifier",
                    field=models.CharField(max_length=80, verbose_name="recipient identifier"),
                ),
                migrations.AlterField(
                    model_name="credential",
                    name="status_list",
                    field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True,
                                            on_delete=django.db.models.deletion.PROTECT,
                                            related_name="credentials", to="badges.statuslist"),
                ),
            ],
            database_operations=[
                *(migrations.RunSQL(f'DROP INDEX IF EXISTS "{name}"', reverse_sql=recreate)
                  for name, recreate in DROPPED),
                migrations.RunPython(drop_postgresql_only, recreate_postgresql_only),
            ],
        ),
    ]
