import base64
import gzip
import json
import random
from datetime import UTC, datetime

import pytest

from ob3.build import BuildError
from ob3.documents import VC_V2
from ob3.errors import Ob3Error
from ob3.model import Profile
from ob3.status_list import (
    MIN_BITS,
    StatusListError,
    build_status_list_credential,
    decode_list,
    encode_list,
    get_bit,
    new_status_list,
    random_free_index,
    set_bit,
    status_of,
)
from tests.ob3.support import VALIDATOR, shared

ISSUER = Profile(id="https://mikromerit.example/issuers/1", name="Högskolan i Exempelstad")
LIST_URL = "https://mikromerit.example/status/1"
WHEN = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def load(name: str) -> dict:
    return json.loads(shared(VALIDATOR, "bit-string-list", name).read_text("utf-8"))


def multibase_gzip(raw: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(gzip.compress(raw, mtime=0)).decode().rstrip("=")


# --- the bitstring ---------------------------------------------------------------------------------

def test_new_list_has_the_minimum_size_and_is_clear():
    bits = new_status_list()
    assert len(bits) * 8 == MIN_BITS == 131_072
    assert not any(bits)


@pytest.mark.parametrize("size", [0, 8, 131_064, 131_073])
def test_small_or_ragged_sizes_are_rejected(size):
    with pytest.raises(StatusListError):
        new_status_list(size)


def test_bit_zero_is_the_most_significant_bit_of_byte_zero():
    bits = new_status_list()
    set_bit(bits, 0)
    assert bits[0] == 0x80
    set_bit(bits, 7)
    assert bits[0] == 0x81
    set_bit(bits, 8)
    assert bits[1] == 0x80
    set_bit(bits, MIN_BITS - 1)
    assert bits[-1] == 0x01
    assert [i for i in range(16) if get_bit(bits, i)] == [0, 7, 8]
    set_bit(bits, 0, False)
    assert bits[0] == 0x01
    assert not get_bit(bits, 0)


@pytest.mark.parametrize("index", [-1, MIN_BITS, True, "3"])
def test_out_of_range_or_non_int_index_is_rejected(index):
    with pytest.raises(StatusListError):
        get_bit(new_status_list(), index)


# --- encoding --------------------------------------------------------------------------------------

def test_round_trip():
    rng = random.Random(7)
    bits = new_status_list(2 * MIN_BITS)
    chosen = {rng.randrange(2 * MIN_BITS) for _ in range(500)}
    for index in chosen:
        set_bit(bits, index)
    encoded = encode_list(bits)
    assert encoded.startswith("u")
    assert set(encoded[1:]) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    decoded = decode_list(encoded)
    assert decoded == bytes(bits)
    assert {i for i in range(2 * MIN_BITS) if get_bit(decoded, i)} == chosen


def test_encoding_is_deterministic_with_a_fixed_gzip_header():
    bits = new_status_list()
    set_bit(bits, 42)
    assert encode_list(bits) == encode_list(bytearray(bits))
    raw = base64.urlsafe_b64decode(encode_list(bits)[1:] + "==")
    assert raw[:4] == b"\x1f\x8b\x08\x00"  # GZIP, deflate, no flags
    assert raw[4:8] == b"\x00\x00\x00\x00"  # mtime 0
    assert raw[9] == 0xFF  # OS "unknown"


def test_encoding_matches_the_validator_sample_byte_for_byte():
    bits = new_status_list()
    set_bit(bits, 23)
    assert encode_list(bits) == load("testlist")["credentialSubject"]["encodedList"]


def test_validator_sample_list_decodes_with_only_bit_23_set():
    bits = decode_list(load("testlist")["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == MIN_BITS
    assert [i for i, byte in enumerate(bits) if byte] == [2]
    assert get_bit(bits, 23)


def test_decode_accepts_padding_and_other_gzip_producers():
    assert decode_list(multibase_gzip(b"\x01\x02") + "==") == b"\x01\x02"


@pytest.mark.parametrize(("encoded", "problem"), [
    ("H4sIAAAAAAAA_-3BMQEAAAzD", "starting with 'u'"),
    ("uH4sI+AAA/", "outside base64url"),
    ("uH4sIA", "not valid base64url"),
    ("u" + base64.urlsafe_b64encode(b"not gzip at all").decode().rstrip("="), "not valid GZIP"),
    (multibase_gzip(b"\x00" * 64)[:20], "truncated"),
    ("u" + base64.urlsafe_b64encode(gzip.compress(b"x", mtime=0) + b"junk").decode().rstrip("="), "after"),
    (multibase_gzip(b""), "empty"),
])
def test_garbage_is_rejected_clearly(encoded, problem):
    with pytest.raises(StatusListError, match=problem) as info:
        decode_list(encoded)
    assert isinstance(info.value, Ob3Error)


def test_decompression_is_capped():
    bomb = multibase_gzip(bytes(16 * 1024 * 1024 + 1))
    assert len(bomb) < 40_000
    with pytest.raises(StatusListError, match="more than"):
        decode_list(bomb)


def test_decode_rejects_non_strings():
    with pytest.raises(StatusListError):
        decode_list(None)


# --- random allocation -----------------------------------------------------------------------------

def test_random_free_index_is_reproducible_with_a_seeded_rng():
    allocated = new_status_list()
    first = [random_free_index(allocated, random.Random(1)) for _ in range(3)]
    assert len(set(first)) == 1


def test_random_free_index_skips_taken_indexes_and_is_not_sequential():
    allocated = new_status_list()
    rng = random.Random(3)
    picked = []
    for _ in range(200):
        index = random_free_index(allocated, rng)
        assert not get_bit(allocated, index)
        set_bit(allocated, index)
        picked.append(index)
    assert len(set(picked)) == 200
    assert picked != sorted(picked)
    assert max(picked) - min(picked) > MIN_BITS // 2


def test_random_free_index_finds_the_last_free_slot_and_reports_full():
    allocated = bytearray(b"\xff" * (MIN_BITS // 8))
    set_bit(allocated, 99_999, False)
    assert random_free_index(allocated, random.Random(0)) == 99_999
    set_bit(allocated, 99_999)
    with pytest.raises(StatusListError, match="allocated"):
        random_free_index(allocated, random.Random(0))


# --- the status list credential --------------------------------------------------------------------

def test_build_status_list_credential():
    bits = new_status_list()
    set_bit(bits, 5)
    credential = build_status_list_credential(id=LIST_URL, issuer=ISSUER, valid_from=WHEN,
                                              encoded_list=encode_list(bits))
    assert credential == {
        "@context": [VC_V2],
        "id": LIST_URL,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": ISSUER.id,
        "validFrom": "2025-06-01T12:00:00Z",
        "credentialSubject": {
            "id": f"{LIST_URL}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_list(bits),
        },
    }
    assert status_of(credential, 5)
    assert status_of(credential, "5", status_purpose="revocation")
    assert not status_of(credential, 6)


def test_build_status_list_credential_options_and_checks():
    encoded = encode_list(new_status_list())
    credential = build_status_list_credential(id=LIST_URL, issuer=ISSUER, valid_from=WHEN, encoded_list=encoded,
                                              status_purpose="suspension",
                                              valid_until=datetime(2025, 7, 1, tzinfo=UTC))
    assert credential["validUntil"] == "2025-07-01T00:00:00Z"
    assert credential["credentialSubject"]["statusPurpose"] == "suspension"
    with pytest.raises(StatusListError, match="purpose"):
        build_status_list_credential(id=LIST_URL, issuer=ISSUER, valid_from=WHEN, encoded_list=encoded,
                                     status_purpose="message")
    with pytest.raises(StatusListError, match="minimum"):
        build_status_list_credential(id=LIST_URL, issuer=ISSUER, valid_from=WHEN,
                                     encoded_list=multibase_gzip(bytes(100)))
    with pytest.raises(BuildError, match="naive"):
        build_status_list_credential(id=LIST_URL, issuer=ISSUER, valid_from=datetime(2025, 1, 1),
                                     encoded_list=encoded)


def test_revoked_validator_sample_reads_as_revoked():
    credential = load("credential-status-revoked.json")
    status_list = load("testlist")
    entry = credential["credentialStatus"]
    assert entry["statusListCredential"].endswith("/testlist")
    assert status_of(status_list, entry["statusListIndex"], status_purpose=entry["statusPurpose"])
    assert status_of(status_list, str(entry["statusListIndex"]))
    assert not status_of(status_list, 24)


@pytest.mark.parametrize("mutate", [
    lambda c: c.update(type=["VerifiableCredential"]),
    lambda c: c.update(credentialSubject="nope"),
    lambda c: c["credentialSubject"].update(type="StatusList2021"),
])
def test_status_of_rejects_other_documents(mutate):
    status_list = load("testlist")
    mutate(status_list)
    with pytest.raises(StatusListError):
        status_of(status_list, 23)


def test_status_of_checks_purpose_and_index():
    status_list = load("testlist")
    with pytest.raises(StatusListError, match="does not match"):
        status_of(status_list, 23, status_purpose="suspension")
    for index in ("-1", "0x17", "２３", str(MIN_BITS)):
        with pytest.raises(StatusListError):
            status_of(status_list, index)
