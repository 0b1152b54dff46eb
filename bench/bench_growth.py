"""Growth: the pages' and tasks' queries on 500,000 credentials, and dead rows left by issuing.

    .venv/bin/python bench/bench_growth.py                       # 500,000 credentials, then 2,000 issued
    .venv/bin/python bench/bench_growth.py --rows 5000 --issue 20 --drop   # small, as CI runs it

It needs a PostgreSQL server (`--server`, default postgres://postgres@127.0.0.1:5432) and makes a database of
its own there (`--database`, dropped first; `--reuse` keeps one already seeded with as many rows). Then:

1. Seeds `--rows` credentials with COPY: issuers of very different sizes (the largest holds about a third),
   several micro-credentials each, about one e-mail address per three credentials, four years of dates,
   mostly issued with some revoked, failed, pending and expired, renewals, claims with their e-mails, and
   applications for the assessment queue. Then ANALYZE.
2. Runs each page's or task's own code (the selectors and querysets the views, API views and tasks call,
   sliced as they slice them), five times or more, and takes the median; captures every SQL statement it
   ran and EXPLAINs (FORMAT JSON) each one: a sequential scan of a large table fails the case, and so does
   a median over 50 ms. Below 100,000 rows the planner rightly prefers sequential scans of small tables,
   so there the EXPLAIN runs with `enable_seqscan = off` (which still shows a sequential scan when no index
   can serve the query) and time is reported but not judged.
3. Issues `--issue` credentials through the services (credential_issue, then credentials_sign `--chunk`
   at a time as the Celery tasks do, in this process) for a new issuer, and reports dead and live rows,
   updates that were HOT and the size of the credential and status-list tables (autovacuum is off for both
   while it runs, so the dead rows are all that issuing left behind).

Exits 1 if any case fails.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Tables whose sequential scan fails a case: they grow with the number of credentials.
LARGE_TABLES = {
    "badges_credential", "badges_credentialclaim", "badges_credentialevent", "badges_credentialpageview",
    "notifications_notice", "assessment_application", "assessment_submission", "account_emailaddress",
    "auth_user",
}
LIMIT_MS = 50.0
JUDGED_FROM_ROWS = 100_000
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=500_000, help="credentials to seed")
    parser.add_argument("--issue", type=int, default=2_000, help="credentials to issue and sign for the bloat report")
    parser.add_argument("--server", default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="mikromerit_bench_growth")
    parser.add_argument("--reuse", action="store_true", help="keep a database already seeded with --rows rows")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per case (the median is reported)")
    parser.add_argument("--chunk", type=int, default=100,
                        help="credentials signed per task in the bloat report (100 as a cohort; 1 as single awards)")
    return parser.parse_args()


def prepare_database(args: argparse.Namespace) -> bool:
    """Create the database (unless reusing one that is seeded); True when seeding is needed."""
    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.database]).fetchone()
        if exists and args.reuse:
            with psycopg.connect(f"{args.server}/{args.database}") as db:
                try:
                    seeded = db.execute("SELECT count(*) FROM badges_credential").fetchone()
                except psycopg.errors.UndefinedTable:
                    seeded = None
            if seeded and seeded[0] >= args.rows:
                return False
        admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{args.database}"')
    return True


args = parse_args()
needs_seed = prepare_database(args)
os.environ["DATABASE_URL"] = f"{args.server}/{args.database}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()
logging.disable(logging.INFO)  # the services log every issuer, key and credential

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.request import Request  # noqa: E402
from rest_framework.test import APIRequestFactory  # noqa: E402

from api.credential_serializers import CredentialFilterSerializer  # noqa: E402
from api.credential_views import ORDERING_FIELDS, CredentialPagination, credentials_filtered  # noqa: E402
from assessment.selectors import assessment_queue, assessment_queue_waiting_for  # noqa: E402
from badges.credentials.expiry import credentials_due_for_expiry_reminder  # noqa: E402
from badges.credentials.reach import credentials_with_reach  # noqa: E402
from badges.credentials.selectors import credential_list_for_issuer  # noqa: E402
from badges.credentials.signing import claim_is_stale_before  # noqa: E402
from badges.credentials.sweeping import credentials_stuck  # noqa: E402
from badges.models import Achievement, Credential, CredentialPageView  # noqa: E402
from bench.bench_ob3 import machine  # noqa: E402
from console.dashboard import credentials_expiring  # noqa: E402
from issuers.models import Issuer, Role  # noqa: E402
from learners.selectors import credential_list_for_learner  # noqa: E402
from tests.factories import make_achievement, make_issuer, make_member, make_user  # noqa: E402


# --- Seeding ---------------------------------------------------------------------------------------------
def copy_rows(table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """COPY rows into a table through Django's own psycopg connection."""
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor underneath Django's wrapper
        with raw.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def sample_document() -> str:
    """A signed credential's JSON of realistic size and shape (about 8.5 KB), as a template."""
    from ob3.build import build_credential
    from tests.ob3.factories import realistic_draft

    document = build_credential(realistic_draft())
    document["proof"] = [{"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofValue": "z" + "5" * 86}]
    return json.dumps(document, ensure_ascii=False)


