"""The micro-credential designer in real Chromium: a designer writes one, a quality reviewer publishes it.

Every page on the way is checked with axe (WCAG 2.1 AA) and photographed at 360 and 1280 px.
"""

import pytest

from badges.models import Achievement
from issuers.models import Role
from tests.browser.test_console_browser import PASSWORD, assert_no_horizontal_scroll
from tests.factories import make_issuer, make_member

pytestmark = pytest.mark.browser

ESCO = "http://data.europa.eu/esco/skill/0e8d3a2b-1b6e-4f1c-9a55-cc0c1ee0c1c4"


@pytest.fixture
def issuer(transactional_db):
    return make_issuer()


@pytest.fixture
def designer(issuer):
    return make_member(issuer, "dora", Role.DESIGNER).user


@pytest.fixture
def reviewer(issuer):
    return make_member(issuer, "quinn", Role.QA_REVIEWER).user


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Login").fill(user.email)
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/console/")


def fill_definition(page):
    for field, value in {
        "target_group": "Nyanställda i hemtjänsten.",
        "standalone_value": "Visar att personen kan planera arbete i grupp.",
        "prerequisites": "Inga.",
        "workload_hours": "40",
        "credit_points": "1.5",
        "qa_internal_process": "Ämneslaget granskar varje termin.",
        "qa_external_process": "Branschrådet granskar vartannat år.",
        "qa_responsible_body": "Vård- och omsorgscollege",
    }.items():
        page.fill(f"#id_{field}", value)
    page.select_option("#id_credit_unit", "ects")
    page.select_option("#id_eqf_level", "3")
    page.select_option("#id_seqf_level", "3")
    for name, value in [("assessment_types", "observation"), ("participation_form", "on-site"),
                        ("supervision", "supervised-onsite-id"), ("qa_types", "internal-review"),
                        ("stackability", "standalone")]:
        page.check(f"input[name={name}][value={value}]")


def add_outcome(page, statement, *, another):
    page.fill("#id_statement", statement)
    page.check("input[name=kind][value=skill]")
    page.fill("#id_esco_skill_uri", ESCO)
    page.fill("#id_assessment_criteria", "Handledaren observerar ett arbetspass.")
    page.fill("#id_levels-0-name", "Inte än")
    page.fill("#id_levels-0-description", "Behöver stöd.")
    page.fill("#id_levels-1-name", "Godkänd")
    page.fill("#id_levels-1-description", "Gör det på egen hand.")
    page.check("#id_levels-1-is_pass_level")
    page.get_by_role("button", name="Save and add another" if another else "Save learning outcome").click()
    page.wait_for_load_state()


