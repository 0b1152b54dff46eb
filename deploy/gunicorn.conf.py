"""gunicorn's settings for the web service (docker-compose.yml: `gunicorn -c deploy/gunicorn.conf.py`).

Tuned for a small machine (2 cores) behind the caching proxy (deploy/nginx.conf), which answers most
public reads itself: what reaches gunicorn is mostly CPU-bound Django (templates, verification) with
short waits on PostgreSQL and Redis. So: about two processes per core, to use both cores while one waits,
each with a couple of threads, which overlap those waits and keep the proxy's connections alive
(the sync worker closes every connection). More processes only add memory and context switches. This is
a starting point, not a measured optimum: bench/bench_verify_load.py prints the shape it ran with, so compare
WEB_CONCURRENCY / GUNICORN_THREADS on the machine itself (docs/performance.md).

Environment: WEB_CONCURRENCY (processes, default 2 × cores), GUNICORN_THREADS (threads per process,
default 2), PORT (default 8000).
"""

import multiprocessing
import os

bind = f"0.0.0.0:{os.environ.get('PORT') or 8000}"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count())
worker_class = "gthread"
# The application is imported once, before the processes fork: they start at once and share its memory.
preload_app = True
threads = int(os.environ.get("GUNICORN_THREADS") or 2)
keepalive = 5  # seconds; longer than a proxy's pause between requests on a kept-alive connection
timeout = 30
graceful_timeout = 30
accesslog = "-"
