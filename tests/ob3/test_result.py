"""The verdict a set of checks adds up to: failures, facts about a genuine credential, and the unknown."""

import pytest

from ob3.result import (
    CODE_EXPIRED,
    CODE_NOT_YET_VALID,
    CODE_REVOKED,
    CODE_SUSPENDED,
    KEY_NOT_BOUND,
    STATUS_NOT_CHECKED,
    Check,
    unconfirmed,
    verdict_of,
)

OK = Check("proof", True, "signature valid")
FORGED = Check("proof", False, "signature does not match")
REVOKED = Check("revocation", False, "revoked by the issuer", code=CODE_REVOKED)
SUSPENDED = Check("suspension", False, "suspended by the issuer", code=CODE_SUSPENDED)
EXPIRED = Check("expiry", False, "expired", code=CODE_EXPIRED)
EARLY = Check("not_before", False, "not yet", code=CODE_NOT_YET_VALID)
UNBOUND = unconfirmed("issuer_key", KEY_NOT_BOUND, "nothing confirms the key")
UNCHECKED = unconfirmed("revocation", STATUS_NOT_CHECKED, "not consulted")


@pytest.mark.parametrize(("checks", "verdict"), [
    ([], "invalid"),
    ([OK], "valid"),
    ([OK, FORGED], "invalid"),
    ([FORGED, UNBOUND], "invalid"),  # something is wrong whatever else we do not know
    ([FORGED, REVOKED], "invalid"),
    ([OK, REVOKED, EXPIRED], "revoked"),
    ([OK, SUSPENDED, EXPIRED], "suspended"),
    ([OK, REVOKED, SUSPENDED], "revoked"),
    ([OK, REVOKED, UNBOUND], "revoked"),  # the issuer's signed list says so; it only makes things worse
    ([OK, UNBOUND], "unconfirmed"),
    ([OK, UNCHECKED], "unconfirmed"),
    ([OK, EXPIRED, UNBOUND], "unconfirmed"),  # "expired" would say it was genuine
    ([OK, EXPIRED], "expired"),
    ([OK, EARLY], "not_yet_valid"),
    ([OK, EXPIRED, EARLY], "expired"),
])
def test_verdicts(checks, verdict):
    assert verdict_of(checks) == verdict


def test_a_failed_check_without_a_fact_code_is_invalid_even_if_named_like_a_date_check():
    assert verdict_of([OK, Check("expiry", False, "validUntil is not a date-time")]) == "invalid"
    assert verdict_of([OK, Check("revocation", False, "statusListIndex is not a number")]) == "invalid"


def test_outcomes_and_the_rule_that_unconfirmed_is_never_passed():
    assert (OK.outcome, FORGED.outcome, UNBOUND.outcome) == ("passed", "failed", "unconfirmed")
    with pytest.raises(ValueError):
        Check("proof", True, "?", unconfirmed=True)
