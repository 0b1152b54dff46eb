"""The one rule for what a credential is now, which the wallet, the console list and the API all show."""

from datetime import UTC, datetime, timedelta

import pytest

from badges.credentials.selectors import credential_state
from badges.models import Credential
from learners.selectors import credential_state as learner_credential_state

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
S = Credential.Status


def credential(status: str, *, valid_until: datetime | None = None, revoked_at: datetime | None = None) -> Credential:
    return Credential(status=status, valid_until=valid_until, revoked_at=revoked_at)


@pytest.mark.parametrize(("status", "valid_until", "revoked_at", "expected"), [
    (S.PENDING, None, None, "pending"),
    (S.SIGNING, NOW - timedelta(days=1), None, "pending"),
    (S.FAILED, None, None, "failed"),
    (S.ISSUED, None, None, "issued"),
    (S.ISSUED, NOW + timedelta(seconds=1), None, "issued"),
    # validUntil equal to now has passed, as ob3's verifier decides: the page and the verdict agree.
    (S.ISSUED, NOW, None, "expired"),
    (S.ISSUED, NOW - timedelta(days=1), None, "expired"),
    (S.REVOKED, NOW - timedelta(days=1), NOW - timedelta(days=2), "revoked"),
    (S.ISSUED, None, NOW, "revoked"),
])
def test_credential_state(status, valid_until, revoked_at, expected):
    assert credential_state(credential(status, valid_until=valid_until, revoked_at=revoked_at), now=NOW) == expected


def test_the_wallet_reads_the_same_rule_and_shows_a_failed_signing_as_still_pending():
    assert learner_credential_state(credential(S.ISSUED, valid_until=NOW), now=NOW).key == "expired"
    assert learner_credential_state(credential(S.FAILED), now=NOW).key == "pending"
