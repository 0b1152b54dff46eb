from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from issuers import documents
from issuers.files import stored_file_response
from issuers.models import Issuer, SigningKey
from kernel.http_cache import cache_document

_JSON_TYPES = ("application/ld+json", "application/json")


def _json(request: HttpRequest, data: dict, content_type: str) -> HttpResponse:
    """A public document: the same for every visitor; it changes when the issuer's keys or profile do, so
    caches keep it for at most settings.PUBLIC_CACHE_SECONDS and revalidate it by ETag."""
    response = JsonResponse(data, content_type=content_type, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # verifiers run in other origins' browsers
    return cache_document(request, response)


@require_GET
def issuer_list(request: HttpRequest) -> HttpResponse:
    return render(request, "issuers/issuer_list.html", {"issuers": Issuer.objects.all()})


@require_GET
@vary_on_headers("Accept")
def issuer_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The issuer id: JSON-LD Profile for machines, a page for people (one URL, content negotiation)."""
    issuer = get_object_or_404(Issuer, slug=slug)
    # Browsers ask for text/html explicitly; verifiers send JSON types or */*, which picks JSON-LD.
    preferred = request.get_preferred_type([*_JSON_TYPES, "text/html"])
    if preferred in _JSON_TYPES:
        return _json(request, documents.profile_document(issuer), preferred)
    keys = documents.published_keys(issuer)
    published_achievements = issuer.achievements.filter(status="published")
    return render(
        request,
        "issuers/issuer_detail.html",
        {"issuer": issuer, "keys": keys, "achievements": published_achievements},
    )


@require_GET
def issuer_did_document(request: HttpRequest, slug: str) -> HttpResponse:
    issuer = get_object_or_404(Issuer, slug=slug)
    return _json(request, documents.did_document(issuer), "application/did+json")


@require_GET
def issuer_jwks(request: HttpRequest, slug: str) -> HttpResponse:
    issuer = get_object_or_404(Issuer, slug=slug)
    return _json(request, documents.jwks_document(documents.published_keys(issuer)), "application/jwk-set+json")


@require_GET
def signing_key_document(request: HttpRequest, slug: str, thumbprint: str) -> HttpResponse:
    """One published key at its own URL, the https verification method id: a Multikey document for
    Ed25519 (Data Integrity proofs), the single JWK a VC-JWT `kid` points at for RSA."""
    key = get_object_or_404(SigningKey.objects.select_related("issuer"), issuer__slug=slug, thumbprint=thumbprint)
    if not key.is_published:
        raise Http404
    if key.kind == SigningKey.Kind.RSA:
        return _json(request, documents.key_document(key), "application/jwk+json")
    return _json(request, documents.key_document(key), "application/ld+json")


@require_GET
def issuer_logo(request: HttpRequest, slug: str) -> FileResponse:
    issuer = get_object_or_404(Issuer, slug=slug)
    return stored_file_response(issuer.image)
