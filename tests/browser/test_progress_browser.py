"""Long work shows true progress in real Chromium: a direct award and a data export update live, without
reloading the page; the summary and the rows agree at every observed moment. No Celery worker runs with the
live server, so the test signs the credentials (and writes the export) itself between polls."""

import re

import pytest

from assessment import awards
from assessment.csv_import import RecipientRow
from badges.credentials.signing import credential_sign
from issuers.models import Role
from learners.exports import learner_export_run
from learners.models import LearnerExport
from tests.browser.test_wallet_browser import assert_no_horizontal_scroll, sign_in
from tests.factories import make_achievement, make_issuer, make_member, make_user

pytestmark = pytest.mark.browser

READ_PAGE = """() => ({
  summary: document.querySelector('#award-summary').textContent.trim(),
  rows: Array.from(document.querySelectorAll('[data-live-row] [data-live-state]')).map(c => c.textContent.trim()),
  marker: window.__notReloaded === true,
})"""


def assert_summary_matches_rows(seen):
    issued = sum(1 for state in seen["rows"] if state == "Issued")
    waiting = sum(1 for state in seen["rows"] if state in ("Waiting to be signed", "Being signed"))
    failed = sum(1 for state in seen["rows"] if state.startswith("Failed"))
    total = len(seen["rows"])
    expected = f"Issued: {issued} of {total}. Waiting: {waiting}. Failed: {failed}."
    assert seen["summary"].startswith(expected), (seen, expected)
    assert seen["summary"].endswith("All done.") == (waiting == 0)


def test_a_direct_award_shows_live_progress(page, server, axe, screenshot):
    issuer = make_issuer()
    achievement = make_achievement(issuer)
    owner = make_member(issuer, "olga", Role.OWNER).user
    rows = [RecipientRow(line=2, email="eli@example.org", name="Eli"),
            RecipientRow(line=3, email="saman@example.org", name="Saman Åberg")]
    batch = awards.award_batch_prepare(issuer=issuer, achievement=achievement, by=owner, rows=rows)
    awards.award_batch_confirm(batch=batch, by=owner)
    credentials = [batch.recipients.get(line=line).credential for line in (2, 3)]

    sign_in(page, owner)
    page.goto(f"/console/{issuer.slug}/awards/{batch.public_id}/")
    page.evaluate("() => { window.__notReloaded = true; }")
    seen = page.evaluate(READ_PAGE)
    assert seen["rows"] == ["Waiting to be signed", "Waiting to be signed"]
    assert_summary_matches_rows(seen)
    assert not page.get_by_role("link", name="Refresh").is_visible()  # JavaScript polls instead
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "award-live-waiting")

    credential_sign(credential_id=credentials[0].pk)
    page.wait_for_function("() => document.querySelector('[data-live-row=\"2\"] [data-live-state]')"
                           ".textContent.trim() === 'Issued'")
    seen = page.evaluate(READ_PAGE)
    assert seen["marker"] and seen["rows"] == ["Issued", "Waiting to be signed"]
    assert_summary_matches_rows(seen)

    credential_sign(credential_id=credentials[1].pk)
    page.wait_for_selector("#award-progress[data-live-done]")
    seen = page.evaluate(READ_PAGE)
    assert seen["marker"] and seen["rows"] == ["Issued", "Issued"]
    assert_summary_matches_rows(seen)
    assert page.locator("#award-progress-text").get_attribute("aria-live") == "polite"
    assert page.locator("#award-progress-text").inner_text().endswith("All done.")  # announced when done
    assert page.locator("#award-progress").get_attribute("data-live-progress") is None  # polling stopped
    axe.assert_clean(page)
    screenshot(page, "award-live-done")


def test_a_data_export_shows_live_progress_and_offers_the_download(page, server, axe, screenshot):
    learner = make_user("amina")
    sign_in(page, learner)
    page.goto("/wallet/export/")
    axe.assert_clean(page)
    page.get_by_role("button", name="Prepare my data").click()
    page.wait_for_load_state()
    page.evaluate("() => { window.__notReloaded = true; }")
    assert "Your data export is waiting to start." in page.locator("#export-progress").inner_text()
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "export-waiting")

    learner_export_run(export_id=LearnerExport.objects.get(user=learner).pk)
    link = page.get_by_role("link", name="Download zip file")
    link.wait_for()
    assert page.evaluate("() => window.__notReloaded === true")
    assert re.search(r"Your data is ready to download\.", page.locator("#export-progress").inner_text())
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("mikromerit-")
    axe.assert_clean(page)
    screenshot(page, "export-ready")
