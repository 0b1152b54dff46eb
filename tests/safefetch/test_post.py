"""safefetch's POST against a real local HTTPS server: the same vetting and pinning as a fetch, no redirect
followed, a bounded body out and a bounded answer in. No Django."""

import pytest

from safefetch import MAX_POST_BYTES, Fetcher, FetchError
from tests.https_server import QuietHandler, https_server, trusting_fetcher


class Handler(QuietHandler):
    received: list = []
    answer: tuple = (200, {}, b"")

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Handler.received.append((self.path, dict(self.headers), body))
        self.send_bytes(*Handler.answer)


@pytest.fixture(scope="module")
def server(test_ca):
    with https_server(test_ca, "localhost", Handler) as port:
        yield port


@pytest.fixture(autouse=True)
def _clean():
    Handler.received = []
    Handler.answer = (200, {"Content-Type": "text/plain"}, b"thanks")


def test_a_post_sends_the_body_and_headers_and_reads_the_answer(server, test_ca):
    answer = trusting_fetcher(test_ca).post(f"https://localhost:{server}/in?x=1", b'{"a":1}',
                                            headers={"webhook-id": "msg_1"})
    assert answer.status == 200 and answer.body == b"thanks" and not answer.truncated
    [(path, headers, body)] = Handler.received
    assert path == "/in?x=1" and body == b'{"a":1}'
    assert headers["webhook-id"] == "msg_1" and headers["Content-Type"] == "application/json"


def test_a_redirect_is_answered_not_followed(server, test_ca):
    Handler.answer = (302, {"Location": f"https://localhost:{server}/elsewhere"}, b"")
    answer = trusting_fetcher(test_ca).post(f"https://localhost:{server}/in", b"{}")
    assert answer.status == 302 and [path for path, _h, _b in Handler.received] == ["/in"]


def test_a_long_answer_is_cut_off_not_refused(server, test_ca):
    Handler.answer = (500, {}, b"e" * 50_000)
    answer = trusting_fetcher(test_ca, max_bytes=1024).post(f"https://localhost:{server}/in", b"{}")
    assert answer.status == 500 and answer.body == b"e" * 1024 and answer.truncated


def test_a_body_too_large_is_not_sent(server, test_ca):
    with pytest.raises(FetchError, match="larger than"):
        trusting_fetcher(test_ca).post(f"https://localhost:{server}/in", b"x" * (MAX_POST_BYTES + 1))
    assert Handler.received == []


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.8", "169.254.169.254", "::ffff:192.168.0.1"])
def test_private_addresses_are_refused_before_connecting(address):
    fetcher = Fetcher(resolve=lambda host, port: [address])
    with pytest.raises(FetchError, match="private or reserved"):
        fetcher.post("https://hooks.example.org/in", b"{}")


def test_only_https_is_posted_to():
    with pytest.raises(FetchError, match="only https"):
        Fetcher().post("http://hooks.example.org/in", b"{}")
