"""Input is measured before any expensive step, and refused with the name of the limit it broke."""

import json

import pytest

from ob3.build import build_credential
from ob3.limits import DEFAULT_LIMITS, MAX_QUADS, LimitExceeded, check_credential, check_json, loads
from ob3.rdfc import canonicalize_quads
from ob3.verify import verify
from tests.ob3.factories import micro_credential_draft, realistic_draft


def _credential_with(path, value):
    credential = build_credential(realistic_draft())
    target = credential
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return credential


def _nested(depth):
    value = "leaf"
    for _ in range(depth):
        value = {"x": value}
    return value


@pytest.mark.parametrize(("credential", "limit"), [
    (_credential_with(["credentialSubject", "achievement", "tag"], ["x"] * (DEFAULT_LIMITS.max_array_length + 1)),
     "array_length"),
    (_credential_with(["credentialSubject", "achievement", "description"], "x" * (64 * 1024 + 1)), "string_length"),
    (_credential_with(["credentialSubject", "achievement", "tag"], [["x"] * 400] * 11), "values"),
    (_credential_with(["proof"], [{"type": "DataIntegrityProof"}] * 5), "proofs"),
    (_credential_with(["credentialStatus"], [{"type": "BitstringStatusListEntry"}] * 5), "status_entries"),
    (_credential_with(["@context"], ["https://www.w3.org/ns/credentials/v2"] * 13), "contexts"),
    (_credential_with(["credentialSubject", "narrative"], _nested(40)), "depth"),
    (_credential_with(["credentialSubject", "achievement", "x" * (64 * 1024 + 1)], 1), "string_length"),
])
def test_each_limit_is_refused_by_name_before_any_json_ld_work(credential, limit):
    with pytest.raises(LimitExceeded) as refused:
        check_credential(credential)
    assert refused.value.limit == limit
    result = verify(credential)
    assert result.verdict == "invalid" and result.limit is not None and result.limit.limit == limit
    format_check = result.check("format")
    assert format_check.code == "limit_exceeded" and "refused before checking" in format_check.reason
    assert [c.name for c in result.checks] == ["format"]  # nothing else was attempted


def test_the_text_is_measured_before_it_is_parsed():
    text = "{" + " " * DEFAULT_LIMITS.max_bytes + json.dumps(build_credential(realistic_draft()))[1:]
    with pytest.raises(LimitExceeded, match="bytes long"):
        loads(text)
    assert verify(text.encode()).limit.limit == "bytes"


def test_json_nested_beyond_what_the_parser_can_read_is_a_depth_refusal_not_a_crash():
    text = '{"a":' * 20_000 + "1" + "}" * 20_000
    with pytest.raises(LimitExceeded) as refused:
        loads(text)
    assert refused.value.limit == "depth"
    assert verify(text.encode()).limit.limit == "depth"


def test_real_credentials_are_far_below_every_limit():
    credential = build_credential(micro_credential_draft())
    check_json(credential)
    count, stack = 0, [credential]
    while stack:
        item = stack.pop()
        count += 1
        stack.extend(item.values() if isinstance(item, dict) else item if isinstance(item, list) else [])
    assert count * 10 < DEFAULT_LIMITS.max_values


def test_the_canonicaliser_refuses_too_many_quads():
    quad = (("I", "https://example.org/s", "", ""), ("I", "https://example.org/p", "", ""),
            ("L", "o", "http://www.w3.org/2001/XMLSchema#string", ""), ("", "", "", ""))
    with pytest.raises(LimitExceeded, match="RDF statements"):
        canonicalize_quads([quad] * (MAX_QUADS + 1))


def test_a_proof_set_is_canonicalised_once_not_once_per_proof(monkeypatch):
    """Four forged proofs (with equal proof options) cost one canonicalisation of the credential and one of
    the proof options, not four of each."""
    from ob3 import jsonld
    from tests.ob3.test_verify import NOW, RESOLVER, signed

    credential = signed()
    proof = credential["proof"][0]
    credential["proof"] = [dict(proof, proofValue=proof["proofValue"][:-4] + "zzzz") for _ in range(4)]
    calls = []
    original = jsonld.canonicalize_expanded
    monkeypatch.setattr(jsonld, "canonicalize_expanded", lambda *a, **k: calls.append(1) or original(*a, **k))
    result = verify(credential, resolver=RESOLVER, now=NOW)
    assert result.check("proof").outcome == "failed" and len(calls) == 2
