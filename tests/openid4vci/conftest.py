import pytest


@pytest.fixture
def amina(db):
    from tests.factories import make_user

    return make_user("amina")


@pytest.fixture
def award(achievement, amina, django_capture_on_commit_callbacks):
    """A signed credential for Amina (her verified address), as the pipeline leaves it."""
    from badges.credentials.issuing import credential_issue
    from badges.credentials.signing import credential_sign

    with django_capture_on_commit_callbacks(execute=False):
        credential = credential_issue(achievement=achievement, recipient_email="amina@example.org",
                                      recipient_name="Amina Hassan")
    credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    return credential
