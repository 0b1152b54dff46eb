"""Awarding through the API: one person at once, or many as a background job, every answer schema-checked."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from api.scopes import Scope
from api.tokens import api_token_create
from assessment.award_jobs import award_job_run
from assessment.models import AwardBatch, AwardRecipient
from badges.credentials.signing import credential_sign
from badges.models import Achievement, Credential
from issuers.models import Role
from tests.api.schema_check import SchemaCheckedClient
from tests.factories import make_achievement, make_issuer, make_member
from tests.list_queries import page_queries, signed_documents_loaded

pytestmark = pytest.mark.django_db


def client_with(secret: str) -> SchemaCheckedClient:
    client = SchemaCheckedClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def rows(count: int, label: str = "p") -> list[dict[str, str]]:
    return [{"email": f"{label}{n}@example.org", "name": f"Person {n}"} for n in range(count)]


def post_job(api, issuer, achievement, body=None, **extra):
    data = {"achievement": str(achievement.public_id), **(body or {})}
    return api.post(f"/api/v1/issuers/{issuer.slug}/award-jobs/", data, format="json", **extra)


def run_job(job_id: str) -> None:
    """What the worker does with the queued task."""
    award_job_run(batch_id=AwardBatch.objects.get(public_id=job_id).pk)


# --- One person ----------------------------------------------------------------------------------------
def test_awarding_one_person_answers_201_with_the_credential(api, issuer, achievement, owner,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.post(f"/api/v1/issuers/{issuer.slug}/awards/", {
            "achievement": str(achievement.public_id), "recipient_email": "Amina@Example.org",
            "recipient_name": "Amina", "valid_until": "2099-01-01T00:00:00Z",
        }, format="json")
    assert response.status_code == 201
    body = response.json()
    credential = Credential.objects.get()
    assert body["id"] == str(credential.public_id) and body["status"] == "pending"
    assert (credential.recipient_email, credential.recipient_name, credential.issued_by) == (
        "amina@example.org", "Amina", owner.user
    )
    assert credential.valid_until.year == 2099
    assert response["Location"] == body["url"] and str(credential.public_id) in body["url"]
    assert len(callbacks) == 1  # its signing, queued on commit
    # The same one-row job as the console's direct award.
    assert AwardBatch.objects.get().recipients.get().credential == credential


def test_a_retried_award_with_the_same_key_issues_once(api, issuer, achievement):
    body = {"achievement": str(achievement.public_id), "recipient_email": "bo@example.org"}
    url = f"/api/v1/issuers/{issuer.slug}/awards/"
    first = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="award-bo-1")
    again = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="award-bo-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Credential.objects.count() == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"recipient_email": "not-an-address"}, "recipient_email"),
    ({"recipient_name": "=HYPERLINK(1)"}, "recipient_name"),
    ({"achievement": "00000000-0000-0000-0000-000000000000"}, "achievement"),
    ({"valid_until": "next tuesday"}, "valid_until"),
])
def test_a_bad_award_is_a_400_naming_the_field(api, issuer, achievement, change, field):
    body = {"achievement": str(achievement.public_id), "recipient_email": "bo@example.org", **change}
    response = api.post(f"/api/v1/issuers/{issuer.slug}/awards/", body, format="json")
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert not Credential.objects.exists()


def test_a_validity_in_the_past_is_refused_with_422(api, issuer, achievement):
    body = {"achievement": str(achievement.public_id), "recipient_email": "bo@example.org",
            "valid_until": "2001-01-01T00:00:00Z"}
    response = api.post(f"/api/v1/issuers/{issuer.slug}/awards/", body, format="json")
    assert response.status_code == 422 and response.json()["code"] == "invalid_valid_until"
    assert not Credential.objects.exists()


def creator_becomes_a_designer(owner) -> None:
    """The token's creator keeps only the designer role: their tokens can no longer award."""
    owner.set_roles([Role.DESIGNER])
    owner.save()


def test_awarding_needs_the_award_scope_and_the_role(issuer, achievement, owner, token_for):
    body = {"achievement": str(achievement.public_id), "recipient_email": "bo@example.org"}
    url = f"/api/v1/issuers/{issuer.slug}/awards/"
    _token, read_only = token_for(Scope.READ)
    assert client_with(read_only).post(url, body, format="json").status_code == 403
    _token, awarding = token_for(Scope.AWARD)
    creator_becomes_a_designer(owner)
    assert client_with(awarding).post(url, body, format="json").status_code == 403
    assert not Credential.objects.exists()


