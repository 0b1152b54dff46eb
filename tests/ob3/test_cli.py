"""`python -m ob3`: the command-line shape other tools rely on."""

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

import safefetch
from ob3.build import build_credential
from ob3.cli import main
from ob3.keys import LocalSigner
from ob3.proofs.data_integrity import sign_credential
from ob3.status_list import build_status_list_credential, encode_list, new_status_list, set_bit
from tests.https_server import JsonDocuments, https_server, trusting_fetcher
from tests.ob3.factories import STATUS_LIST_URL, realistic_draft
from tests.ob3.support import SPEC_MULTIKEY, VALIDATOR, shared, spec_signed_credential
from tests.ob3.test_verify import png_bytes

ROOT = Path(__file__).resolve().parents[2]
STATUS_INDEX = realistic_draft().status.status_list_index


@pytest.fixture
def files(tmp_path):
    credential = build_credential(realistic_draft())
    (tmp_path / "credential.json").write_text(json.dumps(credential, ensure_ascii=False))
    ed = LocalSigner.generate()
    (tmp_path / "ed.jwk").write_text(json.dumps(ed.to_private_jwk()))
    rsa = LocalSigner.generate("RSA", rsa_bits=2048)
    (tmp_path / "rsa.jwk").write_text(json.dumps(rsa.to_private_jwk()))
    (tmp_path / "rsa-public.jwk").write_text(json.dumps(rsa.public_key.to_jwk()))
    (tmp_path / "badge.png").write_bytes(png_bytes())
    return tmp_path


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _signer(files):
    return LocalSigner.from_jwk(json.loads((files / "ed.jwk").read_text()))


def _issuer_documents(files, credential, *, revoked_index=None):
    """What the issuer publishes: its controller document listing the key, and its signed status list."""
    signer = _signer(files)
    issuer = credential["issuer"]["id"]
    method = f"{issuer}#{signer.public_key.to_multikey()}"
    (files / "controller.json").write_text(json.dumps({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"], "id": issuer,
        "verificationMethod": [{"id": method, "type": "Multikey", "controller": issuer,
                                "publicKeyMultibase": signer.public_key.to_multikey()}],
        "assertionMethod": [method]}))
    bits = new_status_list()
    if revoked_index is not None:
        set_bit(bits, revoked_index)
    listing = build_status_list_credential(id=STATUS_LIST_URL, issuer=realistic_draft().issuer,
                                           valid_from=datetime(2025, 1, 1, tzinfo=UTC), encoded_list=encode_list(bits))
    signed = sign_credential(listing, signer=signer, verification_method=method, created=datetime.now(UTC).replace(
        microsecond=0))
    (files / "status.json").write_text(json.dumps(signed))


def _sign(capsys, files, name="signed.json"):
    code, out, _ = run(capsys, "sign", str(files / "credential.json"), "--key", str(files / "ed.jwk"))
    assert code == 0
    (files / name).write_text(out)
    return json.loads(out)


