"""ob3 is a pure library: importing all of it pulls in no web framework, task queue or HTTP client."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import ob3

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("django", "rest_framework", "celery", "kombu", "requests", "httpx", "urllib3",
             "issuers", "badges", "learners", "assessment", "config")


def test_importing_every_ob3_module_loads_nothing_forbidden():
    modules = [m.name for m in pkgutil.walk_packages(ob3.__path__, "ob3.") if m.name != "ob3.__main__"]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
    assert len(modules) >= 15
