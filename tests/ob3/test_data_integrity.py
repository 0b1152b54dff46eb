"""eddsa-rdfc-2022: the published vectors byte for byte, then tampering of every kind."""

import copy
import hashlib
from datetime import UTC, datetime

import pytest

from ob3.errors import SafeModeError, SigningError
from ob3.jsonld import canonicalize
from ob3.keys import LocalSigner, PublicKey
from ob3.proofs.data_integrity import hash_data, sign_credential, verify_proof
from tests.ob3.support import (
    SPEC_MULTIKEY,
    SPEC_VECTOR,
    VALIDATOR,
    W3C_VECTOR,
    json_paths,
    load_json,
    shared,
    w3c_loader,
)

SPEC_CREATED = datetime(2010, 1, 1, 19, 23, 24, tzinfo=UTC)


def _unsigned(credential):
    return {k: v for k, v in credential.items() if k != "proof"}


def test_spec_key_is_the_published_multikey(spec_signer):
    assert spec_signer.public_key.to_multikey() == SPEC_MULTIKEY


def test_1edtech_vector_canonical_forms_match_byte_for_byte(spec_credential):
    document = _unsigned(spec_credential)
    assert canonicalize(document) == shared(SPEC_VECTOR, "document-canon.txt").read_text()
    proof_config = {k: v for k, v in spec_credential["proof"].items() if k != "proofValue"}
    proof_config["@context"] = document["@context"]
    assert canonicalize(proof_config) == shared(SPEC_VECTOR, "proof-canon.txt").read_text()


def test_1edtech_vector_hashes_and_signature_are_reproduced(spec_credential, spec_signer):
    document = _unsigned(spec_credential)
    data = hash_data(document, spec_credential["proof"], canonicalizer=canonicalize)
    assert data.hex() == (
        "d34009cea0dbc1ca941e09dc01c8c9d3e3ce3c5b853f67ee44698dcea10f5d19"
        "87f65a76d40146205e3b3e06cb0fbd153f97f9ce70372390f52566bb7f9e0773"
    )
    signed = sign_credential(document, signer=spec_signer, created=SPEC_CREATED,
                             verification_method=spec_credential["proof"]["verificationMethod"])
    assert signed["proof"] == [spec_credential["proof"]]


def test_w3c_vector_is_reproduced_byte_for_byte():
    folder = shared(W3C_VECTOR)
    loader = w3c_loader()

    def canonical(document):
        return canonicalize(document, loader=loader)

    unsigned = load_json(folder / "unsigned.json")
    config = load_json(folder / "proofConfigDataInt.json")
    signed = load_json(folder / "signedDataInt.json")
    key_pair = load_json(folder / "keyPair.json")
    assert canonical(unsigned) == (folder / "canonDocDataInt.txt").read_text()
    assert canonical(config) == (folder / "proofCanonDataInt.txt").read_text()
    data = hash_data(unsigned, config, canonicalizer=canonical)
    assert data.hex() == (folder / "combinedHashDataInt.txt").read_text().strip()
    assert hashlib.sha256((folder / "canonDocDataInt.txt").read_bytes()).hexdigest() == \
        (folder / "docHashDataInt.txt").read_text().strip()
    public = PublicKey.from_multikey(key_pair["publicKeyMultibase"])
    assert verify_proof(unsigned, signed["proof"], public_key=public, loader=loader).passed


@pytest.mark.parametrize("name", [
    "simple.json", "simple.1ob", "simple-did-key-method.json", "simple-did-web-method.json",
    "simple-context-alias.json", "complete.json", "endorsement-valid.json",
    "bit-string-list/credential-status-revoked.json", "bit-string-list/testlist",
])
def test_validator_signed_samples_verify(name):
    credential = load_json(shared(VALIDATOR, name))
    proof = credential["proof"][0] if isinstance(credential["proof"], list) else credential["proof"]
    key = PublicKey.from_multikey(proof["verificationMethod"].rsplit("#", 1)[-1].rsplit(":", 1)[-1])
    assert verify_proof(credential, proof, public_key=key).passed, name


