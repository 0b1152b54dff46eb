"""Forwarded headers are believed only from the proxies the operator names (TRUSTED_PROXIES).

Behind a TLS-terminating proxy, Django learns the scheme and host a visitor used from X-Forwarded-Proto and
X-Forwarded-Host (settings: SECURE_PROXY_SSL_HEADER, USE_X_FORWARDED_HOST), and the visitor's address from
X-Forwarded-For. Anyone can send those headers, so this middleware, first in the chain, removes them from
every request whose peer is not a trusted proxy, and takes the client address from X-Forwarded-For only
through trusted hops. The addresses credentials and documents name never come from a request: they are
built from PUBLIC_BASE_URL (kernel.public_urls).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_FOR",
    "HTTP_FORWARDED",
)
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=4)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """TRUSTED_PROXIES as networks: addresses (10.0.0.5) or ranges (10.0.0.0/8, fd00::/8)."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def is_trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


class TrustedProxyMiddleware:
    """Drops forwarded headers from untrusted peers; behind trusted proxies, REMOTE_ADDR becomes the nearest
    untrusted address in X-Forwarded-For (so rate limits count visitors, not the proxy)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        networks = trusted_networks(tuple(settings.TRUSTED_PROXIES))
        if networks:
            meta = request.META
            if not is_trusted(meta.get("REMOTE_ADDR", ""), networks):
                for header in FORWARDED_HEADERS:
                    meta.pop(header, None)
            else:
                hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
                while hops and is_trusted(hops[-1], networks):
                    hops.pop()
                if hops:
                    meta["REMOTE_ADDR"] = hops[-1]
        return self.get_response(request)
