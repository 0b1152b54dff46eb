"""Cache headers for the public pages and documents that take the load of a spike (/c/<id>, /a/<id>, status
lists, issuer documents): who may keep an answer, for how long, and on what it varies.

The rule: an answer whose content can change (a verdict, a status list, an issuer's keys) may be kept for
at most `settings.PUBLIC_CACHE_SECONDS` (≤ 60) in all. A shared cache (the reverse proxy, deploy/nginx.conf)
keeps it for half of what is left after a margin for rendering (`s-maxage` plus `stale-while-revalidate`,
27 s of 60) and a browser for the other half (`max-age` plus the same): the proxy sends no `Age` header, so
a browser counts its time from when the proxy answered, and the two add up.

A page for people depends on who is signed in (the site header) only when the request carries a session
cookie. Without one the visitor is anonymous for certain, and the page must not touch the session: the
session middleware adds `Vary: Cookie` to any response that read it, which no shared cache can use. Such
pages pass `public_viewer(request)` to their template as `user`, and the template leaves out what would
read the session or set a CSRF cookie (base.html's `public_page` switch).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

if TYPE_CHECKING:
    from kernel.users import AnyUser

IMMUTABLE = "public, max-age=31536000, immutable"
# Seconds of the bound kept for rendering: the page gunicorn is rendering when a credential is revoked
# reaches the proxy this much later at most, on a machine that is not overloaded.
RENDER_MARGIN = 6


def has_session(request: HttpRequest) -> bool:
    """Whether the request carries a session cookie (it may be signed in); reading it costs nothing."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def public_viewer(request: HttpRequest) -> AnyUser:
    """The visitor, without touching the session of a request that has none."""
    return request.user if has_session(request) else AnonymousUser()


def public_cache_control(seconds: int | None = None) -> str:
    """`Cache-Control` of a public answer that can change: the proxy and the browser share the bound, half
    each, less a margin for the time gunicorn takes to answer (a copy is counted from when the proxy got
    it, and a page whose rendering began before a revocation may still show the verdict from before it).
    Of its half, each may use the last few seconds (stale-while-revalidate) to answer with the copy it has
    while it asks for a new one, so a spike never waits for gunicorn when a copy expires."""
    total = settings.PUBLIC_CACHE_SECONDS if seconds is None else seconds
    half = (total - min(RENDER_MARGIN, total // 6)) // 2
    grace = min(5, half // 2)
    return f"public, max-age={half - grace}, s-maxage={half - grace}, stale-while-revalidate={grace}"


def conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Add a strong ETag of the content (unless the view set one) and answer 304 Not Modified when the
    request's If-None-Match names it. Only for a complete 200 answer."""
    if response.status_code != 200 or response.streaming:
        return response
    if not response.has_header("ETag"):
        set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response) or response


def cache_document(request: HttpRequest, response: HttpResponse, *, immutable: bool = False) -> HttpResponse:
    """A public document for machines (JSON): the same for everyone, so public even for a signed-in
    visitor; revalidated by ETag."""
    if response.status_code == 200:
        response["Cache-Control"] = IMMUTABLE if immutable else public_cache_control()
        response["Access-Control-Expose-Headers"] = "ETag"
    return conditional(request, response)


def cache_page(request: HttpRequest, response: HttpResponse, *, vary: Iterable[str] = ("Accept",)) -> HttpResponse:
    """A public page for people: shared-cacheable for an anonymous visitor, private for one who may be
    signed in. The language comes from Accept-Language, or from the language cookie when it is set."""
    patch_vary_headers(response, [*vary, "Accept-Language"])
    if response.status_code != 200:
        return response
    if has_session(request):
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["Cookie"])
        return conditional(request, response)
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        patch_vary_headers(response, ["Cookie"])
    response["Cache-Control"] = public_cache_control()
    return conditional(request, response)


# Django's set_language without the CSRF check, for the language form of a page a shared cache serves to
# many visitors (which cannot carry each one's CSRF token). Choosing a language only sets the language
# cookie and redirects to a page of this site (set_language checks `next`): the worst a forged request can
# do is show someone the site in the other language.
language_set_public = csrf_exempt(require_POST(set_language))
