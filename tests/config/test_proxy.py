"""The caching reverse proxy (deploy/nginx.conf, docker-compose.yml's `proxy`): it keeps only what the
application marks public, and never for a visitor with a session cookie.

The live tests run Debian's nginx (`apt-get install -y nginx`) against a small upstream in the test process;
without nginx they are skipped and the configuration is only read.
"""

import re
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.request import Request, urlopen

import pytest
import yaml

from bench.bench_verify_load import write_nginx_config

ROOT = Path(__file__).resolve().parents[2]
CONFIG = (ROOT / "deploy" / "nginx.conf").read_text()


def _private_pattern() -> re.Pattern:
    block = re.search(r"map \$http_cookie \$mikromerit_private \{(.*?)\}", CONFIG, re.DOTALL)
    assert block, "the session-cookie map is missing"
    return re.compile(re.search(r'"~(.*)" 1;', block.group(1)).group(1))


def test_requests_with_a_session_or_messages_cookie_neither_read_nor_fill_the_cache():
    assert re.search(r"^\s*proxy_cache_bypass \$mikromerit_private;", CONFIG, re.MULTILINE)
    assert re.search(r"^\s*proxy_no_cache \$mikromerit_private;", CONFIG, re.MULTILINE)
    private = _private_pattern()
    for cookie in ("sessionid=abc", "csrftoken=x; sessionid=abc", "django_language=sv;messages=m"):
        assert private.search(cookie), cookie
    for cookie in ("", "csrftoken=x", "django_language=sv", "xsessionid=abc"):
        assert not private.search(cookie), cookie


def test_the_cache_key_holds_what_pages_vary_on_and_stale_copies_are_not_served_on_errors():
    key = re.search(r'proxy_cache_key "([^"]+)";', CONFIG).group(1)
    for part in ("$request_uri", "$host", "$http_accept", "$http_accept_language", "$cookie_django_language"):
        assert part in key
    directives = [line.split("#")[0].strip() for line in CONFIG.splitlines()]
    # An old page could still call a revoked credential valid; the application's headers are honoured.
    assert not any(line.startswith(("proxy_cache_use_stale", "proxy_ignore_headers", "proxy_cache_valid"))
                   for line in directives)
    assert "proxy_set_header X-Real-IP $remote_addr;" in CONFIG


def test_compose_puts_the_proxy_in_front_of_gunicorn():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    proxy, web = services["proxy"], services["web"]
    assert proxy["image"].startswith("nginx")
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    assert proxy["ports"] == ["${PORT:-8000}:80"]
    assert "ports" not in web  # visitors reach gunicorn only through the proxy
    assert "-c deploy/gunicorn.conf.py" in web["command"] and (ROOT / "deploy" / "gunicorn.conf.py").is_file()
    assert web["environment"]["RATELIMIT_IP_META_KEY"] == "HTTP_X_REAL_IP"
    assert web["environment"]["PORT"] == 8000 and "server web:8000;" in CONFIG


# --- nginx itself ------------------------------------------------------------------------------------
needs_nginx = pytest.mark.skipif(shutil.which("nginx") is None,
                                 reason="nginx is not installed (apt-get install -y nginx): the configuration was "
                                        "only read, not run")


class _Upstream(BaseHTTPRequestHandler):
    """Answers /public with a shared-cacheable body, /private with a private one; counts what reaches it."""

    hits: list[str] = []

    def do_GET(self):  # noqa: N802 -- http.server's name
        self.hits.append(self.path)
        body = f"{self.path} #{len(self.hits)}".encode()
        self.send_response(200)
        control = "public, max-age=25, s-maxage=25" if self.path == "/public" else "private, no-cache"
        self.send_header("Cache-Control", control)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def proxy(tmp_path):
    _Upstream.hits = []
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    listen = _port()
    tmp_path.chmod(0o755)
    main = write_nginx_config(tmp_path / "nginx", upstream=upstream.server_address[1], listen=listen)
    checked = subprocess.run(["nginx", "-t", "-p", str(tmp_path / "nginx"), "-c", str(main)], capture_output=True,
                             text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(["nginx", "-p", str(tmp_path / "nginx"), "-c", str(main)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _attempt in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", listen)) == 0:
                    break
            time.sleep(0.05)
        yield listen
    finally:
        process.terminate()
        process.wait(timeout=10)
        upstream.shutdown()


def _get(port: int, path: str, **headers) -> tuple[str, str]:
    with urlopen(Request(f"http://127.0.0.1:{port}{path}", headers=headers), timeout=10) as response:  # noqa: S310
        return response.read().decode(), response.headers["X-Cache-Status"]


@needs_nginx
def test_nginx_keeps_a_public_answer_for_anonymous_visitors(proxy):
    assert _get(proxy, "/public") == ("/public #1", "MISS")
    assert _get(proxy, "/public") == ("/public #1", "HIT")
    assert _get(proxy, "/public", Cookie="csrftoken=x; django_language=sv")[1] == "MISS"  # another language key
    assert _Upstream.hits == ["/public", "/public"]


@needs_nginx
def test_nginx_bypasses_the_cache_for_a_session_cookie(proxy):
    _get(proxy, "/public")
    assert _get(proxy, "/public", Cookie="sessionid=abc") == ("/public #2", "BYPASS")
    assert _get(proxy, "/public") == ("/public #1", "HIT")  # the signed-in answer was not stored


@needs_nginx
def test_nginx_never_keeps_a_private_answer(proxy):
    assert _get(proxy, "/private") == ("/private #1", "MISS")
    assert _get(proxy, "/private") == ("/private #2", "MISS")
