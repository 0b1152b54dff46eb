"""Helpers for the four user journeys (tests/browser/test_journeys.py): people, published micro-credentials,
the signing worker's part, and the few steps every journey repeats in the browser.

Only the issuer's set-up (issuers, published micro-credentials, accounts) goes through services directly;
everything a learner, an assessor, an issuer's staff or an employer does goes through the pages.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from badges.achievements.drafting import achievement_create, achievement_update
from badges.achievements.outcomes import achievement_outcome_add
from badges.achievements.publishing import achievement_publish
from badges.achievements.review import achievement_review_approve, achievement_submit_for_review
from badges.credentials.signing import credential_sign
from badges.models import Achievement, Credential
from issuers.models import Issuer, Role
from issuers.services import issuer_create
from tests.browser.conftest import HEIGHT, ROOT, WIDTHS, csp_violations_watch
from tests.factories import ESCO_SKILL, FULL_DEFINITION, PASS_RUBRIC, workflow_member

PASSWORD = "correct-horse-battery"  # tests.factories.make_user's default


# --- Set-up: what the issuer has done before the journey starts ---------------------------------------------
def make_named_issuer(slug: str, name: str, *, url: str) -> Issuer:
    return issuer_create(slug=slug, name=name, country_code="SE", url=url)


@dataclass(frozen=True)
class Outcome:
    statement: str
    criteria: str
    kind: str = "skill"


def publish_achievement(issuer: Issuer, name: str, description: str, outcomes: list[Outcome], **changes) -> Achievement:
    """A complete micro-credential written by the issuer's designer and published by its quality reviewer."""
    designer = workflow_member(issuer, Role.DESIGNER).user
    reviewer = workflow_member(issuer, Role.QA_REVIEWER).user
    achievement = achievement_create(
        issuer=issuer, name=name, description=description,
        criteria_narrative="Deltagaren visar varje läranderesultat med bevis som en bedömare granskar.",
        created_by=designer,
    )
    achievement = achievement_update(
        achievement=achievement, by=designer, changes={**FULL_DEFINITION, **changes}
    )
    for outcome in outcomes:
        achievement_outcome_add(
            achievement=achievement, by=designer, statement=outcome.statement, kind=outcome.kind,
            esco_skill_uri=ESCO_SKILL + "0e8d3a2b-1b6e-4f1c-9a55-cc0c1ee0c1c4" if outcome.kind == "skill" else "",
            assessment_criteria=outcome.criteria, rubric_levels=PASS_RUBRIC,
        )
    achievement = achievement_submit_for_review(achievement=achievement, by=designer)
    achievement = achievement_review_approve(achievement=achievement, by=reviewer)
    achievement = achievement_publish(achievement=achievement, by=reviewer)
    assert achievement.status == Achievement.Status.PUBLISHED
    return achievement


# --- The signing worker ---------------------------------------------------------------------------------------
def run_signing_worker() -> list[Credential]:
    """Play the Celery worker's part: sign and bake every credential that waits for it.

    There is no worker process in the browser tests (settings_test sends tasks to an in-memory broker nobody
    reads), so what badges.tasks.credential_sign_task would do is done here with the same service call.
    """
    pending = list(Credential.objects.filter(status=Credential.Status.PENDING).values_list("id", flat=True))
    for credential_id in pending:
        credential_sign(credential_id=credential_id)
    signed = list(Credential.objects.filter(id__in=pending))
    assert all(credential.status == Credential.Status.ISSUED for credential in signed), [
        (credential.id, credential.status) for credential in signed
    ]
    return signed


# --- Browsers ---------------------------------------------------------------------------------------------------
@contextmanager
def browser_context(browser, server):
    """A second person's browser (fresh cookies, English), e.g. an assessor's, a mentor's or an employer's."""
    context = browser.new_context(
        base_url=server, locale="en-GB", extra_http_headers={"Accept-Language": "en"},
        viewport={"width": WIDTHS[-1], "height": HEIGHT}, accept_downloads=True,
    )
    context.set_default_timeout(10_000)
    blocked = csp_violations_watch(context)
    try:
        yield context.new_page()
    finally:
        context.close()
    assert not blocked, "the Content-Security-Policy blocked:\n" + "\n".join(blocked)


