"""Bake and unbake credentials in PNG images (OB 3.0 §5.3.1).

The credential goes into one uncompressed `iTXt` chunk with keyword `openbadgecredential`, inserted
just before `IEND`. Every other chunk is copied byte for byte: the image is never decoded.

This module also holds the text payload rules shared with SVG (`credential_text`, `parse_credential_text`).
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from dataclasses import dataclass
from typing import Any

from ob3.errors import BakingError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = b"openbadgecredential"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_CHUNKS = 10_000

_MAX_CHUNK_LENGTH = 2**31 - 1  # PNG spec: lengths above this are invalid
_CHUNK_TYPE = re.compile(rb"[A-Za-z]{4}")
_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
# Code points JSON may carry raw but UTF-8 or XML 1.0 cannot: lone surrogates, U+FFFE, U+FFFF.
_UNENCODABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")


# --- the text payload (shared with SVG) --------------------------------------------------------------
def credential_text(credential: dict[str, Any] | str) -> str:
    """The text to bake: compact JSON for a credential object, or the compact JWS string unchanged.

    JSON is written with `ensure_ascii=False` and separators `(",", ":")` (no spaces), so it is short and
    UTF-8. Code points that UTF-8 or XML cannot carry are written as `\\uXXXX` escapes, which JSON reads
    back to the same string.
    """
    if isinstance(credential, str):
        if not _COMPACT_JWS.fullmatch(credential):
            raise BakingError(
                "a credential given as a string must be a compact JWS (header.payload.signature); "
                "pass a JSON credential as a dict"
            )
        return credential
    if not isinstance(credential, dict):
        raise BakingError(f"credential must be a dict or a compact JWS string, not {type(credential).__name__}")
    try:
        text = json.dumps(credential, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise BakingError(f"credential cannot be written as JSON: {exc}") from None
    return _UNENCODABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def parse_credential_text(text: str, *, source: str) -> dict[str, Any] | str:
    """Inverse of `credential_text`: a JSON object becomes a dict, a compact JWS stays a string."""
    text = text.strip()
    if text.startswith(("{", "[")):
        try:
            value = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise BakingError(f"{source}: the baked credential is not valid JSON: {exc}") from None
        if not isinstance(value, dict):
            raise BakingError(f"{source}: the baked credential is not a JSON object")
        return value
    if _COMPACT_JWS.fullmatch(text):
        return text
    raise BakingError(f"{source}: the baked credential is neither a JSON object nor a compact JWS")


# --- chunks -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Chunk:
    type: bytes
    start: int  # offset of the length field
    end: int  # offset just past the CRC

    def data(self, image: bytes) -> bytes:
        return image[self.start + 8 : self.end - 4]


def _as_bytes(image: object) -> bytes:
    if not isinstance(image, bytes | bytearray | memoryview):
        raise BakingError(f"PNG data must be bytes, not {type(image).__name__}")
    return bytes(image)


def _read_chunks(image: bytes, *, max_bytes: int, max_chunks: int) -> list[_Chunk]:
    """Split a PNG into chunks, checking the signature, every length and CRC, and IHDR…IEND order."""
    if len(image) > max_bytes:
        raise BakingError(f"PNG is {len(image)} bytes; the limit is {max_bytes}")
    if not image.startswith(PNG_SIGNATURE):
        raise BakingError("not a PNG image: the PNG signature is missing")
    chunks: list[_Chunk] = []
    pos = len(PNG_SIGNATURE)
    while True:
        if len(chunks) >= max_chunks:
            raise BakingError(f"PNG has more than {max_chunks} chunks")
        if pos + 12 > len(image):
            raise BakingError(f"PNG is truncated: incomplete chunk header at byte {pos}")
        (length,) = struct.unpack(">I", image[pos : pos + 4])
        chunk_type = image[pos + 4 : pos + 8]
        if length > _MAX_CHUNK_LENGTH:
            raise BakingError(f"PNG chunk at byte {pos} declares an invalid length {length}")
        if not _CHUNK_TYPE.fullmatch(chunk_type):
            raise BakingError(f"PNG chunk at byte {pos} has an invalid type {chunk_type!r}")
        end = pos + 12 + length
        if end > len(image):
            raise BakingError(f"PNG is truncated: chunk {chunk_type.decode()} at byte {pos} runs past the end")
        (crc,) = struct.unpack(">I", image[end - 4 : end])
        if zlib.crc32(image[pos + 4 : end - 4]) != crc:
            raise BakingError(f"PNG is corrupt: CRC mismatch in chunk {chunk_type.decode()} at byte {pos}")
        chunk = _Chunk(chunk_type, pos, end)
        if not chunks and chunk_type != b"IHDR":
            raise BakingError("PNG is corrupt: the first chunk is not IHDR")
        chunks.append(chunk)
        pos = end
        if chunk_type == b"IEND":
            break
    if pos != len(image):
        raise BakingError(f"PNG has {len(image) - pos} unexpected bytes after IEND")
    return chunks


def _keyword(chunk: _Chunk, image: bytes) -> bytes | None:
    """The keyword of an iTXt chunk, or None for any other chunk."""
    if chunk.type != b"iTXt":
        return None
    return chunk.data(image).split(b"\0", 1)[0]


def _itxt_text(data: bytes) -> str:
    """The text of an `openbadgecredential` iTXt chunk, which must be uncompressed."""
    parts = data.split(b"\0", 1)
    if len(parts) != 2 or len(parts[1]) < 2:
        raise BakingError("PNG iTXt chunk 'openbadgecredential' is truncated")
    rest = parts[1]
    flag, method = rest[0], rest[1]
    if flag == 1:
        raise BakingError("PNG iTXt chunk 'openbadgecredential' is compressed; OB 3.0 forbids compression")
    if flag != 0 or method != 0:
        raise BakingError(
            f"PNG iTXt chunk 'openbadgecredential' has an invalid compression flag/method {flag}/{method}"
        )
    fields = rest[2:].split(b"\0", 2)  # language tag, translated keyword, text
    if len(fields) != 3:
        raise BakingError("PNG iTXt chunk 'openbadgecredential' is truncated")
    try:
        return fields[2].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BakingError(f"PNG iTXt chunk 'openbadgecredential' is not valid UTF-8: {exc}") from None


def _itxt_chunk(text: str) -> bytes:
    body = b"iTXt" + KEYWORD + b"\0\0\0\0\0" + text.encode("utf-8")
    if len(body) - 4 > _MAX_CHUNK_LENGTH:
        raise BakingError("credential is too large for a PNG chunk")
    return struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))


# --- public API ---------------------------------------------------------------------------------------
def bake_png(
    image: bytes,
    credential: dict[str, Any] | str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_chunks: int = DEFAULT_MAX_CHUNKS,
) -> bytes:
    """Return `image` with `credential` baked in, replacing any credential already there.

    All other chunks are copied unchanged; the new `iTXt` chunk goes just before `IEND`.
    Raises BakingError for an invalid, corrupt or oversized PNG, or an unbakeable credential.
    """
    text = credential_text(credential)
    image = _as_bytes(image)
    chunks = _read_chunks(image, max_bytes=max_bytes, max_chunks=max_chunks)
    kept = [image[c.start : c.end] for c in chunks[:-1] if _keyword(c, image) != KEYWORD]
    iend = chunks[-1]
    return b"".join([PNG_SIGNATURE, *kept, _itxt_chunk(text), image[iend.start : iend.end]])


def unbake_png(
    image: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_chunks: int = DEFAULT_MAX_CHUNKS
) -> dict[str, Any] | str:
    """The credential baked into a PNG: a dict (JSON) or a compact JWS string.

    Takes the first `openbadgecredential` iTXt chunk. Raises BakingError when there is none, when it is
    compressed or malformed, or when the PNG itself is invalid, corrupt or oversized.
    """
    image = _as_bytes(image)
    chunks = _read_chunks(image, max_bytes=max_bytes, max_chunks=max_chunks)
    for chunk in chunks:
        if _keyword(chunk, image) == KEYWORD:
            return parse_credential_text(_itxt_text(chunk.data(image)), source="PNG")
    raise BakingError("PNG has no baked credential (no 'openbadgecredential' iTXt chunk)")
