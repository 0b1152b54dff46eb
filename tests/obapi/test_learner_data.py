"""The API's data in the learner's export, and gone with their account."""

import io
import json
import zipfile

import pytest
from oauth2_provider.models import AccessToken, Grant, RefreshToken

from learners.models import ExternalCredential
from learners.services import learner_account_delete, learner_export_write
from obapi.models import DeliveredCredential, ObProfile
from tests.obapi.foreign import foreign_credential, signed

pytestmark = pytest.mark.django_db
PROFILE = {"id": "https://example.org/people/amina", "type": ["Profile"], "name": "Amina Hassan"}


def _connected(client, connect, learner):
    connection = connect(learner)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {connection.access_token}"}
    assert client.put("/ims/ob/v3p0/profile", json.dumps(PROFILE), content_type="application/json",
                      **headers).status_code == 200
    document = json.dumps(signed(foreign_credential(f"{learner.username}@example.org")))
    assert client.post("/ims/ob/v3p0/credentials", document, content_type="application/json",
                       **headers).status_code == 201
    return connection


def test_the_export_holds_the_ob_profile_and_the_connected_apps(client, connect, amina):
    _connected(client, connect, amina)
    buffer = io.BytesIO()
    learner_export_write(user=amina, file=buffer)
    content = json.loads(zipfile.ZipFile(buffer).read("other/open-badges-api.json"))
    assert content["profile"] == PROFILE
    assert [app["name"] for app in content["connected_apps"]] == ["Badgehost Example"]


def test_deleting_the_account_removes_tokens_codes_profile_and_delivered_credentials(client, connect, amina, saman):
    connection = _connected(client, connect, amina)
    _connected(client, connect, saman)
    learner_account_delete(user=amina, password="correct-horse-battery")
    for model in (AccessToken, RefreshToken, Grant, ObProfile):
        assert not model.objects.filter(user=amina).exists()
    assert not ExternalCredential.objects.filter(user=amina).exists()
    assert DeliveredCredential.objects.count() == 1  # Saman's
    assert AccessToken.objects.filter(user=saman).exists() and ObProfile.objects.filter(user=saman).exists()
    response = client.get("/ims/ob/v3p0/credentials", HTTP_AUTHORIZATION=f"Bearer {connection.access_token}")
    assert response.status_code == 401