class Seed:
    """What the cases look up: the largest issuer, a learner's addresses, a name, an achievement."""

    def __init__(self) -> None:
        self.rng = random.Random(14)
        self.issuers: list[Issuer] = []
        self.achievements: dict[int, list[int]] = {}
        self.learner_email = ""
        self.learner = None


def seed(rows: int) -> Seed:
    plan = Seed()
    rng = plan.rng
    # Issuers of very different sizes: weights 1/k (Zipf), so the largest has about a third of everything.
    issuer_count = 12 if rows >= 50_000 else 4
    for number in range(issuer_count):
        issuer = make_issuer(f"issuer-{number}")
        ids = []
        for name_number in range(4):
            achievement = make_achievement(issuer)
            Achievement.objects.filter(pk=achievement.pk).update(
                name=f"{['Samarbete', 'Svetsning', 'Vårdhygien', 'Truckkörning'][name_number]} {number}"
            )
            ids.append(achievement.pk)
        plan.issuers.append(issuer)
        plan.achievements[issuer.pk] = ids
    weights = [1 / (k + 1) for k in range(issuer_count)]
    # The learner whose wallet is measured: a verified address that holds a handful of credentials.
    plan.learner = make_user("wallet-learner")
    plan.learner_email = "wallet-learner@example.org"
    people = max(rows // 3, 10)
    document = sample_document()
    start = NOW - timedelta(days=4 * 365)
    span = (NOW - start).total_seconds()
    statuses = ["issued"] * 900 + ["revoked"] * 40 + ["failed"] * 5 + ["pending"] * 2 + ["signing"] * 1
    credential_columns = [
        "id", "public_id", "issuer_id", "achievement_id", "recipient_email", "recipient_identifier",
        "recipient_salt", "recipient_name", "status", "valid_from", "valid_until", "document", "jwt", "baked_png",
        "baked_svg", "results", "evidence", "recipient_did", "awarded_at", "replaces_id", "share_enabled",
        "first_shared_at", "expiry_reminded_at", "revoked_at", "revocation_reason", "attempts", "claimed_at",
        "created_at", "updated_at",
    ]
    claims: list[tuple[Any, ...]] = []
    notices: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM badges_credential")
        first_id = cursor.fetchone()[0] + 1
        cursor.execute("SELECT coalesce(max(id), 0) FROM notifications_notice")
        first_notice = cursor.fetchone()[0] + 1
    last_by_person: dict[tuple[int, str], int] = {}

    def credentials() -> Iterable[tuple[Any, ...]]:
        for n in range(rows):
            pk = first_id + n
            issuer = rng.choices(plan.issuers, weights)[0]
            achievement_id = rng.choice(plan.achievements[issuer.pk])
            # Dates grow with the id, as inserts do; a few more credentials in recent years.
            created = start + timedelta(seconds=span * ((n + rng.random()) / rows) ** 0.8)
            person = rng.randrange(people)
            email = plan.learner_email if n % max(rows // 8, 1) == 7 else f"person{person}@example.org"
            status = rng.choice(statuses)
            valid_until = created + timedelta(days=rng.choice([365, 730, 1095])) if rng.random() < 0.6 else None
            issued = status in ("issued", "revoked")
            reminded = None
            if status == "issued" and valid_until is not None and valid_until <= NOW + timedelta(days=29):
                reminded = valid_until - timedelta(days=30)  # the daily run already reminded these
            replaces = last_by_person.get((achievement_id, email)) if rng.random() < 0.3 else None
            last_by_person[(achievement_id, email)] = pk
            shared = issued and rng.random() < 0.25
            if created > NOW - timedelta(days=365) and issued:
                notice_id = first_notice + len(notices)
                notices.append((notice_id, uuid.uuid4(), email, "credential_awarded", "sv", "Ett intyg", "…",
                                rng.choice(["sent"] * 97 + ["bounced"] * 2 + ["waiting"]), created,
                                created + timedelta(minutes=1), ""))
                claimed = created + timedelta(days=2) if rng.random() < 0.6 else None
                claims.append((pk, email, uuid.uuid4().hex + uuid.uuid4().hex, created + timedelta(days=30), 1,
                               created, notice_id, claimed, created))
            yield (
                pk, uuid.uuid4(), issuer.pk, achievement_id, email, f"sha256${uuid.uuid4().hex}", uuid.uuid4().hex,
                f"Person {person} {rng.choice(['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson'])}",
                status, created.replace(microsecond=0), valid_until,
                document.replace("urn:uuid:", f"urn:uuid:{pk}-", 1) if issued else None, "",
                f"credentials/{pk}.png" if issued else "", f"credentials/{pk}.svg" if issued else "", "[]", "[]", "",
                created, replaces, shared, created + timedelta(days=3) if shared else None, reminded,
                created + timedelta(days=90) if status == "revoked" else None,
                "Utfärdat av misstag" if status == "revoked" else "", 1 if status != "pending" else 0,
                created if status != "pending" else None, created, created + timedelta(seconds=2),
            )

    copy_rows("badges_credential", credential_columns, credentials())
    copy_rows("notifications_notice", ["id", "public_id", "email", "kind", "language", "subject", "body", "state",
                                       "created_at", "sent_at", "failure"], notices)
    copy_rows("badges_credentialclaim", ["credential_id", "email", "token_hash", "expires_at", "sent_count",
                                         "last_sent_at", "notice_id", "claimed_at", "created_at"], claims)
    seed_page_views()
    # Applications: a fifth as many as credentials, most decided long ago, about 2 % waiting in the queue.
    learners = [make_user(f"applicant-{n}").pk for n in range(20)]
    applications = max(rows // 5, 10)
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM assessment_application")
        first_application = cursor.fetchone()[0] + 1
    waiting: list[tuple[Any, ...]] = []

    def application_rows() -> Iterable[tuple[Any, ...]]:
        for n in range(applications):
            issuer = rng.choices(plan.issuers, weights)[0]
            created = start + timedelta(seconds=span * (n + rng.random()) / applications)
            status = rng.choices(["approved", "rejected", "draft", "submitted", "second_approval",
                                  "revision_requested"], [70, 10, 15, 2, 0.5, 2.5])[0]
            submitted = created + timedelta(days=3) if status != "draft" else None
            if submitted is not None:
                waiting.append((first_application + n, 1, submitted, "[]"))
            yield (first_application + n, uuid.uuid4(), rng.choice(plan.achievements[issuer.pk]), rng.choice(learners),
                   status, False, "", "sv", created, submitted or created, submitted,
                   submitted + timedelta(days=5) if status in ("approved", "rejected") else None)

    copy_rows("assessment_application", ["id", "public_id", "achievement_id", "learner_id", "status", "show_name",
                                         "recipient_name", "language", "created_at", "updated_at", "submitted_at",
                                         "decided_at"], application_rows())
    copy_rows("assessment_submission", ["application_id", "number", "submitted_at", "evidence_snapshot"], waiting)
    with connection.cursor() as cursor:
        for table in ("badges_credential", "notifications_notice", "assessment_application"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608  # nosec B608 -- table names are the constants above
    return plan


def seed_page_views() -> int:
    """Views of shared credentials' pages, one row per credential and day (as CredentialPageView keeps them):
    a few days each, most in the first week after sharing."""
    rng = random.Random(15)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, first_shared_at FROM badges_credential WHERE first_shared_at IS NOT NULL")
        shared = cursor.fetchall()

    def rows() -> Iterable[tuple[Any, ...]]:
        for credential_id, first_shared_at in shared:
            for day in sorted(rng.sample(range(60), rng.choice([1, 2, 3, 5]))):
                yield credential_id, (first_shared_at + timedelta(days=day)).date(), rng.randint(1, 9)

    count = copy_rows("badges_credentialpageview", ["credential_id", "day", "count"], rows())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE badges_credentialpageview")
    return count


def load_plan() -> Seed:
    plan = Seed()
    plan.issuers = list(Issuer.objects.filter(slug__startswith="issuer-").order_by("pk"))
    for issuer in plan.issuers:
        plan.achievements[issuer.pk] = list(Achievement.objects.filter(issuer=issuer).values_list("pk", flat=True))
    from django.contrib.auth import get_user_model
    plan.learner = get_user_model().objects.get(username="wallet-learner")
    plan.learner_email = "wallet-learner@example.org"
    return plan


# --- Measuring -------------------------------------------------------------------------------------------
def plan_nodes(node: dict[str, Any]) -> Iterable[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


SMALL_TABLE_ROWS = 10_000  # a sequential scan of fewer rows than this is the right plan, not a missing index


def small_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relname = ANY(%s) AND reltuples < %s",
                       [sorted(LARGE_TABLES), SMALL_TABLE_ROWS])
        return {row[0] for row in cursor.fetchall()}


def explain(sql: str, *, seqscan: bool) -> tuple[set[str], set[str], float]:
    """(large tables read sequentially, indexes used, execution ms) of one statement, by EXPLAIN ANALYZE."""
    with connection.cursor() as cursor:
        if not seqscan:
            cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
        finally:
            cursor.execute("RESET enable_seqscan")
    plan = json.loads(plan) if isinstance(plan, str) else plan
    scanned, indexes = set(), set()
    for node in plan_nodes(plan[0]["Plan"]):
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in LARGE_TABLES:
            scanned.add(node["Relation Name"])
        if "Index Name" in node:
            indexes.add(node["Index Name"])
    return scanned, indexes, plan[0]["Execution Time"]


def measure(name: str, work: Callable[[], object], *, runs: int, judged: bool) -> dict[str, Any]:
    """The case's code run `runs` times (median wall time, Python included), and each SELECT it ran
    EXPLAINed with ANALYZE `runs` times (median of the summed execution times in the server)."""
    with CaptureQueriesContext(connection) as captured:
        result = work()
    statements = [query["sql"] for query in captured.captured_queries
                  if query["sql"].lstrip().upper().startswith("SELECT")]
    scanned: set[str] = set()
    indexes: set[str] = set()
    database_ms = []
    for _ in range(runs):
        total = 0.0
        for sql in statements:
            seq, used, ms = explain(sql, seqscan=judged)
            scanned |= seq
            indexes |= used
            total += ms
        database_ms.append(total)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append((time.perf_counter() - started) * 1000)
    database = statistics.median(database_ms)
    problems = []
    if judged:
        scanned -= small_tables()
    if scanned:
        problems.append("seq scan of " + ", ".join(sorted(scanned)))
    if judged and database > LIMIT_MS:
        problems.append(f"over {LIMIT_MS:.0f} ms in the database")
    return {"case": name, "rows": len(result) if hasattr(result, "__len__") else result, "queries": len(statements),
            "database_ms": database, "median_ms": statistics.median(timings), "indexes": sorted(indexes),
            "problems": problems}


def cases(plan: Seed) -> list[tuple[str, Callable[[], object]]]:
    largest = plan.issuers[0]
    factory = APIRequestFactory()

    def console(search: str = "", state: str = "") -> Callable[[], object]:
        # badges.credentials.console_views.credential_list
        return lambda: list(credentials_with_reach(
            credential_list_for_issuer(issuer=largest, search=search, state=state), claim_filter=""
        )[:200])

    def api(query: dict[str, str]) -> Callable[[], object]:
        # api.credential_views.CredentialListView.list: the filters checked, the queryset, one cursor page
        def page() -> object:
            request = Request(factory.get("/api/v1/issuers/x/credentials/", query, HTTP_HOST="localhost"))
            filters = CredentialFilterSerializer(data=request.query_params)
            filters.is_valid(raise_exception=True)
            paginator = CredentialPagination()
            paginator.chosen_ordering = ORDERING_FIELDS[filters.validated_data["ordering"]]
            return paginator.paginate_queryset(credentials_filtered(largest, filters.validated_data), request)
        return page

    achievement = Achievement.objects.get(pk=plan.achievements[largest.pk][1])
    some_person = Credential.objects.filter(issuer=largest).exclude(recipient_email=plan.learner_email).order_by(
        "-pk").values_list("recipient_email", flat=True).first() or plan.learner_email
    return [
        ("wallet: one learner's credentials", lambda: list(credential_list_for_learner(plan.learner))),
        ("console list: newest 200", console()),
        (f"console search: e-mail '{some_person[:16]}…'", console(some_person.split("@")[0])),
        ("console search: name 'person 12'", console("person 12 ")),
        ("console search: micro-credential name", console(achievement.name)),
        ("console state: revoked", console(state="revoked")),
        ("console state: expired", console(state="expired")),
        ("console state: valid", console(state="valid")),
        ("console expiring within 30 days", lambda: list(credentials_expiring(
            issuer=largest, now=NOW, days=30)[:1000])),
        ("assessment queue (console, 500)", lambda: list(assessment_queue(issuer=largest)[:500])),
        ("assessment queue: count in the menu", lambda: assessment_queue_waiting_for(
            issuer=largest, assessor_id=plan.learner.pk).count()),
        ("API credentials: first page", api({})),
        ("API credentials: revoked", api({"state": "revoked"})),
        ("API credentials: one recipient", api({"recipient": some_person.upper()})),
        ("API credentials: one micro-credential", api({"achievement": str(achievement.public_id)})),
        ("expiry reminders due today", lambda: list(credentials_due_for_expiry_reminder(now=NOW))),
        ("sweeper: stuck in signing", lambda: list(credentials_stuck(stale_before=claim_is_stale_before(NOW)))),
    ]


def large_table_indexes() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = ANY(%s)", [sorted(LARGE_TABLES)])
        return {row[0] for row in cursor.fetchall()}


# --- Dead rows per issuance --------------------------------------------------------------------------------
BLOAT_TABLES = ("badges_credential", "badges_statuslist")


def table_figures() -> dict[str, dict[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
    connection.close()  # the statistics of this session's transactions are flushed when it ends
    with connection.cursor() as cursor:
        # The table's own rows, and the size of its TOAST table, where values over about 2 KB live (a status
        # list's allocation map once compressed past that, a signed credential): an update that changes such
        # a value writes it there again.
        cursor.execute(
            "SELECT t.relname, t.n_live_tup, t.n_dead_tup, t.n_tup_upd, t.n_tup_hot_upd,"
            " pg_total_relation_size(t.relid), pg_relation_size(c.reltoastrelid)"
            " FROM pg_stat_user_tables t JOIN pg_class c ON c.oid = t.relid"
            " WHERE t.relname = ANY(%s)", [list(BLOAT_TABLES)]
        )
        return {row[0]: dict(zip(("live", "dead", "updates", "hot", "total_bytes", "toast_bytes"), row[1:],
                                 strict=True))
                for row in cursor.fetchall()}


def issue_and_sign(count: int, chunk: int) -> dict[str, Any]:
    from badges.credentials.issuing import credential_issue
    from badges.credentials.signing import credentials_sign

    with connection.cursor() as cursor:
        for table in BLOAT_TABLES:
            cursor.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
    run = f"bloat-{int(time.time())}"  # a new issuer, with a new status list, each run
    issuer = make_issuer(run)
    achievement = make_achievement(issuer)
    owner = make_member(issuer, f"{run}-owner", Role.OWNER).user
    before = table_figures()
    started = time.perf_counter()
    ids = []
    for n in range(count):
        with transaction.atomic():
            ids.append(credential_issue(achievement=achievement, recipient_email=f"bloat{n}@example.org",
                                        recipient_name=f"Bloat {n}", issued_by=owner).pk)
    # As the signing tasks do: a cohort's credentials 100 to a task, a single award alone (--chunk 1).
    for start in range(0, len(ids), chunk):
        credentials_sign(credential_ids=ids[start:start + chunk])
    seconds = time.perf_counter() - started
    after = table_figures()
    with connection.cursor() as cursor:
        for table in BLOAT_TABLES:
            cursor.execute(f"ALTER TABLE {table} RESET (autovacuum_enabled)")
    issued = Credential.objects.filter(pk__in=ids, status=Credential.Status.ISSUED).count()
    return {"count": count, "issued": issued, "seconds": seconds, "before": before, "after": after}


# --- Main ------------------------------------------------------------------------------------------------
def main() -> int:
    print(f"machine: {machine()}")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        print(f"PostgreSQL {cursor.fetchone()[0]}; database {args.database}")
    call_command("migrate", verbosity=0)
    if needs_seed:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
        with transaction.atomic():
            plan = seed(args.rows)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"seeded {args.rows:,} credentials in {time.perf_counter() - started:.0f} s (with VACUUM ANALYZE)")
    else:
        plan = load_plan()
        print(f"reusing the seeded database ({args.rows:,} credentials or more)")
        if not CredentialPageView.objects.exists():  # seeded before page views were
            with transaction.atomic():
                print(f"added {seed_page_views():,} page-view rows")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM badges_credential WHERE issuer_id = %s", [plan.issuers[0].pk])
        print(f"largest issuer: {cursor.fetchone()[0]:,} credentials; {Credential.objects.count():,} in all")
    judged = args.rows >= JUDGED_FROM_ROWS
    if judged:
        print(f"sequential scans of tables under {SMALL_TABLE_ROWS:,} rows are allowed: "
              f"{', '.join(sorted(small_tables())) or 'none'}")
    print("load average before measuring: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    if not judged:
        print(f"below {JUDGED_FROM_ROWS:,} rows: EXPLAIN with enable_seqscan = off; times not judged")
    results = [measure(name, work, runs=args.runs, judged=judged) for name, work in cases(plan)]
    width = max(len(result["case"]) for result in results)
    print(f"{'case':<{width}}  {'rows':>5}  {'SQL':>3}  {'db ms':>6}  {'all ms':>6}  verdict  indexes on large tables")
    large_indexes = large_table_indexes()
    for result in results:
        verdict = "FAIL: " + "; ".join(result["problems"]) if result["problems"] else "ok"
        used = [index for index in result["indexes"] if index in large_indexes]
        print(f"{result['case']:<{width}}  {result['rows']:>5}  {result['queries']:>3}  {result['database_ms']:6.1f}  "
              f"{result['median_ms']:6.1f}  {verdict:<7}  {', '.join(used)}")
    failed = [result for result in results if result["problems"]]
    print("load average after measuring: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    if args.issue:
        bloat = issue_and_sign(args.issue, args.chunk)
        print(f"\nissued and signed {bloat['issued']:,} of {bloat['count']:,} credentials through the services "
              f"in {bloat['seconds']:.0f} s (autovacuum off for these tables meanwhile)")
        print(f"{'table':<20} {'live':>9} {'dead':>9} {'dead/issue':>10} {'updates':>9} {'HOT':>6} "
              f"{'TOAST B/issue':>13} {'size':>9}")
        for table in BLOAT_TABLES:
            before, after = bloat["before"].get(table, {}), bloat["after"][table]
            dead = after["dead"] - before.get("dead", 0)
            updates = after["updates"] - before.get("updates", 0)
            hot = after["hot"] - before.get("hot", 0)
            grown = after["total_bytes"] - before.get("total_bytes", 0)
            toast = after["toast_bytes"] - before.get("toast_bytes", 0)
            print(f"{table:<20} {after['live']:>9,} {after['dead']:>9,} {dead / bloat['count']:>10.2f} "
                  f"{updates:>9,} {hot / updates if updates else 0:>6.0%} {toast / bloat['count']:>13,.0f} "
                  f"{after['total_bytes'] / 1e6:>7.1f}MB"
                  f"  (+{grown / 1e6:.1f} MB)")
    if args.drop:
        connection.close()
        with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    print(f"\ncases: {len(results) - len(failed)} ok, {len(failed)} failing")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