def test_validator_sample_with_a_bad_proof_value_fails():
    credential = load_json(shared(VALIDATOR, "simple-err-proof-value.json"))
    proof = credential["proof"][0]
    key = PublicKey.from_multikey(SPEC_MULTIKEY)
    outcome = verify_proof(credential, proof, public_key=key)
    assert not outcome.passed and "does not match" in outcome.reason


def _tamper(document, path):
    changed = copy.deepcopy(document)
    target = changed
    for step in path[:-1]:
        target = target[step]
    value = target[path[-1]]
    if isinstance(value, str):
        target[path[-1]] = value + "x" if "://" not in value and ":" not in value[:5] else value + "1"
    elif isinstance(value, bool):
        target[path[-1]] = not value
    else:
        target[path[-1]] = value + 1
    return changed


def test_any_change_to_any_signed_field_breaks_the_signature(spec_credential, spec_signer):
    proof = spec_credential["proof"]
    for path in (path for path, value in json_paths(spec_credential) if not isinstance(value, dict | list)):
        if path[0] in ("@context", "proof") and path != ("proof", "created"):
            continue
        tampered = _tamper(spec_credential, path)
        outcome = verify_proof(_unsigned(tampered), tampered["proof"], public_key=spec_signer.public_key)
        assert not outcome.passed, f"changing {'.'.join(map(str, path))} went unnoticed"
    assert verify_proof(spec_credential, proof, public_key=spec_signer.public_key).passed


def test_another_key_does_not_verify(spec_credential):
    other = LocalSigner.generate().public_key
    assert not verify_proof(spec_credential, spec_credential["proof"], public_key=other).passed


@pytest.mark.parametrize("field,value,reason", [
    ("type", "RsaSignature2018", "unsupported proof type"),
    ("cryptosuite", "eddsa-rdf-2022", "unsupported cryptosuite"),
    ("proofPurpose", "authentication", "proofPurpose"),
    ("created", "yesterday", "not a valid dateTime"),
    ("proofValue", "5x9aCBY", "multibase"),
])
def test_malformed_proofs_fail_with_their_reason(spec_credential, spec_signer, field, value, reason):
    proof = {**spec_credential["proof"], field: value}
    outcome = verify_proof(spec_credential, proof, public_key=spec_signer.public_key)
    assert not outcome.passed and reason in outcome.reason


def test_signing_refuses_an_undefined_term(spec_credential, spec_signer):
    document = _unsigned(spec_credential)
    document["credentialSubject"]["favouriteColour"] = "green"
    with pytest.raises(SafeModeError, match="favouriteColour"):
        sign_credential(document, signer=spec_signer, verification_method="https://x.example/#k", created=SPEC_CREATED)


def test_signing_refuses_a_1edtech_type_without_the_extensions_context(spec_credential, spec_signer):
    document = _unsigned(spec_credential)
    document["credentialSchema"] = [{
        "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
        "type": "1EdTechJsonSchemaValidator2019"}]
    with pytest.raises(SafeModeError, match="1EdTechJsonSchemaValidator2019"):
        sign_credential(document, signer=spec_signer, verification_method="https://x.example/#k", created=SPEC_CREATED)
    document["@context"] = [*document["@context"], "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"]
    signed = sign_credential(document, signer=spec_signer, verification_method="https://x.example/#k",
                             created=SPEC_CREATED)
    assert verify_proof(signed, signed["proof"][0], public_key=spec_signer.public_key).passed


def test_signing_needs_an_ed25519_key(spec_credential):
    with pytest.raises(SigningError, match="Ed25519"):
        sign_credential(_unsigned(spec_credential), signer=LocalSigner.generate("P-256"),
                        verification_method="https://x.example/#k", created=SPEC_CREATED)


def test_control_characters_sign_and_verify(spec_credential, spec_signer):
    document = _unsigned(spec_credential)
    document["name"] = "Back\x08space, tab\t, bell\x07, DEL\x7f, åäö 🎓"
    signed = sign_credential(document, signer=spec_signer, verification_method="https://x.example/#k",
                             created=SPEC_CREATED)
    assert "Back\\bspace, tab\\t, bell\\u0007, DEL\\u007F" in canonicalize(document)
    assert verify_proof(signed, signed["proof"][0], public_key=spec_signer.public_key).passed
