"""Verifying this site's credentials in tests as an independent verifier would: every key and status list
comes from the documents the site serves (read through verification.documents.local_document, without HTTP),
and contexts from the platform's loader (which knows our address of the extension context)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from badges.contexts import platform_canonicalizer, platform_loader
from ob3.resolve import KeyResolver
from ob3.verify import VerificationResult, verify
from verification.documents import local_document


def site_resolver() -> KeyResolver:
    return KeyResolver(fetch=local_document)


def site_verify(data: Any, *, now: datetime | None = None, fast: bool = True) -> VerificationResult:
    """`fast=False` takes ob3's general canonicaliser instead of the platform's fast one."""
    return verify(
        data,
        resolver=site_resolver(),
        status_fetcher=local_document,
        now=now,
        loader=platform_loader(),
        canonicalizer=platform_canonicalizer() if fast else None,
    )


def failures(result: VerificationResult) -> list[tuple[str, str]]:
    return [(check.name, check.reason) for check in result.checks if not check.passed]
