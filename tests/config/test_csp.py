"""The Content-Security-Policy: on every page, scripts only from files or with the request's nonce.

Every page a visitor, a learner or an issuer's owner can open (the console pages come from the role × view
matrix) is fetched; each must carry the policy, and its HTML must hold no inline script without the nonce,
no on…= event handler and no javascript: URL, which the policy would block in a browser. The templates are
also read as source, so a page this walk does not reach cannot bring one in either.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from badges.credentials.issuing import credential_issue
from badges.credentials.signing import credential_sign
from issuers.roles import Role
from kernel.usercontent import USER_CONTENT_POLICY
from tests.factories import make_achievement, make_issuer, make_member, make_user
from tests.issuers.test_capability_matrix import VIEWS, World

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    path for path in ROOT.glob("**/templates/**/*.html")
    if ".venv" not in path.parts and "node_modules" not in path.parts
)
JAVASCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href"}


def policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


class _Scripts(HTMLParser):
    """What a strict policy would block in an HTML page: inline script without `nonce`, handlers, javascript:."""

    def __init__(self, nonce: str | None) -> None:
        super().__init__()
        self.nonce = nonce
        self.blocked: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.blocked.append(f"<{tag} {name}=…> at line {self.getpos()[0]}")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.blocked.append(f"<{tag} {name}=javascript:…> at line {self.getpos()[0]}")
        if tag == "script" and "src" not in values and (values.get("type") or "").lower() in JAVASCRIPT_TYPES:
            # A data block (type="application/json") is never run, so no policy applies to it.
            if self.nonce is None or values.get("nonce") != self.nonce:
                self.blocked.append(f"inline <script> without the nonce at line {self.getpos()[0]}")


def blocked_in(html: str, nonce: str | None = None) -> list[str]:
    parser = _Scripts(nonce)
    parser.feed(html)
    return parser.blocked


def assert_strict(response) -> None:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']}: no Content-Security-Policy"
    directives = policy(header)
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"][0] == "'self'"
    if "text/html" in response.headers.get("Content-Type", ""):
        nonce = next((value[len("'nonce-"):-1] for value in directives["script-src"] if value.startswith("'nonce-")),
                     None)
        assert blocked_in(response.content.decode(), nonce) == [], response.request["PATH_INFO"]


def test_the_scanner_finds_what_a_browser_would_block():
    assert blocked_in('<button onclick="x()">') == ["<button onclick=…> at line 1"]
    assert blocked_in('<a href=" JavaScript:alert(1)">') == ["<a href=javascript:…> at line 1"]
    assert len(blocked_in("<script>alert(1)</script>")) == 1
    assert len(blocked_in('<script nonce="other">alert(1)</script>', "abc")) == 1
    assert blocked_in('<script nonce="abc">alert(1)</script>', "abc") == []
    assert blocked_in('<script src="/static/js/a.js"></script><script type="application/json">{}</script>') == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_script_handlers_or_javascript_urls(path):
    source = path.read_text("utf-8")
    # A nonce written as {{ request.csp_nonce }} is what the policy allows.
    source = source.replace("{{ request.csp_nonce }}", "NONCE")
    assert blocked_in(re.sub(r"\{[%{#].*?[%}#]\}", "", source), "NONCE") == []
    assert not re.search(r"\sstyle=", source), "a style attribute: style-src allows none (use site.css)"


@pytest.fixture
def site(db, django_capture_on_commit_callbacks):
    issuer = make_issuer()
    achievement = make_achievement(issuer)
    with django_capture_on_commit_callbacks(execute=False):
        credential = credential_issue(achievement=achievement, recipient_email="amina@example.org",
                                      recipient_name="Amina")
    credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    return issuer, achievement, credential


PUBLIC_PAGES = ["home", "learners:catalogue", "verification:verify", "issuers:list", "account_login",
                "account_signup", "account_reset_password", "api:docs", "api:redoc"]
LEARNER_PAGES = ["learners:wallet", "learners:import", "learners:export", "learners:did", "learners:account-delete",
                 "account_email", "account_change_password", "mfa_index"]


def test_public_pages_carry_a_strict_policy(site):
    issuer, achievement, credential = site
    client = Client()
    addresses = [reverse(name) for name in PUBLIC_PAGES] + [
        reverse("issuers:detail", args=[issuer.slug]),
        reverse("achievements_public:achievement", args=[achievement.public_id]),
        reverse("verification:credential", args=[credential.public_id]),
        reverse("verification:credential", args=[credential.public_id]) + "?nonexistent",
        "/no-such-page",
    ]
    for address in addresses:
        response = client.get(address, HTTP_ACCEPT="text/html")
        assert response.status_code in (200, 404), (address, response.status_code)
        assert_strict(response)


def test_the_api_docs_load_their_start_up_script_as_a_file(client):
    page = client.get(reverse("api:docs")).content.decode()
    script = re.search(r'<script src="([^"]*script[^"]*)"', page)
    assert script, "the Swagger UI start-up script is not a file"
    answer = client.get(script.group(1).replace("&amp;", "&"))
    assert answer.status_code == 200 and "SwaggerUIBundle" in answer.content.decode()


def test_learner_pages_carry_a_strict_policy(site):
    _issuer, _achievement, credential = site
    client = Client()
    client.force_login(make_user("amina"))
    addresses = [reverse(name) for name in LEARNER_PAGES] + [
        reverse("learners:credential", args=[credential.public_id]),
    ]
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, (address, response.status_code)
        assert_strict(response)


def test_every_console_page_carries_a_strict_policy(db):
    world = World(make_issuer())
    client = Client()
    client.force_login(make_member(world.issuer, "ebba", *Role).user)
    pages = [view for view in VIEWS if view.method == "get"]
    assert len(pages) > 30
    for view in pages:
        url, _data = world.address(view)
        response = client.get(url)
        assert response.status_code == 200, (view.label, response.status_code)
        assert_strict(response)


@pytest.mark.parametrize("kind", ["svg", "png"])
def test_badge_images_are_sandboxed(site, kind):
    _issuer, achievement, _credential = site
    response = Client().get(reverse("achievements_public:image", args=[achievement.public_id, kind]))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == USER_CONTENT_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in policy(USER_CONTENT_POLICY) and policy(USER_CONTENT_POLICY)["default-src"] == ["'none'"]


def test_baked_svg_downloads_are_sandboxed(site):
    issuer, _achievement, credential = site
    learner = Client()
    learner.force_login(make_user("amina"))
    response = learner.get(reverse("learners:credential-download", args=[credential.public_id, "svg"]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response["Content-Security-Policy"] == USER_CONTENT_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"

    owner = Client()
    owner.force_login(make_member(issuer, "ebba", Role.OWNER).user)
    response = owner.get(reverse("api:credential-download", args=[issuer.slug, credential.public_id, "svg"]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response["Content-Security-Policy"] == USER_CONTENT_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_issuer_logo_is_sandboxed(site, settings):
    issuer, _achievement, _credential = site
    from django.core.files.base import ContentFile

    issuer.image.save("logo.svg", ContentFile(b'<svg xmlns="http://www.w3.org/2000/svg"/>'))
    response = Client().get(reverse("issuers:logo", args=[issuer.slug]))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == USER_CONTENT_POLICY


def test_media_files_in_a_debug_run_are_sandboxed(site, settings, tmp_path):
    from kernel.usercontent import media_serve

    (tmp_path / "badge.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    from django.test import RequestFactory

    response = media_serve(RequestFactory().get("/media/badge.svg"), "badge.svg", document_root=str(tmp_path))
    assert response["Content-Security-Policy"] == USER_CONTENT_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"


def test_sign_in_forms_may_post_on_to_the_openid_connect_providers_and_images_come_from_media_url(monkeypatch):
    import runpy

    for name, value in {"MIKROMERIT_DEV": "1", "OIDC_PROVIDERS": "skolid",
                        "OIDC_SKOLID_SERVER_URL": "https://login.skolid.example/realms/x",
                        "OIDC_SKOLID_CLIENT_ID": "mikromerit", "OIDC_SKOLID_CLIENT_SECRET": "s3cret",
                        "MEDIA_URL": "https://usercontent.example/media/"}.items():
        monkeypatch.setenv(name, value)
    directives = runpy.run_path(str(ROOT / "config" / "settings.py"))["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["form-action"] == ["'self'", "https://login.skolid.example"]
    assert directives["img-src"] == ["'self'", "data:", "https://usercontent.example"]
