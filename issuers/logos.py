"""An issuer's logo: the limits, shared by the console form and the profile service, and the clean copy that
is stored.

The logo is public and goes into every credential's issuer Profile, so what is stored is the picture drawn
again from its pixels: a photo's EXIF can say where and when it was taken and by which device, and bytes
after the image's end (a polyglot file) would otherwise be served as they came.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO

from PIL import Image, UnidentifiedImageError

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_SIDE = 4096
# Pillow format name -> file extension. Both render everywhere a Profile image is shown.
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg"}


@dataclass(frozen=True)
class CleanLogo:
    format: str  # a key of LOGO_FORMATS
    content: bytes

    @property
    def extension(self) -> str:
        return LOGO_FORMATS[self.format]


def logo_clean(file: IO[bytes]) -> CleanLogo | None:
    """The logo drawn again without metadata; None for anything but an intact PNG or JPEG within the limits
    (the side is checked from the header, before any pixel is decoded). Leaves the file at 0."""
    try:
        with Image.open(file, formats=list(LOGO_FORMATS)) as image:
            fmt, (width, height) = image.format, image.size
            if fmt not in LOGO_FORMATS or max(width, height) > LOGO_MAX_SIDE:
                return None
            image.load()  # decodes everything: a truncated or corrupt file fails here, not when shown
            return CleanLogo(format=fmt, content=_redrawn(image, fmt))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        file.seek(0)


def _redrawn(image: Image.Image, fmt: str) -> bytes:
    options: dict[str, object] = {}
    if icc_profile := image.info.get("icc_profile"):
        options["icc_profile"] = icc_profile  # colours, not personal data: kept so the logo looks the same
    if fmt == "JPEG":
        image = image.convert("RGB") if image.mode not in {"RGB", "L", "CMYK"} else image
        options["quality"] = 90
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()
