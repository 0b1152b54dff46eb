"""Growth on real PostgreSQL: the lookups that must use an index still answer what they answered before,
and bench/bench_growth.py runs end to end at a small size (every query served by an index, checked with
EXPLAIN under `enable_seqscan = off`)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.utils import timezone

from badges.credentials.issuing import credential_issue
from badges.credentials.selectors import credential_list_for_issuer
from badges.credentials.signing import claim_is_stale_before
from badges.credentials.sweeping import credentials_stuck
from badges.models import Achievement, Credential
from tests.factories import make_achievement, make_issuer

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def issuer_with_credentials(django_capture_on_commit_callbacks):
    issuer = make_issuer("tillvaxt")
    welding = make_achievement(issuer)
    Achievement.objects.filter(pk=welding.pk).update(name="Svetsning grund")
    other = make_achievement(issuer)
    stranger = make_achievement(make_issuer("annan"))
    Achievement.objects.filter(pk=stranger.pk).update(name="Svetsning grund")
    made = {
        "anna": credential_issue(achievement=welding, recipient_email="Anna.Berg@Example.org",
                                 recipient_name="Anna Berg"),
        "bo": credential_issue(achievement=other, recipient_email="bo@skola.example", recipient_name="Bo Ek"),
        "cilla": credential_issue(achievement=other, recipient_email="cilla@example.org",
                                  recipient_name="Cilla Nyström"),
        "stranger": credential_issue(achievement=stranger, recipient_email="anna.berg@example.org"),
    }
    return issuer, made


def found(issuer, search: str) -> set[str]:
    return {c.recipient_email for c in credential_list_for_issuer(issuer=issuer, search=search)}


def test_the_console_search_matches_name_e_mail_or_micro_credential_in_any_case(issuer_with_credentials):
    issuer, _ = issuer_with_credentials
    assert found(issuer, "ANNA.B") == {"anna.berg@example.org"}  # e-mail, stored lower-cased
    assert found(issuer, "nyström") == {"cilla@example.org"}  # name, any case
    assert found(issuer, "skola.ex") == {"bo@skola.example"}
    # The micro-credential's name: only this issuer's credentials, never the other issuer's of the same name.
    assert [c.achievement.name for c in credential_list_for_issuer(issuer=issuer, search="svetsning")] == [
        "Svetsning grund"]
    assert found(issuer, "nobody") == set()
    assert found(issuer, "  ") == {"anna.berg@example.org", "bo@skola.example", "cilla@example.org"}


def test_the_search_indexes_exist_and_serve_the_searchs_lookups(issuer_with_credentials):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'badges_credential'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"credential_name_trgm", "credential_email_trgm", "credential_recipient_email",
            "credential_issuer_created", "credential_in_flight", "credential_reminder_due"} <= names
    # The selector's own lookups (icontains, as credential_list_for_issuer writes them) on their own: with
    # sequential scans off, only an index that matches the expression can answer without one.
    for lookup, index in (({"recipient_email__icontains": "berg@exam"}, "credential_email_trgm"),
                          ({"recipient_name__icontains": "nyström"}, "credential_name_trgm")):
        sql, params = Credential.objects.filter(**lookup).values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute("RESET enable_seqscan")
        assert index in plan and "Seq Scan" not in plan, plan


def test_the_sweeper_takes_only_stale_credentials_in_flight(issuer_with_credentials):
    _, made = issuer_with_credentials
    long_ago = timezone.now() - timedelta(days=1)
    Credential.objects.filter(pk=made["anna"].pk).update(updated_at=long_ago)  # pending, untouched: stale
    Credential.objects.filter(pk=made["bo"].pk).update(status="signing", claimed_at=long_ago)  # worker vanished
    Credential.objects.filter(pk=made["cilla"].pk).update(status="issued", updated_at=long_ago)  # done
    stuck = credentials_stuck(stale_before=claim_is_stale_before(timezone.now()))
    assert [pk for pk, *_ in stuck.values_list("pk", "status", "attempts")] == sorted(
        [made["anna"].pk, made["bo"].pk])


def test_the_growth_bench_runs_at_a_small_size():
    url = urlsplit(os.environ["DATABASE_URL"])
    server = f"{url.scheme}://{url.netloc}"
    database = f"mikromerit_growth_test_{os.getpid()}"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_growth.py"), "--rows", "2000", "--issue", "5", "--runs", "1",
         "--server", server, "--database", database, "--drop"],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "cases: 17 ok, 0 failing" in done.stdout
    assert "badges_statuslist" in done.stdout and "badges_credential" in done.stdout
