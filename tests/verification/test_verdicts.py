"""The verdict the platform shows is ob3's (VerificationResult.verdict); verification.verdicts only explains it.

These tests once exercised the platform's own `verdict_of`, which re-derived a verdict from check names and
reason texts. That function is gone: the same cases now go through ob3's verdict, with the check codes ob3
gives, and through the platform's `Verification` wrapper, which must return exactly ob3's word.
"""

import pytest
from django.utils import translation

from ob3 import result as codes
from ob3.result import Check, unconfirmed
from ob3.verify import VerificationResult
from verification import verdicts
from verification.checking import Verification

PASSED = [Check("format", True, "JSON credential"), Check("proof", True, "ok"), Check("issuer_key", True, "bound")]


def result(*checks):
    return VerificationResult(checks=[*PASSED, *checks])


def verdict_of(checked: VerificationResult) -> str:
    """What the platform shows for a result: its wrapper's verdict, which must be ob3's own."""
    shown = Verification(result=checked).verdict
    assert shown == checked.verdict
    return shown


def test_all_passed_is_valid_and_nothing_checked_is_invalid():
    assert verdict_of(result(Check("revocation", True, "not revoked"))) == "valid"
    assert verdict_of(VerificationResult()) == "invalid"


def test_a_set_status_bit_is_revoked_even_when_also_expired():
    revoked = Check("revocation", False, "revoked by the issuer", code=codes.CODE_REVOKED)
    assert verdict_of(result(revoked)) == "revoked"
    expired = Check("expiry", False, "expired on 2020-01-01T00:00:00Z", code=codes.CODE_EXPIRED)
    assert verdict_of(result(revoked, expired)) == "revoked"


def test_an_untrustworthy_status_list_is_not_mistaken_for_a_revocation():
    # A list whose own proof fails says nothing about the credential. This read "invalid" when the platform
    # derived verdicts from reason texts; ob3 now marks such a list "unconfirmed" (status_untrusted): it is
    # neither a revocation nor proof of a forgery, and never "valid".
    broken = unconfirmed("revocation", codes.STATUS_UNTRUSTED,
                         "the status list is not trustworthy: the signature does not match")
    assert verdict_of(result(broken)) == "unconfirmed"
    # A status entry that is itself malformed is a defect of the credential, and still no revocation.
    malformed = Check("revocation", False, "statusListIndex is not a number", code="status_malformed")
    assert verdict_of(result(malformed)) == "invalid"


def test_expiry_alone_is_expired_and_a_bad_signature_is_invalid():
    expired = Check("expiry", False, "expired", code=codes.CODE_EXPIRED)
    assert verdict_of(result(expired)) == "expired"
    assert verdict_of(result(expired, Check("issuer_key", False, "x"))) == "invalid"


def test_unconfirmed_outranks_expiry_but_not_a_revocation_from_a_trusted_list():
    fragment_key = unconfirmed("issuer_key", codes.KEY_NOT_BOUND, "nothing confirms the key")
    expired = Check("expiry", False, "expired", code=codes.CODE_EXPIRED)
    revoked = Check("revocation", False, "revoked by the issuer", code=codes.CODE_REVOKED)
    assert verdict_of(result(fragment_key, expired)) == "unconfirmed"
    assert verdict_of(result(fragment_key, revoked)) == "revoked"


# --- What the platform says about a verdict (verification.verdicts) ------------------------------------------------
def test_claims_are_shown_as_the_issuers_only_when_signature_and_key_are_confirmed():
    assert verdicts.claims_confirmed("valid", PASSED)
    key = unconfirmed("issuer_key", codes.KEY_NOT_BOUND, "nothing confirms the key")
    assert not verdicts.claims_confirmed("unconfirmed", [*PASSED[:2], key])
    assert not verdicts.claims_confirmed("invalid", [Check("proof", False, "does not match")])
    # A revocation bit copied into a forgery makes the verdict "revoked" but confirms nothing else.
    revoked = Check("revocation", False, "revoked by the issuer", code=codes.CODE_REVOKED)
    assert not verdicts.claims_confirmed("revoked", [*PASSED[:2], key, revoked])
    # A genuine credential whose status list could not be read: its content is still the issuer's.
    status = unconfirmed("suspension", codes.STATUS_UNAVAILABLE, "could not be read")
    assert verdicts.claims_confirmed("revoked", [*PASSED, revoked, status])


