"""base58btc and base64url multibase encodings used by Multikey, did:key and Data Integrity proofs."""

import base64
import re

from ob3.errors import KeyFormatError

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(_ALPHABET)}
_B64URL = re.compile(r"[A-Za-z0-9_-]*")


def base58btc_encode(data: bytes) -> str:
    """Bitcoin-alphabet base58, leading zero bytes kept as '1'."""
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rem = divmod(number, 58)
        out.append(_ALPHABET[rem])
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + "".join(reversed(out))


def base58btc_decode(text: str) -> bytes:
    """Inverse of :func:`base58btc_encode`; raises KeyFormatError on a foreign character."""
    number = 0
    for char in text:
        try:
            number = number * 58 + _INDEX[char]
        except KeyError:
            raise KeyFormatError(f"not base58btc: unexpected character {char!r}") from None
    pad = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * pad + body


def multibase_encode(data: bytes) -> str:
    """'z' + base58btc, the multibase form Data Integrity and Multikey use."""
    return "z" + base58btc_encode(data)


def multibase_decode(text: str) -> bytes:
    """Decode 'z' (base58btc) or 'u' (base64url, no padding) multibase strings."""
    if not isinstance(text, str) or not text:
        raise KeyFormatError("multibase value must be a non-empty string")
    if text[0] == "z":
        return base58btc_decode(text[1:])
    if text[0] == "u":
        return b64url_decode(text[1:])
    raise KeyFormatError(f"unsupported multibase prefix {text[0]!r} (expected 'z' or 'u')")


def b64url_encode(data: bytes) -> str:
    """base64url without padding (JOSE, Bitstring Status List)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Inverse of :func:`b64url_encode`; tolerant of missing padding, strict on the alphabet."""
    if not isinstance(text, str) or not _B64URL.fullmatch(text):
        raise KeyFormatError("not base64url: only A-Z, a-z, 0-9, '-' and '_' are allowed")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise KeyFormatError(f"not base64url: {exc}") from None
