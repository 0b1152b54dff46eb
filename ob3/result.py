"""The outcome of one verification step, and the verdict that a set of steps adds up to.

A step has three outcomes, not two. "failed" means we found something wrong (a signature that does not
match, a key the issuer does not list, a set revocation bit). "unconfirmed" means we could not find out
(the issuer's key document or status list could not be read, the key travels inside the token, the
credential uses a context we do not know): that is never a reason to say "valid", and never a reason to
say "forged" either. `code` names the kind of answer, so a platform can explain it in a person's own
language and say what to do, without reading the English `reason`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PASSED, FAILED, UNCONFIRMED = "passed", "failed", "unconfirmed"

# Verdicts, from the most to the least severe.
INVALID = "invalid"
REVOKED = "revoked"
SUSPENDED = "suspended"
UNCONFIRMED_VERDICT = "unconfirmed"  # shown to people as "Cannot be confirmed"
EXPIRED = "expired"
NOT_YET_VALID = "not_yet_valid"
VALID = "valid"
VERDICTS = (INVALID, REVOKED, SUSPENDED, UNCONFIRMED_VERDICT, EXPIRED, NOT_YET_VALID, VALID)

# Codes of failed checks that state a fact about a genuine credential rather than a defect.
CODE_REVOKED = "revoked"
CODE_SUSPENDED = "suspended"
CODE_EXPIRED = "expired"
CODE_NOT_YET_VALID = "not_yet_valid"
CODE_LIMIT = "limit_exceeded"  # refused before any expensive work: the input is over a size limit

# Codes of unconfirmed checks: why it could not be established.
# A VC-JWT that carries its own key: anyone can make one in any name.
KEY_IN_TOKEN = "key_in_token"  # noqa: S105 - a code, not a secret
KEY_NOT_BOUND = "key_not_bound"  # no document of the issuer says the key is theirs (e.g. a fragment key)
KEY_DOCUMENT_UNAVAILABLE = "key_document_unavailable"  # the issuer's key or identity document was not read
ISSUER_NOT_RESOLVABLE = "issuer_not_resolvable"  # the issuer id (urn:uuid:…) names no identity document
STATUS_NOT_CHECKED = "status_not_checked"  # the status list was not consulted (offline, none given)
STATUS_UNAVAILABLE = "status_unavailable"  # the status list could not be fetched
STATUS_UNTRUSTED = "status_untrusted"  # the status list's own proof, key, issuer or dates do not hold
STATUS_METHOD_UNSUPPORTED = "status_method_unsupported"
UNKNOWN_CONTEXT = "unknown_context"  # a JSON-LD context this verifier does not hold
UNCONFIRMED_CODES = (
    KEY_IN_TOKEN, KEY_NOT_BOUND, KEY_DOCUMENT_UNAVAILABLE, ISSUER_NOT_RESOLVABLE, STATUS_NOT_CHECKED,
    STATUS_UNAVAILABLE, STATUS_UNTRUSTED, STATUS_METHOD_UNSUPPORTED, UNKNOWN_CONTEXT,
)

_FACTS = {CODE_REVOKED: REVOKED, CODE_SUSPENDED: SUSPENDED, CODE_EXPIRED: EXPIRED, CODE_NOT_YET_VALID: NOT_YET_VALID}


@dataclass(frozen=True)
class Check:
    """One named verification step.

    `passed` False means the step did not pass: the credential is not valid. Among those, `unconfirmed`
    marks the steps that could not be decided either way. A `warning` is a step that passed but that a
    person should know about (a legacy format, a lenient reading of the spec). `code` is machine-readable.
    """

    name: str
    passed: bool
    reason: str
    warning: bool = False
    unconfirmed: bool = False
    code: str = ""

    def __post_init__(self) -> None:
        if self.unconfirmed and self.passed:
            raise ValueError("a check cannot be both passed and unconfirmed")

    @property
    def outcome(self) -> str:
        if self.passed:
            return PASSED
        return UNCONFIRMED if self.unconfirmed else FAILED


def check(name: str, passed: bool, reason_ok: str, reason_fail: str) -> Check:
    """A `Check` whose reason is `reason_ok` or `reason_fail` depending on `passed`."""
    return Check(name, passed, reason_ok if passed else reason_fail)


def unconfirmed(name: str, code: str, reason: str) -> Check:
    """A step that could not be decided; `code` is one of UNCONFIRMED_CODES."""
    return Check(name, False, reason, unconfirmed=True, code=code)


def verdict_of(checks: Iterable[Check]) -> str:
    """The one word for a set of checks.

    Anything wrong with the credential itself makes it invalid. A revocation or suspension read from a
    list whose own proof held is a fact about the credential, shown even when something else could not
    be confirmed (it can only make things worse for the holder). Then anything unconfirmed makes the
    verdict "unconfirmed" — an expiry date is only news about a credential known to be genuine. Valid
    needs every step passed.
    """
    checks = list(checks)
    if not checks:
        return INVALID
    failed_codes = [c.code for c in checks if c.outcome == FAILED]
    if any(code not in _FACTS for code in failed_codes):
        return INVALID
    for code in (CODE_REVOKED, CODE_SUSPENDED):
        if code in failed_codes:
            return _FACTS[code]
    if any(c.unconfirmed for c in checks):
        return UNCONFIRMED_VERDICT
    for code in (CODE_EXPIRED, CODE_NOT_YET_VALID):
        if code in failed_codes:
            return _FACTS[code]
    return VALID