def test_a_designer_writes_it_a_reviewer_publishes_it(page, browser, server, issuer, designer, reviewer, axe,
                                                      screenshot):
    sign_in(page, designer)
    page.goto(f"/console/{issuer.slug}/achievements/")
    axe.assert_clean(page)
    page.get_by_role("link", name="Create a micro-credential").click()
    page.get_by_label("Title").fill("Samarbete i arbetsgrupp")
    page.get_by_label("Short description").fill("Du planerar och fördelar arbete tillsammans med andra.")
    page.get_by_label("What the learner must show").fill("Ett observerat arbetspass.")
    page.get_by_role("button", name="Create draft").click()
    page.wait_for_url("**/edit/")

    scorecard = page.locator("#scorecard-region")
    assert "Describe who the micro-credential is for." in scorecard.inner_text()
    assert page.get_by_role("button", name="Send for quality review").is_disabled()
    fill_definition(page)
    # The live scorecard follows the form before anything is saved, and says so in the live region.
    page.wait_for_function(
        "() => !document.querySelector('#scorecard-region').innerText"
        ".includes('Describe who the micro-credential is for.')"
    )
    assert page.locator("#scorecard-status").get_attribute("aria-live") == "polite"
    page.get_by_role("button", name="Save and add a learning outcome").click()
    page.wait_for_url("**/outcomes/new/")
    axe.assert_clean(page)
    screenshot(page, "designer-outcome")
    add_outcome(page, "Fördela uppgifter i en arbetsgrupp.", another=True)
    page.wait_for_url("**/outcomes/new/")
    add_outcome(page, "Följa upp att uppgifterna blir gjorda.", another=False)
    page.wait_for_url("**/edit/#outcomes")

    assert "Everything is in place." in scorecard.inner_text()
    assert "missing" not in page.locator(".criterion-verdict").all_inner_texts()
    axe.assert_clean(page)
    screenshot(page, "designer-edit")
    assert_no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Send for quality review").click()
    page.wait_for_load_state()
    achievement = Achievement.objects.get(name="Samarbete i arbetsgrupp")
    assert achievement.status == Achievement.Status.IN_REVIEW

    context = browser.new_context(base_url=server, locale="en-GB", extra_http_headers={"Accept-Language": "en"},
                                  viewport={"width": 1280, "height": 800})
    other = context.new_page()
    sign_in(other, reviewer)
    other.goto(f"/console/{issuer.slug}/review/")
    other.get_by_role("link", name="Samarbete i arbetsgrupp").click()
    other.wait_for_url("**/review/")
    axe.assert_clean(other)
    screenshot(other, "designer-review")
    assert_no_horizontal_scroll(other)
    other.set_viewport_size({"width": 1280, "height": 800})
    other.get_by_label("Approve").check()
    other.get_by_role("button", name="Send decision").click()
    other.locator("main").get_by_role("link", name="Publish", exact=True).click()
    other.get_by_role("button", name="Yes, publish it").click()  # the confirmation page: it cannot be undone
    other.wait_for_url(f"**/achievements/{achievement.public_id}/")
    axe.assert_clean(other)
    achievement.refresh_from_db()
    assert achievement.status == Achievement.Status.PUBLISHED

    other.get_by_role("link", name="See the public page").click()
    other.wait_for_url(f"**/a/{achievement.public_id}")
    text = other.locator("main").inner_text()
    for fact in ("Who issues it", "Testskolan", "Följa upp att uppgifterna blir gjorda.", "Godkänd",
                 "Vård- och omsorgscollege"):
        assert fact in text
    axe.assert_clean(other)
    screenshot(other, "achievement-public")
    assert_no_horizontal_scroll(other)
    context.close()


def test_the_designer_in_swedish_is_accessible(page, issuer, designer, axe, screenshot):
    from tests.factories import make_draft

    draft = make_draft(issuer, full=False)
    sign_in(page, designer)
    page.goto(f"/console/{issuer.slug}/achievements/{draft.public_id}/edit/")
    page.select_option("#language-select", "sv")  # the site's own language switch, as a visitor uses it
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Läranderesultat", exact=True).is_visible()
    assert page.get_by_role("button", name="Skicka för kvalitetsgranskning").is_disabled()
    axe.assert_clean(page)
    screenshot(page, "designer-edit-sv")
    assert_no_horizontal_scroll(page)


def test_the_designer_writes_the_english_texts_and_english_visitors_read_them(page, issuer, designer, axe,
                                                                            screenshot):
    from badges.achievements.publishing import achievement_publish
    from badges.achievements.review import achievement_review_approve, achievement_submit_for_review
    from tests.factories import make_draft, workflow_member

    draft = make_draft(issuer)
    sign_in(page, designer)
    page.goto(f"/console/{issuer.slug}/achievements/{draft.public_id}/edit/")
    page.get_by_role("link", name="Texts in English").click()
    page.wait_for_url("**/translation/en/")
    page.get_by_label("Title").fill("Working together in a team")
    page.get_by_label("Short description").fill("Can work together in a team.")
    page.get_by_label("What the learner must show").fill("Has carried out a shared task.")
    page.locator("textarea[name$='-statement']").fill("Share out tasks in a team.")
    page.get_by_label("Name of level 2, learning outcome 1").fill("Pass")
    axe.assert_clean(page)
    screenshot(page, "designer-translation")
    assert_no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Save the texts in English").click()
    page.wait_for_url("**/translation/en/")
    assert page.get_by_label("Title").input_value() == "Working together in a team"

    achievement = achievement_submit_for_review(achievement=draft, by=designer)
    reviewer = workflow_member(issuer, Role.QA_REVIEWER).user
    achievement = achievement_review_approve(achievement=achievement, by=reviewer)
    achievement_publish(achievement=achievement, by=reviewer)
    page.goto(f"/a/{draft.public_id}")
    assert page.locator("h1[lang=en]").inner_text() == "Working together in a team"
    assert page.locator(".outcome-statement[lang=en]").inner_text() == "Share out tasks in a team."
    axe.assert_clean(page)
    screenshot(page, "achievement-public-en")
    assert_no_horizontal_scroll(page)