def sign_in(page, user, next_url: str) -> None:
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("Login").fill(user.email)
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"**{next_url}")


def assert_no_horizontal_scroll(page) -> None:
    original = page.viewport_size
    page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= WIDTHS[0], f"{page.url} scrolls sideways at {WIDTHS[0]} px (scrollWidth {width})"
    page.set_viewport_size(original)


def check_page(page, axe, screenshot, name: str) -> None:
    """A main page of a journey: no WCAG 2.1 A/AA violations, fits 360 px, photographed at both widths."""
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, name)


def path_of(url: str) -> str:
    """The path of an absolute link the site printed (in an e-mail, on a page), to open on the live server."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --- Issuer's staff in the console --------------------------------------------------------------------------
def award_to_one(page, issuer: Issuer, achievement: Achievement, *, email: str, name: str) -> None:
    """The console's direct award, "To one person"."""
    page.goto(f"/console/{issuer.slug}/awards/")
    form = page.locator("form", has=page.get_by_label("Recipient's e-mail"))
    form.get_by_label("Micro-credential").select_option(label=achievement.name)
    form.get_by_label("Recipient's e-mail").fill(email)
    form.get_by_label("Recipient's name (optional)").fill(name)
    form.get_by_role("button", name="Award", exact=True).click()
    page.wait_for_url(f"**/console/{issuer.slug}/awards/*/")
    assert f"The credential is being issued to {email}." in page.get_by_role("status").first.inner_text()


def award_by_list(page, issuer: Issuer, achievement: Achievement, csv: bytes, *, filename: str) -> None:
    """The console's direct award "To a list of people (CSV)": upload, check, confirm."""
    page.goto(f"/console/{issuer.slug}/awards/")
    form = page.locator("form", has=page.get_by_label("List of recipients (CSV)"))
    form.get_by_label("Micro-credential").select_option(label=achievement.name)
    form.get_by_label("List of recipients (CSV)").set_input_files(
        {"name": filename, "mimeType": "text/csv", "buffer": csv}
    )
    form.get_by_role("button", name="Check the list").click()
    page.get_by_role("button", name="Confirm and issue").click()
    page.wait_for_load_state()
    assert re.search(r"Issued: \d+ of \d+", page.locator("#award-progress-text").inner_text())


def assess(page, issuer: Issuer, learner_label: str, *, levels: list[str], decision: str, feedback: str = "",
           inspect=None) -> None:
    """An assessor opens the application from the queue, scores each outcome, decides and saves.

    `inspect(page)`, if given, looks at the assessment form before anything is filled in.
    """
    page.goto(f"/console/{issuer.slug}/assessments/")
    page.get_by_role("link", name=learner_label).click()
    page.wait_for_url(f"**/console/{issuer.slug}/assessments/*/")
    if inspect:
        inspect(page)
    for number, level in enumerate(levels, start=1):
        outcome = page.get_by_role("region", name=f"Learning outcome {number}", exact=True)
        outcome.get_by_role("radio", name=level, exact=True).check()
    page.get_by_role("radio", name=decision).check()
    if feedback:
        page.get_by_label("Feedback to the learner").fill(feedback)
    page.get_by_role("button", name="Save assessment").click()
    page.wait_for_url(f"**/console/{issuer.slug}/assessments/")


