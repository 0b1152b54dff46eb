"""The status step of verification: has the issuer revoked or suspended the credential?

A status is known only when it was read from a list whose own proof holds, signed with a key the
issuer's identity document binds to the issuer. A list that could not be fetched, was not consulted,
or cannot be trusted makes the step *unconfirmed*, never "not revoked": an employer must not be told a
credential stands when nobody knows. A set bit in a trustworthy list is a plain failure with the code
`revoked` or `suspended`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from ob3.errors import Ob3Error
from ob3.result import (
    CODE_REVOKED,
    CODE_SUSPENDED,
    STATUS_METHOD_UNSUPPORTED,
    STATUS_NOT_CHECKED,
    STATUS_UNAVAILABLE,
    STATUS_UNTRUSTED,
    Check,
    unconfirmed,
)
from ob3.status_list import status_of
from ob3.values import as_list, issuer_id

StatusFetcher = Callable[[str], Mapping[str, Any]]
# (list credential) -> reasons it cannot be trusted, [] when its proof, key binding and dates hold.
ListAudit = Callable[[dict[str, Any]], list[str]]

_PURPOSES = {"revocation": ("revocation", CODE_REVOKED), "suspension": ("suspension", CODE_SUSPENDED)}


def check_status(
    credential: Mapping[str, Any], fetch: StatusFetcher | None, audit: ListAudit, now: datetime
) -> list[Check]:
    """One check per `credentialStatus` entry (a passed "revocation" check when there is none)."""
    entries = credential.get("credentialStatus")
    if entries is None:
        return [Check("revocation", True, "the issuer publishes no revocation status for this credential")]
    checks: list[Check] = []
    for entry in as_list(entries):
        if not isinstance(entry, Mapping):
            checks.append(Check("revocation", False, "credentialStatus is malformed", code="status_malformed"))
        elif entry.get("type") == "BitstringStatusListEntry":
            checks.append(_check_bitstring(entry, fetch, audit, issuer_id(credential)))
        elif entry.get("type") == "1EdTechRevocationList":
            checks.append(_check_revocation_list(entry, fetch, credential.get("id")))
        else:
            checks.append(unconfirmed("revocation", STATUS_METHOD_UNSUPPORTED,
                                      f"status method {entry.get('type')!r} is not supported, so whether the "
                                      "issuer revoked the credential is not known"))
    return checks


def _check_bitstring(entry: Mapping[str, Any], fetch: StatusFetcher | None, audit: ListAudit,
                     credential_issuer: str | None) -> Check:
    purpose = entry.get("statusPurpose", "revocation")
    if purpose not in _PURPOSES:
        return unconfirmed("revocation", STATUS_METHOD_UNSUPPORTED, f"status purpose {purpose!r} is not one this "
                                                                     "verifier reads")
    name, set_code = _PURPOSES[purpose]
    url = entry.get("statusListCredential")
    raw_index: Any = entry.get("statusListIndex")  # a string per the REC; some issuers write a number
    try:
        index = int(raw_index)
    except (TypeError, ValueError):
        return Check(name, False, "statusListIndex is not a number", code="status_malformed")
    if not isinstance(url, str):
        return Check(name, False, "statusListCredential is missing", code="status_malformed")
    if fetch is None:
        return unconfirmed(name, STATUS_NOT_CHECKED, f"the status list {url} was not consulted (offline)")
    try:
        list_credential = dict(fetch(url))
    except Ob3Error as exc:
        return unconfirmed(name, STATUS_UNAVAILABLE, f"the status list {url} could not be read: {exc}")
    problems = audit(list_credential)
    if problems:
        return unconfirmed(name, STATUS_UNTRUSTED, f"the status list {url} cannot be trusted: {'; '.join(problems)}")
    if issuer_id(list_credential) != credential_issuer:
        return unconfirmed(name, STATUS_UNTRUSTED, f"the status list {url} was issued by "
                                                   f"{issuer_id(list_credential)}, not by the credential's issuer")
    try:
        is_set = status_of(list_credential, index, status_purpose=purpose)
    except Ob3Error as exc:
        return unconfirmed(name, STATUS_UNTRUSTED, f"the status list {url} cannot be read at this credential's "
                                                   f"index: {exc}")
    if is_set:
        return Check(name, False, f"{'revoked' if name == 'revocation' else 'suspended'} by the issuer",
                     code=set_code)
    return Check(name, True, "not revoked" if name == "revocation" else "not suspended")


def _check_revocation_list(entry: Mapping[str, Any], fetch: StatusFetcher | None, credential_id: Any) -> Check:
    url = entry.get("id")
    if not isinstance(url, str):
        return Check("revocation", False, "the 1EdTech revocation list has no id", code="status_malformed")
    if fetch is None:
        return unconfirmed("revocation", STATUS_NOT_CHECKED, f"the revocation list {url} was not consulted (offline)")
    try:
        listing = fetch(url)
    except Ob3Error as exc:
        return unconfirmed("revocation", STATUS_UNAVAILABLE, f"the revocation list {url} could not be read: {exc}")
    revoked = listing.get("revokedCredential") if isinstance(listing, Mapping) else None
    if not isinstance(revoked, list):
        return unconfirmed("revocation", STATUS_UNTRUSTED, f"{url} is not a 1EdTech revocation list")
    for item in revoked:
        if isinstance(item, Mapping) and item.get("id") == credential_id and item.get("revoked", True):
            reason = item.get("revocationReason")
            said = f": {str(reason)[:500]}" if reason else ""
            return Check("revocation", False, f"revoked by the issuer{said}", code=CODE_REVOKED)
    return Check("revocation", True, "not revoked")
