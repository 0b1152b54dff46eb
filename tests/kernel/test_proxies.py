"""Behind a TLS-terminating proxy: forwarded headers count only from TRUSTED_PROXIES, and what credentials
name is built from PUBLIC_BASE_URL whatever a request's headers say."""

from __future__ import annotations

import pytest
from django.test import override_settings

PROXY = "10.0.0.5"
BEHIND_PROXY = {
    "TRUSTED_PROXIES": ["10.0.0.0/24"], "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "USE_X_FORWARDED_HOST": True, "SECURE_SSL_REDIRECT": True,
    "ALLOWED_HOSTS": ["badges.example", "alias.example", "testserver"],
}


@pytest.mark.django_db
@override_settings(**BEHIND_PROXY)
def test_a_trusted_proxys_forwarded_proto_counts_as_https(client):
    # No redirect to https (and so no loop): the request is known to have come over https.
    response = client.get("/catalogue/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="badges.example")
    assert response.status_code == 200


@override_settings(**BEHIND_PROXY)
def test_an_untrusted_peers_forwarded_headers_are_ignored(client):
    response = client.get("/catalogue/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https",
                          HTTP_X_FORWARDED_HOST="evil.example", HTTP_HOST="badges.example")
    assert response.status_code == 301  # still plain http: sent to https, on the real host
    assert response["Location"] == "https://badges.example/catalogue/"


@override_settings(**BEHIND_PROXY)
def test_a_trusted_proxys_forwarded_host_is_used_for_the_request_only():
    from django.test import RequestFactory

    from kernel.proxies import TrustedProxyMiddleware

    seen = {}

    def view(request):
        from django.http import HttpResponse

        seen.update(host=request.get_host(), secure=request.is_secure(), addr=request.META["REMOTE_ADDR"])
        return HttpResponse()

    middleware = TrustedProxyMiddleware(view)
    middleware(RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https",
                                    HTTP_X_FORWARDED_HOST="badges.example",
                                    HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.9"))
    assert seen == {"host": "badges.example", "secure": True, "addr": "198.51.100.7"}

    middleware(RequestFactory().get("/", REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_PROTO="https",
                                    HTTP_X_FORWARDED_HOST="badges.example", HTTP_X_FORWARDED_FOR="1.2.3.4"))
    assert seen == {"host": "testserver", "secure": False, "addr": "198.51.100.66"}


@pytest.mark.django_db
@override_settings(**BEHIND_PROXY, PUBLIC_BASE_URL="https://badges.example")
def test_vc_api_addresses_come_from_the_public_base_url_not_from_request_headers(client):
    from issuers.models import Role
    from issuers.services import did_key_identity_create, issuer_create
    from tests.factories import make_member
    from tests.vcapi.conftest import VcApiClient, credential_v2

    issuer = issuer_create(slug="proxied", name="Proxied school")
    owner = make_member(issuer, "owner", Role.OWNER)
    did_key_identity_create(issuer=issuer)
    from api.tokens import api_token_create

    _token, secret = api_token_create(issuer=issuer, by=owner.user, name="x", scopes=["credentials:sign"])
    body = {"credential": credential_v2(issuer.public_id),
            "options": {"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}}
    # A host the proxy may forward (it is allowed), and one an untrusted peer claims (its header is dropped).
    for peer, host in ((PROXY, "alias.example"), ("203.0.113.9", "evil.example")):
        response = VcApiClient(client, secret).post(
            "/credentials/issue", body, REMOTE_ADDR=peer, HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="badges.example",
            HTTP_X_FORWARDED_HOST=host, **({"wsgi.url_scheme": "https"} if peer != PROXY else {}))
        assert response.status_code == 201, response.content
        signed = response.json()["verifiableCredential"]
        assert signed["issuer"] == "https://badges.example/issuers/proxied"
        assert signed["credentialStatus"]["statusListCredential"].startswith("https://badges.example/status/proxied/")


def test_trusted_proxies_must_be_addresses():
    from tests.config.test_settings_startup import PRODUCTION_ENV, run_django

    result = run_django({**PRODUCTION_ENV, "TRUSTED_PROXIES": "10.0.0.0/8,proxy.internal"}, "check")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES: 'proxy.internal' is not an IP address or network." in result.stderr
