import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "skip_link"), [("sv", "Hoppa till innehållet"), ("en", "Skip to content")])
def test_pages_follow_the_browser_language(client, language, skip_link):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    assert skip_link in response.content.decode()


def test_every_string_in_the_swedish_catalogue_is_translated():
    catalogue = (ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    untranslated = re.findall(r'\nmsgid "(.+)"\nmsgstr ""\n\n', catalogue)
    assert "#, fuzzy" not in catalogue
    assert untranslated == []