def test_every_unconfirmed_code_has_an_explanation_and_advice_in_english_and_swedish():
    for code in codes.UNCONFIRMED_CODES:
        check = unconfirmed("x", code, "technical reason")
        for language in ("en", "sv"):
            with translation.override(language):
                (reason,) = verdicts.reasons("unconfirmed", [check])
            assert reason.code == code and reason.text and reason.advice
            assert "technical reason" not in reason.text
    with translation.override("sv"):
        (reason,) = verdicts.reasons("unconfirmed", [unconfirmed("issuer_key", codes.KEY_IN_TOKEN, "x")])
    assert "Nyckeln som gjorde signaturen följer med i själva filen" in reason.text
    assert "Be om länken till intyget på utfärdarens egen webbplats" in reason.advice


@pytest.mark.parametrize(("name", "kind"), [
    ("format", "format"), ("jwt.structure", "format"), ("proof", "signature"), ("jwt.signature", "signature"),
    ("issuer_key", "key"), ("key_status", "key_compromised"), ("schema", "structure"), ("jwt.iss", "structure"),
])
def test_an_invalid_verdict_is_explained_by_what_failed(name, kind):
    (reason,) = verdicts.reasons("invalid", [*PASSED, Check(name, False, "x")])
    assert reason.code == kind and reason.text and reason.advice
    # Facts about a genuine credential are not defects, and passed checks explain nothing.
    assert verdicts.reasons("invalid", [Check("expiry", False, "expired", code=codes.CODE_EXPIRED),
                                        Check(name, False, "x")]) == [reason]


def test_the_wallet_says_it_did_not_ask_rather_than_that_a_site_was_down():
    check = unconfirmed("issuer_key", codes.KEY_DOCUMENT_UNAVAILABLE, "x")
    with translation.override("en"):
        (online,) = verdicts.reasons("unconfirmed", [check])
        (offline,) = verdicts.reasons("unconfirmed", [check], offline=True)
    assert "could not be read just now" in online.text and "Try again later" in online.advice
    assert "does not contact other websites" in offline.text and "Check a credential" in offline.advice


def test_reports_stored_as_dicts_read_like_checks_and_advice_is_given_once():
    stored = [{"name": "issuer_key", "passed": False, "outcome": "unconfirmed", "code": codes.KEY_NOT_BOUND},
              {"name": "revocation", "passed": False, "outcome": "unconfirmed", "code": codes.KEY_IN_TOKEN},
              {"name": "proof", "passed": True, "warning": False}]
    found = verdicts.reasons("unconfirmed", stored)
    assert [reason.code for reason in found] == [codes.KEY_NOT_BOUND, codes.KEY_IN_TOKEN]
    assert len(verdicts.advice(found)) == 1  # both ask for the issuer's link
    # A report stored before checks had outcomes: a check that did not pass reads as failed.
    assert verdicts.outcome_of({"name": "proof", "passed": False}) == "failed"


@pytest.mark.parametrize(("limit", "maximum", "words"), [
    ("bytes", 512 * 1024, "larger than 512.0"),
    ("depth", 32, "nests more than 32 levels"),
    ("array_length", 1000, "holds more than 1,000 items"),
    ("values", 8000, "holds more than 8,000 values"),
    ("string_length", 65536, "longer than 65,536 characters"),
    ("quads", 5000, "more than 5,000 statements"),
    ("proofs", 4, "more than 4 signatures"),
    ("status_entries", 4, "more than 4 status lists"),
    ("contexts", 12, "more than 12 JSON-LD contexts"),
])
def test_a_refused_input_names_the_limit_in_words(limit, maximum, words):
    with translation.override("en"):
        assert words in verdicts.limit_message(limit, maximum)
    with translation.override("sv"):
        assert verdicts.limit_message(limit, maximum).startswith("Intyget kontrollerades inte")
