"""A learner applies with evidence, an assessor asks for a revision, the learner revises, the assessor approves."""

import pytest

from assessment.models import Application
from badges.models import Credential
from issuers.models import Role
from tests.factories import make_achievement, make_issuer, make_member, make_user

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def world(transactional_db, settings):
    settings.STORAGES = {**settings.STORAGES, "evidence": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    issuer = make_issuer()
    return {
        "issuer": issuer,
        "achievement": make_achievement(issuer),
        "learner": make_user("amina"),
        "assessor": make_member(issuer, "asa", Role.ASSESSOR).user,
    }


def sign_in(page, user, next_url):
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("Login").fill(user.email)
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"**{next_url}")


def assert_no_horizontal_scroll(page) -> None:
    original = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 800})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways at 360 px (scrollWidth {width})"
    page.set_viewport_size(original)


@pytest.fixture
def assessor_page(browser, server):
    context = browser.new_context(
        base_url=server, locale="en-GB", extra_http_headers={"Accept-Language": "en"},
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def assess(page, world, *, level, decision, feedback=""):
    page.goto(f"/console/{world['issuer'].slug}/assessments/")
    page.get_by_role("link", name="amina@example.org").click()
    page.get_by_role("radio", name=level, exact=True).check()
    page.get_by_role("radio", name=decision).check()
    if feedback:
        page.get_by_label("Feedback to the learner").fill(feedback)
    page.get_by_role("button", name="Save assessment").click()
    page.wait_for_url(f"**/console/{world['issuer'].slug}/assessments/")


def test_apply_revise_and_approve(page, assessor_page, world, axe, screenshot):
    achievement = world["achievement"]
    sign_in(page, world["learner"], f"/applications/new/{achievement.public_id}/")
    page.get_by_role("button", name="Start my application").click()
    page.wait_for_url("**/applications/*/")
    application = Application.objects.get()

    # Evidence for the (only) learning outcome: a file and a narrative. The form is open while there is none.
    page.get_by_label("Title").fill("Arbetsschema")
    page.get_by_label("Describe what you did and what it shows").fill("Schemat jag gjorde för arbetsgruppen.")
    page.get_by_label("File (optional)").set_input_files(
        {"name": "schema.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Save evidence").click()
    page.wait_for_load_state()
    assert page.get_by_text("Evidence added.").is_visible()
    assert page.get_by_role("link", name="Download schema.pdf", exact=False).is_visible()
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "application-draft")

    page.get_by_role("button", name="Send application").click()
    page.wait_for_load_state()
    assert "Waiting for assessment" in page.locator(".status").first.inner_text()

    # The assessor asks for a revision.
    sign_in(assessor_page, world["assessor"], f"/console/{world['issuer'].slug}/assessments/")
    axe.assert_clean(assessor_page)
    assessor_page.get_by_role("link", name="amina@example.org").click()
    axe.assert_clean(assessor_page)
    assert_no_horizontal_scroll(assessor_page)
    screenshot(assessor_page, "assessment-form")
    assessor_page.goto(f"/console/{world['issuer'].slug}/assessments/")
    assess(assessor_page, world, level="Ej godkänd", decision="Request revision",
           feedback="Visa också hur du följde upp uppgifterna.")

    # The learner reads the feedback, adds evidence and sends again.
    page.reload()
    assert "Visa också hur du följde upp uppgifterna." in page.content()
    assert "Revision requested" in page.locator(".status").first.inner_text()
    page.locator("summary", has_text="Add evidence").first.click()
    page.get_by_label("Title").fill("Uppföljning")
    page.get_by_label("Describe what you did and what it shows").fill("Varje fredag gick vi igenom listan.")
    page.get_by_role("button", name="Save evidence").click()
    page.wait_for_load_state()
    axe.assert_clean(page)
    screenshot(page, "application-revision")
    page.get_by_role("button", name="Send again").click()
    page.wait_for_load_state()

    # The assessor approves round 2.
    assess(assessor_page, world, level="Godkänd", decision="Approve")

    page.reload()
    assert "Approved" in page.locator(".status").first.inner_text()
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.submissions.count() == 2
    assert Credential.objects.get().recipient_email == "amina@example.org"
    axe.assert_clean(page)
    screenshot(page, "application-approved")


def test_direct_award_from_a_list(page, world, axe, screenshot):
    owner = make_member(world["issuer"], "olga", Role.OWNER).user
    awards = f"/console/{world['issuer'].slug}/awards/"
    sign_in(page, owner, awards)
    axe.assert_clean(page)
    form = page.locator("form", has=page.get_by_label("List of recipients (CSV)"))
    form.get_by_label("Micro-credential").select_option(label=world["achievement"].name)
    form.get_by_label("List of recipients (CSV)").set_input_files(
        {"name": "kurs.csv", "mimeType": "text/csv", "buffer": b"email;name\neli@example.org;Eli\nfel;Saman\n"}
    )
    page.get_by_role("button", name="Check the list").click()
    page.wait_for_load_state()
    assert "Line 3" in page.content()
    axe.assert_clean(page)
    screenshot(page, "award-list-problems")

    form = page.locator("form", has=page.get_by_label("List of recipients (CSV)"))
    form.get_by_label("Micro-credential").select_option(label=world["achievement"].name)
    form.get_by_label("List of recipients (CSV)").set_input_files(
        {"name": "kurs.csv", "mimeType": "text/csv", "buffer": b"eli@example.org,Eli\nsaman@example.org,\n"}
    )
    page.get_by_role("button", name="Check the list").click()
    page.get_by_role("button", name="Confirm and issue").click()
    page.wait_for_load_state()
    assert "Issued: 0 of 2" in page.locator("#award-progress-text").inner_text()
    assert page.locator("#award-progress-text").get_attribute("aria-live") == "polite"
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "award-progress")
    assert Credential.objects.count() == 2
