import hashlib
import json

import pytest

from ob3.build import build_credential
from ob3.model import Recipient
from ob3.recipient import hash_email, identity_hash, recipient_matches
from tests.ob3.factories import realistic_draft
from tests.ob3.support import SPEC_EXAMPLES, shared


def _credential_with(*identifiers, subject_id=None):
    subject = {"type": ["AchievementSubject"], "identifier": list(identifiers)}
    if subject_id:
        subject["id"] = subject_id
    return {"credentialSubject": subject}


def test_hash_email_matches_spec_vector():
    value = hash_email("a@example.com", "Kosher")
    assert value.startswith("sha256$b5809d8a")
    assert value.endswith("f399")
    assert value == "sha256$" + hashlib.sha256(b"a@example.comKosher").hexdigest()


def test_hash_email_strips_whitespace_but_keeps_case():
    assert hash_email("  a@example.com\n", "Kosher") == hash_email("a@example.com", "Kosher")
    assert hash_email("A@example.com", "Kosher") != hash_email("a@example.com", "Kosher")


def test_hash_email_is_utf8():
    expected = hashlib.sha256("åsa@exempel.se".encode() + b"salt").hexdigest()
    assert hash_email("åsa@exempel.se", "salt") == f"sha256${expected}"


def test_empty_email_is_rejected():
    with pytest.raises(ValueError, match="empty"):
        hash_email("   ", "salt")


def test_unknown_algorithm_is_rejected():
    with pytest.raises(ValueError, match="unsupported"):
        identity_hash("x", "y", "sha1")


def test_built_credential_matches_its_recipient():
    draft = realistic_draft()
    credential = build_credential(draft)
    assert recipient_matches(credential, email=draft.recipient.email)
    assert recipient_matches(credential, email=f" {draft.recipient.email} ")
    assert not recipient_matches(credential, email="someone.else@exempel.se")
    assert not recipient_matches(credential, email=draft.recipient.email.upper())


def test_name_identity_never_matches_an_email():
    credential = build_credential(realistic_draft())
    # The name IdentityObject holds "Åsa Öberg" in clear; only emailAddress entries are compared.
    assert not recipient_matches(credential, email="Åsa Öberg")


def test_did_matches_subject_id():
    draft = realistic_draft(recipient=Recipient(did="did:key:z6MkExample"))
    credential = build_credential(draft)
    assert recipient_matches(credential, did="did:key:z6MkExample")
    assert not recipient_matches(credential, did="did:key:z6MkOther")
    assert not recipient_matches(credential, email="asa.oberg@exempel.se")


def test_either_identity_is_enough():
    credential = build_credential(realistic_draft())
    assert recipient_matches(credential, email="asa.oberg@exempel.se", did="did:key:z6MkUnrelated")


def test_plaintext_identity_from_spec_example():
    credential = json.loads(shared(SPEC_EXAMPLES, "fullOpenBadge.json").read_text("utf-8"))
    assert recipient_matches(credential, email="student@1edtech.edu")
    assert not recipient_matches(credential, email="teacher@1edtech.edu")


def test_md5_and_uppercase_hex_hashes_are_accepted():
    md5 = identity_hash("a@example.com", "s", "md5")
    upper = "sha256$" + hashlib.sha256(b"b@example.coms").hexdigest().upper()
    credential = _credential_with(
        {"type": "IdentityObject", "hashed": True, "identityType": "emailAddress", "identityHash": md5,
         "salt": "s"},
        {"type": "IdentityObject", "hashed": True, "identityType": "emailAddress", "identityHash": upper,
         "salt": "s"},
    )
    assert recipient_matches(credential, email="a@example.com")
    assert recipient_matches(credential, email="b@example.com")


def test_missing_salt_means_empty_salt():
    unsalted = "sha256$" + hashlib.sha256(b"a@example.com").hexdigest()
    credential = _credential_with(
        {"type": "IdentityObject", "hashed": True, "identityType": "emailAddress", "identityHash": unsalted}
    )
    assert recipient_matches(credential, email="a@example.com")


def test_compacted_single_identifier_object_is_accepted():
    credential = {"credentialSubject": {"identifier": {
        "type": "IdentityObject", "hashed": False, "identityType": "emailAddress",
        "identityHash": "a@example.com"}}}
    assert recipient_matches(credential, email="a@example.com")


def test_unknown_hash_algorithm_and_garbage_do_not_match():
    credential = _credential_with(
        {"type": "IdentityObject", "hashed": True, "identityType": "emailAddress", "identityHash": "sha1$abc"},
        {"type": "IdentityObject", "hashed": True, "identityType": "emailAddress", "identityHash": "nodollar"},
        {"type": "IdentityObject", "hashed": True, "identityType": "emailAddress", "identityHash": 42},
        "not an object",
    )
    assert not recipient_matches(credential, email="a@example.com")
    assert not recipient_matches({}, email="a@example.com")


def test_nothing_to_compare_is_a_caller_error():
    with pytest.raises(ValueError):
        recipient_matches(build_credential(realistic_draft()))
