"""Evidence files: what kinds we accept, told apart by their content, never by their name, and where they are kept."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, ImageSequence

from kernel.errors import ApplicationError

# Sniffed MIME type -> the extension we store it under. Anything else (HTML, SVG, scripts, archives,
# executables, files we cannot recognise) is refused, whatever its name says.
DOCUMENTS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
VIDEOS = {"video/mp4": "mp4", "video/webm": "webm"}
ACCEPT_ATTRIBUTE = ",".join(f".{extension}" for extension in [*DOCUMENTS.values(), *VIDEOS.values()])
SNIFF_BYTES = 8192  # what filetype reads; enough for every signature above


@dataclass(frozen=True)
class SniffedFile:
    content_type: str
    extension: str
    size: int


def evidence_storage() -> Storage:
    """Where evidence files are kept: private, outside MEDIA_URL; they leave only through the gated downloads."""
    return storages["evidence"]


def max_bytes(*, video: bool) -> int:
    return (settings.EVIDENCE_VIDEO_MAX_MB if video else settings.EVIDENCE_MAX_MB) * 1024 * 1024


def sniff_upload(upload: UploadedFile) -> SniffedFile:
    """The upload's real type and size, or ApplicationError with a message the learner can act on."""
    if upload.size is None or upload.size == 0:
        raise ApplicationError("empty_file", _("The file is empty."))
    if upload.size > max_bytes(video=True):
        raise ApplicationError("file_too_large", _too_large(upload.size, video=True))
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    extension = DOCUMENTS.get(mime) or VIDEOS.get(mime)
    if extension is None:
        raise ApplicationError(
            "file_type",
            _(
                "We cannot accept this file. Upload a PDF, a picture (PNG, JPEG, GIF, WebP), an office "
                "document (Word, Excel, PowerPoint, OpenDocument) or a short video (MP4, WebM)."
            ),
        )
    video = mime in VIDEOS
    if upload.size > max_bytes(video=video):
        raise ApplicationError("file_too_large", _too_large(upload.size, video=video))
    return SniffedFile(content_type=mime, extension=extension, size=upload.size)


def _too_large(size: int, *, video: bool) -> str:
    return _("The file is %(actual)s; the limit is %(limit)s.") % {
        "actual": filesizeformat(size),
        "limit": filesizeformat(max_bytes(video=video)),
    }


# Pictures are drawn again before they are kept, which drops everything but the pixels: EXIF (the GPS
# position, the camera, the time), XMP, comments and text chunks. The orientation EXIF asked for is applied
# to the pixels first, so the picture still shows the right way up.
IMAGE_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WEBP"}
# Enough for a 40-megapixel photo; a larger picture (or a small file that claims to be one: a
# "decompression bomb") is refused before its pixels are read.
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_MAX_FRAMES = 500


def _image_refused() -> ApplicationError:
    return ApplicationError(
        "image_unreadable",
        _("We could not read this picture. Save it again (for example as a new PNG or JPEG) and upload it again."),
    )


def _frames_clean(image: Image.Image) -> list[Image.Image]:
    frames = []
    for frame in ImageSequence.Iterator(image):
        clean = ImageOps.exif_transpose(frame)  # a new image (the frame itself stays as read)
        # A new image of the same pixels carries none of the original's metadata.
        bare = Image.new(clean.mode, clean.size)
        if clean.mode == "P":
            bare.putpalette(clean.getpalette() or [])
        bare.paste(clean)
        if "transparency" in frame.info and clean.mode == "P":
            bare.info["transparency"] = frame.info["transparency"]
        bare.info["duration"] = frame.info.get("duration", 100)
        frames.append(bare)
    return frames


def image_metadata_strip(upload: UploadedFile, content_type: str) -> bytes:
    """The picture drawn again without its metadata, the way it is shown; ApplicationError if it cannot be.

    Raises for pictures larger than IMAGE_MAX_PIXELS (checked from the header, before decoding) and for
    any file Pillow cannot decode completely: we never keep a picture we could not clean.
    """
    fmt = IMAGE_FORMATS[content_type]
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=[fmt]) as image:
                width, height = image.size
                frame_count = getattr(image, "n_frames", 1)
                if width * height > IMAGE_MAX_PIXELS or width * height * frame_count > 4 * IMAGE_MAX_PIXELS:
                    raise ApplicationError(
                        "image_too_large",
                        _("The picture is %(width)d × %(height)d pixels; the limit is 40 megapixels. Make it "
                          "smaller and upload it again.") % {"width": width, "height": height},
                    )
                if frame_count > IMAGE_MAX_FRAMES:
                    raise _image_refused()
                icc_profile = image.info.get("icc_profile")
                loop = image.info.get("loop", 0)
                frames = _frames_clean(image)
    except ApplicationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ApplicationError(
            "image_too_large",
            _("The picture is larger than 40 megapixels. Make it smaller and upload it again."),
        ) from None
    except Exception:  # noqa: BLE001 - any decoder complaint means a picture we cannot clean, so we refuse it
        raise _image_refused() from None
    finally:
        upload.seek(0)
    first, rest = frames[0], frames[1:]
    options: dict[str, object] = {}
    if icc_profile and fmt in {"PNG", "JPEG", "WEBP"}:
        options["icc_profile"] = icc_profile  # colours, not personal data: kept so the picture looks the same
    if fmt == "JPEG":
        first = first.convert("RGB") if first.mode not in {"RGB", "L", "CMYK"} else first
        options["quality"] = 90
    if rest:
        options.update(save_all=True, append_images=rest, loop=loop,
                       duration=[frame.info["duration"] for frame in frames])
    buffer = io.BytesIO()
    try:
        first.save(buffer, format=fmt, **options)
    except (OSError, ValueError):
        raise _image_refused() from None
    return buffer.getvalue()
