"""Badge images: a generated default (PNG and matching SVG) and an SVG wrapper for uploaded PNGs.

Bytes in, bytes out; storing them is the caller's business.
"""

from __future__ import annotations

import base64
import io
import textwrap
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

SIZE = 512
_MARGIN = 40
_MAX_LINES = 4
_LINE_WIDTH = 16  # characters; the title is wrapped to fit the circle


def _lines(title: str) -> list[str]:
    lines = textwrap.wrap(title, width=_LINE_WIDTH) or [""]
    if len(lines) > _MAX_LINES:
        lines = [*lines[: _MAX_LINES - 1], lines[_MAX_LINES - 1][: _LINE_WIDTH - 1] + "…"]
    return lines


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def default_badge_png(title: str, colour: str) -> bytes:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), fill=_rgb(colour), outline=(255, 255, 255), width=12)
    font = ImageFont.load_default(size=40)
    lines = _lines(title)
    line_height = 50
    top = SIZE / 2 - line_height * len(lines) / 2
    for index, line in enumerate(lines):
        draw.text(
            (SIZE / 2, top + index * line_height + line_height / 2),
            line,
            font=font,
            fill=(255, 255, 255),
            anchor="mm",
        )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def default_badge_svg(title: str, colour: str) -> bytes:
    lines = _lines(title)
    line_height = 50
    top = SIZE / 2 - line_height * len(lines) / 2 + line_height / 2
    texts = "".join(
        f'<tspan x="{SIZE // 2}" y="{top + index * line_height:.0f}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}" '
        f'role="img" aria-label="{escape(title, {chr(34): "&quot;"})}">'
        f"<title>{escape(title)}</title>"
        f'<circle cx="{SIZE // 2}" cy="{SIZE // 2}" r="{SIZE // 2 - 14}" fill="{colour}" stroke="#ffffff" '
        f'stroke-width="12"/>'
        f'<text font-family="DejaVu Sans, Verdana, sans-serif" font-size="40" fill="#ffffff" '
        f'text-anchor="middle" dominant-baseline="middle">{texts}</text>'
        "</svg>"
    )
    return svg.encode("utf-8")


def svg_wrapping_png(png: bytes, title: str) -> bytes:
    """An SVG that shows an uploaded PNG, so a badge can be baked in both formats."""
    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    data = base64.b64encode(png).decode("ascii")
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title, {chr(34): "&quot;"})}"><title>{escape(title)}</title>'
        f'<image width="{width}" height="{height}" href="data:image/png;base64,{data}"/></svg>'
    )
    return svg.encode("utf-8")


def png_is_valid(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return image.format == "PNG"
    except Exception:
        return False
