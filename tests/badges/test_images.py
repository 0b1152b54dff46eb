import io

from defusedxml import ElementTree
from PIL import Image

from badges.achievements.images import default_badge_png, default_badge_svg, png_is_valid, svg_wrapping_png

SVG = "{http://www.w3.org/2000/svg}"


def test_the_default_png_is_a_square_badge():
    png = default_badge_png("Vårdsvenska: kommunikation med brukare", "#1f5f8b")
    assert png_is_valid(png)
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (512, 512)


def test_the_default_svg_carries_the_title_as_its_text_alternative():
    svg = ElementTree.fromstring(default_badge_svg('Samarbete i "arbetsgrupp" & <mer>', "#2e7d4f"))
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == 'Samarbete i "arbetsgrupp" & <mer>'
    assert svg.find(f"{SVG}title").text == 'Samarbete i "arbetsgrupp" & <mer>'


def test_long_titles_are_shortened_to_four_lines():
    svg = ElementTree.fromstring(default_badge_svg("ord " * 40, "#000000"))
    assert len(svg.findall(f".//{SVG}tspan")) == 4


def test_an_uploaded_png_gets_a_matching_svg():
    png = default_badge_png("X", "#123456")
    svg = ElementTree.fromstring(svg_wrapping_png(png, "X"))
    assert svg.get("width") == "512"
    assert svg.find(f"{SVG}image").get("href").startswith("data:image/png;base64,")


def test_it_tells_pngs_from_other_data():
    assert not png_is_valid(b"<svg/>")
