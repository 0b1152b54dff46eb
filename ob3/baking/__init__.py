"""Baking: carry a credential inside its badge image (OB 3.0 §5.3), PNG or SVG.

`bake`/`unbake` pick the format from the image bytes; `bake_png`, `bake_svg`, `unbake_png` and
`unbake_svg` work on one format. Every failure, including hostile or corrupt input, raises BakingError.
"""

from __future__ import annotations

from typing import Any

from ob3.baking.png import PNG_SIGNATURE, bake_png, unbake_png
from ob3.baking.svg import bake_svg, unbake_svg
from ob3.errors import BakingError

__all__ = ["bake", "bake_png", "bake_svg", "image_format", "unbake", "unbake_png", "unbake_svg"]

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def image_format(data: bytes) -> str:
    """'png' or 'svg', judged by content: the PNG signature, or XML markup (checked as SVG when parsed).

    Raises BakingError for anything else.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise BakingError(f"image data must be bytes, not {type(data).__name__}")
    head = bytes(data[:64])
    if head.startswith(PNG_SIGNATURE):
        return "png"
    for bom in _BOMS:
        if head.startswith(bom):
            return "svg"
    if head.lstrip(b" \t\r\n").startswith(b"<"):
        return "svg"
    raise BakingError("not a PNG or SVG image")


def bake(image: bytes, credential: dict[str, Any] | str) -> bytes:
    """Bake `credential` into a PNG or SVG `image` (detected by content), with the default limits."""
    if image_format(image) == "png":
        return bake_png(image, credential)
    return bake_svg(image, credential)


def unbake(data: bytes) -> dict[str, Any] | str:
    """The credential baked into a PNG or SVG (detected by content): a dict for JSON, a str for a JWS.

    An SVG must be XML whose root element is `<svg>`; anything else raises BakingError.
    """
    if image_format(data) == "png":
        return unbake_png(data)
    return unbake_svg(data)
