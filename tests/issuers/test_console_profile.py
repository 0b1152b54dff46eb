import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from issuers.logos import LOGO_MAX_BYTES
from issuers.models import Role
from tests.factories import make_member

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Testskolan Norr", "description": "Vuxenutbildning.", "url": "testskolan.se", "email": "info@testskolan.se",
    "phone": "", "official_identifier": "212000-1234", "street_address": "Storgatan 1", "postal_code": "931 30",
    "locality": "Skellefteå", "region": "", "country_code": "se", "identity_kind": "https",
}


def png(size=(64, 64)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (31, 95, 139)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def owner_client(client, issuer):
    client.force_login(make_member(issuer, "ingrid", Role.OWNER).user)
    return client


def post(client, issuer, **changes):
    return client.post(reverse("console:profile", args=[issuer.slug]), {**VALID, **changes}, HTTP_ACCEPT_LANGUAGE="en")


def test_it_saves_the_profile_and_normalises_the_country_code(owner_client, issuer):
    response = post(owner_client, issuer, image=SimpleUploadedFile("logo.png", png(), "image/png"))
    assert response.status_code == 302
    issuer.refresh_from_db()
    assert (issuer.name, issuer.country_code, issuer.url) == ("Testskolan Norr", "SE", "https://testskolan.se")
    assert issuer.official_identifier == "212000-1234"
    assert issuer.image.name.endswith(".png")


@pytest.mark.parametrize("code", ["XX", "SWE", "EU", "1A"])
def test_it_explains_a_bad_country_code(owner_client, issuer, code):
    response = post(owner_client, issuer, country_code=code)
    assert response.status_code == 200
    page = response.content.decode()
    assert "ISO 3166-1 alpha-2" in page and 'href="#id_country_code"' in page
    issuer.refresh_from_db()
    assert issuer.country_code == "SE" and issuer.name == "Testskolan"


def test_it_requires_a_country_code(owner_client, issuer):
    response = post(owner_client, issuer, country_code="")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_it_refuses_an_oversized_logo_clearly(owner_client, issuer):
    big = SimpleUploadedFile("logo.png", png() + b"\0" * LOGO_MAX_BYTES, "image/png")
    response = post(owner_client, issuer, image=big)
    assert response.status_code == 200
    assert "the limit is 1.0\xa0MB" in response.content.decode()
    issuer.refresh_from_db()
    assert not issuer.image


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("logo.png", b"not an image at all"),
        ("logo.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    ],
)
def test_it_refuses_anything_but_png_or_jpeg_clearly(owner_client, issuer, name, content):
    response = post(owner_client, issuer, image=SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert "The logo must be a PNG or JPEG image" in response.content.decode()


def test_it_refuses_a_logo_with_huge_dimensions(owner_client, issuer):
    response = post(owner_client, issuer, image=SimpleUploadedFile("logo.png", png((5000, 10))))
    assert response.status_code == 200
    assert "The logo must be a PNG or JPEG image" in response.content.decode()


def test_it_keeps_the_slug_whatever_is_posted(owner_client, issuer):
    post(owner_client, issuer, slug="ny-adress")
    issuer.refresh_from_db()
    assert issuer.slug == "testskolan"


def stored_logo(issuer) -> bytes:
    issuer.refresh_from_db()
    with issuer.image.open("rb") as stored:
        return stored.read()


def test_a_photo_logo_is_stored_without_its_metadata(owner_client, issuer):
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x8825] = {2: (59.0, 20.0, 0.0), 4: (18.0, 4.0, 0.0)}  # GPSInfo: where the photo was taken
    photo = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(photo, format="JPEG", exif=exif)
    assert b"Camera maker" in photo.getvalue()

    response = post(owner_client, issuer, image=SimpleUploadedFile("logo.jpg", photo.getvalue(), "image/jpeg"))
    assert response.status_code == 302
    stored = stored_logo(issuer)
    assert b"Camera maker" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as logo:
        assert (logo.format, logo.size) == ("JPEG", (64, 48))
        assert not logo.getexif()
    assert issuer.image.name.endswith(".jpg")


def test_bytes_after_the_picture_and_text_chunks_are_not_stored(owner_client, issuer):
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Author", "Ingrid Persson, ingrid@example.org")
    drawn = io.BytesIO()
    Image.new("RGBA", (32, 32), (31, 95, 139, 128)).save(drawn, format="PNG", pnginfo=text)
    polyglot = drawn.getvalue() + b"<script>alert(1)</script>"

    response = post(owner_client, issuer, image=SimpleUploadedFile("logo.png", polyglot, "image/png"))
    assert response.status_code == 302
    stored = stored_logo(issuer)
    assert b"<script>" not in stored and b"ingrid@example.org" not in stored
    with Image.open(io.BytesIO(stored)) as logo:
        assert (logo.format, logo.mode, logo.size) == ("PNG", "RGBA", (32, 32))
        assert logo.getpixel((5, 5)) == (31, 95, 139, 128)  # the same picture


def test_a_truncated_logo_is_refused_clearly(owner_client, issuer):
    whole = io.BytesIO()
    Image.effect_noise((256, 256), 64).convert("RGB").save(whole, format="PNG")
    response = post(owner_client, issuer, image=SimpleUploadedFile("logo.png", whole.getvalue()[:-2000], "image/png"))
    assert response.status_code == 200
    assert "The logo must be a PNG or JPEG image" in response.content.decode()
    issuer.refresh_from_db()
    assert not issuer.image
