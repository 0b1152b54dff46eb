"""`make run`: prepare the embedded defaults, load demo data, then run the web server and a Celery worker.

Both run until Ctrl-C (or SIGTERM); then both are stopped, and if either exits on its own the other
is stopped too. Issuing stays asynchronous: the worker signs what the web process queues.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("MIKROMERIT_DEV", "1")
    env.setdefault("DJANGO_DEBUG", "1")
    env.setdefault("LOG_FORMAT", "text")
    env.setdefault("PORT", "8000")
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def _prepare(env: dict[str, str]) -> None:
    (ROOT / "var").mkdir(exist_ok=True)
    subprocess.run([PYTHON, "scripts/compile_messages.py"], cwd=ROOT, check=True)  # noqa: S603
    _manage(env, "migrate", "--noinput")
    _manage(env, "demo_load")


def _start(env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    port = env["PORT"]
    web = [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}"]
    worker = [PYTHON, "-m", "celery", "-A", "config", "worker", "--beat", "--pool", "solo", "--loglevel", "INFO"]
    # Own process groups, so Ctrl-C reaches the runner once and the runner stops each child cleanly.
    return [
        subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
        for command in (web, worker)
    ]


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    env = _env()
    try:
        _prepare(env)
    except subprocess.CalledProcessError as exc:
        return exc.returncode
    processes = _start(env)
    print(f"\nMikromerit is running at http://localhost:{env['PORT']}/  (admin: /admin/). Ctrl-C stops it.\n")
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        print("A process stopped on its own; stopping the other.")
    except KeyboardInterrupt:
        print("\nStopping…")
    finally:
        _stop(processes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
