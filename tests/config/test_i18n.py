from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "skip_link"), [("sv", "Hoppa till innehållet"), ("en", "Skip to content")])
def test_pages_follow_the_browser_language(client, language, skip_link):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    assert skip_link in response.content.decode()


SWEDISH_CATALOGUES = sorted([*ROOT.glob("locale/sv/LC_MESSAGES/*.po"), *ROOT.glob("*/locale/sv/LC_MESSAGES/*.po")])


def test_there_is_a_swedish_catalogue():
    assert ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po" in SWEDISH_CATALOGUES


@pytest.mark.parametrize("path", SWEDISH_CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_string_in_the_swedish_catalogues_is_translated(path):
    with path.open("rb") as po_file:
        catalogue = read_po(po_file, locale="sv")
    messages = [m for m in catalogue if m.id]
    assert messages, "an empty catalogue"
    assert [m.id for m in messages if m.fuzzy] == []
    strings = [m.string if isinstance(m.string, tuple) else (m.string,) for m in messages]
    assert [m.id for m, s in zip(messages, strings, strict=True) if not all(s)] == []
