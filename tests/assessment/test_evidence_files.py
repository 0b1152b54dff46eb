"""Evidence files leave only as downloads, to the people allowed to see them; public copies only when public."""

import pytest
from django.urls import reverse

from assessment.applications import application_submit, evidence_add, evidence_set_public
from assessment.assessing import OutcomeScoreInput, application_assess
from tests.assessment.conftest import PDF, levels, upload
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def assert_safe_download(response, *, filename):
    assert response.status_code == 200
    assert response["Content-Disposition"] == f"attachment; filename=\"{filename}\"; filename*=UTF-8''{filename}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_the_learner_downloads_their_file_as_an_attachment(client, learner, file_evidence):
    client.force_login(learner)
    response = client.get(reverse("applications:evidence-file", args=[file_evidence.public_id]))
    assert_safe_download(response, filename="intyg.pdf")


def test_the_download_name_takes_the_sniffed_extension(client, learner, application, outcome):
    evidence = evidence_add(
        application=application, by=learner, outcome=outcome, title="Skannat", upload=upload("skanning.html", PDF)
    )
    client.force_login(learner)
    response = client.get(reverse("applications:evidence-file", args=[evidence.public_id]))
    assert response["Content-Disposition"] == "attachment; filename=\"skanning.pdf\"; filename*=UTF-8''skanning.pdf"


def test_another_learner_gets_404(client, file_evidence):
    client.force_login(make_user("saman"))
    assert client.get(reverse("applications:evidence-file", args=[file_evidence.public_id])).status_code == 404


def approve(application, learner, assessor, outcome):
    application_submit(application=application, by=learner)
    application_assess(
        application=application, assessor=assessor, decision="approve",
        scores=[OutcomeScoreInput(outcome=outcome, level=levels(outcome)[1])],
    )


def test_public_evidence_answers_only_when_public_and_in_a_credential(client, application, learner, outcome,
                                                                       assessor, file_evidence):
    public_url = reverse("public-evidence", args=[file_evidence.share_id])
    evidence_set_public(evidence=file_evidence, by=learner, is_public=True)
    assert client.get(public_url).status_code == 404  # not in a credential yet
    approve(application, learner, assessor, outcome)
    response = client.get(public_url)
    assert_safe_download(response, filename="intyg.pdf")
    # The private address and the public one are different ids.
    assert str(file_evidence.public_id) not in public_url


def test_private_evidence_has_no_public_copy(client, application, learner, outcome, assessor, file_evidence):
    approve(application, learner, assessor, outcome)
    assert client.get(reverse("public-evidence", args=[file_evidence.share_id])).status_code == 404


def test_public_written_evidence_is_a_small_page(client, application, learner, outcome, assessor):
    text = evidence_add(
        application=application, by=learner, outcome=outcome, title="Min berättelse",
        narrative="<script>alert(1)</script>Jag ledde gruppen.", is_public=True,
    )
    approve(application, learner, assessor, outcome)
    response = client.get(reverse("public-evidence", args=[text.share_id]))
    assert response.status_code == 200
    assert b"<script>alert" not in response.content
    assert "Jag ledde gruppen." in response.content.decode()


def test_uploading_html_named_pdf_through_the_page_is_refused(client, learner, application, outcome):
    client.force_login(learner)
    prefix = f"outcome-{outcome.pk}"
    response = client.post(
        reverse("applications:evidence-add", args=[application.public_id, outcome.public_id]),
        {f"{prefix}-title": "Intyg", f"{prefix}-file": upload("intyg.pdf", b"<!doctype html><h1>hej</h1>")},
    )
    assert response.status_code == 400
    assert "cannot accept this file" in response.content.decode() or "kan inte ta emot" in response.content.decode()
    assert application.evidence.count() == 0


def test_a_learner_adds_evidence_through_the_page(client, learner, application, outcome):
    client.force_login(learner)
    prefix = f"outcome-{outcome.pk}"
    response = client.post(
        reverse("applications:evidence-add", args=[application.public_id, outcome.public_id]),
        {f"{prefix}-title": "Intyg", f"{prefix}-narrative": "Från praktiken.", f"{prefix}-file": upload(),
         f"{prefix}-is_public": "on"},
    )
    assert response.status_code == 302
    evidence = application.evidence.get()
    assert (evidence.kind, evidence.is_public, evidence.original_name) == ("file", True, "intyg.pdf")