def test_sign_ldp_then_bake_then_verify_the_png(files, capsys):
    signed = _sign(capsys, files)
    assert signed["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["proof"][0]["verificationMethod"] == signed["issuer"]["id"] + "#" + \
        signed["proof"][0]["verificationMethod"].rsplit("#", 1)[1]
    out_png = str(files / "out.png")
    assert run(capsys, "bake", str(files / "badge.png"), str(files / "signed.json"), "-o", out_png)[0] == 0
    _issuer_documents(files, signed)
    code, out, _ = run(capsys, "verify", out_png, "--did-doc", str(files / "controller.json"),
                       "--status-list", str(files / "status.json"))
    verdict = json.loads(out)
    assert code == 0 and verdict["valid"] and verdict["format"] == "png", out
    code, out, _ = run(capsys, "unbake", out_png)
    assert json.loads(out) == signed


def test_without_the_issuers_documents_the_verdict_is_unconfirmed_and_the_exit_code_1(files, capsys):
    _sign(capsys, files)
    code, out, _ = run(capsys, "verify", str(files / "signed.json"))
    verdict = json.loads(out)
    assert code == 1 and verdict["verdict"] == "unconfirmed" and not verdict["valid"]
    codes = {check["code"] for check in verdict["checks"] if check["outcome"] == "unconfirmed"}
    assert codes == {"key_not_bound", "status_not_checked"}


def test_status_is_read_from_a_given_list_and_a_revoked_credential_exits_1(files, capsys):
    signed = _sign(capsys, files)
    _issuer_documents(files, signed, revoked_index=STATUS_INDEX)
    code, out, _ = run(capsys, "verify", str(files / "signed.json"), "--did-doc", str(files / "controller.json"),
                       "--status-list", f"{STATUS_LIST_URL}={files / 'status.json'}")
    assert code == 1 and json.loads(out)["verdict"] == "revoked"


def test_a_status_list_for_another_url_leaves_the_status_unchecked(files, capsys):
    signed = _sign(capsys, files)
    _issuer_documents(files, signed)
    code, out, _ = run(capsys, "verify", str(files / "signed.json"), "--did-doc", str(files / "controller.json"),
                       "--status-list", f"https://elsewhere.example/list={files / 'status.json'}")
    revocation = next(c for c in json.loads(out)["checks"] if c["name"] == "revocation")
    assert code == 1 and (revocation["outcome"], revocation["code"]) == ("unconfirmed", "status_unavailable")
    assert "--status-list" in revocation["reason"]


def test_did_key_issuer_gets_a_did_key_verification_method_and_verifies_offline(files, capsys):
    did = "did:key:" + _signer(files).public_key.to_multikey()
    credential = json.loads((files / "credential.json").read_text())
    credential["issuer"]["id"] = did
    del credential["credentialStatus"]
    (files / "credential.json").write_text(json.dumps(credential))
    signed = _sign(capsys, files)
    assert signed["proof"][0]["verificationMethod"] == f"{did}#{did[8:]}"
    code, out, _ = run(capsys, "verify", str(files / "signed.json"))
    assert code == 0 and json.loads(out)["verdict"] == "valid"


def test_sign_jwt_and_verify_with_a_jwk_the_issuer_lists(files, capsys):
    credential = json.loads((files / "credential.json").read_text())
    del credential["credentialStatus"]
    (files / "credential.json").write_text(json.dumps(credential))
    issuer = credential["issuer"]["id"]
    kid = f"{issuer}/keys/rsa-1"
    code, token, _ = run(capsys, "sign", str(files / "credential.json"), "--key", str(files / "rsa.jwk"),
                         "--format", "jwt", "--verification-method", kid)
    assert code == 0 and token.count(".") == 2
    (files / "credential.jwt").write_text(token)
    public = {**json.loads((files / "rsa-public.jwk").read_text()), "kid": kid}
    (files / "rsa-public.jwk").write_text(json.dumps(public))
    code, out, _ = run(capsys, "verify", str(files / "credential.jwt"), "--jwk", str(files / "rsa-public.jwk"))
    assert code == 1 and json.loads(out)["verdict"] == "unconfirmed"  # a key given out of band proves no owner
    (files / "issuer.json").write_text(json.dumps({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"], "id": issuer,
        "verificationMethod": [{"id": kid, "type": "JsonWebKey", "controller": issuer, "publicKeyJwk": public}],
        "assertionMethod": [kid]}))
    code, out, _ = run(capsys, "verify", str(files / "credential.jwt"), "--jwk", str(files / "rsa-public.jwk"),
                       "--did-doc", str(files / "issuer.json"))
    assert code == 0, out
    assert json.loads(out)["format"] == "jwt"


def test_verify_exit_codes_invalid_and_unusable(files, capsys):
    assert run(capsys, "verify", str(shared(VALIDATOR, "simple-err-proof-value.json")))[0] == 1
    (files / "junk.bin").write_bytes(b"\xff\x00junk")
    assert run(capsys, "verify", str(files / "junk.bin"))[0] == 2
    code, _, err = run(capsys, "verify", str(files / "missing.json"))
    assert code == 2 and "cannot read" in err


def test_input_over_a_limit_is_unusable(files, capsys):
    credential = json.loads((files / "credential.json").read_text())
    credential["credentialSubject"]["achievement"]["tag"] = ["x"] * 5000
    (files / "wide.json").write_text(json.dumps(credential))
    code, out, _ = run(capsys, "verify", str(files / "wide.json"))
    check = json.loads(out)["checks"][0]
    assert code == 2 and check["code"] == "limit_exceeded" and "5000 items" in check["reason"]


def test_verify_uses_a_given_controller_document(files, capsys):
    credential = spec_signed_credential()
    issuer = credential["issuer"]["id"]
    method = f"{issuer}#{SPEC_MULTIKEY}"
    (files / "spec.json").write_text(json.dumps(credential))
    (files / "controller.json").write_text(json.dumps({
        "id": issuer, "verificationMethod": [{"id": method, "type": "Multikey", "controller": issuer,
                                              "publicKeyMultibase": SPEC_MULTIKEY}], "assertionMethod": [method]}))
    code, out, _ = run(capsys, "verify", str(files / "spec.json"), "--did-doc", str(files / "controller.json"))
    ownership = next(c for c in json.loads(out)["checks"] if c["name"] == "issuer_key")
    assert ownership["outcome"] == "passed" and not ownership["warning"]


def test_ldp_signing_refuses_an_rsa_key(files, capsys):
    code, _, err = run(capsys, "sign", str(files / "credential.json"), "--key", str(files / "rsa.jwk"))
    assert code == 2 and "Ed25519" in err


def test_module_entry_point_runs():
    done = subprocess.run([sys.executable, "-m", "ob3", "verify", str(shared(VALIDATOR, "simple-json.svg"))],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    verdict = json.loads(done.stdout)
    assert done.returncode == 1 and verdict["format"] == "svg" and verdict["verdict"] == "unconfirmed"


# --- --online: the issuer's documents fetched over real HTTPS ---------------------------------------
class Published(JsonDocuments):
    documents: dict = {}


@pytest.fixture
def issuer_site(monkeypatch, test_ca):
    """issuer.example served by a local HTTPS server; the real safefetch, told (as only tests may) to
    connect to this machine and to trust the test CA."""
    with https_server(test_ca, "issuer.example", Published) as port:
        monkeypatch.setattr(safefetch, "Fetcher", lambda: trusting_fetcher(test_ca))
        yield f"https://issuer.example:{port}"


def test_online_fetches_the_issuers_documents_and_status_list(files, capsys, issuer_site):
    credential = json.loads((files / "credential.json").read_text())
    issuer = f"{issuer_site}/issuers/x"
    credential["issuer"]["id"] = issuer
    status_url = f"{issuer_site}/status/1"
    credential["credentialStatus"]["statusListCredential"] = status_url
    (files / "credential.json").write_text(json.dumps(credential))
    signed = _sign(capsys, files)
    _issuer_documents(files, signed, revoked_index=STATUS_INDEX)
    # The list _issuer_documents wrote names the realistic issuer; publish it for this issuer and URL.
    unsigned = {key: value for key, value in json.loads((files / "status.json").read_text()).items() if key != "proof"}
    unsigned.update(id=status_url, issuer=issuer)
    Published.documents = {
        "/issuers/x": json.loads((files / "controller.json").read_text()),
        "/status/1": sign_credential(unsigned, signer=_signer(files),
                                     verification_method=signed["proof"][0]["verificationMethod"],
                                     created=datetime.now(UTC).replace(microsecond=0)),
    }
    code, out, _ = run(capsys, "verify", str(files / "signed.json"), "--online")
    assert code == 1 and json.loads(out)["verdict"] == "revoked", out
    Published.documents = {}
    code, out, _ = run(capsys, "verify", str(files / "signed.json"), "--online")
    verdict = json.loads(out)
    assert code == 1 and verdict["verdict"] == "unconfirmed"
    assert "HTTP status 404" in next(c for c in verdict["checks"] if c["name"] == "issuer_key")["reason"]


def test_online_never_fetches_from_private_addresses(files, capsys):
    credential = json.loads((files / "credential.json").read_text())
    credential["issuer"]["id"] = "https://127.0.0.1/issuers/x"
    (files / "credential.json").write_text(json.dumps(credential))
    _sign(capsys, files)
    code, out, _ = run(capsys, "verify", str(files / "signed.json"), "--online")
    ownership = next(c for c in json.loads(out)["checks"] if c["name"] == "issuer_key")
    assert code == 1 and "private or reserved" in ownership["reason"]


def test_a_context_named_by_another_address_is_accepted_only_as_a_copy_of_one_ob3_holds(files, capsys):
    from ob3.documents import DocumentLoader, vendored_contexts
    from ob3.eu import MIKROMERIT_CONTEXT, with_eu_extension
    from tests.ob3.factories import eu_elements

    elsewhere = "https://badges.example.org/ns/v1"
    draft = with_eu_extension(realistic_draft(), eu_elements(), context_url=elsewhere)
    signer = _signer(files)
    issuer = draft.issuer.id
    signed = sign_credential(build_credential(draft), signer=signer,
                             verification_method=f"{issuer}#{signer.public_key.to_multikey()}",
                             created=datetime.now(UTC).replace(microsecond=0),
                             loader=DocumentLoader(aliases={elsewhere: MIKROMERIT_CONTEXT}))
    (files / "signed.json").write_text(json.dumps(signed))
    _issuer_documents(files, signed)
    given = ["--did-doc", str(files / "controller.json"), "--status-list", str(files / "status.json")]
    code, out, _ = run(capsys, "verify", str(files / "signed.json"), *given)
    assert code == 1 and json.loads(out)["verdict"] == "unconfirmed"  # the address is unknown offline
    (files / "context.json").write_text(json.dumps(vendored_contexts()[MIKROMERIT_CONTEXT]))
    code, out, _ = run(capsys, "verify", str(files / "signed.json"), *given,
                       "--context", f"{elsewhere}={files / 'context.json'}")
    assert code == 0 and json.loads(out)["verdict"] == "valid", out
    (files / "impostor.json").write_text(json.dumps({"@context": {"workloadHours": "https://evil.example/h"}}))
    code, out, _ = run(capsys, "verify", str(files / "signed.json"), *given,
                       "--context", f"{elsewhere}={files / 'impostor.json'}")
    assert code == 1 and json.loads(out)["verdict"] == "unconfirmed"
