"""What the designer does with bad input: a clear message, nothing half-saved, never a 500."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from badges.achievements.image_uploads import ImageRefused, badge_image_from_upload
from badges.achievements.svg_safety import UnsafeSvg, svg_sanitise
from badges.models import Achievement
from issuers.models import Role
from tests.badges.test_console_designer_access import definition_data
from tests.factories import make_draft, make_member

pytestmark = pytest.mark.django_db

HOSTILE_SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="200"
     onload="alert('svg')">
  <script>alert(1)</script>
  <style>@import url(https://evil.example/x.css);</style>
  <circle cx="100" cy="100" r="80" fill="#1f5f8b" onclick="steal()" style="fill: url(https://evil.example/p)"/>
  <image xlink:href="https://evil.example/track.png" width="10" height="10"/>
  <use href="https://evil.example/sprite.svg#a"/>
  <foreignObject width="100" height="100"><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>
  <a href="javascript:alert(1)"><text x="10" y="20">click</text></a>
  <text x="100" y="110" text-anchor="middle" fill="#fff">Badge</text>
</svg>"""


def png(width=256, height=256) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (31, 95, 139)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def designer(issuer):
    return make_member(issuer, "dora", Role.DESIGNER).user


@pytest.fixture
def draft(issuer):
    return make_draft(issuer)


def post_edit(client, issuer, draft, **changes):
    url = reverse("achievements_console:edit", args=[issuer.slug, draft.public_id])
    return client.post(url, definition_data(draft, **changes))


# --- the SVG sanitiser on its own ------------------------------------------------------------------------
def test_it_removes_scripts_handlers_external_references_and_foreign_objects():
    clean = svg_sanitise(HOSTILE_SVG)
    text = clean.svg.decode()
    for hostile in ("script", "onload", "onclick", "evil.example", "foreignObject", "javascript", "@import", "<a "):
        assert hostile not in text
    assert "<circle" in text and "Badge" in text
    assert {"script", "onload", "onclick", "foreignObject", "href", "style", "a"} <= set(clean.removed)


def test_it_keeps_links_inside_the_document_and_embedded_pngs():
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
           b'<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>'
           b'<rect width="10" height="10" fill="url(#g)"/><use xlink:href="#g"/>'
           b'<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/></svg>')
    clean = svg_sanitise(svg)
    assert clean.removed == ()
    assert b'fill="url(#g)"' in clean.svg and b"#g" in clean.svg and b"data:image/png" in clean.svg


@pytest.mark.parametrize("data", [
    b"not xml at all",
    b'<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
    b'<!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
])
def test_it_refuses_what_is_no_usable_svg(data):
    with pytest.raises(UnsafeSvg):
        svg_sanitise(data)


def test_uploads_are_recognised_by_their_bytes_not_their_name():
    with pytest.raises(ImageRefused) as refusal:
        badge_image_from_upload(b"GIF89a" + b"\0" * 100)
    assert refusal.value.code == "unknown_type"
    image = badge_image_from_upload(HOSTILE_SVG)
    assert image.png.startswith(b"\x89PNG") and image.svg is not None


# --- through the designer page ---------------------------------------------------------------------------
def test_a_hostile_svg_is_cleaned_and_the_designer_is_told(client, issuer, designer, draft):
    client.force_login(designer)
    upload = SimpleUploadedFile("badge.png", HOSTILE_SVG, content_type="image/png")  # the name lies
    response = post_edit(client, issuer, draft, image_upload=upload)
    assert response.status_code == 302
    draft.refresh_from_db()
    svg = draft.image_svg.read().decode()
    assert "script" not in svg and "evil.example" not in svg and "onload" not in svg
    assert draft.image.read().startswith(b"\x89PNG")
    shown = [str(m) for m in response.wsgi_request._messages]
    assert any("removed parts of the SVG" in m for m in shown)


