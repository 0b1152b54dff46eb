"""File names people see: entries in the export ZIP and downloaded files.

Names keep their letters (å, ä, ö, ł, 中…): only what is unsafe in a file name on common systems is
replaced. Downloads name the file per RFC 6266 / RFC 5987: `filename*=UTF-8''…` for browsers that read
it, and a plain ASCII `filename="…"` for those that do not.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

# Path separators, characters Windows refuses, control characters; whitespace becomes "-" as well, so
# names stay easy to type in a terminal (the folders read "Samarbete-i-arbetsgrupp-<id>").
_UNSAFE = re.compile(r'[\s/\\:*?"<>|\x00-\x1f\x7f]+')


def file_name_safe(text: str, *, fallback: str = "file", max_length: int = 60) -> str:
    """`text` as one safe path segment: letters kept, unsafe characters replaced by "-"."""
    name = _UNSAFE.sub("-", unicodedata.normalize("NFC", text))
    # Leading dots would hide the file; trailing dots and dashes are dropped by Windows or look broken.
    name = name.strip("-.")[:max_length].strip("-.")
    return name or fallback


def ascii_fallback(name: str) -> str:
    """The closest plain-ASCII name ("Grundläggande.zip" -> "Grundlaggande.zip") for old clients."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii")
    return re.sub(r'[^A-Za-z0-9._-]+', "-", ascii_only).strip("-.") or "download"


def attachment_header(filename: str) -> str:
    """A Content-Disposition value with both the ASCII fallback and the UTF-8 name (RFC 6266 section 4.3)."""
    return f"attachment; filename=\"{ascii_fallback(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"
