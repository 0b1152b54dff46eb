"""Reading applications through the API: the queue as a list with filters, one application with its
evidence, rounds and feedback, and evidence files downloaded as in the console."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from api.scopes import Scope
from assessment.applications import application_start, application_submit, evidence_add
from assessment.assessing import OutcomeScoreInput, application_assess
from assessment.files import evidence_storage
from assessment.models import Application
from badges.credentials.issuing import credential_issue
from badges.credentials.signing import credential_sign
from issuers.models import Role
from tests.api.schema_check import SchemaCheckedClient
from tests.assessment.conftest import PDF, levels, upload
from tests.factories import make_achievement, make_issuer, make_member, make_user
from tests.list_queries import page_queries, signed_documents_loaded

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def evidence_in_memory(settings):
    settings.STORAGES = {**settings.STORAGES, "evidence": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


@pytest.fixture
def outcome(achievement):
    return achievement.learning_outcomes.get()


@pytest.fixture
def learner(db):
    return make_user("amina")


def submitted_application(achievement, learner, *, with_file=True):
    """An application sent for assessment, with a file (or a written account) for every learning outcome."""
    application = application_start(achievement=achievement, learner=learner, language="sv")
    for outcome in achievement.learning_outcomes.all():
        if with_file:
            evidence_add(
                application=application, by=learner, outcome=outcome, title="Arbetsschema",
                narrative="Schemat jag gjorde för gruppen.", upload=upload(), is_public=True,
            )
        else:
            evidence_add(application=application, by=learner, outcome=outcome, title="Berättelse",
                         narrative="Jag ledde gruppen.")
    application_submit(application=application, by=learner)
    application.refresh_from_db()
    return application


@pytest.fixture
def submitted(achievement, learner):
    return submitted_application(achievement, learner)


def client_with(secret: str) -> SchemaCheckedClient:
    client = SchemaCheckedClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def applications_url(issuer, *rest) -> str:
    return "/".join([f"/api/v1/issuers/{issuer.slug}/applications", *[str(part) for part in rest], ""])


def file_url(issuer, application, evidence) -> str:
    return applications_url(issuer, application.public_id, "evidence", evidence.public_id, "file")


# --- The list -------------------------------------------------------------------------------------------
def test_the_list_shows_sent_applications_never_drafts(api, issuer, achievement, submitted, outcome):
    application_start(achievement=achievement, learner=make_user("saman"))  # a draft
    response = api.get(applications_url(issuer))
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == str(submitted.public_id) and row["status"] == "submitted"
    assert row["achievement"] == {"id": str(achievement.public_id), "name": achievement.name, "version": 1}
    assert row["learner"]["email"] == "amina@example.org" and row["round_count"] == 1
    assert row["credential"] is None and row["url"].endswith(applications_url(issuer, submitted.public_id))


def test_the_list_is_filtered_by_status_achievement_and_time(api, issuer, achievement, owner):
    other_achievement = make_achievement(issuer)
    with freeze_time("2025-03-01 10:00"):
        early = submitted_application(achievement, make_user("early"))
    with freeze_time("2025-03-05 10:00"):
        late = submitted_application(other_achievement, make_user("late"))
        fail, _passing = levels(late.achievement.learning_outcomes.get())
        application_assess(
            application=late, assessor=owner.user, decision="reject", comment="Saknar uppföljning.",
            scores=[OutcomeScoreInput(outcome=fail.outcome, level=fail)],
        )

    def ids(query):
        response = api.get(applications_url(issuer) + query)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids("") == [str(early.public_id), str(late.public_id)]  # the longest-waiting first, as the queue
    assert ids("?status=rejected") == [str(late.public_id)]
    assert ids("?status=submitted") == [str(early.public_id)]
    assert ids(f"?achievement={other_achievement.public_id}") == [str(late.public_id)]
    assert ids("?submitted_after=2025-03-03T00:00:00Z") == [str(late.public_id)]
    assert ids("?submitted_before=2025-03-03T00:00:00Z") == [str(early.public_id)]
    assert ids("?submitted_after=2025-03-01T10:00:00Z&submitted_before=2025-03-05T10:00:00Z") == [
        str(early.public_id)
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [("status=draft", "status"), ("status=done", "status"), ("achievement=abc", "achievement"),
     ("submitted_after=yesterday", "submitted_after"), ("submitted_before=2025-13-01T00:00:00Z", "submitted_before"),
     # Moments without a UTC year from 1 to 9999: refused, never an overflow in the query.
     ("submitted_after=0001-01-01T00:00:00%2B01:00", "submitted_after"),
     ("submitted_before=9999-12-31T23:59:59-01:00", "submitted_before")],
)
def test_a_wrong_filter_is_a_field_error(api, issuer, query, field):
    response = api.get(f"{applications_url(issuer)}?{query}")
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_the_list_comes_in_cursor_pages_with_an_etag(api, issuer, achievement):
    sent = []
    for number in range(3):
        with freeze_time(timezone.now() + timedelta(minutes=number)):
            sent.append(str(submitted_application(achievement, make_user(f"learner{number}")).public_id))
    first = api.get(applications_url(issuer) + "?page_size=2")
    assert first.status_code == 200 and first.json()["next"]
    rest = api.get(first.json()["next"])
    assert [row["id"] for row in first.json()["results"] + rest.json()["results"]] == sent
    assert rest.json()["next"] is None
    again = api.get(applications_url(issuer) + "?page_size=2", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_the_list_loads_no_signed_document_of_the_credentials_issued(api, issuer, achievement):
    def approved(username):
        application = submitted_application(achievement, make_user(username), with_file=False)
        credential = credential_issue(achievement=achievement, recipient_email=f"{username}@example.org")
        credential_sign(credential_id=credential.pk)
        Application.objects.filter(pk=application.pk).update(status=Application.Status.APPROVED, credential=credential)

    approved("first")
    api.get(applications_url(issuer))  # the token records its use (then at most once a minute)
    _response, with_one = page_queries(api, applications_url(issuer))
    for number in range(3):
        approved(f"many{number}")
    response, queries = page_queries(api, applications_url(issuer))
    assert signed_documents_loaded(queries) == []
    assert len(queries) == len(with_one)
    assert len(response.json()["results"]) == 4 and all(row["credential"] for row in response.json()["results"])


# --- One application ------------------------------------------------------------------------------------
def test_reading_an_application_shows_each_outcomes_evidence_metadata(api, issuer, submitted, outcome):
    response = api.get(applications_url(issuer, submitted.public_id))
    assert response.status_code == 200
    body = response.json()
    [described] = body["outcomes"]
    assert described["id"] == str(outcome.public_id)
    assert [level["is_pass_level"] for level in described["levels"]] == [False, True]
    [evidence] = described["evidence"]
    stored = submitted.evidence.get()
    assert evidence == {
        "id": str(stored.public_id), "kind": "file", "title": "Arbetsschema",
        "narrative": "Schemat jag gjorde för gruppen.", "url": "", "file_name": "intyg.pdf", "size": len(PDF),
        "content_type": "application/pdf", "is_public": True,
        "download": "http://testserver" + file_url(issuer, submitted, stored),
    }
    assert PDF not in response.content  # metadata only, never the file inline
    [first_round] = body["rounds"]
    assert first_round["number"] == 1 and first_round["assessments"] == []
    assert first_round["evidence"][0]["id"] == str(stored.public_id)
    assert body["decision_refusal"] is None


def test_earlier_rounds_keep_their_assessments_and_feedback(api, issuer, submitted, learner, owner, outcome):
    fail, _passing = levels(outcome)
    application_assess(
        application=submitted, assessor=owner.user, decision="revise", comment="Visa också uppföljningen.",
        scores=[OutcomeScoreInput(outcome=outcome, level=fail, comment="Schemat är bra.")],
    )
    evidence_add(application=submitted, by=learner, outcome=outcome, title="Uppföljning", url="https://example.org/u")
    application_submit(application=submitted, by=learner)
    body = api.get(applications_url(issuer, submitted.public_id)).json()
    assert body["status"] == "submitted" and body["round_count"] == 2
    assert [round_["number"] for round_ in body["rounds"]] == [2, 1]
    [assessment] = body["rounds"][1]["assessments"]
    assert assessment["decision"] == "revise" and assessment["comment"] == "Visa också uppföljningen."
    assert assessment["assessor"]["email"] == owner.user.email
    assert assessment["scores"] == [
        {"outcome": str(outcome.public_id), "level": str(fail.public_id), "level_name": fail.name,
         "comment": "Schemat är bra."}
    ]
    link = next(item for item in body["outcomes"][0]["evidence"] if item["kind"] == "link")
    assert link["url"] == "https://example.org/u" and link["download"] is None


def test_reading_answers_304_to_a_current_etag(api, issuer, submitted):
    first = api.get(applications_url(issuer, submitted.public_id))
    again = api.get(applications_url(issuer, submitted.public_id), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_the_reader_is_told_when_they_cannot_decide(api, issuer, achievement, owner):
    own = submitted_application(achievement, owner.user)
    body = api.get(applications_url(issuer, own.public_id)).json()
    assert body["decision_refusal"]["code"] == "own_application"


# --- Evidence files -------------------------------------------------------------------------------------
def test_an_evidence_file_downloads_as_in_the_console(api, issuer, submitted):
    evidence = submitted.evidence.get()
    with evidence_storage().open(evidence.file.name, "rb") as stored:
        stored_bytes = stored.read()
    response = api.get(file_url(issuer, submitted, evidence), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == "attachment; filename=\"intyg.pdf\"; filename*=UTF-8''intyg.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == stored_bytes == PDF


def test_evidence_of_another_application_or_without_a_file_is_404(api, issuer, achievement, submitted):
    other = submitted_application(achievement, make_user("saman"))
    theirs = other.evidence.get()
    assert api.get(file_url(issuer, submitted, theirs)).status_code == 404
    written = submitted_application(achievement, make_user("tove"), with_file=False)
    text = written.evidence.get()
    assert api.get(file_url(issuer, written, text)).status_code == 404


# --- Who may read ---------------------------------------------------------------------------------------
def test_another_issuers_application_is_404(api, issuer, learner):
    other_issuer = make_issuer("annanskola")
    theirs = submitted_application(make_achievement(other_issuer), learner)
    evidence = theirs.evidence.get()
    assert api.get(applications_url(issuer, theirs.public_id)).status_code == 404
    assert api.get(file_url(issuer, theirs, evidence)).status_code == 404
    assert api.get(applications_url(other_issuer, theirs.public_id)).status_code == 404
    assert api.get(applications_url(other_issuer)).status_code == 404
    assert api.get(applications_url(issuer, "not-an-id")).status_code == 404


def test_a_draft_is_not_there_for_the_api(api, issuer, achievement, learner):
    draft = application_start(achievement=achievement, learner=learner)
    assert api.get(applications_url(issuer, draft.public_id)).status_code == 404


def test_reading_needs_the_read_scope(token_for, issuer, submitted):
    _token, secret = token_for(Scope.AWARD)
    client = client_with(secret)
    assert client.get(applications_url(issuer)).status_code == 403
    assert client.get(applications_url(issuer, submitted.public_id)).status_code == 403


def test_reading_needs_the_assessor_role(token_for, issuer, submitted):
    owner_only = make_member(issuer, "olga", Role.OWNER)
    _token, secret = token_for(Scope.READ, by=owner_only)
    client = client_with(secret)
    evidence = submitted.evidence.get()
    assert client.get(applications_url(issuer)).status_code == 403
    assert client.get(applications_url(issuer, submitted.public_id)).status_code == 403
    assert client.get(file_url(issuer, submitted, evidence)).status_code == 403
