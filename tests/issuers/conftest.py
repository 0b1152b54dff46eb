import pytest


@pytest.fixture
def jwt_issuer(db):
    from tests.factories import make_issuer

    return make_issuer("jwt-skolan", jwt_enabled=True)
