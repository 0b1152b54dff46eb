"""The shared checks on their own: public addresses, direction marks, lengths, file names, CSV cells, SVG."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from badges.achievements.image_uploads import ImageRefused, badge_image_from_upload
from badges.achievements.svg_safety import MAX_SVG_DEPTH, UnsafeSvg, svg_sanitise
from kernel.spreadsheets import spreadsheet_text
from kernel.validation import bidi_controls_refuse, public_url_validator, text_limit, url_is_public
from learners.filenames import attachment_header, file_name_display, file_name_safe
from tests.hostile import corpus


@pytest.mark.parametrize("url", corpus.PRIVATE_URLS)
def test_it_refuses_addresses_that_are_not_on_the_public_internet(url):
    assert not url_is_public(url)
    with pytest.raises(ValidationError) as refused:
        public_url_validator(url)
    assert refused.value.code == "url_not_public"


@pytest.mark.parametrize("url", [
    "https://www.skolverket.se/", "https://vo-college.se", "http://data.europa.eu/esco/skill/abc",
    "https://example.org/kurs?x=1", "https://[2001:4860:4860::8888]/", "https://8.8.8.8/",
    "https://xn--rksmrgs-5wao1o.se/",
])
def test_it_accepts_public_addresses(url):
    assert url_is_public(url)
    public_url_validator(url)


@pytest.mark.parametrize("url", ["ftp://example.org/", "javascript:alert(1)", "https://user:pw@example.org/",
                                 "https://example.org:notaport/", "https:///nohost"])
def test_it_refuses_addresses_that_are_no_web_links(url):
    assert not url_is_public(url)


def test_an_empty_address_is_left_to_the_field_being_optional():
    public_url_validator("")


@pytest.mark.parametrize("name", corpus.BIDI_NAMES)
def test_names_with_direction_marks_are_refused_with_a_clear_message(name):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        bidi_controls_refuse(name)
    assert refused.value.code == "bidi_control"
    with translation.override("en"):
        assert "direction of the text" in str(refused.value.message)


@pytest.mark.parametrize("name", ["Åsa Öberg", "محمد", "אברהם", "Łukasz", "中文名", "Ana-María O'Neil"])
def test_names_in_any_script_are_accepted(name):
    bidi_controls_refuse(name)


def test_a_text_limit_refuses_one_character_more():
    (validator,) = text_limit(10)["validators"]
    validator("x" * 10)
    with pytest.raises(ValidationError):
        validator("x" * 11)


@pytest.mark.parametrize("name", corpus.PATH_TRICKS)
def test_tricky_file_names_become_one_harmless_segment(name):
    safe = file_name_safe(name)
    assert safe and "/" not in safe and "\\" not in safe and "\x00" not in safe and not safe.startswith(".")
    assert "\u202e" not in safe and len(safe) <= 60
    assert safe.split(".")[0].upper() not in {"CON", "NUL", "PRN", "AUX"}
    shown = file_name_display(name)
    assert "/" not in shown and "\\" not in shown and "\x00" not in shown and "\u202e" not in shown
    header = attachment_header(name)
    assert header.startswith('attachment; filename="') and "\u202e" not in header
    assert "%E2%80%AE" not in header  # the override is not smuggled in percent-encoded either
    assert "/" not in header.split("filename*=")[1] and "\\" not in header and "\x00" not in header


def test_a_download_name_keeps_its_letters_and_loses_its_direction_override():
    assert attachment_header("Intyg\u202efdp.exe") == (
        "attachment; filename=\"Intygfdp.exe\"; filename*=UTF-8''Intygfdp.exe"
    )
    assert attachment_header("Grundläggande svetsning.pdf") == (
        "attachment; filename=\"Grundlaggande-svetsning.pdf\"; filename*=UTF-8''Grundl%C3%A4ggande-svetsning.pdf"
    )


@pytest.mark.parametrize("cell", corpus.CSV_FORMULAS)
def test_formula_cells_are_written_as_text(cell):
    assert spreadsheet_text(cell) == "'" + cell


def test_ordinary_cells_are_written_as_they_are():
    assert spreadsheet_text("Samarbete i arbetsgrupp") == "Samarbete i arbetsgrupp"
    assert spreadsheet_text(12) == "12"


# --- SVG ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", corpus.SVG_CORPUS)
def test_scripting_svg_comes_out_without_anything_that_runs(name):
    clean = svg_sanitise(corpus.SVG_CORPUS[name]).svg.decode().lower()
    for hostile in ("<script", "onload", "onclick", "onmouseover", "onbegin", "javascript:", "evil.example",
                    "foreignobject", "@import", "__pwned", "data:image/svg"):
        assert hostile not in clean, (name, hostile)
    assert "<circle" in clean  # the drawing itself is kept


@pytest.mark.parametrize("name", corpus.SVG_REFUSED)
def test_entity_tricks_and_explosive_svg_are_refused_with_a_reason(name):
    with pytest.raises(UnsafeSvg):
        svg_sanitise(corpus.SVG_REFUSED[name])
    with pytest.raises(ImageRefused) as refused:
        badge_image_from_upload(corpus.SVG_REFUSED[name])
    assert refused.value.code in {"svg_unreadable", "svg_too_complex"}


def test_nesting_is_allowed_up_to_the_limit_and_refused_beyond_it():
    svg_sanitise(corpus.svg_deep(MAX_SVG_DEPTH - 1))
    with pytest.raises(UnsafeSvg) as refused:
        svg_sanitise(corpus.svg_deep(MAX_SVG_DEPTH + 1))
    assert refused.value.code == "too_deep"


def test_a_5000_deep_svg_badge_is_refused_as_too_complex_not_a_crash():
    with translation.override("en"), pytest.raises(ImageRefused) as refused:
        badge_image_from_upload(corpus.svg_deep(5_000))
    assert refused.value.code == "svg_too_complex"
    assert "too complex" in refused.value.message


@pytest.mark.parametrize("name", corpus.PNG_REFUSED)
def test_png_bombs_and_broken_pngs_are_refused_as_badges(name):
    with pytest.raises(ImageRefused):
        badge_image_from_upload(corpus.PNG_REFUSED[name])


def test_imported_names_lose_their_direction_marks_for_display():
    from learners.services import _describe

    name, issuer, _identifier = _describe({
        "credentialSubject": {"achievement": {"name": "Svets\u202ening"}}, "issuer": {"name": "Skola\u2067n"},
    })
    assert (name, issuer) == ("Svetsning", "Skolan")


def test_an_animated_gif_keeps_its_frames_and_loses_its_comment():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from assessment.files import image_metadata_strip

    frames = [Image.new("RGB", (10, 10), colour) for colour in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], comment=b"secret-comment", duration=50)
    assert b"secret-comment" in out.getvalue()
    clean = image_metadata_strip(SimpleUploadedFile("a.gif", out.getvalue()), "image/gif")
    assert b"secret-comment" not in clean
    with Image.open(io.BytesIO(clean)) as image:
        assert image.n_frames == 3


def test_a_picture_claiming_gigapixels_is_refused_before_it_is_decoded():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    from assessment.files import image_metadata_strip
    from kernel.errors import ApplicationError

    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        image_metadata_strip(SimpleUploadedFile("bomb.png", corpus.png_bomb()), "image/png")
    assert refused.value.code == "image_too_large" and "40 megapixels" in refused.value.message
    with translation.override("en"), pytest.raises(ApplicationError) as refused:  # over our limit, under Pillow's
        image_metadata_strip(SimpleUploadedFile("big.png", corpus.png_bomb(8_000)), "image/png")
    assert "8000 × 8000 pixels" in refused.value.message


@pytest.mark.parametrize("name", ["deep-nesting", "huge-element-count"])
def test_baking_and_unbaking_walk_deep_or_huge_svg_without_recursing(name):
    from ob3.baking.svg import bake_svg, unbake_svg
    from ob3.errors import BakingError

    hostile = corpus.SVG_REFUSED[name] if name != "deep-nesting" else corpus.svg_deep(200_000)
    with pytest.raises(BakingError, match="no baked credential"):
        unbake_svg(hostile)
    baked = bake_svg(hostile, {"id": "urn:uuid:1"})
    assert unbake_svg(baked) == {"id": "urn:uuid:1"}


@pytest.mark.parametrize("name", ["xxe", "external-entity", "billion-laughs"])
def test_baking_refuses_entity_tricks(name):
    from ob3.baking.svg import unbake_svg
    from ob3.errors import BakingError

    with pytest.raises(BakingError):
        unbake_svg(corpus.SVG_REFUSED[name])