def test_another_issuers_awards_are_404(api, achievement):
    other = make_issuer("annan-skola")
    theirs = make_achievement(other)
    body = {"achievement": str(theirs.public_id), "recipient_email": "bo@example.org"}
    assert api.post(f"/api/v1/issuers/{other.slug}/awards/", body, format="json").status_code == 404
    assert not Credential.objects.exists()


# --- Jobs: checking ------------------------------------------------------------------------------------
def test_a_dry_run_reports_every_bad_row_and_issues_nothing(api, issuer, achievement):
    body = {"dry_run": True, "rows": [
        {"email": "eli@example.org", "name": "Eli"}, {"email": "fel-adress"}, {"email": "ELI@example.org"},
        {"email": "sam@example.org", "name": "@SUM(1)"},
    ]}
    response = post_job(api, issuer, achievement, body, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    report = response.json()
    assert (report["valid"], report["total"], report["valid_rows"]) == (False, 4, 1)
    assert [(error["row"], error["email"]) for error in report["errors"]] == [
        (2, "fel-adress"), (3, "ELI@example.org"), (4, "sam@example.org")
    ]
    assert "already on line 1" in report["errors"][1]["messages"][0]
    assert not AwardBatch.objects.exists() and not Credential.objects.exists()

    clean = post_job(api, issuer, achievement, {"dry_run": True, "rows": rows(3)}).json()
    assert (clean["valid"], clean["valid_rows"], clean["errors"]) == (True, 3, [])
    assert not AwardBatch.objects.exists() and not Credential.objects.exists()


def test_a_job_with_bad_rows_is_a_400_naming_each_row(api, issuer, achievement):
    body = {"rows": [{"email": "eli@example.org"}, {"email": "nope"}, {"email": "eli@example.org"}]}
    response = post_job(api, issuer, achievement, body)
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["rows.2", "rows.3"]
    assert not AwardBatch.objects.exists()


def test_an_unknown_or_unpublished_achievement_is_a_400(api, issuer):
    draft = make_achievement(issuer, status=Achievement.Status.DRAFT)
    for achievement_id in (str(draft.public_id), "00000000-0000-0000-0000-000000000000", "x"):
        response = api.post(f"/api/v1/issuers/{issuer.slug}/award-jobs/",
                            {"achievement": achievement_id, "rows": rows(1)}, format="json")
        assert response.status_code == 400
        assert [error["field"] for error in response.json()["errors"]] == ["achievement"]
    assert not AwardBatch.objects.exists()


def test_more_than_ten_thousand_rows_is_a_400(api, issuer, achievement):
    response = post_job(api, issuer, achievement, {"rows": rows(10_001), "dry_run": True})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "rows"
    assert "10000" in response.json()["errors"][0]["message"]
    assert not AwardBatch.objects.exists()


def test_rows_must_be_a_list_of_objects(api, issuer, achievement):
    for bad in ("eli@example.org", ["eli@example.org"], None):
        assert post_job(api, issuer, achievement, {"rows": bad}).status_code == 400


def test_a_csv_upload_is_read_as_the_console_reads_it(api, issuer, achievement, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("kurs.csv", "\ufeffe-post;namn\neli@example.org;Eli\nsam@example.org;\n".encode(),
                                "text/csv")
    with django_capture_on_commit_callbacks(execute=False):
        response = api.post(f"/api/v1/issuers/{issuer.slug}/award-jobs/",
                            {"achievement": str(achievement.public_id), "file": upload}, format="multipart")
    assert response.status_code == 202
    job = AwardBatch.objects.get()
    assert job.source_name == "kurs.csv"
    assert list(job.recipients.values_list("line", "email", "name")) == [
        (2, "eli@example.org", "Eli"), (3, "sam@example.org", "")
    ]
    bad = SimpleUploadedFile("kurs.csv", b"\x00\x01binary", "text/csv")
    response = api.post(f"/api/v1/issuers/{issuer.slug}/award-jobs/",
                        {"achievement": str(achievement.public_id), "file": bad, "dry_run": "true"},
                        format="multipart")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "file"


# --- Jobs: running -------------------------------------------------------------------------------------
def test_a_job_answers_202_at_once_and_issues_in_the_background(api, issuer, achievement,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_job(api, issuer, achievement, {"rows": rows(60)})
    assert response.status_code == 202
    job = response.json()
    assert job["state"] == "queued" and response["Location"] == job["url"]
    assert job["progress"] == {"total": 60, "done": 0, "waiting": 60, "issued": 0, "failed": 0, "signed": 0}
    assert not Credential.objects.exists()  # nothing issued in the request
    assert len(callbacks) == 1  # the job's task, queued on commit
    callbacks[0]()  # it finds the task by its name and sends it (to the test settings' in-memory broker)

    with django_capture_on_commit_callbacks(execute=False) as signing:
        run_job(job["id"])
        run_job(job["id"])  # delivered twice: nothing more happens
    assert len(signing) == 1 and Credential.objects.count() == 60  # one signing task for the chunk
    read = api.get(job["url"])
    assert read.status_code == 200 and read.json()["state"] == "finished"
    assert read.json()["progress"] == {"total": 60, "done": 60, "waiting": 0, "issued": 60, "failed": 0, "signed": 0}
    assert api.get(job["url"], HTTP_IF_NONE_MATCH=read["ETag"]).status_code == 304

    credential_sign(credential_id=Credential.objects.get(recipient_email="p0@example.org").pk)
    assert api.get(job["url"]).json()["progress"]["signed"] == 1


def test_the_rows_are_a_cursor_paginated_list_of_results(api, issuer, achievement,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = post_job(api, issuer, achievement, {"rows": rows(5)}).json()
    first = api.get(job["rows_url"], {"page_size": 2}).json()
    assert [(row["row"], row["state"], row["credential"]) for row in first["results"]] == [
        (1, "waiting", None), (2, "waiting", None)
    ]
    with django_capture_on_commit_callbacks(execute=False):
        run_job(job["id"])
    rows_seen, url = [], job["rows_url"] + "?page_size=2"
    while url:
        page = api.get(url).json()
        rows_seen += page["results"]
        url = page["next"]
    assert [row["row"] for row in rows_seen] == [1, 2, 3, 4, 5]
    by_email = {c.recipient_email: str(c.public_id) for c in Credential.objects.all()}
    assert all(row["state"] == "issued" and row["credential"]["id"] == by_email[row["email"]] for row in rows_seen)
    assert all(row["error"] is None for row in rows_seen)


def test_the_rows_load_no_signed_document_and_as_many_queries_for_many_as_for_one(
    api, issuer, achievement, django_capture_on_commit_callbacks
):
    def signed_job(count: int, label: str) -> str:
        with django_capture_on_commit_callbacks(execute=False):
            job = post_job(api, issuer, achievement, {"rows": rows(count, label)}).json()
            run_job(job["id"])
        for credential in Credential.objects.filter(recipient_email__startswith=label):
            credential_sign(credential_id=credential.pk)
        return job["rows_url"]

    one, many = signed_job(1, "one"), signed_job(4, "many")
    api.get(one)  # the token records its use (then at most once a minute)
    _response, with_one = page_queries(api, one)
    response, queries = page_queries(api, many)
    assert signed_documents_loaded(queries) == []
    assert len(queries) == len(with_one)
    assert [row["credential"]["status"] for row in response.json()["results"]] == ["issued"] * 4


def test_failed_rows_say_why_and_only_they_can_be_run_again(api, issuer, achievement,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = post_job(api, issuer, achievement, {"rows": rows(3)}).json()
    Achievement.objects.filter(pk=achievement.pk).update(status=Achievement.Status.APPROVED)
    run_job(job["id"])
    read = api.get(job["url"]).json()
    assert read["state"] == "failed" and read["error"]["code"] == "not_published"
    assert read["progress"]["failed"] == 3 and not Credential.objects.exists()
    failed = api.get(job["rows_url"], {"state": "failed", "page_size": 50}, HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assert [row["row"] for row in failed] == [1, 2, 3]
    assert failed[0]["error"]["message"] == "The micro-credential is no longer published."

    Achievement.objects.filter(pk=achievement.pk).update(status=Achievement.Status.PUBLISHED)
    rerun_url = f"{job['url']}rerun/"
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = api.post(rerun_url, {"rows": [1, 3]}, format="json")
    assert response.status_code == 202 and response.json()["state"] == "queued" and len(queued) == 1
    with django_capture_on_commit_callbacks(execute=False):
        run_job(job["id"])
    assert sorted(Credential.objects.values_list("recipient_email", flat=True)) == [
        "p0@example.org", "p2@example.org"
    ]
    # Row 1 is issued now: asking again is refused and changes nothing.
    refused = api.post(rerun_url, {"rows": [1, 2]}, format="json")
    assert refused.status_code == 422 and refused.json()["code"] == "rows_not_failed"
    assert AwardRecipient.objects.get(batch__public_id=job["id"], line=2).state == "failed"
    assert api.post(rerun_url, {"rows": []}, format="json").status_code == 400


def test_a_row_whose_signing_failed_is_failed_and_can_be_issued_again(api, issuer, achievement,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = post_job(api, issuer, achievement, {"rows": rows(2)}).json()
        run_job(job["id"])
    Achievement.objects.filter(pk=achievement.pk).update(status=Achievement.Status.APPROVED)
    first = Credential.objects.get(recipient_email="p0@example.org")
    credential_sign(credential_id=first.pk)  # refused: not published any more
    Achievement.objects.filter(pk=achievement.pk).update(status=Achievement.Status.PUBLISHED)
    [row] = api.get(job["rows_url"], {"state": "failed"}).json()["results"]
    assert (row["row"], row["credential"]["status"], row["error"]["code"]) == (1, "failed", "achievement_unpublished")
    with django_capture_on_commit_callbacks(execute=False):
        assert api.post(f"{job['url']}rerun/", {"rows": [1]}, format="json").status_code == 202
        run_job(job["id"])
    second = AwardRecipient.objects.get(batch__public_id=job["id"], line=1).credential
    assert second != first and second.status == "pending"
    assert Credential.objects.get(pk=first.pk).status == "failed"  # kept as it was


def test_job_creation_with_an_idempotency_key_creates_one_job(api, issuer, achievement,
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = post_job(api, issuer, achievement, {"rows": rows(30)}, HTTP_IDEMPOTENCY_KEY="term-2025")
        again = post_job(api, issuer, achievement, {"rows": rows(30)}, HTTP_IDEMPOTENCY_KEY="term-2025")
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json()["id"] == first.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert AwardBatch.objects.count() == 1 and len(queued) == 1
    other = post_job(api, issuer, achievement, {"rows": rows(2)}, HTTP_IDEMPOTENCY_KEY="term-2025")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


def test_jobs_need_the_award_scope_and_role_and_stay_within_their_issuer(
    api, issuer, achievement, owner, token_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = post_job(api, issuer, achievement, {"rows": rows(2)}).json()
    _token, read_only = token_for(Scope.READ)
    client = client_with(read_only)
    assert post_job(client, issuer, achievement, {"rows": rows(1)}).status_code == 403
    assert client.get(job["url"]).status_code == 403
    assert client.get(job["rows_url"]).status_code == 403

    other = make_issuer("annan-skola")
    stranger = make_member(other, "olle", Role.OWNER, Role.ASSESSOR)
    _token, theirs = api_token_create(issuer=other, by=stranger.user, name="x", scopes=list(Scope.values))
    client = client_with(theirs)
    # Their own issuer's URL with our job's id, and our issuer's URL: both 404.
    assert client.get(f"/api/v1/issuers/{other.slug}/award-jobs/{job['id']}/").status_code == 404
    assert client.get(f"/api/v1/issuers/{other.slug}/award-jobs/{job['id']}/rows/").status_code == 404
    assert client.post(f"/api/v1/issuers/{other.slug}/award-jobs/{job['id']}/rerun/", {"rows": [1]},
                       format="json").status_code == 404
    assert client.get(job["url"]).status_code == 404
    assert api.get(f"/api/v1/issuers/{issuer.slug}/award-jobs/00000000-0000-0000-0000-000000000000/").status_code == 404

    creator_becomes_a_designer(owner)
    assert api.get(job["url"]).status_code == 403
    assert api.post(f"{job['url']}rerun/", {"rows": [1]}, format="json").status_code == 403
    assert post_job(api, issuer, achievement, {"rows": rows(1)}).status_code == 403
    assert AwardBatch.objects.count() == 1
