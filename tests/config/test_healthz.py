from unittest import mock

import pytest


@pytest.mark.django_db
def test_it_reports_healthy_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True, "broker": True}}


@pytest.mark.django_db
def test_it_reports_503_when_the_broker_is_unreachable(client):
    with mock.patch("config.health.celery_app.connection_for_write", side_effect=ConnectionRefusedError):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "broker": False}


@pytest.mark.django_db
def test_it_reports_503_when_the_database_is_unreachable(client):
    with mock.patch("config.health.connection.cursor", side_effect=RuntimeError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] is False
