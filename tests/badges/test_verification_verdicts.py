from badges.verification import verdict_of
from ob3.result import Check
from ob3.verify import VerificationResult

PASSED = [Check("format", True, "JSON credential"), Check("proof", True, "ok")]


def result(*checks):
    return VerificationResult(checks=[*PASSED, *checks])


def test_all_passed_is_valid_and_nothing_checked_is_invalid():
    assert verdict_of(result(Check("revocation", True, "not revoked"))) == "valid"
    assert verdict_of(VerificationResult()) == "invalid"


def test_a_set_status_bit_is_revoked_even_when_also_expired():
    revoked = Check("revocation", False, "revoked by the issuer")
    assert verdict_of(result(revoked)) == "revoked"
    assert verdict_of(result(revoked, Check("expiry", False, "expired on 2020-01-01T00:00:00Z"))) == "revoked"


def test_an_untrustworthy_status_list_is_not_mistaken_for_a_revocation():
    broken = Check("revocation", False, "the status list is not trustworthy: the signature does not match")
    assert verdict_of(result(broken)) == "invalid"


def test_expiry_alone_is_expired_and_a_bad_signature_is_invalid():
    assert verdict_of(result(Check("expiry", False, "expired"))) == "expired"
    assert verdict_of(result(Check("expiry", False, "expired"), Check("issuer_key", False, "x"))) == "invalid"
