import pytest


@pytest.fixture(autouse=True)
def _notices_delivered_on_commit():
    """Here the queueing itself is under test: leave notifications.sending as it is."""
