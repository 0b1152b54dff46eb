import pytest


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
    from badges.services import credential_issue

    with django_capture_on_commit_callbacks(execute=False):
        return credential_issue(achievement=achievement, recipient_email="Amina@Example.org", recipient_name="Amina")
