"""Template tags for verdicts: the same explanations on /c/<id>, /verify/ and the wallet (verification.verdicts)."""

from __future__ import annotations

from typing import Any

from django import template

from verification import verdicts

register = template.Library()


@register.simple_tag
def verdict_reasons(verdict: str, checks: Any, offline: bool = False) -> dict[str, Any]:
    """{% verdict_reasons verdict checks as explained %} -> {"reasons": [...], "advice": [...], "confirmed": bool}."""
    checks = list(checks or [])
    found = verdicts.reasons(verdict, checks, offline=offline)
    return {
        "reasons": found,
        "advice": verdicts.advice(found),
        "confirmed": verdicts.claims_confirmed(verdict, checks),
    }


@register.filter
def check_outcome(check: Any) -> str:
    """"passed" | "failed" | "unconfirmed" for an ob3 Check or a stored check dict."""
    return verdicts.outcome_of(check)
