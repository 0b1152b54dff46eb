"""POST /credentials/verify and /presentations/verify: any eddsa-rdfc-2022 credential or presentation whose
keys resolve offline (did:key) or are this site's own issuers' (read from the database). Nothing is fetched
from other sites: a key or status list that cannot be read fails the verification (fail closed)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from badges.contexts import platform_canonicalizer, platform_loader
from kernel.public_urls import public_url
from ob3.resolve import KeyResolver
from ob3.result import Check
from ob3.vcdm import Outcome, Verifier, verify_credential, verify_presentation
from verification.documents import document_fetcher


def _verifier(now: datetime | None) -> Verifier:
    get = document_fetcher(None)  # our documents from the database; any other site's: not consulted
    return Verifier(resolver=KeyResolver(fetch=get), status_fetcher=get, now=now or timezone.now(),
                    loader=platform_loader(), canonicalizer=platform_canonicalizer())


def _problem(check: Check) -> dict[str, Any]:
    return {"type": public_url(f"/vc-api/problems/{check.code or check.name}"), "title": check.name,
            "detail": check.reason, **({"code": check.code} if check.code else {})}


def outcome_answer(outcome: Outcome) -> dict[str, Any]:
    """The VC-API's verification result: verified, the checks that passed, warnings and errors."""
    return {
        "verified": outcome.verified,
        "checks": outcome.passed,
        "warnings": [_problem(check) for check in outcome.warnings],
        "errors": [_problem(check) for check in outcome.errors],
    }


def vc_credential_verify(*, credential: dict[str, Any], now: datetime | None = None) -> Outcome:
    return verify_credential(credential, _verifier(now))


def vc_presentation_verify(*, presentation: dict[str, Any], challenge: str | None, domain: str | None,
                           now: datetime | None = None) -> Outcome:
    return verify_presentation(presentation, _verifier(now), challenge=challenge, domain=domain)
