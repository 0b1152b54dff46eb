"""What a verdict and its checks mean, in words a person can act on.

ob3 decides the verdict and gives every check an outcome ("passed" | "failed" | "unconfirmed") and a
machine code (ob3.result). This module only explains them in the visitor's language and says what to
do; it never changes a verdict. The public pages (/c/<id>, /verify/) and the wallet's imported
credentials read it through the `verification` template tags, so every page says the same thing.

Checks come either as ob3 `Check` objects or as the dicts `VerificationResult.to_dict()` stored for
an imported credential; both are read the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ob3 import result as codes

# Verdicts under which the credential's signature was verified with a key its issuer binds to itself.
CONFIRMED_VERDICTS = (codes.VALID, codes.REVOKED, codes.SUSPENDED, codes.EXPIRED, codes.NOT_YET_VALID)
# Unconfirmed codes that leave the credential's content confirmed (only its status is not known).
_STATUS_CODES = (codes.STATUS_NOT_CHECKED, codes.STATUS_UNAVAILABLE, codes.STATUS_UNTRUSTED,
                 codes.STATUS_METHOD_UNSUPPORTED)
# Failed checks with these codes are facts about a genuine credential, not defects.
_FACT_CODES = (codes.CODE_REVOKED, codes.CODE_SUSPENDED, codes.CODE_EXPIRED, codes.CODE_NOT_YET_VALID)

ASK_FOR_LINK = _("Ask for the link to the credential on the issuer's own website, or ask the issuer to confirm it.")
TRY_LATER = _("Try again later. If it keeps happening, contact the issuer.")
CHECK_ONLINE = _("Check the file on the “Check a credential” page, which asks the issuer's website.")
CONTACT_ISSUER = _("Contact the issuer and ask whether the credential is still valid.")
DO_NOT_RELY = _("Do not rely on it. Ask for the link to the credential on the issuer's own website, or contact "
                "the issuer.")

# code -> (what it means, what to do)
_UNCONFIRMED: dict[str, tuple[Promise, Promise]] = {
    codes.KEY_IN_TOKEN: (
        _("The key that made the signature travels inside the file itself. Anyone can make such a file in any "
          "issuer's name, so the signature does not show who issued it."),
        ASK_FOR_LINK,
    ),
    codes.KEY_NOT_BOUND: (
        _("The file was signed with a key that the issuer's own website does not confirm as theirs. The key is "
          "only named in the file itself, so anyone could have made it."),
        ASK_FOR_LINK,
    ),
    codes.KEY_DOCUMENT_UNAVAILABLE: (
        _("The issuer's published keys could not be read just now, so we cannot tell whether the signature is "
          "theirs."),
        TRY_LATER,
    ),
    codes.ISSUER_NOT_RESOLVABLE: (
        _("The issuer is named by an identifier that leads to no public document, so nobody can confirm which "
          "keys belong to the issuer."),
        _("Contact the issuer and ask how their credentials can be checked."),
    ),
    codes.STATUS_NOT_CHECKED: (
        _("The issuer's list of withdrawn credentials was not consulted, so we do not know whether this one has "
          "been revoked."),
        CHECK_ONLINE,
    ),
    codes.STATUS_UNAVAILABLE: (
        _("The issuer's list of withdrawn credentials could not be read just now, so we do not know whether this "
          "one has been revoked."),
        TRY_LATER,
    ),
    codes.STATUS_UNTRUSTED: (
        _("The issuer's list of withdrawn credentials could not be trusted: its own signature or issuer did not "
          "check out. So we do not know whether this credential has been revoked."),
        CONTACT_ISSUER,
    ),
    codes.STATUS_METHOD_UNSUPPORTED: (
        _("The issuer publishes withdrawals in a way this site cannot read, so we do not know whether this "
          "credential has been revoked."),
        CONTACT_ISSUER,
    ),
    codes.UNKNOWN_CONTEXT: (
        _("The file uses a vocabulary (a JSON-LD context) that we do not know and could not confirm, so we cannot "
          "check that the signature covers what the file says."),
        ASK_FOR_LINK,
    ),
}
_UNCONFIRMED_OTHER = (
    _("Part of the check could not be completed, so we cannot say whether the credential is genuine."),
    TRY_LATER,
)
# The wallet checks offline: another site's documents were not asked for, rather than unreachable.
_OFFLINE: dict[str, tuple[Promise, Promise]] = {
    codes.KEY_DOCUMENT_UNAVAILABLE: (
        _("Your wallet does not contact other websites, so the issuer's published keys were not read and we "
          "cannot tell whether the signature is theirs."),
        CHECK_ONLINE,
    ),
    codes.STATUS_UNAVAILABLE: (
        _("Your wallet does not contact other websites, so the issuer's list of withdrawn credentials was not "
          "read and we do not know whether this one has been revoked."),
        CHECK_ONLINE,
    ),
}

# kind of failure -> (what it means, what to do)
_INVALID: dict[str, tuple[Promise, Promise]] = {
    "format": (
        _("This is not a credential file we can read: it is not an Open Badges badge image, JSON credential or "
          "JWT, or it is damaged."),
        _("Ask for the original file, or for the link to the credential on the issuer's website."),
    ),
    "signature": (
        _("The signature does not match: the file was changed after it was signed, or it was not signed by the "
          "issuer it names."),
        DO_NOT_RELY,
    ),
    "key": (
        _("The file was signed with a key that the issuer does not list as theirs."),
        DO_NOT_RELY,
    ),
    "key_compromised": (
        _("The issuer has reported the signing key as compromised, and this signature is not dated before that."),
        _("Contact the issuer and ask for a new copy of the credential."),
    ),
    "structure": (
        _("The file does not follow the Open Badges 3.0 rules: some of its content is missing, malformed or "
          "undefined."),
        DO_NOT_RELY,
    ),
}
_KIND_OF_CHECK = {
    "format": "format", "jwt.structure": "format",
    "proof": "signature", "jwt.signature": "signature",
    "issuer_key": "key", "jwt.key": "key",
    "key_status": "key_compromised",
}


@dataclass(frozen=True)
class Reason:
    """One reason behind a verdict: a machine code, what it means and what the reader can do."""

    code: str
    text: str
    advice: str


def _field(check: Any, name: str) -> Any:
    return check.get(name) if isinstance(check, Mapping) else getattr(check, name, None)


def outcome_of(check: Any) -> str:
    """"passed" | "failed" | "unconfirmed" (a report stored before checks had outcomes reads as before)."""
    outcome = _field(check, "outcome")
    if outcome in (codes.PASSED, codes.FAILED, codes.UNCONFIRMED):
        return outcome
    if _field(check, "passed"):
        return codes.PASSED
    return codes.UNCONFIRMED if _field(check, "unconfirmed") else codes.FAILED


def claims_confirmed(verdict: str, checks: Iterable[Any]) -> bool:
    """Whether the credential's content may be shown as the issuer's.

    That needs a verdict that confirms the signature and key, and no unconfirmed check other than the
    status: a revocation bit copied into a forgery makes the verdict "revoked", yet proves nothing about
    the rest of what the file says.
    """
    if verdict not in CONFIRMED_VERDICTS:
        return False
    return not any(outcome_of(c) == codes.UNCONFIRMED and _field(c, "code") not in _STATUS_CODES for c in checks)


def reasons(verdict: str, checks: Iterable[Any], *, offline: bool = False) -> list[Reason]:
    """Why the verdict is what it is, one entry per kind of problem (none for a clean verdict).

    An invalid credential is explained by what failed; anything else by what could not be confirmed.
    `offline`: the check contacted no other site (the wallet), so unread documents were not asked for.
    """
    checks = list(checks)
    found: dict[str, tuple[Promise, Promise]] = {}
    if verdict == codes.INVALID:
        for check in checks:
            if outcome_of(check) == codes.FAILED and _field(check, "code") not in _FACT_CODES:
                kind = _KIND_OF_CHECK.get(str(_field(check, "name")), "structure")
                found.setdefault(kind, _INVALID[kind])
    else:
        for check in checks:
            if outcome_of(check) == codes.UNCONFIRMED:
                code = str(_field(check, "code") or "")
                texts = (_OFFLINE.get(code) if offline else None) or _UNCONFIRMED.get(code, _UNCONFIRMED_OTHER)
                found.setdefault(code, texts)
    return [Reason(code, str(text), str(advice)) for code, (text, advice) in found.items()]


def advice(found: Iterable[Reason]) -> list[str]:
    """What to do, once each, in the order the reasons came."""
    return list(dict.fromkeys(reason.advice for reason in found))


def limit_message(limit: str, maximum: int) -> str:
    """The input was refused for its size before any work (ob3.limits): which limit, in words."""
    if limit == "bytes":
        return str(_("The credential was not checked: it is larger than %(maximum)s.")) % {
            "maximum": filesizeformat(maximum)}
    messages = {
        "depth": _("The credential was not checked: it nests more than %(maximum)s levels deep."),
        "array_length": _("The credential was not checked: a list in it holds more than %(maximum)s items."),
        "values": _("The credential was not checked: it holds more than %(maximum)s values."),
        "string_length": _("The credential was not checked: a text in it is longer than %(maximum)s characters."),
        "quads": _("The credential was not checked: it makes more than %(maximum)s statements."),
        "proofs": _("The credential was not checked: it carries more than %(maximum)s signatures."),
        "status_entries": _("The credential was not checked: it names more than %(maximum)s status lists."),
        "contexts": _("The credential was not checked: it names more than %(maximum)s JSON-LD contexts."),
    }
    message = messages.get(limit, _("The credential was not checked: it is larger than we accept."))
    return str(message) % {"maximum": number_format(maximum, force_grouping=True)}
