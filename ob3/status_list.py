"""W3C Bitstring Status List v1.0: the bitstring, its encoding, and the status list credential.

A status list is a `bytearray`; bit 0 is the left-most (most significant) bit of byte 0. A set bit
means the status (e.g. "revoked") applies to the credential that holds that index. The published
form is `encodedList` = multibase base64url (`u`, no padding) of the GZIP of the bytes.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import random
import re
import zlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ob3.build import STATUS_PURPOSES, format_datetime
from ob3.documents import VC_V2
from ob3.errors import Ob3Error
from ob3.model import Profile
from ob3.values import as_list

MIN_BITS = 131_072  # 16 KiB: the REC's minimum, so a list gives herd privacy
MAX_DECODED_BYTES = 16 * 1024 * 1024  # decompression cap against GZIP bombs
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}")
_RANDOM_TRIES = 64


class StatusListError(Ob3Error):
    """A status list that is malformed, too small, full, or read at an index it does not have."""


def new_status_list(size: int = MIN_BITS) -> bytearray:
    """An all-zero list of `size` bits; `size` must be a multiple of 8 and at least 131,072."""
    if size < MIN_BITS:
        raise StatusListError(f"a status list needs at least {MIN_BITS} entries, not {size}")
    if size % 8:
        raise StatusListError(f"status list size {size} is not a whole number of bytes")
    return bytearray(size // 8)


def _check_index(bits: bytes | bytearray, index: int) -> None:
    if isinstance(index, bool) or not isinstance(index, int):
        raise StatusListError(f"status list index must be an int, got {index!r}")
    if not 0 <= index < len(bits) * 8:
        raise StatusListError(f"index {index} is outside the {len(bits) * 8}-entry status list")


def get_bit(bits: bytes | bytearray, index: int) -> bool:
    """Whether bit `index` is set (bit 0 = most significant bit of byte 0)."""
    _check_index(bits, index)
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_bit(bits: bytearray, index: int, value: bool = True) -> None:
    """Set (or with `value=False`, clear) bit `index` in place."""
    _check_index(bits, index)
    mask = 0x80 >> (index % 8)
    if value:
        bits[index // 8] |= mask
    else:
        bits[index // 8] &= ~mask & 0xFF


def encode_list(bits: bytes | bytearray) -> str:
    """The `encodedList` value: `"u"` + base64url without padding of the GZIP of `bits`.

    Deterministic: the GZIP header carries mtime 0, XFL 0 and OS byte 255 ("unknown"). With the
    default level 6 this is byte-identical to Java's GZIPOutputStream (the 1EdTech validator's list).
    """
    compressed = bytearray(gzip.compress(bytes(bits), compresslevel=6, mtime=0))
    # Trap: depending on the Python version the OS byte is 255 or the build platform's code (3 on
    # Unix); pin it so the same list encodes identically everywhere.
    compressed[9] = 0xFF
    return "u" + base64.urlsafe_b64encode(bytes(compressed)).decode("ascii").rstrip("=")


def decode_list(encoded: object) -> bytes:
    """The bitstring inside an `encodedList`. Rejects bad encodings and output over 16 MiB."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise StatusListError("encodedList must be a multibase base64url string starting with 'u'")
    text = encoded[1:]
    if not _BASE64URL.fullmatch(text):
        raise StatusListError("encodedList contains characters outside base64url")
    text = text.rstrip("=")
    try:
        compressed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise StatusListError(f"encodedList is not valid base64url: {exc}") from None
    inflater = zlib.decompressobj(wbits=31)  # 31 = GZIP wrapper only; checks CRC and length
    try:
        bits = inflater.decompress(compressed, MAX_DECODED_BYTES + 1)
    except zlib.error as exc:
        raise StatusListError(f"encodedList is not valid GZIP data: {exc}") from None
    if len(bits) > MAX_DECODED_BYTES:
        raise StatusListError(f"encodedList expands to more than {MAX_DECODED_BYTES} bytes")
    if not inflater.eof:
        raise StatusListError("encodedList GZIP data is truncated")
    if inflater.unused_data:
        raise StatusListError("encodedList has data after the GZIP stream")
    if not bits:
        raise StatusListError("encodedList decodes to an empty status list")
    return bits


def random_free_index(bits: bytes | bytearray, rng: random.Random) -> int:
    """A uniformly random index whose bit is 0, so the position reveals nothing about issue order.

    `bits` must be an *allocation* map (1 = index already given to a credential) with the same
    layout, not the published status bits: an unrevoked credential's status bit is 0 as well.
    Pass `random.SystemRandom()` in production; tests inject a seeded `random.Random`.
    """
    size = len(bits) * 8
    if size == 0:
        raise StatusListError("the status list is empty")
    for _ in range(_RANDOM_TRIES):
        index = rng.randrange(size)
        if not get_bit(bits, index):
            return index
    # Nearly full: pick uniformly among what is left instead of retrying forever.
    free = [i for i in range(size) if not bits[i // 8] & (0x80 >> (i % 8))]
    if not free:
        raise StatusListError(f"all {size} status list indexes are allocated")
    return rng.choice(free)


def build_status_list_credential(
    *,
    id: str,
    issuer: Profile,
    valid_from: datetime,
    encoded_list: str,
    status_purpose: str = "revocation",
    valid_until: datetime | None = None,
) -> dict[str, Any]:
    """The unsigned BitstringStatusListCredential that entries' `statusListCredential` points at.

    Only the VC v2 context is used; it defines every term here. The issuer is written as its id
    string because `Profile` is an OB term the VC v2 context does not define.
    """
    if status_purpose not in STATUS_PURPOSES:
        raise StatusListError(f"status_purpose {status_purpose!r} is not one of {STATUS_PURPOSES}")
    size = len(decode_list(encoded_list)) * 8
    if size < MIN_BITS:
        raise StatusListError(f"encoded_list has {size} entries; the minimum is {MIN_BITS}")
    credential: dict[str, Any] = {
        "@context": [VC_V2],
        "id": id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.id,
        "validFrom": format_datetime(valid_from, "validFrom"),
    }
    if valid_until is not None:
        credential["validUntil"] = format_datetime(valid_until, "validUntil")
    credential["credentialSubject"] = {
        "id": f"{id}#list",
        "type": "BitstringStatusList",
        "statusPurpose": status_purpose,
        "encodedList": encoded_list,
    }
    return credential


def status_of(
    status_list_credential: Mapping[str, Any], index: int | str, status_purpose: str | None = None
) -> bool:
    """Whether the status at `index` is set in a (proof-checked) BitstringStatusListCredential.

    `index` may be the entry's `statusListIndex` string. With `status_purpose`, the list must
    declare that purpose. Checking the list credential's proof and validity is the caller's job.
    """
    if "BitstringStatusListCredential" not in as_list(status_list_credential.get("type")):
        raise StatusListError("not a BitstringStatusListCredential")
    subject = status_list_credential.get("credentialSubject")
    if not isinstance(subject, Mapping) or "BitstringStatusList" not in as_list(subject.get("type")):
        raise StatusListError("credentialSubject is not a BitstringStatusList")
    if status_purpose is not None and status_purpose not in as_list(subject.get("statusPurpose")):
        raise StatusListError(
            f"status list purpose {subject.get('statusPurpose')!r} does not match {status_purpose!r}"
        )
    if isinstance(index, str):
        if not index.isascii() or not index.isdigit():
            raise StatusListError(f"statusListIndex {index!r} is not a decimal integer")
        index = int(index)
    return get_bit(decode_list(subject.get("encodedList")), index)
