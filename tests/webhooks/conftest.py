"""A local HTTPS receiver for real deliveries, and the platform's webhook fetcher told to trust it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading

import pytest

from tests.https_server import QuietHandler, https_server, trusting_fetcher


def standard_webhooks_verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The receiver's check, written from the Standard Webhooks specification (not from our code)."""
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = headers["webhook-id"].encode() + b"." + headers["webhook-timestamp"].encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for candidate in headers["webhook-signature"].split(" "):
        version, _comma, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return True
    return False


class Receiver(QuietHandler):
    received: list = []
    answer: tuple = (200, {"Content-Type": "text/plain"}, b"ok")
    lock = threading.Lock()

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with self.lock:
            Receiver.received.append(({name.lower(): value for name, value in self.headers.items()}, body))
        self.send_bytes(*Receiver.answer)


@pytest.fixture(scope="session")
def receiver_port(test_ca):
    with https_server(test_ca, "localhost", Receiver) as port:
        yield port


@pytest.fixture
def receiver(receiver_port, test_ca, monkeypatch):
    """The receiver's URL; deliveries go there through the real safefetch POST (loopback trusted only here)."""
    from kernel import fetch

    Receiver.received = []
    Receiver.answer = (200, {"Content-Type": "text/plain"}, b"ok")
    monkeypatch.setattr(fetch, "webhook_fetcher", lambda: trusting_fetcher(test_ca, max_bytes=1024))
    return f"https://localhost:{receiver_port}/hook"


@pytest.fixture
def owner(issuer):
    from issuers.models import Role
    from tests.factories import make_member

    return make_member(issuer, "owner", Role.OWNER)


@pytest.fixture
def endpoint_for(owner):
    from webhooks.endpoints import webhook_endpoint_create
    from webhooks.events import EventType

    def make(url, events=tuple(EventType.values)):
        return webhook_endpoint_create(issuer=owner.issuer, by=owner.user, url=url, description="SIS",
                                       event_types=list(events))

    return make
