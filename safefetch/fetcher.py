"""Fetching public JSON documents (DID documents, controller documents, status lists, contexts) from
addresses that anyone can put in a credential — without being turned against our own network (SSRF).

The rules:

- https only, no user-info in the URL;
- we resolve the host name ourselves and refuse it if *any* address is not globally routable
  (private, loopback, link-local incl. the 169.254.169.254 metadata service, multicast, reserved,
  shared/CGNAT, and IPv4 addresses hidden in IPv6 forms such as ::ffff:127.0.0.1);
- we connect to the vetted address itself (pinned), so a second DNS answer cannot swap it; TLS
  still checks the certificate against the host name, which also goes out as SNI and Host;
- at most two redirects, each target vetted again like the first URL;
- connect timeout 3 s, 5 s in all; at most 256 KB; JSON media types only;
- answers may be cached for a few minutes (the caller injects the cache).

`Fetcher.post` sends a body (webhook deliveries) under the same rules, except that it follows no redirect
at all (a 3xx is an answer like any other) and keeps only the first `max_bytes` of the answer: a
receiver's reply is logged, never parsed. The body it sends is at most `MAX_POST_BYTES`.

urllib3 is used directly: its HTTPSConnectionPool takes the IP to connect to and, separately, the
`server_hostname` (SNI) and `assert_hostname` (certificate check) — exactly the pinning we need.

A library of its own, beside `ob3`: it imports no framework and nothing of the platform, so the
platform's verifier and `python -m ob3 verify --online` share one implementation.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

import urllib3

MAX_BYTES = 256 * 1024
MAX_POST_BYTES = 256 * 1024
MAX_REDIRECTS = 2
CONNECT_TIMEOUT = 3.0
TOTAL_TIMEOUT = 5.0
CACHE_SECONDS = 300
JSON_TYPES = ("application/json", "application/ld+json", "application/did+json", "application/vc+ld+json",
              "application/jwk+json", "application/jwk-set+json", "application/did+ld+json")

Resolve = Callable[[str, int], Iterable[str]]


class FetchError(Exception):
    """The document could not be fetched; the message is safe to show to the person verifying."""


def _system_resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"the host name {host} could not be resolved") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in ipaddress.ip_network("64:ff9b::/96"):  # NAT64 well-known prefix
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_is_public(text: str, *, allow_loopback: bool = False) -> bool:
    """Whether connecting to this address stays on the public internet."""
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return address_is_public(str(embedded), allow_loopback=allow_loopback)
    if allow_loopback and address.is_loopback:
        return True
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_link_local or address.is_private
        or address.is_loopback or address.is_unspecified
    )


def parse_json(text: str) -> Any:
    """json.loads, with a nesting too deep to read reported as ValueError instead of RecursionError."""
    try:
        return json.loads(text)
    except RecursionError:  # the C decoder recurses per level and stops cleanly at the interpreter's limit
        raise ValueError("the JSON nests deeper than can be read safely") from None


@dataclass(frozen=True)
class PostAnswer:
    """What a receiver answered to a POST: its status and the start of its body (at most `max_bytes`)."""

    status: int
    headers: dict[str, str]
    body: bytes
    truncated: bool


class Cache(Protocol):
    """The two methods of a cache the fetcher uses (Django's cache has them)."""

    def get(self, key: str) -> Any: ...

    def set(self, key: str, value: Any, timeout: int) -> Any: ...


@dataclass
class Fetcher:
    """Fetches public JSON over HTTPS. Tests inject a resolver, a CA and `allow_loopback` for their local
    HTTPS server; an application injects its `cache` to keep answers for a few minutes."""

    allow_loopback: bool = False
    resolve: Resolve = _system_resolve
    ssl_context: ssl.SSLContext | None = None
    connect_timeout: float = CONNECT_TIMEOUT
    total_timeout: float = TOTAL_TIMEOUT
    max_bytes: int = MAX_BYTES
    cache: Cache | None = None
    _clock: Callable[[], float] = field(default=time.monotonic, repr=False)

    def fetch_json(self, url: str) -> Any:
        """The JSON document at `url`; raises FetchError with a reason."""
        key = "verify-fetch:" + hashlib.sha256(url.encode()).hexdigest()
        if self.cache is not None:
            cached = self.cache.get(key)
            if cached is not None:
                return cached
        deadline = self._clock() + self.total_timeout
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            status, headers, body = self._get_once(current, deadline)
            if status in (301, 302, 303, 307, 308):
                location = headers.get("location")
                if not location:
                    raise FetchError(f"{current} redirected without saying where to")
                current = urljoin(current, location)
                continue
            if status != 200:
                raise FetchError(f"{current} answered with HTTP status {status}")
            media_type = (headers.get("content-type") or "").split(";", 1)[0].strip().lower()
            if media_type not in JSON_TYPES and not media_type.endswith("+json"):
                raise FetchError(f"{current} did not answer with JSON (it sent {media_type or 'no type'})")
            try:
                document = parse_json(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                raise FetchError(f"{current} sent malformed JSON: {exc}") from None
            if not isinstance(document, dict):
                raise FetchError(f"{current} did not send a JSON object")
            if self.cache is not None:
                self.cache.set(key, document, CACHE_SECONDS)
            return document
        raise FetchError(f"{url} redirected more than {MAX_REDIRECTS} times")

    def post(self, url: str, body: bytes, *, headers: dict[str, str] | None = None) -> PostAnswer:
        """POST `body` to `url` (vetted and pinned like every fetch; redirects are not followed); raises
        FetchError when no answer came."""
        if len(body) > MAX_POST_BYTES:
            raise FetchError(f"the body to send is larger than {MAX_POST_BYTES // 1024} KB")
        deadline = self._clock() + self.total_timeout
        sent_headers = {"Content-Type": "application/json", "User-Agent": "Mikromerit-webhooks", **(headers or {})}
        status, answer_headers, answer, truncated = self._request_once(
            "POST", url, deadline, headers=sent_headers, body=body, cut_off=True
        )
        return PostAnswer(status=status, headers=answer_headers, body=answer, truncated=truncated)

    def _vet(self, url: str) -> tuple[str, int, str, str, str]:
        parts = urlsplit(url)
        if parts.scheme != "https":
            raise FetchError(f"only https addresses are fetched, not {url}")
        if parts.username or parts.password:
            raise FetchError("addresses with a user name or password are not fetched")
        host = parts.hostname
        if not host:
            raise FetchError(f"{url} has no host name")
        try:
            port = parts.port or 443
        except ValueError:
            raise FetchError(f"{url} has an invalid port") from None
        addresses = list(self.resolve(host, port))
        if not addresses:
            raise FetchError(f"the host name {host} could not be resolved")
        for address in addresses:
            if not address_is_public(address, allow_loopback=self.allow_loopback):
                raise FetchError(f"{host} points to a private or reserved network address; it is not fetched")
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        host_header = host if port == 443 else f"{host}:{port}"
        if ":" in host and not host.startswith("["):
            host_header = f"[{host}]" if port == 443 else f"[{host}]:{port}"
        return addresses[0], port, host, path if path.startswith("/") else "/" + path, host_header

    def _get_once(self, url: str, deadline: float) -> tuple[int, dict[str, str], bytes]:
        headers = {"Accept": "application/ld+json, application/json;q=0.9", "User-Agent": "Mikromerit-verifier"}
        status, answer_headers, body, _truncated = self._request_once("GET", url, deadline, headers=headers)
        return status, answer_headers, body

    def _request_once(
        self, method: str, url: str, deadline: float, *, headers: dict[str, str], body: bytes | None = None,
        cut_off: bool = False,
    ) -> tuple[int, dict[str, str], bytes, bool]:
        """One request to the vetted, pinned address. Beyond `max_bytes` the answer is an error, or with
        `cut_off` the rest is left unread."""
        address, port, host, path, host_header = self._vet(url)
        remaining = deadline - self._clock()
        if remaining <= 0:
            raise FetchError(f"{url} took too long to answer")
        context = self.ssl_context or ssl.create_default_context()
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            ssl_context=context,
            server_hostname=host,  # SNI
            assert_hostname=host,  # certificate must name the host, not the IP we pinned
            timeout=urllib3.Timeout(connect=min(self.connect_timeout, remaining), read=remaining),
            retries=False,
            maxsize=1,
        )
        try:
            response = pool.urlopen(
                method,
                path,
                body=body,
                headers={**headers, "Host": host_header, "Accept-Encoding": "identity"},
                redirect=False,
                retries=False,
                preload_content=False,
            )
            try:
                length = response.headers.get("content-length")
                if not cut_off and length and length.isdigit() and int(length) > self.max_bytes:
                    raise FetchError(f"{url} is larger than {self.max_bytes // 1024} KB")
                answer = bytearray()
                truncated = False
                for chunk in response.stream(16 * 1024, decode_content=True):
                    answer += chunk
                    if len(answer) > self.max_bytes:
                        if not cut_off:
                            raise FetchError(f"{url} is larger than {self.max_bytes // 1024} KB")
                        answer, truncated = answer[: self.max_bytes], True
                        break
                    if self._clock() > deadline:
                        raise FetchError(f"{url} took too long to answer")
                answer_headers = {name.lower(): value for name, value in response.headers.items()}
                return response.status, answer_headers, bytes(answer), truncated
            finally:
                response.release_conn()
        except (urllib3.exceptions.TimeoutError, TimeoutError):
            raise FetchError(f"{url} took too long to answer") from None
        except urllib3.exceptions.SSLError:
            raise FetchError(f"{url} has no valid TLS certificate for {host}") from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise FetchError(f"{url} could not be reached ({type(exc).__name__})") from None
        finally:
            pool.close()
