import json
import random
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from badges.credentials.revocation import credential_revoke
from tests.factories import workflow_member


def baked_png(credential) -> bytes:
    with credential.baked_png.open("rb") as file:
        return file.read()


def upload(client, name, content, content_type="application/octet-stream"):
    return client.post("/verify/", {"file": SimpleUploadedFile(name, content, content_type)},
                       headers={"Accept-Language": "en"})


def api(client, **data):
    return client.post("/verify/api", data)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def test_the_page_offers_a_labelled_upload_and_paste_form(client):
    response = client.get("/verify/", headers={"Accept-Language": "en"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_file">' in html and '<label for="id_text">' in html
    assert "/verify/api" in html


def test_our_downloaded_png_verifies_as_valid(client, issued):
    response = upload(client, "badge.png", baked_png(issued), "image/png")
    assert response.status_code == 200
    checked = response.context["checked"]
    assert checked.verdict == "valid", [c.reason for c in checked.problems]
    assert checked.result.format == "png"
    assert "Valid" in response.content.decode()


def test_a_revoked_png_reads_revoked_with_the_issuers_reason(client, issued):
    credential_revoke(credential=issued, by=workflow_member(issued.issuer, "owner").user, reason="Fel kurs.")
    response = upload(client, "badge.png", baked_png(issued), "image/png")
    assert response.context["checked"].verdict == "revoked"
    assert "Fel kurs." in response.content.decode()


def test_pasted_json_that_was_tampered_with_is_invalid(client, issued):
    document = dict(issued.document, name="Svetsning nivå 5")
    response = client.post("/verify/", {"text": json.dumps(document)}, headers={"Accept-Language": "en"})
    checked = response.context["checked"]
    assert checked.verdict == "invalid"
    assert not checked.result.check("proof").passed
    assert "Not valid" in response.content.decode()


def test_an_empty_form_gets_a_message_not_a_check(client):
    response = client.post("/verify/", {}, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "Choose a file or paste a credential." in response.content.decode()


def test_the_api_answers_with_the_verdict_and_every_check(client, issued):
    response = client.post("/verify/api", {"file": SimpleUploadedFile("b.png", baked_png(issued), "image/png")})
    assert response.status_code == 200
    body = response.json()
    assert body["verdict"] == "valid" and body["valid"] is True and body["format"] == "png"
    assert {"proof", "issuer_key", "revocation", "expiry"} <= {check["name"] for check in body["checks"]}
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_api_takes_a_json_body(client, issued):
    response = client.post("/verify/api", {"credential": issued.document}, content_type="application/json")
    body = response.json()
    assert body["verdict"] == "valid", body["checks"]


def test_the_api_explains_a_missing_or_malformed_request(client):
    assert client.post("/verify/api", {}).json()["error"] == "no_input"
    response = client.post("/verify/api", "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["error"] == "malformed_request"
    assert client.get("/verify/api").status_code == 405


def test_the_api_is_rate_limited_per_client(client, settings):
    settings.VERIFY_UPLOAD_RATE_LIMIT = "1/m"
    assert client.post("/verify/api", {"credential": "x"}).status_code == 200
    response = client.post("/verify/api", {"credential": "x"})
    assert response.status_code == 429 and response.json()["error"] == "rate_limited"
    other_client = client.post("/verify/api", {"credential": "x"}, REMOTE_ADDR="192.0.2.7")
    assert other_client.status_code == 200


# --- Hostile and malformed input: a clear message, never a 500 ----------------------------------------
def test_a_png_with_a_compressed_payload_bomb_is_refused(client):
    bomb = zlib.compress(b"{" + b" " * 50_000_000 + b"}", 9)
    itxt = b"openbadgecredential\0" + b"\x01\x00" + b"\0\0" + bomb
    png = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)) + _chunk(
        b"iTXt", itxt) + _chunk(b"IEND", b"")
    response = upload(client, "bomb.png", png, "image/png")
    assert response.status_code == 200
    checked = response.context["checked"]
    assert checked.verdict == "invalid"
    assert "compress" in checked.problems[0].reason


def test_an_svg_with_an_external_entity_is_refused(client):
    svg = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           b'<svg xmlns="http://www.w3.org/2000/svg"><text>&xxe;</text></svg>')
    response = upload(client, "xxe.svg", svg, "image/svg+xml")
    checked = response.context["checked"]
    assert checked.verdict == "invalid"
    assert "root:" not in response.content.decode()


def test_a_file_over_the_limit_is_refused_before_it_is_read(client):
    response = upload(client, "big.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (6 * 1024 * 1024))
    assert response.status_code == 413
    assert "too large" in response.content.decode()


def test_a_request_declaring_100_mb_is_refused_without_reading_it(client):
    response = client.generic("POST", "/verify/api", b"x" * 10, content_type="application/octet-stream",
                              CONTENT_LENGTH=str(100 * 1024 * 1024))
    assert response.status_code == 413 and response.json()["error"] == "too_large"


def test_random_bytes_get_a_plain_answer(client):
    response = upload(client, "noise.bin", random.Random(4).randbytes(20_000))
    checked = response.context["checked"]
    assert response.status_code == 200 and checked.verdict == "invalid"
    assert checked.problems[0].name == "format"


@pytest.mark.parametrize(("bomb", "status", "limit"), [
    # A credential is a JSON object: a bare array is refused at a glance as "not a credential", unparsed.
    ("[" * 200_000 + "]" * 200_000, 200, None),
    # An object bomb is refused by ob3's limits before it is parsed or walked, naming the limit: this one is
    # over the size limit (413) …
    ('{"a":' * 100_000 + "1" + "}" * 100_000, 413, "bytes"),
    # … and one small enough to read nests too deep (422).
    ('{"a":' * 10_000 + "1" + "}" * 10_000, 422, "depth"),
])
def test_a_json_nesting_bomb_gets_a_plain_answer(client, bomb, status, limit):
    response = client.post("/verify/", {"text": bomb}, headers={"Accept-Language": "en"})
    assert response.status_code == status
    api_response = client.post("/verify/api", {"credential": bomb})
    assert api_response.status_code == status
    if limit is None:
        assert response.context["checked"].verdict == "invalid"
        assert api_response.json()["verdict"] == "invalid"
    else:
        assert "The credential was not checked" in response.content.decode()
        assert api_response.json()["limit"] == limit


def test_a_nesting_bomb_baked_into_a_png_gets_a_plain_answer(client):
    text = ('{"a":' * 100_000 + "1" + "}" * 100_000).encode()
    itxt = b"openbadgecredential\0" + b"\x00\x00" + b"\0\0" + text
    png = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)) + _chunk(
        b"iTXt", itxt) + _chunk(b"IEND", b"")
    response = upload(client, "nested.png", png, "image/png")
    assert response.status_code == 200
    assert response.context["checked"].verdict == "invalid"
