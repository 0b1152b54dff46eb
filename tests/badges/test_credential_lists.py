"""Lists of many credentials load them without their signed documents (CredentialQuerySet.without_signed_documents)
and still tell, without a query per row, what each is and which signed forms it has."""

from datetime import timedelta

import pytest
from django.utils import timezone

from badges.credentials.issuing import credential_issue
from badges.credentials.selectors import credential_list_for_issuer, credential_state
from badges.credentials.signing import credential_sign
from badges.models import Credential
from console.dashboard import credentials_expiring
from learners.selectors import credential_list_for_learner
from tests.factories import make_achievement, make_issuer, make_user
from tests.list_queries import signed_documents_loaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def signing_jwt(django_capture_on_commit_callbacks):
    """An issuer that signs VC-JWTs too, with one signed and shared credential and one waiting to be signed."""
    issuer = make_issuer("jwtskolan", jwt_enabled=True)
    achievement = make_achievement(issuer)
    with django_capture_on_commit_callbacks(execute=False):
        signed = credential_issue(achievement=achievement, recipient_email="amina@example.org",
                                  valid_until=timezone.now() + timedelta(days=10))
        credential_issue(achievement=achievement, recipient_email="amina@example.org")
    credential_sign(credential_id=signed.pk)
    Credential.objects.filter(pk=signed.pk).update(share_enabled=True)
    return issuer


def sql(queryset) -> list[dict[str, str]]:
    return [{"sql": str(queryset.query)}]


def test_rows_without_their_documents_tell_state_and_signed_forms_without_a_query(
    signing_jwt, django_assert_num_queries
):
    rows = list(Credential.objects.filter(issuer=signing_jwt).without_signed_documents().order_by("pk"))
    with django_assert_num_queries(0):
        answers = [(credential_state(row), row.has_document, row.has_jwt, row.is_shared_publicly) for row in rows]
    assert answers == [("issued", True, True, True), ("pending", False, False, False)]


def test_whole_rows_answer_from_their_fields(signing_jwt):
    signed, pending = Credential.objects.filter(issuer=signing_jwt).order_by("pk")
    assert (signed.has_document, signed.has_jwt, signed.is_shared_publicly) == (True, True, True)
    assert (pending.has_document, pending.has_jwt, pending.is_shared_publicly) == (False, False, False)


def test_the_list_selectors_load_no_signed_document(signing_jwt):
    amina = make_user("amina")
    lists = [
        credential_list_for_issuer(issuer=signing_jwt),
        credential_list_for_issuer(issuer=signing_jwt, search="amina", state="valid"),
        credential_list_for_learner(amina),
        credential_list_for_learner(amina).shared_publicly(),
        credentials_expiring(issuer=signing_jwt, now=timezone.now(), days=30),
    ]
    for credentials in lists:
        assert signed_documents_loaded(sql(credentials)) == [], credentials.query
        assert list(credentials)


def test_the_ob_api_still_gets_the_learners_signed_documents(signing_jwt):
    credentials = credential_list_for_learner(make_user("amina"), signed_documents=True)
    assert signed_documents_loaded(sql(credentials))
    assert [credential.document is not None for credential in credentials] == [False, True]
