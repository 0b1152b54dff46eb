"""Evidence files: what kinds we accept, told apart by their content, never by their name, and where they are kept."""

from __future__ import annotations

from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

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
