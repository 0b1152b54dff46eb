"""What issuers publish about their credentials: the signed Bitstring Status Lists verifiers read."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_GET

from badges.credentials.status_lists import status_list_published
from kernel.http_cache import public_cache_control
from kernel.responses import public_json


@require_GET
def status_list(request: HttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    """A BitstringStatusListCredential: public, kept by caches for at most settings.PUBLIC_CACHE_SECONDS in
    all (a revocation shows everywhere within a minute), revalidated by ETag."""
    listing = status_list_published(issuer_slug=issuer_slug, public_id=str(public_id))
    if listing is None:
        raise Http404
    if request.headers.get("If-None-Match") == listing.etag:
        response: HttpResponse = HttpResponseNotModified()
        response["Access-Control-Allow-Origin"] = "*"
    else:
        response = public_json(listing.document, "application/vc+ld+json")
    response["ETag"] = listing.etag
    response["Cache-Control"] = public_cache_control()
    response["Access-Control-Expose-Headers"] = "ETag"
    return response