def test_a_png_upload_replaces_the_image_and_gets_an_svg_wrapper(client, issuer, designer, draft):
    client.force_login(designer)
    response = post_edit(client, issuer, draft, image_upload=SimpleUploadedFile("b.png", png(), "image/png"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.image.read() == png()
    assert b"data:image/png;base64," in draft.image_svg.read()


@pytest.mark.parametrize(("data", "message"), [
    (png(4000, 300), "larger than 2048 × 2048 pixels"),
    (png(32, 32), "smaller than 64 × 64 pixels"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * (1024 * 1024 + 1), "larger than 1 MB"),
    (b"\x89PNG\r\n\x1a\n broken", "Upload a PNG or an SVG image."),
    (b"%PDF-1.7", "Upload a PNG or an SVG image."),
])
def test_unusable_images_are_refused_with_a_clear_message_and_nothing_changes(
    client, issuer, designer, draft, data, message
):
    client.force_login(designer)
    before = draft.image.name
    response = post_edit(
        client, issuer, draft, name="Nytt namn", image_upload=SimpleUploadedFile("x.png", data, "image/png")
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'class="error-summary"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.image.name == before and draft.name != "Nytt namn"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("occupation_uris", "https://example.org/job", "not an ESCO occupation address"),
    ("eqf_level", "9", "Select a valid choice"),
    ("workload_hours", "-3", "greater than or equal to 0"),
    ("credit_unit", "other", "Write the name of the unit"),
    ("colour", "blue", "Use a hex colour"),
    ("assessment_types", "hacking", "Select a valid choice"),
])
def test_bad_definition_values_get_a_message(client, issuer, designer, draft, field, value, message):
    client.force_login(designer)
    response = post_edit(client, issuer, draft, **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_https_esco_occupations_are_stored_as_the_canonical_http_address(client, issuer, designer, draft):
    client.force_login(designer)
    uri = "https://data.europa.eu/esco/occupation/abc-123"
    assert post_edit(client, issuer, draft, occupation_uris=uri).status_code == 302
    draft.refresh_from_db()
    assert draft.occupation_uris == ["http://data.europa.eu/esco/occupation/abc-123"]


def outcome_data(**changes):
    data = {
        "statement": "Planera en arbetsdag tillsammans med kollegor.",
        "kind": "skill",
        "esco_skill_uri": "http://data.europa.eu/esco/skill/abc",
        "assessment_criteria": "Handledaren observerar.",
        "levels-TOTAL_FORMS": "4", "levels-INITIAL_FORMS": "0", "levels-MIN_NUM_FORMS": "0",
        "levels-MAX_NUM_FORMS": "8",
        "levels-0-name": "Inte än", "levels-0-description": "Behöver stöd.",
        "levels-1-name": "Godkänd", "levels-1-description": "Gör det själv.", "levels-1-is_pass_level": "on",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(("changes", "message"), [
    ({"esco_skill_uri": "https://example.org/skill"}, "not an ESCO skill address"),
    ({"statement": ""}, "This field is required"),
    ({"levels-0-is_pass_level": "on"}, "Mark only one level"),
    ({"levels-2-description": "Utan namn"}, "Give the level a name"),
    ({"levels-TOTAL_FORMS": "not a number"}, "ManagementForm data is missing or has been tampered with"),
])
def test_bad_outcomes_get_a_message_and_are_not_saved(client, issuer, designer, draft, changes, message):
    client.force_login(designer)
    before = draft.learning_outcomes.count()
    response = client.post(
        reverse("achievements_console:outcome-new", args=[issuer.slug, draft.public_id]), outcome_data(**changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert draft.learning_outcomes.count() == before


def test_only_drafts_open_in_the_editor(client, issuer, designer):
    from tests.factories import make_achievement

    published = make_achievement(issuer)
    client.force_login(designer)
    response = client.get(reverse("achievements_console:edit", args=[issuer.slug, published.public_id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("achievements_console:detail", args=[issuer.slug, published.public_id])
    response = client.post(reverse("achievements_console:outcome-new", args=[issuer.slug, published.public_id]),
                           outcome_data())
    assert response.status_code == 302
    assert Achievement.objects.get(pk=published.pk).learning_outcomes.count() == 1


def test_a_bad_move_direction_is_a_400(client, issuer, designer, draft):
    client.force_login(designer)
    outcome = draft.learning_outcomes.first()
    url = reverse("achievements_console:outcome-move", args=[issuer.slug, draft.public_id, outcome.public_id])
    assert client.post(url, {"direction": "sideways"}).status_code == 400
