"""Container health check for the web service: GET /healthz on this host, as one of the allowed hosts."""

import os
import sys
import urllib.request

host = (os.environ.get("DJANGO_ALLOWED_HOSTS") or "localhost").split(",")[0].strip()
request = urllib.request.Request(
    f"http://127.0.0.1:{os.environ.get('PORT') or 8000}/healthz", headers={"Host": host}
)
try:
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 -- a fixed local http URL  # nosec B310
        sys.exit(0 if response.status == 200 else 1)
except Exception as exc:
    print(exc, file=sys.stderr)
    sys.exit(1)
