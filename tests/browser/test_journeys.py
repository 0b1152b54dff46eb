"""The four user journeys (docs: /work/shared/user-cases.md) in real Chromium, each ending with an employer
verifying the result.

- Amina (upskilling): catalogue → application with evidence → mentor comments → revision → approval → wallet →
  download that verifies with `python -m ob3 verify` → sharing and LinkedIn → the employer sees "Valid".
- Eli (interrupted education): two parts of an unfinished programme awarded one by one → shares one → the
  employer checks the link and the SVG he was sent.
- Saman (job seeker): three short courses awarded from CSV lists → public page → the employer opens it.
- Jacob (work placement): the hotel awards the placement → the employer checks it → the hotel revokes it.

Set-up (issuers, published micro-credentials, accounts) uses services; every step a person takes uses the pages.
There is no Celery worker in the browser tests: `run_signing_worker()` plays its part by calling
badges.credentials.signing.credential_sign for each pending credential, exactly what
badges.tasks.credential_sign_task does.

The site's public address (PUBLIC_BASE_URL) is set to the live server, so the links the site prints (share links,
the public page's links, issuer ids inside the credentials) lead back to it, as they do in production.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from assessment.models import Application
from badges.models import Credential
from issuers.models import Role
from tests.browser.journeys_support import (
    Outcome,
    assess,
    award_by_list,
    award_to_one,
    browser_context,
    check_page,
    download,
    linkedin_parameters,
    make_named_issuer,
    ob3_verify,
    open_in_wallet,
    path_of,
    publish_achievement,
    run_signing_worker,
    share,
    sign_in,
    verdict_of,
    verify_upload,
)
from tests.factories import make_member, make_user

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def site(server, settings):
    """The live server is the site's public address (and so the extension context's, which the settings derive
    from it at start); evidence files are kept in memory."""
    settings.PUBLIC_BASE_URL = server
    settings.EXTENSION_CONTEXT_URL = f"{server}/ns/v1"
    settings.STORAGES = {**settings.STORAGES, "evidence": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    return server


def person(username: str, first_name: str, last_name: str):
    user = make_user(username)
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    return user


# --- Amina ------------------------------------------------------------------------------------------------------
AMINA_COURSE = "Informationssäkerhet och digital arbetsmiljö i äldreomsorgen"


def test_amina_upskills_with_a_mentor_and_an_employer_verifies(
    page, browser, site, axe, screenshot, mailoutbox, tmp_path
):
    issuer = make_named_issuer("malmo-vuxenutbildning", "Malmö stad – Vuxenutbildningen",
                               url="https://malmo.se/vuxenutbildning")
    course = publish_achievement(
        issuer, AMINA_COURSE,
        "Kan hantera brukares uppgifter säkert i digitala system och bidra till en god digital arbetsmiljö.",
        [
            Outcome("Hantera personuppgifter om brukare säkert i journal- och planeringssystem.",
                    "Deltagaren visar hur hen loggar in, delar och avslutar arbete i systemen."),
            Outcome("Upptäcka och rapportera en informationssäkerhetsincident enligt arbetsplatsens rutin.",
                    "En skriftlig incidentrapport från ett övningsfall bedöms mot matrisen."),
        ],
        field_of_study="Vård och omsorg",
    )
    publish_achievement(issuer, "Demensvård: bemötande och kommunikation",
                        "Kan bemöta personer med demenssjukdom med respekt.",
                        [Outcome("Anpassa bemötandet efter personens behov.", "Observation under praktik.")])
    amina = person("amina", "Amina", "Hassan")
    mentor = person("maria", "Maria", "Lind")
    assessor = make_member(issuer, "anders", Role.ASSESSOR).user

    # Amina signs in and finds the course in the catalogue.
    sign_in(page, amina, "/catalogue/")
    page.get_by_role("search").get_by_label("Search").fill("informationssäkerhet")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    page.wait_for_url("**/catalogue/?*")
    assert page.get_by_role("status").first.inner_text().strip() == "1 micro-credential found."
    assert page.get_by_role("heading", level=2, name=AMINA_COURSE).is_visible()
    check_page(page, axe, screenshot, "journey-amina-01-catalogue")
    # What it means before she applies: the public description, then back to the catalogue.
    page.get_by_role("link", name=f"Read more – {AMINA_COURSE}").click()
    page.wait_for_url(f"**/a/{course.public_id}")
    assert "informationssäkerhetsincident" in page.locator("main").inner_text()
    check_page(page, axe, screenshot, "journey-amina-02-about")
    page.go_back()
    page.get_by_role("link", name=f"Apply – {AMINA_COURSE}").click()
    page.wait_for_url(f"**/applications/new/{course.public_id}/")
    assert page.get_by_role("heading", level=1, name=f"Apply for {AMINA_COURSE}").is_visible()
    check_page(page, axe, screenshot, "journey-amina-03-apply")
    page.get_by_role("button", name="Start my application").click()
    page.wait_for_url("**/applications/*/")
    application = Application.objects.get(learner=amina)

    # Evidence per learning outcome: a file and a narrative each.
    for number, (title, narrative, filename) in enumerate([
        ("Inloggning och delning i journalsystemet",
         "Jag visar steg för steg hur jag loggar in med SITHS-kort och låser skärmen när jag går.", "rutin.pdf"),
        ("Incidentrapport från övningen",
         "Jag hittade en utskrift med personuppgifter i personalrummet och rapporterade den.", "incident.pdf"),
    ], start=1):
        outcome = page.get_by_role("region", name=f"Learning outcome {number}", exact=True)
        outcome.get_by_label("Title").fill(title)
        outcome.get_by_label("Describe what you did and what it shows").fill(narrative)
        outcome.get_by_label("File (optional)").set_input_files(
            {"name": filename, "mimeType": "application/pdf", "buffer": PDF}
        )
        outcome.get_by_role("button", name="Save evidence").click()
        page.wait_for_load_state()
        assert "Evidence added." in page.get_by_role("status").first.inner_text()
        assert page.get_by_role("link", name=f"Download {filename}", exact=False).is_visible()

    # Her name is to be shown in the credential.
    name_section = page.get_by_role("region", name="Your name in the credential")
    name_section.get_by_label("Show my name in the credential").check()
    name_section.get_by_label("Name to show").fill("Amina Hassan")
    name_section.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()

    # She asks her mentor to read the draft.
    page.get_by_label("Your mentor's or coach's e-mail").fill(mentor.email)
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_load_state()
    assert f"Invitation sent to {mentor.email}." in page.get_by_role("status").first.inner_text()
    check_page(page, axe, screenshot, "journey-amina-04-application-draft")
    invitation = next(message for message in mailoutbox if mentor.email in message.to)
    accept_url = re.search(r"https?://\S+/applications/mentor/\S+/", invitation.body).group(0)

    # The mentor follows the link in the e-mail (in her own browser), accepts and comments.
    with browser_context(browser, site) as mentor_page:
        sign_in(mentor_page, mentor, path_of(accept_url))
        mentor_page.get_by_role("button", name="Accept and open the application").click()
        mentor_page.wait_for_url(f"**/applications/{application.public_id}/review/")
        assert mentor_page.get_by_text("Incidentrapport från övningen").is_visible()
        mentor_page.get_by_role("textbox", name="Comment").fill("Bra! Skriv också vem du rapporterade till och när.")
        mentor_page.get_by_role("button", name="Add comment").click()
        mentor_page.wait_for_load_state()
        assert "Comment saved." in mentor_page.get_by_role("status").first.inner_text()
        check_page(mentor_page, axe, screenshot, "journey-amina-05-mentor")

    # Amina reads the comment and sends the application.
    page.reload()
    assert page.get_by_text("Bra! Skriv också vem du rapporterade till och när.").is_visible()
    page.get_by_role("button", name="Send application").click()
    page.wait_for_load_state()
    assert "Waiting for assessment" in page.locator(".status").first.inner_text()

    # The assessor asks for a revision of the second outcome.
    with browser_context(browser, site) as assessor_page:
        sign_in(assessor_page, assessor, f"/console/{issuer.slug}/assessments/")
        assess(assessor_page, issuer, "Amina Hassan", levels=["Godkänd", "Ej godkänd"], decision="Request revision",
               feedback="Beskriv också vem du rapporterade incidenten till.",
               inspect=lambda form: check_page(form, axe, screenshot, "journey-amina-06-assessment"))

        # Amina revises and sends again.
        page.reload()
        assert "Revision requested" in page.locator(".status").first.inner_text()
        assert page.get_by_text("Beskriv också vem du rapporterade incidenten till.").first.is_visible()
        second = page.get_by_role("region", name="Learning outcome 2", exact=True)
        second.locator("summary", has_text="Add evidence").click()
        second.get_by_label("Title").fill("Komplettering: vem jag rapporterade till")
        second.get_by_label("Describe what you did and what it shows").fill(
            "Jag rapporterade till enhetschefen samma dag och skrev en avvikelse i systemet.")
        second.get_by_role("button", name="Save evidence").click()
        page.wait_for_load_state()
        check_page(page, axe, screenshot, "journey-amina-07-revision")
        page.get_by_role("button", name="Send again").click()
        page.wait_for_load_state()

        # The assessor approves round 2.
        assess(assessor_page, issuer, "Amina Hassan", levels=["Godkänd", "Godkänd"], decision="Approve")

    page.reload()
    assert "Approved" in page.locator(".status").first.inner_text()
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.submissions.count() == 2
    run_signing_worker()

    # The credential is in her wallet.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My wallet").click()
    page.wait_for_url("**/wallet/")
    assert page.get_by_role("link", name=AMINA_COURSE).is_visible()
    check_page(page, axe, screenshot, "journey-amina-08-wallet")
    public_id = open_in_wallet(page, AMINA_COURSE)
    credential = Credential.objects.get(public_id=public_id)
    assert credential.recipient_email == amina.email and credential.recipient_name == "Amina Hassan"
    results = page.get_by_role("table").inner_text()
    assert results.count("Godkänd") == 2
    check_page(page, axe, screenshot, "journey-amina-09-credential")

    # She downloads the baked badge; it verifies offline with what the issuer publishes.
    png = download(page, "Badge image (PNG)", tmp_path / "amina.png")
    assert png.read_bytes().startswith(b"\x89PNG")
    ob3_verify(png)

    # She shares it and adds it to LinkedIn.
    share_path = share(page)
    assert share_path == f"/c/{public_id}"
    parameters = linkedin_parameters(page.get_by_role("link", name="Add to LinkedIn profile").get_attribute("href"))
    awarded = timezone.localtime(credential.awarded_at or credential.valid_from)
    assert parameters == {
        "startTask": "CERTIFICATION_NAME",
        "name": AMINA_COURSE,
        "organizationName": "Malmö stad – Vuxenutbildningen",
        "issueYear": str(awarded.year),
        "issueMonth": str(awarded.month),
        "certUrl": f"{site}/c/{public_id}",
        "certId": public_id,
    }
    check_page(page, axe, screenshot, "journey-amina-10-shared")

    # The employer opens the link in her application.
    with browser_context(browser, site) as employer:
        employer.goto(share_path)
        assert verdict_of(employer) == "Valid"
        main = employer.locator("main").inner_text()
        # Who issued it, to whom, and what stands behind it (the outcomes the assessor checked).
        for fact in (AMINA_COURSE, "Malmö stad – Vuxenutbildningen", "Amina Hassan",
                     "Upptäcka och rapportera en informationssäkerhetsincident enligt arbetsplatsens rutin."):
            assert fact in main, fact
        check_page(employer, axe, screenshot, "journey-amina-11-employer")


# --- Eli --------------------------------------------------------------------------------------------------------
SOLAR = ("Solcellsinstallation: säkerhet", "Solcellsinstallation: montering")


def test_eli_gets_parts_of_an_unfinished_programme_recognised(page, browser, site, axe, screenshot, tmp_path):
    issuer = make_named_issuer("solkraft-yh", "Solkraft Yrkeshögskola", url="https://solkraft-yh.example")
    safety, mounting = (
        publish_achievement(issuer, SOLAR[0], "Kan arbeta säkert på tak och med likström i solcellsanläggningar.",
                            [Outcome("Arbeta säkert på tak med fallskydd.", "Praktiskt prov på övningstak."),
                             Outcome("Bryta och kontrollera likströmskretsen före arbete.", "Praktiskt prov.")]),
        publish_achievement(issuer, SOLAR[1], "Kan montera solcellsmoduler och växelriktare enligt ritning.",
                            [Outcome("Montera skenor och moduler enligt montageanvisningen.", "Praktiskt prov.")]),
    )
    owner = make_member(issuer, "olof", Role.OWNER).user
    eli = person("eli", "Eli", "Nordin")

    # The programme's coordinator awards the two parts Eli completed, one at a time, in the console.
    with browser_context(browser, site) as console:
        sign_in(console, owner, f"/console/{issuer.slug}/awards/")
        check_page(console, axe, screenshot, "journey-eli-01-award")
        award_to_one(console, issuer, safety, email=eli.email, name="Eli Nordin")
        award_to_one(console, issuer, mounting, email=eli.email, name="Eli Nordin")
        assert "Issued: 0 of 1" in console.locator("#award-progress-text").inner_text()
        check_page(console, axe, screenshot, "journey-eli-02-award-issuing")
    signed = run_signing_worker()
    assert {credential.achievement_id for credential in signed} == {safety.id, mounting.id}

    # Eli finds both in his wallet and shares the safety part.
    sign_in(page, eli, "/wallet/")
    for name in SOLAR:
        assert page.get_by_role("link", name=name, exact=True).is_visible()
    states = [" ".join(text.split()) for text in page.locator(".credential-state").all_inner_texts()]
    assert states == ["✓ Valid", "✓ Valid"], states
    check_page(page, axe, screenshot, "journey-eli-03-wallet")
    public_id = open_in_wallet(page, SOLAR[0])
    share_path = share(page)
    svg = download(page, "Badge image (SVG)", tmp_path / "eli.svg")
    assert b"openbadges:credential" in svg.read_bytes()
    check_page(page, axe, screenshot, "journey-eli-04-credential")
    unshared = Credential.objects.get(achievement=mounting).public_id

    with browser_context(browser, site) as employer:
        # The employer opens the link from his CV …
        employer.goto(share_path)
        assert verdict_of(employer) == "Valid"
        assert SOLAR[0] in employer.locator("main").inner_text()
        assert "Solkraft Yrkeshögskola" in employer.locator("main").inner_text()
        check_page(employer, axe, screenshot, "journey-eli-05-employer-link")
        # … the part he did not share stays private …
        assert employer.goto(f"/c/{unshared}").status == 404
        # … and checks the badge file he attached to the application.
        assert verify_upload(employer, svg) == "Valid"
        assert SOLAR[0] in employer.locator("#result").inner_text()
        check_page(employer, axe, screenshot, "journey-eli-06-verify-svg")
    assert share_path == f"/c/{public_id}"


# --- Saman ------------------------------------------------------------------------------------------------------
SAMAN_COURSES = ("Yrkessvenska för industrin", "Läsa tekniska ritningar", "Verktygshantering i verkstad")


def test_saman_shows_three_short_courses_on_his_public_page(page, browser, site, axe, screenshot):
    issuer = make_named_issuer("industricollege-vast", "Teknikcollege Väst", url="https://teknikcollege.example")
    courses = [
        publish_achievement(issuer, name, description, [Outcome(statement, "Praktiskt prov med lärare.")])
        for name, description, statement in [
            (SAMAN_COURSES[0], "Kan använda svenska i verkstaden.",
             "Ta emot och ge muntliga arbetsinstruktioner på svenska."),
            (SAMAN_COURSES[1], "Kan läsa enkla tekniska ritningar.", "Läsa mått och toleranser på en ritning."),
            (SAMAN_COURSES[2], "Kan välja och hantera verktyg säkert.", "Välja rätt verktyg och använda det säkert."),
        ]
    ]
    owner = make_member(issuer, "tove", Role.OWNER).user
    saman = person("saman", "Saman", "Karimi")

    # The college awards each course from a CSV list (one list per micro-credential).
    with browser_context(browser, site) as console:
        sign_in(console, owner, f"/console/{issuer.slug}/awards/")
        for number, course in enumerate(courses, start=1):
            award_by_list(console, issuer, course, f"email;name\n{saman.email};Saman Karimi\n".encode(),
                          filename=f"kurs-{number}.csv")
        check_page(console, axe, screenshot, "journey-saman-01-award-list")
    run_signing_worker()

    # Saman shares all three and turns his public page on.
    sign_in(page, saman, "/wallet/")
    for name in SAMAN_COURSES:
        open_in_wallet(page, name)
        share(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My wallet").click()
    page.wait_for_url("**/wallet/")
    assert page.locator(".wallet-tag", has_text="Shared").count() == 3
    public_page = page.get_by_role("region", name="My public page")
    public_page.get_by_label("Show my public page").check()
    public_page.get_by_label("Name on your public page").fill("Saman Karimi")
    public_page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/wallet/")
    assert "Your public page settings are saved." in page.get_by_role("status").first.inner_text()
    profile_link = public_page.locator("a[href*='/p/']")
    profile_path = path_of(profile_link.get_attribute("href"))
    check_page(page, axe, screenshot, "journey-saman-02-wallet")

    # The employer opens the page from his application and checks one of the courses.
    with browser_context(browser, site) as employer:
        employer.goto(profile_path)
        assert employer.get_by_role("heading", level=1, name="Micro-credentials of Saman Karimi").is_visible()
        listed = employer.get_by_role("heading", level=2).all_inner_texts()
        assert sorted(listed) == sorted(SAMAN_COURSES), listed
        check_page(employer, axe, screenshot, "journey-saman-03-public-profile")
        employer.get_by_role("link", name=SAMAN_COURSES[1]).click()
        employer.wait_for_url("**/c/*")
        assert verdict_of(employer) == "Valid"
        assert SAMAN_COURSES[1] in employer.locator("main").inner_text()
        check_page(employer, axe, screenshot, "journey-saman-04-employer")


# --- Jacob ------------------------------------------------------------------------------------------------------
PLACEMENT = "Gästvärd – praktik"


def test_jacob_documents_his_placement_and_the_hotel_revokes_it(page, browser, site, axe, screenshot):
    hotel = make_named_issuer("hotell-skeppsbron", "Hotell Skeppsbron", url="https://skeppsbron.example")
    placement = publish_achievement(
        hotel, PLACEMENT, "Har tagit emot gäster i receptionen under arbetsplatsförlagt lärande.",
        [Outcome("Ta emot, checka in och hjälpa gäster på svenska och engelska.", "Handledaren observerar ett pass."),
         Outcome("Hantera en klagomålssituation lugnt och professionellt.", "Handledaren observerar och samtalar.")],
    )
    manager = make_member(hotel, "hanna", Role.OWNER).user
    jacob = person("jacob", "Jacob", "Ek")

    with browser_context(browser, site) as console:
        # The hotel awards the placement directly.
        sign_in(console, manager, f"/console/{hotel.slug}/awards/")
        award_to_one(console, hotel, placement, email=jacob.email, name="Jacob Ek")
        run_signing_worker()

        # Jacob shares it; an employer checks it.
        sign_in(page, jacob, "/wallet/")
        open_in_wallet(page, PLACEMENT)
        share_path = share(page)
        check_page(page, axe, screenshot, "journey-jacob-01-credential-shared")
        with browser_context(browser, site) as employer:
            employer.goto(share_path)
            assert verdict_of(employer) == "Valid"
            check_page(employer, axe, screenshot, "journey-jacob-02-employer-valid")

            # The hotel revokes it, with a reason (the employer-side details are in test_employer_browser).
            console.goto(f"/console/{hotel.slug}/credentials/")
            console.get_by_role("link", name="Revoke").first.click()
            console.get_by_label("Reason for revoking").fill("Praktiken avbröts innan den var klar.")
            console.get_by_role("button", name="Revoke the credential").click()
            console.wait_for_url(f"**/console/{hotel.slug}/credentials/")
            assert console.get_by_text("The credential is revoked.").is_visible()

            employer.reload()
            assert verdict_of(employer) == "Revoked"
            assert employer.get_by_text("Praktiken avbröts innan den var klar.").is_visible()
            check_page(employer, axe, screenshot, "journey-jacob-03-employer-revoked")

    # Jacob sees it too, with the hotel's reason.
    page.reload()
    assert "Revoked by the issuer" in page.locator(".credential-state").first.inner_text()
    assert page.get_by_text("Reason given by the issuer: Praktiken avbröts innan den var klar.").is_visible()
    check_page(page, axe, screenshot, "journey-jacob-04-credential-revoked")
