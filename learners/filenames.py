"""File names people see: entries in the export ZIP and downloaded files.

Names keep their letters (å, ä, ö, ł, 中…): only what is unsafe in a file name on common systems is
replaced, and bidirectional control characters are dropped (they make "Intyg<U+202E>fdp.exe" read as
"Intygexe.pdf"). Windows' reserved device names (CON, NUL, COM1…) get a "_" in front. Downloads
name the file per RFC 6266 / RFC 5987: `filename*=UTF-8''…` for browsers that read it, and a plain
ASCII `filename="…"` for those that do not; every download of the platform (the wallet, evidence, the
dashboard's CSV, the REST API) is named by `attachment_header`.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from kernel.validation import bidi_controls_strip

# Path separators, characters Windows refuses, control characters; whitespace becomes "-" as well, so
# names stay easy to type in a terminal (the folders read "Samarbete-i-arbetsgrupp-<id>").
_UNSAFE = re.compile(r'[\s/\\:*?"<>|\x00-\x1f\x7f]+')


_WINDOWS_RESERVED = re.compile(r"(?:CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(?:\..*)?", re.IGNORECASE)


def file_name_safe(text: str, *, fallback: str = "file", max_length: int = 60) -> str:
    """`text` as one safe path segment: letters kept, unsafe characters replaced by "-"."""
    name = _UNSAFE.sub("-", bidi_controls_strip(unicodedata.normalize("NFC", text)))
    # Leading dots would hide the file; trailing dots and dashes are dropped by Windows or look broken.
    name = name.strip("-.")[:max_length].strip("-.")
    if _WINDOWS_RESERVED.fullmatch(name):
        name = f"_{name}"
    return name or fallback


def file_name_display(name: str) -> str:
    """The last part of an uploaded file's name, as shown back to people: no folders, no control or
    bidirectional characters (the name a browser sends may hold any of them)."""
    name = re.split(r"[/\\]", name)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", bidi_controls_strip(unicodedata.normalize("NFC", name)))
    return name.strip().lstrip(".")


def ascii_fallback(name: str) -> str:
    """The closest plain-ASCII name ("Grundläggande.zip" -> "Grundlaggande.zip") for old clients."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii")
    return re.sub(r'[^A-Za-z0-9._-]+', "-", ascii_only).strip("-.") or "download"


def attachment_header(filename: str) -> str:
    """A Content-Disposition value with both the ASCII fallback and the UTF-8 name (RFC 6266 section 4.3).

    Every download of the platform is named through here; the name is made one safe path segment first.
    """
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    filename = file_name_safe(stem, fallback="download", max_length=120)
    if extension:
        filename = f"{filename}.{file_name_safe(extension, fallback='bin', max_length=10)}"
    return f"attachment; filename=\"{ascii_fallback(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"