# --- Learners in their wallet ---------------------------------------------------------------------------------
def open_in_wallet(page, achievement_name: str) -> str:
    """From the wallet to the credential's page; returns the credential's public id."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My wallet").click()
    page.wait_for_url("**/wallet/")
    page.get_by_role("link", name=achievement_name, exact=True).click()
    page.wait_for_url("**/wallet/credentials/*/")
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def share(page) -> str:
    """Turn sharing on from the credential's page; returns the share link's path (/c/<id>)."""
    page.get_by_role("button", name="Share this credential").click()
    page.wait_for_load_state()
    assert page.get_by_text("Sharing is on. Anyone with the link can check this credential.").is_visible()
    return path_of(page.get_by_label("Link to this credential").input_value())


def download(page, link_name: str, target: Path) -> Path:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    info.value.save_as(target)
    return target


LIVE_SERVERS = ("http://localhost:", "http://127.0.0.1:")


def _get_json(url: str) -> dict:
    """A public document, fetched by its address as any client would (the address is the live server's)."""
    assert url.startswith(LIVE_SERVERS), f"{url} is not the live test server"
    accept = {"Accept": "application/ld+json, application/json;q=0.9"}
    request = urllib.request.Request(url, headers=accept)  # noqa: S310 - the live test server, checked above
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the live test server
        return json.loads(response.read())


def _key_documents(signed: dict, issuer_id: str) -> dict[str, dict]:
    """The documents behind a signed document's proofs that its issuer's own document does not already hold."""
    bases = {proof["verificationMethod"].split("#", 1)[0] for proof in signed.get("proof", [])}
    return {base: _get_json(base) for base in bases if base != issuer_id}


def _ob3_cli(*args: str) -> tuple[int, dict]:
    verdict = subprocess.run(
        [sys.executable, "-m", "ob3", "verify", *args], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert verdict.returncode in (0, 1), verdict.stdout + verdict.stderr
    return verdict.returncode, json.loads(verdict.stdout)


def ob3_verify(path: Path) -> dict:
    """`python -m ob3 verify FILE`, offline, as an employer holding the file can run it: valid, exit 0, once it is
    handed what the issuer publishes.

    Offline with nothing else the verdict is rightly "unconfirmed" (exit 1): nothing confirms the key is the
    issuer's, nor that the credential is not revoked. So, as the employer would, this fetches the issuer's
    controller document (the issuer id), the key documents the proofs name, and the status lists with their own
    keys from the live server, and passes them with `--did-doc` and `--status-list`; and the extension context
    the credential names by this installation's address, with `--context` (ob3 takes it only as a copy of the
    context it holds).
    """
    from ob3.baking import unbake

    data = path.read_bytes()
    credential = json.loads(data) if data.lstrip().startswith(b"{") else unbake(data)
    assert isinstance(credential, dict), "a Data Integrity credential (a VC-JWT would need --jwk)"

    returncode, alone = _ob3_cli(str(path))
    assert (returncode, alone["verdict"]) == (1, "unconfirmed"), alone

    issuer_id = credential["issuer"]["id"]
    documents = {issuer_id: _get_json(issuer_id), **_key_documents(credential, issuer_id)}
    entries = credential.get("credentialStatus") or []
    lists = {entry["statusListCredential"]: _get_json(entry["statusListCredential"])
             for entry in (entries if isinstance(entries, list) else [entries])}
    for listing in lists.values():
        documents.update(_key_documents(listing, issuer_id))
    folder = Path(tempfile.mkdtemp(prefix="ob3-verify-", dir=path.parent))
    arguments = [str(path)]
    for number, document in enumerate(documents.values()):
        (folder / f"document-{number}.json").write_text(json.dumps(document), encoding="utf-8")
        arguments += ["--did-doc", str(folder / f"document-{number}.json")]
    for number, (url, listing) in enumerate(lists.items()):
        (folder / f"status-{number}.json").write_text(json.dumps(listing), encoding="utf-8")
        arguments += ["--status-list", f"{url}={folder / f'status-{number}.json'}"]
    for number, url in enumerate(url for url in credential["@context"] if url.startswith(LIVE_SERVERS)):
        (folder / f"context-{number}.json").write_text(json.dumps(_get_json(url)), encoding="utf-8")
        arguments += ["--context", f"{url}={folder / f'context-{number}.json'}"]

    returncode, report = _ob3_cli(*arguments)
    assert returncode == 0, report
    assert report["valid"] is True and report["verdict"] == "valid", report
    assert all(check["outcome"] == "passed" for check in report["checks"]), report["checks"]
    return report


def linkedin_parameters(href: str) -> dict[str, str]:
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com", "/profile/add"), href
    return {key: values[0] for key, values in parse_qs(parts.query, strict_parsing=True).items()}


# --- Employers ------------------------------------------------------------------------------------------------
def verdict_of(page) -> str:
    return " ".join(page.locator("#verdict-title").inner_text().split())


def verify_upload(page, path: Path) -> str:
    """The employer checks a file on /verify/ ("verify anything"); returns the verdict's title."""
    page.goto("/verify/")
    page.get_by_label("Badge image or credential file").set_input_files(str(path))
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_load_state()
    return verdict_of(page)
