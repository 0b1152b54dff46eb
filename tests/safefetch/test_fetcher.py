"""The SSRF-safe fetcher against a real local HTTPS server (trustme CA). Loopback is allowed only here,
through the injected `allow_loopback` and resolver; production refuses both. No Django: safefetch is a
library of its own."""

import json
import threading

import pytest

from safefetch import Fetcher, FetchError, address_is_public
from tests.https_server import QuietHandler, https_server, trusting_fetcher

RELEASE = threading.Event()


class Handler(QuietHandler):
    routes: dict = {}

    def do_GET(self):  # noqa: N802
        status, headers, body = self.routes.get(self.path, (404, {}, b""))
        if status == "hang":
            RELEASE.wait(10)
            return
        self.send_bytes(status, headers, body)


@pytest.fixture(scope="module")
def server(test_ca):
    with https_server(test_ca, "localhost", Handler) as port:
        yield port
        RELEASE.set()  # let a deliberately hanging request finish before the server stops


class DictCache(dict):
    """The two cache methods the fetcher uses, over a dict."""

    def set(self, key, value, timeout):
        self[key] = value


@pytest.fixture(autouse=True)
def _clean():
    Handler.routes = {}
    RELEASE.clear()


@pytest.fixture
def fetcher(test_ca):
    return trusting_fetcher(test_ca, total_timeout=0.5, connect_timeout=0.5, cache=DictCache())


def json_route(document, content_type="application/ld+json"):
    return 200, {"Content-Type": content_type}, json.dumps(document).encode()


def test_it_fetches_json_over_https_with_the_host_name_checked(server, fetcher):
    Handler.routes["/did.json"] = json_route({"id": "did:web:localhost"})
    assert fetcher.fetch_json(f"https://localhost:{server}/did.json") == {"id": "did:web:localhost"}


def test_a_certificate_for_another_name_is_refused(server, test_ca):
    fetcher = trusting_fetcher(test_ca)
    Handler.routes["/x"] = json_route({})
    with pytest.raises(FetchError, match="TLS certificate"):
        fetcher.fetch_json(f"https://elsewhere.example:{server}/x")


def test_answers_are_cached(server, fetcher):
    Handler.routes["/list"] = json_route({"v": 1})
    fetcher.fetch_json(f"https://localhost:{server}/list")
    Handler.routes["/list"] = json_route({"v": 2})
    assert fetcher.fetch_json(f"https://localhost:{server}/list") == {"v": 1}


UNSPECIFIED = "0.0.0.0"  # noqa: S104 -- an address we must refuse, not one we bind to


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                                     "::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "fe80::1", "fc00::1",
                                     "224.0.0.1", UNSPECIFIED, "100.64.0.1", "240.0.0.1", "2002:7f00:1::1"])
def test_private_loopback_link_local_and_reserved_addresses_are_refused(address):
    assert not address_is_public(address)
    fetcher = Fetcher(resolve=lambda host, port: [address])
    with pytest.raises(FetchError, match="private or reserved"):
        fetcher.fetch_json("https://issuer.example/did.json")


def test_public_addresses_pass_the_check():
    assert address_is_public("93.184.216.34")
    assert address_is_public("2606:2800:220:1:248:1893:25c8:1946")


def test_a_host_with_one_private_address_among_public_ones_is_refused():
    fetcher = Fetcher(resolve=lambda host, port: ["93.184.216.34", "10.0.0.5"])
    with pytest.raises(FetchError, match="private or reserved"):
        fetcher.fetch_json("https://issuer.example/did.json")


@pytest.mark.parametrize("url", ["https://127.0.0.1/x", "https://[::1]/x", "https://[::ffff:127.0.0.1]/x",
                                 "https://169.254.169.254/latest/meta-data/"])
def test_ip_literals_are_vetted_like_names(url):
    with pytest.raises(FetchError):
        Fetcher().fetch_json(url)


@pytest.mark.parametrize("url", ["http://issuer.example/did.json", "file:///etc/passwd", "ftp://issuer.example/",
                                 "https://user:secret@issuer.example/"])
def test_only_plain_https_addresses_are_fetched(url):
    with pytest.raises(FetchError):
        Fetcher(resolve=lambda host, port: ["93.184.216.34"]).fetch_json(url)


def test_loopback_stays_refused_when_only_loopback_is_allowed_for_tests():
    fetcher = Fetcher(allow_loopback=True, resolve=lambda host, port: ["169.254.169.254"])
    with pytest.raises(FetchError):
        fetcher.fetch_json("https://issuer.example/x")


@pytest.mark.parametrize("target", ["https://169.254.169.254/latest/meta-data/", "https://10.0.0.1/x",
                                    "http://localhost/x"])
def test_redirects_to_unvetted_addresses_are_refused(server, fetcher, target):
    fetcher.resolve = lambda host, port: ["127.0.0.1"] if host == "localhost" else [host]
    Handler.routes["/r"] = (302, {"Location": target}, b"")
    with pytest.raises(FetchError):
        fetcher.fetch_json(f"https://localhost:{server}/r")


def test_it_follows_at_most_two_redirects(server, fetcher):
    base = f"https://localhost:{server}"
    Handler.routes.update({"/a": (302, {"Location": "/b"}, b""), "/b": (301, {"Location": f"{base}/c"}, b""),
                           "/c": json_route({"ok": True})})
    assert fetcher.fetch_json(f"{base}/a") == {"ok": True}
    Handler.routes.update({"/c": (302, {"Location": "/d"}, b""), "/d": json_route({})})
    fetcher.cache.clear()
    with pytest.raises(FetchError, match="redirected more than 2 times"):
        fetcher.fetch_json(f"{base}/a")


def test_oversize_answers_are_refused(server, fetcher):
    Handler.routes["/big"] = 200, {"Content-Type": "application/json"}, b'{"a":"' + b"x" * 300_000 + b'"}'
    with pytest.raises(FetchError, match="larger than 256 KB"):
        fetcher.fetch_json(f"https://localhost:{server}/big")


def test_non_json_and_malformed_json_are_refused(server, fetcher):
    Handler.routes["/html"] = 200, {"Content-Type": "text/html"}, b"<html></html>"
    Handler.routes["/bad"] = 200, {"Content-Type": "application/json"}, b"{nope"
    Handler.routes["/deep"] = 200, {"Content-Type": "application/json"}, b"[" * 10_000 + b"]" * 10_000
    for path, message in (("/html", "did not answer with JSON"), ("/bad", "malformed JSON"), ("/deep", "nests deeper")):
        with pytest.raises(FetchError, match=message):
            fetcher.fetch_json(f"https://localhost:{server}{path}")


def test_a_server_that_never_answers_times_out(server, fetcher):
    Handler.routes["/slow"] = ("hang", {}, b"")
    with pytest.raises(FetchError, match="too long"):
        fetcher.fetch_json(f"https://localhost:{server}/slow")
    RELEASE.set()


def test_error_statuses_are_reported(server, fetcher):
    with pytest.raises(FetchError, match="HTTP status 404"):
        fetcher.fetch_json(f"https://localhost:{server}/missing")
