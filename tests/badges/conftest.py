import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and fetched documents live in the cache: every test starts without them."""
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
