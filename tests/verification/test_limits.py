"""Verification cannot be used to exhaust the server: input over one of ob3's limits is refused before any
expensive work, with 413 (bytes) or 422 (shape) naming the limit — on the page, in the API — and nothing
anyone sends gets a 500."""

import base64
import json
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ob3.limits import DEFAULT_LIMITS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    settings.VERIFY_UPLOAD_RATE_LIMIT = "1000/m"


def nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


L = DEFAULT_LIMITS
CREDENTIAL = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]}
# (what, the credential text, HTTP status, limit, its maximum, words in the message); built from ob3's limits.
OVER_LIMITS = [
    ("bytes", json.dumps({"a": ["x" * 60_000] * (L.max_bytes // 60_000 + 1)}), 413, "bytes", L.max_bytes,
     "larger than 512.0"),
    ("depth", nested(L.max_depth + 8), 422, "depth", L.max_depth, f"nests more than {L.max_depth} levels deep"),
    ("array_length", json.dumps({"a": [1] * (L.max_array_length + 1)}), 422, "array_length", L.max_array_length,
     f"holds more than {L.max_array_length:,} items"),
    ("values", json.dumps({"a": [[1] * L.max_array_length] * (L.max_values // L.max_array_length + 2)}), 422,
     "values", L.max_values, f"holds more than {L.max_values:,} values"),
    ("string_length", json.dumps({"a": "x" * (L.max_string_length + 10)}), 422, "string_length",
     L.max_string_length, f"longer than {L.max_string_length:,} characters"),
    ("proofs", json.dumps({**CREDENTIAL, "proof": [{}] * (L.max_proofs + 1)}), 422, "proofs", L.max_proofs,
     f"carries more than {L.max_proofs} signatures"),
    ("status_entries", json.dumps({**CREDENTIAL, "credentialStatus": [{}] * (L.max_status_entries + 1)}), 422,
     "status_entries", L.max_status_entries, f"names more than {L.max_status_entries} status lists"),
    ("contexts", json.dumps({**CREDENTIAL, "@context": ["https://example.org/c"] * (L.max_contexts + 1)}), 422,
     "contexts", L.max_contexts, f"names more than {L.max_contexts} JSON-LD contexts"),
]
EN = {"Accept-Language": "en"}


def _png_with(text: bytes) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + chunk(b"iTXt", b"openbadgecredential\0\0\0\0\0" + text) + chunk(
        b"IEND", b"")


@pytest.mark.parametrize(("what", "text", "status", "limit", "maximum", "words"), OVER_LIMITS,
                         ids=[row[0] for row in OVER_LIMITS])
def test_the_api_refuses_input_over_a_limit_naming_it(client, what, text, status, limit, maximum, words):
    response = client.post("/verify/api", {"credential": text}, headers=EN)
    assert response.status_code == status
    body = response.json()
    assert body == {"error": "too_large" if status == 413 else "too_complex", "limit": limit, "maximum": maximum,
                    "message": body["message"]}
    assert words in body["message"]
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(("what", "text", "status", "limit", "maximum", "words"), OVER_LIMITS,
                         ids=[row[0] for row in OVER_LIMITS])
def test_a_json_body_over_a_limit_names_the_credentials_limit(client, what, text, status, limit, maximum, words):
    # {"credential": …} wraps the credential one level deeper; the answer still names the credential's limit.
    response = client.post("/verify/api", f'{{"credential": {text}}}', content_type="application/json")
    assert response.status_code == status
    assert (response.json()["limit"], response.json()["maximum"]) == (limit, maximum)


@pytest.mark.parametrize(("what", "text", "status", "limit", "maximum", "words"), OVER_LIMITS,
                         ids=[row[0] for row in OVER_LIMITS])
def test_the_page_shows_the_limit_as_a_form_error(client, what, text, status, limit, maximum, words):
    response = client.post("/verify/", {"text": text}, headers={"Accept-Language": "en"})
    assert response.status_code == status
    html = response.content.decode()
    assert 'class="error-summary"' in html and words in html
    assert 'href="#id_text"' in html
    assert "checked" not in response.context  # no verdict for what was not checked
    assert text[:2000] not in html  # what was refused is not echoed back


def test_the_page_names_the_limit_in_swedish(client):
    response = client.post("/verify/", {"text": nested(40)}, headers={"Accept-Language": "sv"})
    assert response.status_code == 422
    assert f"Intyget kontrollerades inte: det är nästlat i fler än {L.max_depth} nivåer." in response.content.decode()


def test_a_baked_credential_over_a_limit_is_refused_too(client):
    png = _png_with(json.dumps({"a": [1] * (L.max_array_length + 1)}).encode())
    response = client.post("/verify/", {"file": SimpleUploadedFile("big.png", png, "image/png")},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert 'href="#id_file"' in response.content.decode()
    api = client.post("/verify/api", {"file": SimpleUploadedFile("big.png", png, "image/png")})
    assert api.status_code == 422 and api.json()["limit"] == "array_length"


def test_a_request_over_the_upload_size_names_bytes(client, settings):
    response = client.generic("POST", "/verify/api", b"x" * 10, content_type="application/octet-stream",
                              CONTENT_LENGTH=str(100 * 1024 * 1024))
    assert response.status_code == 413
    assert response.json()["limit"] == "bytes"
    assert response.json()["maximum"] == settings.VERIFY_UPLOAD_MAX_BYTES


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


EDDSA_HEADER = _b64(json.dumps({"alg": "EdDSA"}).encode())
GARBAGE = {
    "malformed json": "{not json",
    "json array": "[1, 2, 3]",
    "json string": '"a string"',
    "deep array": "[" * 50_000 + "]" * 50_000,
    "deep object under the byte limit": nested(20_000),
    "huge array": json.dumps({"a": list(range(200_000))}),
    "control characters": "\x00\x01{\"a\":",
    "jwt garbage": "aaaa.bbbb.cccc",
    "jwt with a non-json header": f"{_b64(b'not json')}.{_b64(b'{}')}.sig",
    "jwt with a deep payload": f"{EDDSA_HEADER}.{_b64(nested(5000).encode())}.c2ln",
    "jwt with a huge payload": f"{EDDSA_HEADER}.{_b64(json.dumps([0] * 300_000).encode())}.c2ln",
    "jwt with a header jwk of the wrong kind": f"{_b64(json.dumps({'alg': 'EdDSA', 'jwk': {'kty': 'RSA'}}).encode())}"
                                               f".{_b64(b'{}')}.c2ln",
    "credential with garbage everywhere": json.dumps({
        "@context": [{"@vocab": "x"}, 5], "type": {}, "issuer": [], "proof": "x", "credentialStatus": [1, {"type": 2}],
        "credentialSubject": None, "validFrom": 5}),
}
FILES = {
    "broken png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
    "png with a deep credential": _png_with(nested(100_000).encode()),
    "png with a broken chunk": b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 2**31) + b"iTXt" + b"x" * 50,
    "broken svg": b'<svg xmlns="http://www.w3.org/2000/svg"><openbadges:credential',
    "svg with an entity bomb": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;'
                               b'&lol;&lol;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&lol2;</text></svg>',
    "svg with a deep credential": b'<svg xmlns="http://www.w3.org/2000/svg" '
                                  b'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
                                  b"<openbadges:credential><![CDATA[" + nested(100_000).encode() +
                                  b"]]></openbadges:credential></svg>",
    "random bytes": bytes(range(256)) * 40,
    "empty": b"",
}


@pytest.mark.parametrize("text", list(GARBAGE.values()), ids=list(GARBAGE))
def test_no_text_gets_a_500(client, text):
    page = client.post("/verify/", {"text": text}, headers={"Accept-Language": "en"})
    assert page.status_code in (200, 400, 413, 422)
    api = client.post("/verify/api", {"credential": text})
    assert api.status_code in (200, 400, 413, 422)
    if api.status_code == 200:
        assert api.json()["verdict"] in ("invalid", "unconfirmed")
    body = client.post("/verify/api", text, content_type="application/json")
    assert body.status_code in (200, 400, 413, 422)


@pytest.mark.parametrize("data", list(FILES.values()), ids=list(FILES))
def test_no_file_gets_a_500(client, data):
    page = client.post("/verify/", {"file": SimpleUploadedFile("x.bin", data)}, headers={"Accept-Language": "en"})
    assert page.status_code in (200, 400, 413, 422)
    if page.status_code == 200:
        assert page.context["checked"].verdict == "invalid"
    api = client.post("/verify/api", {"file": SimpleUploadedFile("x.bin", data)})
    assert api.status_code in (200, 400, 413, 422)
