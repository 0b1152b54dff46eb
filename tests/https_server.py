"""A real HTTPS server on loopback for tests of code that fetches documents from other sites."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import trustme

from safefetch import Fetcher


@contextmanager
def https_server(ca: trustme.CA, hostname: str, handler: type[BaseHTTPRequestHandler]) -> Iterator[int]:
    """Serve `handler` over TLS with a certificate for `hostname` from `ca`; yields the port."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert(hostname).configure_cert(context)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()


def trusting_fetcher(ca: trustme.CA, **options: object) -> Fetcher:
    """The real safefetch.Fetcher, told (as only tests may) that every host name is this machine and that
    `ca` issues trusted certificates; `options` are further Fetcher fields (timeouts, a cache)."""
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return Fetcher(allow_loopback=True, resolve=lambda host, port: ["127.0.0.1"], ssl_context=context,
                   **options)  # type: ignore[arg-type]


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that logs nothing and answers with `send_bytes`."""

    def send_bytes(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class JsonDocuments(QuietHandler):
    """Serves `documents` (path -> JSON) as `content_type`, and 404 for any other path. Subclass it and give
    the subclass its own `documents`."""

    documents: dict = {}
    content_type = "application/ld+json"

    def do_GET(self) -> None:  # noqa: N802
        document = self.documents.get(self.path)
        body = json.dumps(document).encode() if document is not None else b""
        self.send_bytes(200 if document is not None else 404, {"Content-Type": self.content_type}, body)
