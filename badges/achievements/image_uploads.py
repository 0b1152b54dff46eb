"""Checks for badge images uploaded in the designer: the type is read from the bytes, never the file name.

A PNG is limited in bytes and in pixels (a small file can still decompress into a huge image). An SVG is
sanitised (badges.svg_safety) and drawn to a PNG with resvg, so every badge can be baked in both formats.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import resvg_py
from django.utils.translation import gettext_lazy as _
from PIL import Image

from badges.achievements.svg_safety import UnsafeSvg, svg_sanitise
from kernel.errors import ApplicationError

MAX_PNG_BYTES = 1024 * 1024
MAX_PNG_SIDE = 2048
MIN_PNG_SIDE = 64
RENDERED_SIDE = 512
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# Largest upload read at all (a PNG may be this large, an SVG half of it).
MAX_UPLOAD_BYTES = MAX_PNG_BYTES

_MESSAGES = {
    "png_too_large": _("The PNG file is larger than 1 MB. Make it smaller and try again."),
    "png_too_wide": _("The PNG image is larger than 2048 × 2048 pixels. Make it smaller and try again."),
    "png_too_small": _("The PNG image is smaller than 64 × 64 pixels. Use a larger image."),
    "svg_too_large": _("The SVG file is larger than 512 kB. Simplify it and try again."),
    "svg_too_complex": _(
        "The SVG image is too complex: it has more than 20,000 elements or groups nested more than 64 deep. "
        "Simplify it in your drawing program and try again."
    ),
    "svg_unreadable": _("We could not read this SVG file. Save it again from your drawing program and try again."),
    "unknown_type": _("Upload a PNG or an SVG image."),
}

_SVG_REFUSALS = {"too_large": "svg_too_large", "too_deep": "svg_too_complex", "too_many_elements": "svg_too_complex"}


class ImageRefused(ApplicationError):
    """Why an upload cannot be used, in words for the person uploading it."""

    def __init__(self, code: str):
        super().__init__(code, str(_MESSAGES[code]))


@dataclass(frozen=True)
class BadgeImage:
    png: bytes
    svg: bytes | None  # the sanitised SVG when one was uploaded
    removed: tuple[str, ...] = ()  # parts of an uploaded SVG that were taken out


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg"))


def png_check(data: bytes) -> bytes:
    if len(data) > MAX_PNG_BYTES:
        raise ImageRefused("png_too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != "PNG":
                    raise ImageRefused("unknown_type")
                width, height = image.size
                if max(width, height) > MAX_PNG_SIDE:
                    raise ImageRefused("png_too_wide")
                if min(width, height) < MIN_PNG_SIDE:
                    raise ImageRefused("png_too_small")
                image.verify()
    except ImageRefused:
        raise
    except Exception:  # any decoder complaint means the file is not a PNG we can use
        raise ImageRefused("unknown_type") from None
    return data


def svg_to_png(svg: bytes) -> bytes:
    try:
        return bytes(resvg_py.svg_to_bytes(svg_string=svg.decode("utf-8"), width=RENDERED_SIDE))
    except (ValueError, UnicodeDecodeError):
        raise ImageRefused("svg_unreadable") from None


def badge_image_from_upload(data: bytes) -> BadgeImage:
    """A PNG (checked) or an SVG (sanitised, and drawn as a PNG); anything else is refused."""
    if data.startswith(PNG_SIGNATURE):
        return BadgeImage(png=png_check(data), svg=None)
    if _looks_like_svg(data):
        try:
            clean = svg_sanitise(data)
        except UnsafeSvg as refusal:
            raise ImageRefused(_SVG_REFUSALS.get(refusal.code, "svg_unreadable")) from None
        return BadgeImage(png=svg_to_png(clean.svg), svg=clean.svg, removed=clean.removed)
    raise ImageRefused("unknown_type")
