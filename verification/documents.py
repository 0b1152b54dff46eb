"""The documents a verification needs: this site's (issuer profiles, DID and key documents, status
lists) read from the database, never over HTTP; other sites' through the SSRF-safe fetcher, a few per
check at most. Something that could not be had is reported to ob3 as `DocumentUnavailable`, which ob3
turns into "unconfirmed", never into "valid" or "forged"."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

from badges.contexts import platform_loader
from badges.credentials.status_lists import status_list_sign
from badges.models import StatusList
from issuers import documents
from issuers.models import Issuer, SigningKey
from ob3.documents import DocumentLoader
from ob3.errors import DocumentUnavailable
from ob3.resolve import KeyResolver, ResolutionError
from safefetch import Fetcher, FetchError

Fetch = Callable[[str], Mapping[str, Any]]


REMOTE_FETCHES_PER_CHECK = 8


REMOTE_SECONDS_PER_CHECK = 10.0


class LocalDocumentMissing(ResolutionError):
    """A URL on this site that serves no such document: the key is known not to be the issuer's (unlike a
    document that could not be had, which proves nothing either way)."""


def is_ours(url: str) -> bool:
    # did:web always maps to https; in development our own base URL may be plain http on the same host.
    return urlsplit(url).netloc.lower() == urlsplit(settings.PUBLIC_BASE_URL).netloc.lower()


def local_document(url: str) -> dict[str, Any]:
    """The public JSON document this site serves at `url`, read from the database (no HTTP)."""
    path = unquote(urlsplit(url).path)
    try:
        match = resolve(path)
    except Resolver404:
        raise LocalDocumentMissing(f"{url} is not a document this site publishes") from None
    kwargs = match.kwargs
    if match.view_name == "credentials:status-list":
        status_list = StatusList.objects.select_related("issuer").filter(
            issuer__slug=kwargs["issuer_slug"], public_id=kwargs["public_id"]
        ).first()
        if status_list is None:
            raise LocalDocumentMissing(f"status list {url} does not exist")
        return status_list_sign(status_list=status_list).document
    issuer = Issuer.objects.filter(slug=kwargs.get("slug")).first()
    if issuer is None:
        raise LocalDocumentMissing(f"no issuer is published at {url}")
    if match.view_name == "issuers:detail":
        return documents.profile_document(issuer)
    if match.view_name == "issuers:did-document":
        return documents.did_document(issuer)
    if match.view_name == "issuers:jwks":
        return documents.jwks_document(documents.published_keys(issuer))
    if match.view_name == "issuers:key":
        key = SigningKey.objects.filter(issuer=issuer, thumbprint=kwargs["thumbprint"]).first()
        if key is None or not key.is_published:
            raise LocalDocumentMissing(f"no key is published at {url}")
        return documents.key_document(key)
    raise LocalDocumentMissing(f"{url} is not a document this site publishes")


class RemoteDocuments:
    """Other sites' documents for one verification, through the safe fetcher: at most
    REMOTE_FETCHES_PER_CHECK of them within REMOTE_SECONDS_PER_CHECK in all, so a credential naming many
    addresses (keys, status lists, contexts) cannot hold a web worker for long. What is not fetched is
    reported as unavailable, which ob3 turns into "cannot be confirmed"."""

    def __init__(self, fetcher: Fetcher, *, clock: Callable[[], float] = time.monotonic):
        self._fetcher = fetcher
        self._clock = clock
        self._left = REMOTE_FETCHES_PER_CHECK
        self._deadline = clock() + REMOTE_SECONDS_PER_CHECK

    def fetch_json(self, url: str) -> Any:
        if self._left <= 0 or self._clock() > self._deadline:
            raise DocumentUnavailable(f"{url} was not fetched: this check already asked other sites for "
                                      f"{REMOTE_FETCHES_PER_CHECK} documents or for {REMOTE_SECONDS_PER_CHECK:.0f} s")
        self._left -= 1
        try:
            return self._fetcher.fetch_json(url)
        except FetchError as exc:
            raise DocumentUnavailable(str(exc)) from None


def document_fetcher(remote: RemoteDocuments | None) -> Fetch:
    """Key documents and status lists: this site's from the database; another site's through `remote`,
    or, offline (`remote` None), reported as not consulted."""

    def get(url: str) -> Mapping[str, Any]:
        if is_ours(url):
            return local_document(url)
        if remote is None:
            raise DocumentUnavailable(f"{url} is on another site and was not consulted")
        return remote.fetch_json(url)

    return get


def online_loader(remote: RemoteDocuments) -> DocumentLoader:
    """The platform's contexts, plus any other address that serves a copy of one ob3 holds (another
    Mikromerit installation's extension context): fetched safely, and used only if its content equals a
    context we hold (ob3.documents), so no new meaning can enter a signature. One per verification: what
    it fetched is not kept beyond it."""
    known = platform_loader()

    def get(url: str) -> Any:
        if url in known:  # our own addresses of the extension context
            return known(url)["document"]
        if is_ours(url):
            raise DocumentUnavailable(f"{url} is not a context this site publishes")
        return remote.fetch_json(url)

    return DocumentLoader(fetch=get)


def offline_key_resolver() -> KeyResolver:
    """Resolves the keys of this site's issuers from the database, and nothing else."""
    return KeyResolver(fetch=document_fetcher(None))
