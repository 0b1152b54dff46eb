"""Limits for an issuer's logo, shared by the console form and the profile service."""

from __future__ import annotations

from typing import IO

from PIL import Image, UnidentifiedImageError

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_SIDE = 4096
# Pillow format name -> file extension. Both render everywhere a Profile image is shown.
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg"}


def logo_format(file: IO[bytes]) -> str | None:
    """The Pillow format of an allowed, intact logo; None for anything else. Leaves the file at 0."""
    try:
        with Image.open(file) as image:
            image.verify()
            fmt, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        file.seek(0)
    if fmt not in LOGO_FORMATS or max(width, height) > LOGO_MAX_SIDE:
        return None
    return fmt
