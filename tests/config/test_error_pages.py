"""Error pages speak the visitor's language and say what to do next; none leaks details."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults
from django.views.csrf import csrf_failure


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "text"), [("sv", "Vi hittar inte sidan"), ("en", "We cannot find that page")])
def test_missing_pages_are_explained_in_the_visitors_language(client, language, text):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert text in response.content.decode()


@pytest.mark.django_db
def test_a_server_error_page_needs_nothing_but_the_template_and_is_translated():
    request = RequestFactory().get("/")
    with translation.override("sv"):
        response = defaults.server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert 'lang="sv"' in page and "Något gick fel hos oss" in page


@pytest.mark.django_db
def test_permission_and_bad_request_pages_are_translated(rf):
    request = rf.get("/")
    request.user = None
    with translation.override("sv"):
        forbidden = defaults.permission_denied(request, PermissionError("internal detail")).content.decode()
        bad = defaults.bad_request(request, ValueError("internal detail")).content.decode()
    assert "Du har inte tillgång till den här sidan" in forbidden and "internal detail" not in forbidden
    assert "Begäran kunde inte förstås" in bad and "internal detail" not in bad


@pytest.mark.django_db
def test_an_expired_form_is_explained(rf):
    with translation.override("en"):
        page = csrf_failure(rf.post("/"), reason="CSRF token missing").content.decode()
    assert "The form had expired" in page and "CSRF token missing" not in page
