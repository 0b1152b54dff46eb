import pytest

from notifications.models import NotificationSettings
from notifications.sending import language_for
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_person_chooses_a_daily_email_and_their_language(client):
    amina = make_user("amina")
    client.force_login(amina)
    page = client.get("/accounts/notifications/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "E-mail settings" in page.content.decode()
    answer = client.post("/accounts/notifications/", {"delivery": "daily", "language": "en"})
    assert answer.status_code == 302
    chosen = NotificationSettings.objects.get(user=amina)
    assert (chosen.delivery, chosen.language, chosen.language_chosen) == ("daily", "en", True)


def test_the_language_follows_the_sign_in_until_one_is_chosen(client):
    amina = make_user("amina")
    client.post("/accounts/login/", {"login": "amina", "password": "correct-horse-battery"},
                HTTP_ACCEPT_LANGUAGE="en")
    assert language_for(amina) == "en"
    NotificationSettings.objects.filter(user=amina).update(language="sv", language_chosen=True)
    client.logout()
    client.post("/accounts/login/", {"login": "amina", "password": "correct-horse-battery"},
                HTTP_ACCEPT_LANGUAGE="en")
    assert language_for(amina) == "sv"


def test_visitors_are_sent_to_sign_in(client):
    assert client.get("/accounts/notifications/")["Location"].startswith("/accounts/login/")
