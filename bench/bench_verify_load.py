"""Public verification under load, in the shipped shape: gunicorn (deploy/gunicorn.conf.py) with the production
settings on PostgreSQL and Redis, behind the caching proxy (deploy/nginx.conf), measured with wrk.

    .venv/bin/python bench/bench_verify_load.py                # 10 s per endpoint and target
    .venv/bin/python bench/bench_verify_load.py --seconds 2 --cache-seconds 6   # quick (CI)

Needs PostgreSQL (DATABASE_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres: a database
`mikromerit_bench_verify` is created afresh and dropped at the end), Redis (BENCH_REDIS_URL, default
redis://127.0.0.1:6379, databases 11 and 12) and nginx and wrk on the PATH (`apt-get install -y nginx wrk`).

It seeds an issuer, a published micro-credential and --credentials signed, shared credentials, starts gunicorn
and nginx (foreground, in a temporary prefix; the three lines of deploy/nginx.conf marked [bench] are pointed
at it), then for each endpoint — /c/<id>, the status list, the DID document, the controller document (the
issuer's Profile at its https id) and /a/<id> — runs wrk (50 connections) through the proxy and straight
against gunicorn, and prints requests/s and p50/p95/p99 (a wrk Lua script reads them). Requests carry the
headers a TLS-terminating proxy in front would add (X-Forwarded-Proto: https; DJANGO_BEHIND_TLS_PROXY=1).
VERIFY_RATE_LIMIT is raised for the run: one load generator is one client address.

Then: a cProfile summary of one /c/<id> request whose verdict is not cached, and a revocation: how long the
page, read through the proxy, takes to say "revoked" (bounded by s-maxage; a browser adds at most its
max-age: PUBLIC_CACHE_SECONDS in all), and straight from gunicorn (the verdict cache is not waited for).
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import io
import json
import os
import pstats
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
DATABASE = "mikromerit_bench_verify"
HOST = "mikromerit.example"
CONNECTIONS = 50
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout))
end
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(*, media: Path, cache_seconds: int) -> dict[str, str]:
    """The environment of .ci/run's `check --deploy` step, on a database and Redis databases of the bench's own."""
    admin = os.environ.get("DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    redis = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "MIKROMERIT_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="bench-" + secrets.token_urlsafe(48),
        KEY_ENCRYPTION_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
        PUBLIC_BASE_URL=f"https://{HOST}",
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_BEHIND_TLS_PROXY="1",
        EMAIL_HOST="smtp.mikromerit.example",
        DATABASE_URL=admin.rsplit("/", 1)[0] + "/" + DATABASE,
        CELERY_BROKER_URL=f"{redis}/11",
        CACHE_URL=f"{redis}/12",
        MEDIA_ROOT=str(media),
        VERIFY_RATE_LIMIT="100000000/m",
        PUBLIC_CACHE_SECONDS=str(cache_seconds),
        LOG_LEVEL="WARNING",
    )
    return env


def _run(args: list[str], env: dict[str, str], **kwargs) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False, **kwargs)
    if done.returncode:
        sys.exit(f"{' '.join(args[:3])} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def _database(action: str) -> None:
    import psycopg

    admin = os.environ.get("DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        if action == "create":
            connection.execute(f'CREATE DATABASE "{DATABASE}"')


def _redis_flush(env: dict[str, str]) -> None:
    import redis

    for url in (env["CELERY_BROKER_URL"], env["CACHE_URL"]):
        redis.Redis.from_url(url).flushdb()


# --- Steps run inside Django (a subprocess with the production environment) --------------------------
def _django() -> None:
    import django

    django.setup()


def step_seed(count: int) -> dict[str, str]:
    _django()
    from django.urls import reverse

    from badges.credentials.issuing import credential_issue
    from badges.credentials.signing import credential_sign
    from badges.models import Credential
    from issuers.models import Role
    from tests.factories import make_achievement, make_issuer, make_member

    issuer = make_issuer("bench")
    achievement = make_achievement(issuer)
    owner = make_member(issuer, "bench-owner", Role.OWNER).user
    ids = []
    for n in range(count):
        credential = credential_issue(achievement=achievement, recipient_email=f"person{n}@example.org",
                                      recipient_name=f"Person {n}")
        credential_sign(credential_id=credential.pk)
        ids.append(credential.pk)
    Credential.objects.filter(pk__in=ids).update(share_enabled=True)
    first = Credential.objects.select_related("status_list").get(pk=ids[0])
    return {
        "credential": f"/c/{first.public_id}",
        "status list": reverse("credentials:status-list", args=[issuer.slug, first.status_list.public_id]),
        "DID document": reverse("issuers:did-document", args=[issuer.slug]),
        "controller document": reverse("issuers:detail", args=[issuer.slug]),
        "achievement": f"/a/{achievement.public_id}",
        "credential_pk": str(first.pk),
        "second_pk": str(ids[1] if len(ids) > 1 else ids[0]),
        "owner": owner.username,
    }


def step_profile(path: str, credential_pk: int) -> str:
    """cProfile of one /c/<id> request whose verdict is not cached, then the time of a cached one."""
    _django()
    from django.test import Client

    from badges.credentials.verdict_cache import verdict_cache_forget

    client = Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_LANGUAGE="en")
    client.get(path)  # warm the process (imports, templates, the fast canonicaliser's contexts)
    verdict_cache_forget(credential_pk)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    response = client.get(path)
    profiler.disable()
    uncached = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    started = time.perf_counter()
    client.get(path)
    cached = time.perf_counter() - started
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(r"mikromerit|ob3|verification|badges|"
                                                                           r"issuers|kernel|django/template", 18)
    text = "\n".join(line for line in out.getvalue().splitlines() if line.strip() and not line.startswith(" " * 20))
    return f"one request, verdict not cached: {uncached * 1000:.1f} ms; verdict cached: {cached * 1000:.1f} ms\n{text}"


def step_revoke(credential_pk: int, owner: str) -> float:
    _django()
    from django.contrib.auth import get_user_model

    from badges.credentials.revocation import credential_revoke
    from badges.models import Credential

    credential_revoke(credential=Credential.objects.get(pk=credential_pk),
                      by=get_user_model().objects.get(username=owner), reason="Bench: revoked")
    return time.time()  # committed (and the status list re-signed)


def write_nginx_config(prefix: Path, *, upstream: int, listen: int) -> Path:
    """deploy/nginx.conf, its [bench] lines pointed at `prefix` and local ports, inside a main configuration
    for a foreground nginx (`nginx -p prefix -c returned-path`). Also used by tests/config/test_proxy.py."""
    (prefix / "cache").mkdir(parents=True, exist_ok=True)
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    replaced = {
        "/var/cache/nginx/mikromerit": str(prefix / "cache"),
        "server web:8000;": f"server 127.0.0.1:{upstream};",
        "listen 80;": f"listen 127.0.0.1:{listen};",
    }
    for old, new in replaced.items():
        if old not in text:
            raise RuntimeError(f"deploy/nginx.conf no longer has {old!r}: update bench/bench_verify_load.py")
        text = text.replace(old, new)
    (prefix / "mikromerit.conf").write_text(text)
    temp = "\n".join(f"  {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                           "scgi"))
    user = "user root root;\n" if os.geteuid() == 0 else ""  # the workers must reach the temporary prefix
    main = prefix / "nginx.conf"
    main.write_text(
        f"{user}daemon off;\nworker_processes auto;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\nevents {{ worker_connections 1024; }}\n"
        f"http {{\n  access_log off;\n{temp}\n  include {prefix / 'mikromerit.conf'};\n}}\n")
    return main


# --- Servers and the load generator --------------------------------------------------------------------
class Servers:
    def __init__(self, env: dict[str, str], tmp: Path):
        self.env, self.tmp = env, tmp
        self.gunicorn_port, self.proxy_port = _free_port(), _free_port()
        self.processes: list[subprocess.Popen] = []

    def start(self) -> None:
        self.processes.append(subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "config.wsgi", "-c", "deploy/gunicorn.conf.py",
             "--bind", f"127.0.0.1:{self.gunicorn_port}", "--access-logfile", "/dev/null"],
            env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(self.tmp / "gunicorn.log", "w")))
        self._nginx_config()
        self.processes.append(subprocess.Popen(
            ["nginx", "-p", str(self.tmp / "nginx"), "-c", str(self.tmp / "nginx" / "nginx.conf")],
            stdout=subprocess.DEVNULL, stderr=open(self.tmp / "nginx.log", "w")))
        for port in (self.gunicorn_port, self.proxy_port):
            self._wait(port)

    def _nginx_config(self) -> None:
        write_nginx_config(self.tmp / "nginx", upstream=self.gunicorn_port, listen=self.proxy_port)

    @staticmethod
    def _wait(port: int) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.2)
        sys.exit(f"nothing listens on port {port}: see the logs in the temporary directory")

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM if "gunicorn" in str(process.args) else signal.SIGQUIT)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https", "Accept-Language": "en"}
ACCEPT = {"controller document": "application/ld+json"}


def get(port: int, path: str, accept: str = "text/html") -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={**HEADERS, "Accept": accept})
    try:
        # Generous: on a busy machine a cold worker's first answer (imports, first verdict) takes a while.
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 -- our local servers  # nosec B310
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode(errors="replace")


def wrk(port: int, path: str, seconds: float, script: Path, accept: str) -> dict[str, float]:
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(script)]
    for name, value in {**HEADERS, "Accept": accept}.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^BENCH (.*)$", out, re.MULTILINE)
    if not match:
        sys.exit(f"wrk printed no figures:\n{out}")
    requests, duration, p50, p95, p99, worst, bad_status, socket_errors = map(int, match.group(1).split())
    return {"rps": requests / (duration / 1e6), "p50": p50 / 1000, "p95": p95 / 1000, "p99": p99 / 1000,
            "max": worst / 1000, "non_2xx": bad_status, "socket_errors": socket_errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10, help="wrk's duration per endpoint and target")
    parser.add_argument("--credentials", type=int, default=20)
    parser.add_argument("--cache-seconds", type=int, default=60, help="PUBLIC_CACHE_SECONDS for the run")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--args", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.step:
        step_args = json.loads(options.args or "[]")
        result = {"seed": step_seed, "profile": step_profile, "revoke": step_revoke}[options.step](*step_args)
        print("RESULT " + json.dumps(result))
        return
    for tool in ("nginx", "wrk"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed: apt-get install -y nginx wrk")
    from bench.bench_ob3 import machine

    tmp = Path(tempfile.mkdtemp(prefix="mikromerit-bench-verify-"))
    os.chmod(tmp, 0o755)  # noqa: S103 -- nginx reads the prefix; nothing secret there  # nosec B103
    env = production_env(media=tmp / "media", cache_seconds=options.cache_seconds)
    servers = Servers(env, tmp)
    _database("create")
    try:
        _redis_flush(env)
        _run([PYTHON, "manage.py", "migrate", "--noinput"], env)
        _run([PYTHON, "manage.py", "collectstatic", "--noinput"], env)
        urls = _step("seed", [options.credentials], env)
        servers.start()
        print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f} at start")
        print(f"wrk: {CONNECTIONS} connections, 2 threads, {options.seconds:g} s per row; "
              f"gunicorn {_gunicorn_shape(env)}; PUBLIC_CACHE_SECONDS={options.cache_seconds}")
        _load(servers, urls, options.seconds, tmp)
        print()
        print(_step("profile", [urls["credential"], int(urls["credential_pk"])], env))
        print()
        _revocation(servers, urls, env)
    finally:
        servers.stop()
        _database("drop")
        _redis_flush(env)
        shutil.rmtree(tmp, ignore_errors=True)


def _step(name: str, args: list, env: dict[str, str]):
    out = _run([PYTHON, __file__, "--step", name, "--args", json.dumps(args)], env)
    return json.loads(out.rsplit("RESULT ", 1)[1])


def _gunicorn_shape(env: dict[str, str]) -> str:
    shape = _run([PYTHON, "-c", "import runpy; c = runpy.run_path('deploy/gunicorn.conf.py'); "
                                "print(c['workers'], c['worker_class'], c['threads'])"], env).split()
    return f"{shape[0]} processes × {shape[2]} threads ({shape[1]})"


def _load(servers: Servers, urls: dict[str, str], seconds: float, tmp: Path) -> None:
    script = tmp / "figures.lua"
    script.write_text(WRK_SCRIPT)
    print(f"{'endpoint':<20} {'via':<9} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}  "
          f"{'cache':<6} errors")
    for name in ("credential", "status list", "DID document", "controller document", "achievement"):
        accept = ACCEPT.get(name, "text/html")
        status, headers, _body = get(servers.proxy_port, urls[name], accept)
        if status != 200:
            sys.exit(f"{name}: {urls[name]} answered {status} through the proxy")
        for via, port in (("proxy", servers.proxy_port), ("gunicorn", servers.gunicorn_port)):
            cache = get(port, urls[name], accept)[1].get("X-Cache-Status", "-")
            figures = wrk(port, urls[name], seconds, script, accept)
            errors = f"{figures['non_2xx']} non-2xx, {figures['socket_errors']} socket"
            print(f"{name:<20} {via:<9} {figures['rps']:9.0f} {figures['p50']:8.1f} {figures['p95']:8.1f} "
                  f"{figures['p99']:8.1f} {figures['max']:8.1f}  {cache:<6} {errors}")
        print(f"{'':<20} Cache-Control: {headers.get('Cache-Control')}; Vary: {headers.get('Vary', '-')}")


def _revocation(servers: Servers, urls: dict[str, str], env: dict[str, str]) -> None:
    path = urls["credential"]
    status, headers, body = get(servers.proxy_port, path)
    assert status == 200 and 'class="verdict' in body, status
    fresh = get(servers.proxy_port, path)[1].get("X-Cache-Status")
    control = headers.get("Cache-Control", "")
    grace = int(re.search(r"stale-while-revalidate=(\d+)", control).group(1))
    shared = int(re.search(r"s-maxage=(\d+)", control).group(1)) + grace
    browser = int(re.search(r"(?<!-)max-age=(\d+)", control).group(1)) + grace
    revoked_at = _step("revoke", [int(urls["credential_pk"]), urls["owner"]], env)
    direct = _says_revoked(get(servers.gunicorn_port, path)[2])
    while not _says_revoked(get(servers.proxy_port, path)[2]):
        if time.time() - revoked_at > shared + 5:
            sys.exit(f"the page still did not say revoked {shared + 5} s after the revocation")
        time.sleep(0.25)
    seen = time.time() - revoked_at
    print(f"revocation: the page (a cache {fresh} just before) says revoked through the proxy {seen:.1f} s after "
          f"the revocation committed; straight from gunicorn: {'at once' if direct else 'NOT at once'}.")
    print(f"bound: the proxy keeps a page for s-maxage + stale-while-revalidate = {shared} s, a browser for "
          f"max-age + stale-while-revalidate = {browser} s after that (nginx sends no Age): {shared + browser} s "
          f"and the rendering time in all, within PUBLIC_CACHE_SECONDS (kernel/http_cache.py).")


def _says_revoked(body: str) -> bool:
    return "The issuer has withdrawn this credential" in body


if __name__ == "__main__":
    main()
