"""Fixtures for the pure ob3 tests. No Django here: these run with `-p no:django`."""

import pytest

from ob3.keys import LocalSigner
from tests.ob3.support import SPEC_SEED, spec_signed_credential


@pytest.fixture
def spec_signer() -> LocalSigner:
    return LocalSigner.from_ed25519_seed(SPEC_SEED)


@pytest.fixture
def spec_credential() -> dict:
    return spec_signed_credential()
