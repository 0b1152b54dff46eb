"""ob3 is a pure library: it imports and works with no web framework, task queue or HTTP client.

Third-party libraries may probe for optional packages (pyld looks for `requests` to offer a network
loader that ob3 never uses), so instead of inspecting sys.modules the test makes the forbidden
packages unimportable and then imports all of ob3 and signs and verifies a credential.
"""

import pkgutil
import subprocess
import sys
from pathlib import Path

import ob3

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("django", "rest_framework", "celery", "kombu", "requests", "httpx", "urllib3", "aiohttp",
             "issuers", "badges", "learners", "assessment", "config")

_PROGRAM = """
import importlib, importlib.abc, sys
from datetime import UTC, datetime

FORBIDDEN = {forbidden!r}

class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in FORBIDDEN:
            raise ImportError(f"{{name}} is not available to ob3")
        return None

sys.meta_path.insert(0, Refuse())
for name in {modules!r}:
    importlib.import_module(name)

from dataclasses import replace

from ob3.build import build_credential
from ob3.keys import LocalSigner
from ob3.proofs.data_integrity import sign_credential
from ob3.verify import verify
from tests.ob3.factories import realistic_draft

signer = LocalSigner.generate()
did = "did:key:" + signer.public_key.to_multikey()  # self-certifying, so it verifies offline
draft = realistic_draft()
credential = build_credential(replace(draft, issuer=replace(draft.issuer, id=did), status=None))
method = did + "#" + signer.public_key.to_multikey()
signed = sign_credential(credential, signer=signer, verification_method=method, created=datetime.now(UTC))
print(verify(signed).verdict)
"""


def test_ob3_imports_and_signs_with_every_forbidden_package_unavailable():
    modules = [m.name for m in pkgutil.walk_packages(ob3.__path__, "ob3.") if m.name != "ob3.__main__"]
    assert len(modules) >= 15
    program = _PROGRAM.format(forbidden=FORBIDDEN, modules=modules)
    done = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "valid"
