"""`python -m ob3`: the command-line shape other tools rely on."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ob3.build import build_credential
from ob3.cli import main
from ob3.keys import LocalSigner
from tests.ob3.factories import realistic_draft
from tests.ob3.support import SPEC_MULTIKEY, VALIDATOR, spec_signed_credential
from tests.ob3.test_verify import png_bytes

ROOT = Path(__file__).resolve().parents[2]


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


def test_sign_ldp_then_bake_then_verify_the_png(files, capsys):
    code, out, _ = run(capsys, "sign", str(files / "credential.json"), "--key", str(files / "ed.jwk"))
    assert code == 0
    signed = json.loads(out)
    assert signed["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["proof"][0]["verificationMethod"] == signed["issuer"]["id"] + "#" + \
        signed["proof"][0]["verificationMethod"].rsplit("#", 1)[1]
    (files / "signed.json").write_text(out)
    out_png = str(files / "out.png")
    assert run(capsys, "bake", str(files / "badge.png"), str(files / "signed.json"), "-o", out_png)[0] == 0
    code, out, _ = run(capsys, "verify", str(files / "out.png"))
    verdict = json.loads(out)
    assert code == 0 and verdict["valid"] and verdict["format"] == "png"
    code, out, _ = run(capsys, "unbake", str(files / "out.png"))
    assert json.loads(out) == signed


def test_did_key_issuer_gets_a_did_key_verification_method(files, capsys):
    signer = LocalSigner.from_jwk(json.loads((files / "ed.jwk").read_text()))
    did = "did:key:" + signer.public_key.to_multikey()
    credential = json.loads((files / "credential.json").read_text())
    credential["issuer"]["id"] = did
    (files / "credential.json").write_text(json.dumps(credential))
    code, out, _ = run(capsys, "sign", str(files / "credential.json"), "--key", str(files / "ed.jwk"))
    assert json.loads(out)["proof"][0]["verificationMethod"] == f"{did}#{did[8:]}"
    (files / "signed.json").write_text(out)
    code, out, _ = run(capsys, "verify", str(files / "signed.json"))
    assert code == 0 and json.loads(out)["verdict"] == "valid"


def test_sign_jwt_and_verify_with_a_jwk(files, capsys):
    code, token, _ = run(capsys, "sign", str(files / "credential.json"), "--key", str(files / "rsa.jwk"),
                         "--format", "jwt")
    assert code == 0 and token.count(".") == 2
    (files / "credential.jwt").write_text(token)
    code, out, _ = run(capsys, "verify", str(files / "credential.jwt"), "--jwk", str(files / "rsa-public.jwk"))
    assert code == 0, out
    assert json.loads(out)["format"] == "jwt"


def test_verify_exit_codes_valid_invalid_unusable(files, capsys):
    assert run(capsys, "verify", str(VALIDATOR / "simple.json"))[0] == 0
    assert run(capsys, "verify", str(VALIDATOR / "simple-err-proof-value.json"))[0] == 1
    (files / "junk.bin").write_bytes(b"\xff\x00junk")
    assert run(capsys, "verify", str(files / "junk.bin"))[0] == 2
    code, _, err = run(capsys, "verify", str(files / "missing.json"))
    assert code == 2 and "cannot read" in err


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
    assert code == 0 and not ownership["warning"]


def test_ldp_signing_refuses_an_rsa_key(files, capsys):
    code, _, err = run(capsys, "sign", str(files / "credential.json"), "--key", str(files / "rsa.jwk"))
    assert code == 2 and "Ed25519" in err


def test_module_entry_point_runs():
    done = subprocess.run([sys.executable, "-m", "ob3", "verify", str(VALIDATOR / "simple-json.svg")],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and json.loads(done.stdout)["format"] == "svg"
