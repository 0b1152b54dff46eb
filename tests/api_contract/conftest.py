"""The API against its own contract, on a live server: `make test-contract`.

Every test here gets the `contract` marker (so `make test` leaves them out, like interop and browser) and
talks HTTP to pytest-django's live server, where an issuer is at work: a published micro-credential,
issued credentials (one revoked), a submitted application, and an API token with every scope made by an
owner who holds every role.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ISSUER_SLUG = "kontraktskolan"


def _in_this_folder(item: pytest.Item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # tryfirst: the marker is in place before `-m` deselects, even on a test that forgot it. Only a run that
    # names the marker (`make test-contract`: -m contract) runs them; the everyday suite without `-m` skips.
    selected = "contract" in (config.getoption("markexpr", "") or "")
    for item in items:
        if _in_this_folder(item):
            item.add_marker(pytest.mark.contract)
            if not selected:
                item.add_marker(pytest.mark.skip(reason="run by make test-contract (-m contract)"))


@dataclass(frozen=True)
class Platform:
    url: str  # the live server's origin, e.g. http://localhost:41234
    issuer_slug: str
    token: str  # an all-scope API token's secret


@pytest.fixture
def platform(live_server, transactional_db, settings) -> Platform:
    """The live server with an issuer at work. The rows are committed (the server thread must see them) and
    flushed after the test by `transactional_db`."""
    from tests.api_contract.world import issuer_at_work

    # Evidence files of the application stay in memory, as every other file in tests.
    settings.STORAGES = {**settings.STORAGES, "evidence": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    token = issuer_at_work(ISSUER_SLUG)
    return Platform(url=live_server.url, issuer_slug=ISSUER_SLUG, token=token)
