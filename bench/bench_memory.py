"""Memory of one web worker over a long hostile run: does it stay flat?

    .venv/bin/python bench/bench_memory.py [--requests 2000] [--database-url postgres://…] [--max-requests N]

Starts gunicorn with a single sync worker on production settings (a throwaway SQLite database, or
--database-url), then sends a long series of hostile requests to the public endpoints anyone can reach
without an account: oversize and malformed uploads to /verify/, a deeply nested SVG and a PNG whose
header claims a huge image, megabyte-sized and deeply nested JSON to /verify/api, a broken multipart body.
It samples the worker's resident memory (VmRSS in /proc/<pid>/status) as it goes and prints the growth
after the warm-up (the first tenth of the run, when imports, caches and the allocator settle). The figures
are in docs/performance.md ("Memory of a web worker").

By default the worker is never recycled, so the growth is the code's own; --max-requests N runs it as
production does (docker-compose.yml: gunicorn --max-requests), where the worker is replaced after about N
requests and the figure shows the recycling instead. `--requests 200` is the CI size: it proves the script
runs, not the figure. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import re
import secrets
import signal
import socket
import struct
import subprocess  # nosec B404 -- starts gunicorn and manage.py, fixed commands
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
HOST = "mikromerit.example"
MB = 1024 * 1024


# --- Hostile bodies ------------------------------------------------------------------------------------------
def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = "----mikromerit" + secrets.token_hex(8)
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data, content_type) in files.items():
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n")
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def png_claiming(width: int, height: int) -> bytes:
    """A PNG header that claims a huge image, with a little compressed data and an iTXt chunk of junk."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    itxt = b"openbadgecredential\x00\x00\x00\x00\x00" + b"{" * 200_000
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"iTXt", itxt)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1_000_000)) + chunk(b"IEND", b""))


def deep_svg(depth: int) -> bytes:
    return (b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * depth + b"</g>" * depth
            + b"<script>alert(1)</script></svg>")


def deep_json(depth: int) -> bytes:
    return b'{"credential": ' + b"[" * depth + b"]" * depth + b"}"


def big_json(size: int) -> bytes:
    return json.dumps({"credential": {"@context": ["https://www.w3.org/ns/credentials/v2"],
                                      "type": ["VerifiableCredential"], "name": "x" * size}}).encode()


Request = tuple[str, str, bytes, dict[str, str]]  # method, path, body, headers


def hostile_requests(csrf: str, cookie: str) -> list[tuple[str, Callable[[], Request]]]:
    """Each case makes its request on demand, so the bench itself holds only one body at a time."""
    form_headers = {"Cookie": cookie, "Referer": f"https://{HOST}/verify/", "X-CSRFToken": csrf}

    def upload(filename: str, data: bytes, content_type: str) -> Request:
        body, kind = multipart({"csrfmiddlewaretoken": csrf}, {"file": (filename, data, content_type)})
        return "POST", "/verify/", body, {**form_headers, "Content-Type": kind}

    def text(value: str) -> Request:
        body, kind = multipart({"csrfmiddlewaretoken": csrf, "text": value}, {})
        return "POST", "/verify/", body, {**form_headers, "Content-Type": kind}

    def api(body: bytes, content_type: str = "application/json") -> Request:
        return "POST", "/verify/api", body, {"Content-Type": content_type}

    return [
        ("oversize upload (6 MB)", lambda: upload("badge.png", os.urandom(6 * MB), "image/png")),
        ("upload just under the limit (4.9 MB junk)", lambda: upload("badge.png", os.urandom(49 * MB // 10),
                                                                     "image/png")),
        ("PNG claiming 60000×60000 px", lambda: upload("bomb.png", png_claiming(60_000, 60_000), "image/png")),
        ("SVG nested 5000 deep", lambda: upload("deep.svg", deep_svg(5000), "image/svg+xml")),
        ("malformed JSON text (1 MB)", lambda: text("{" + "\"a\":[" * 50_000)),
        ("JWT of junk", lambda: text("eyJ" + base64.urlsafe_b64encode(os.urandom(300_000)).decode() + ".x.y")),
        ("API: JSON nested 100000 deep", lambda: api(deep_json(100_000))),
        ("API: 4 MB JSON credential", lambda: api(big_json(4 * MB))),
        ("API: broken multipart", lambda: api(b"--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n"
                                              + os.urandom(MB), "multipart/form-data; boundary=x")),
    ]


# --- The server --------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(workdir: Path, database_url: str | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "MIKROMERIT_"))}
    env.update({
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "KEY_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode(),
        "PUBLIC_BASE_URL": f"https://{HOST}",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback; a TLS proxy is not part of the bench
        "EMAIL_HOST": "smtp.mikromerit.example",
        "DATABASE_URL": database_url or f"sqlite:///{workdir / 'db.sqlite3'}",
        "CELERY_BROKER_URL": f"sqla+sqlite:///{workdir / 'broker.sqlite3'}",
        "CACHE_URL": "dbcache://",
        "MEDIA_ROOT": str(workdir / "media"),
        "EVIDENCE_ROOT": str(workdir / "evidence"),
        "EXPORT_ROOT": str(workdir / "exports"),
        # The limits would answer most requests with a cheap 429; the bench is about the expensive path.
        "VERIFY_RATE_LIMIT": "1000000/m",
        "VERIFY_UPLOAD_RATE_LIMIT": "1000000/m",
        "LOG_LEVEL": "WARNING",
    })
    return env


def worker_pid(master: int) -> int:
    for _ in range(200):
        children = Path(f"/proc/{master}/task/{master}/children")
        pids = children.read_text().split() if children.exists() else []
        if pids:
            return int(pids[0])
        time.sleep(0.05)
    raise RuntimeError("gunicorn started no worker")


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    kilobytes = int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1))  # type: ignore[union-attr]
    return kilobytes / 1024


def wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            send(port, ("GET", "/healthz", b"", {}))
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def send(port: int, request: Request) -> tuple[int, http.client.HTTPResponse | None, bytes]:
    """The answer's status, or 0 when the server answered (e.g. 413) and closed before taking the whole body."""
    method, path, body, headers = request
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        try:
            connection.request(method, path, body=body, headers={"Host": HOST, **headers})
        except (BrokenPipeError, ConnectionResetError):
            pass  # the answer, if any, is already waiting
        try:
            response = connection.getresponse()
            return response.status, response, response.read()
        except (http.client.HTTPException, ConnectionResetError, BrokenPipeError):
            return 0, None, b""
    finally:
        connection.close()


def csrf_pair(port: int) -> tuple[str, str]:
    _status, response, page = send(port, ("GET", "/verify/", b"", {}))
    cookie = (response.getheader("Set-Cookie") if response else None) or ""
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not token or "csrftoken=" not in cookie:
        raise RuntimeError("/verify/ gave no CSRF token")
    return token.group(1).decode(), cookie.split(";")[0]


def cycle(cases: list) -> Iterator:
    while True:
        yield from cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--database-url", help="PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/mikromerit_bench")
    parser.add_argument("--max-requests", type=int, default=0, help="recycle the worker as production does")
    parser.add_argument("--samples", type=int, default=20)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="mikromerit-memory-") as tmp:
        workdir = Path(tmp)
        env = production_env(workdir, args.database_url)
        for step in (["migrate"], ["collectstatic"]):  # production pages name their static files by the manifest
            subprocess.run([PYTHON, "manage.py", *step, "--noinput", "-v", "0"], cwd=ROOT, env=env,  # nosec B603
                           check=True)
        port = free_port()
        command = [PYTHON, "-m", "gunicorn", "config.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}",
                   "--timeout", "120", "--log-level", "warning"]
        if args.max_requests:
            command += ["--max-requests", str(args.max_requests), "--max-requests-jitter", "0"]
        log = (workdir / "server.log").open("wb")  # the refusals' warnings would drown the figures
        server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True,  # noqa: S603  # nosec B603
                                  stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(port)
            csrf, cookie = csrf_pair(port)
            cases = hostile_requests(csrf, cookie)
            statuses: dict[str, dict[int, int]] = {name: {} for name, _make in cases}
            every = max(1, args.requests // args.samples)
            warm_up = max(len(cases), args.requests // 10)
            samples: list[tuple[int, float]] = [(0, rss_mb(worker_pid(server.pid)))]
            started = time.monotonic()
            for number, (name, make) in zip(range(1, args.requests + 1), cycle(cases), strict=False):
                status, _response, _body = send(port, make())
                statuses[name][status] = statuses[name].get(status, 0) + 1
                if number % every == 0 or number == warm_up:
                    samples.append((number, rss_mb(worker_pid(server.pid))))
            elapsed = time.monotonic() - started
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            log.close()
            errors = [line for line in (workdir / "server.log").read_text(errors="replace").splitlines()
                      if '"level": "ERROR"' in line]

    print(f"{args.requests} hostile requests in {elapsed:.0f} s, one gunicorn worker"
          f"{f', recycled every {args.max_requests} requests' if args.max_requests else ', never recycled'}; "
          f"database {'PostgreSQL' if args.database_url else 'SQLite'}")
    print("\nanswers per case (0: the server answered and closed before the whole body was sent):")
    for name, counts in statuses.items():
        print(f"  {name:45} " + ", ".join(f"{status}×{count}" for status, count in sorted(counts.items())))
    print("\nrequests  worker RSS (MB)")
    for number, rss in samples:
        print(f"{number:8}  {rss:8.1f}")
    after_warm_up = next(rss for number, rss in samples if number >= warm_up)
    growth = samples[-1][1] - after_warm_up
    print(f"\nstart {samples[0][1]:.1f} MB, after warm-up ({warm_up} requests) {after_warm_up:.1f} MB, "
          f"end {samples[-1][1]:.1f} MB: growth after warm-up {growth:+.1f} MB "
          f"({growth / max(1, args.requests - warm_up) * 1000:+.1f} MB per 1000 requests)")
    server_errors = sum(count for counts in statuses.values() for status, count in counts.items() if status >= 500)
    if server_errors or errors:
        print(f"{server_errors} answers were 5xx; the server logged:", *errors[-5:], sep="\n", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
