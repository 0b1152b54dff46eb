import pytest
import trustme


@pytest.fixture(scope="session")
def test_ca() -> trustme.CA:
    """A throwaway certificate authority for the local HTTPS servers tests talk to (tests/https_server.py)."""
    return trustme.CA()
