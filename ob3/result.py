"""The outcome of one verification step, shared by every ob3 verifier."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """One named verification step.

    `passed` False means the credential is not valid. A `warning` is a step that passed but that a person
    should know about (a legacy format, a lenient reading of the spec).
    """

    name: str
    passed: bool
    reason: str
    warning: bool = False


def check(name: str, passed: bool, reason_ok: str, reason_fail: str) -> Check:
    """A `Check` whose reason is `reason_ok` or `reason_fail` depending on `passed`."""
    return Check(name, passed, reason_ok if passed else reason_fail)
