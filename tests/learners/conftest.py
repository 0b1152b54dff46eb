import pytest


@pytest.fixture
def amina(db):
    from tests.factories import make_user

    return make_user("amina")


@pytest.fixture
def saman(db):
    from tests.factories import make_user

    return make_user("saman")


@pytest.fixture
def issue(achievement, django_capture_on_commit_callbacks):
    """issue(email, sign=True, **kwargs) -> a credential, signed and baked unless sign=False."""
    from badges.credentials.issuing import credential_issue
    from badges.credentials.signing import credential_sign

    def make(email: str = "amina@example.org", *, sign: bool = True, **kwargs):
        kwargs.setdefault("achievement", achievement)
        with django_capture_on_commit_callbacks(execute=False):
            credential = credential_issue(recipient_email=email, **kwargs)
        if sign:
            credential_sign(credential_id=credential.id)
            credential.refresh_from_db()
        return credential

    return make


@pytest.fixture
def credential(issue, amina):
    return issue("amina@example.org", recipient_name="Amina Hassan")
