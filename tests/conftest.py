"""Fixtures shared by the platform's tests.

The pure ob3 suite runs from this folder too, without Django (`-p no:django`), so nothing here imports
Django or the apps at module level: fixtures import what they use when a Django test asks for them.
"""

import pytest
import trustme


@pytest.fixture(scope="session")
def test_ca() -> trustme.CA:
    """A throwaway certificate authority for the local HTTPS servers tests talk to (tests/https_server.py)."""
    return trustme.CA()


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """Rate limits and fetched documents live in the cache: every Django test starts without them."""
    if not request.config.pluginmanager.hasplugin("django"):
        return
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def issuer(db):
    from tests.factories import make_issuer

    return make_issuer()


@pytest.fixture
def achievement(issuer):
    from tests.factories import make_achievement

    return make_achievement(issuer)


@pytest.fixture
def credential(achievement, django_capture_on_commit_callbacks):
    """A credential of `achievement` for Amina, requested but not yet signed (its task was not run)."""
    from badges.credentials.issuing import credential_issue

    with django_capture_on_commit_callbacks(execute=False):
        return credential_issue(achievement=achievement, recipient_email="Amina@Example.org", recipient_name="Amina")


@pytest.fixture
def issued(credential):
    """`credential`, signed as the Celery task would sign it."""
    from badges.credentials.signing import credential_sign

    credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    return credential


@pytest.fixture(autouse=True)
def _notices_delivered_on_commit(request, monkeypatch):
    """The test broker runs no task: an e-mail decided on (notifications.notice_send) is delivered when its
    transaction commits, as a worker would deliver it then, so tests see it in django.core.mail.outbox."""
    if not request.config.pluginmanager.hasplugin("django"):
        return
    from django.db import transaction

    from notifications import sending

    monkeypatch.setattr(
        sending, "notice_delivery_queue",
        lambda notice_id: transaction.on_commit(lambda: sending.notice_deliver(notice_id=notice_id)),
    )
    monkeypatch.setattr(
        sending, "notices_delivery_queue",
        lambda notice_ids: transaction.on_commit(lambda: [sending.notice_deliver(notice_id=n) for n in notice_ids]),
    )
