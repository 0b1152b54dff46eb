"""Rate-limit counting in separate Python processes, each with Django set up on its own against one cache.

`count_in_two_processes` starts two fresh interpreters (multiprocessing's spawn, not fork: nothing of the
test process is inherited), lets them make their requests in lock-step through a barrier and returns what
each was answered. Nothing here imports Django at module level: the children set it up themselves.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

# One rate-limit window for the whole run: django-ratelimit's windows follow the clock.
FROZEN_AT = "2030-01-02T03:04:05Z"
CLIENT_IP = "203.0.113.7"
WAIT_SECONDS = 120


def _count(
    *, env: dict[str, str | None], group: str, rate: str, requests: int, create_table: bool, barrier: Any, answers: Any
) -> None:
    for name, value in env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.http import HttpResponse
    from django.test import RequestFactory
    from freezegun import freeze_time

    from kernel.ratelimit import rate_limited

    if create_table:
        call_command("createcachetable", verbosity=0)
    view = rate_limited(group, lambda: rate, as_json=True)(lambda request: HttpResponse("ok"))
    request = RequestFactory().get("/verify/", REMOTE_ADDR=CLIENT_IP)
    statuses = []
    barrier.wait(timeout=WAIT_SECONDS)  # both set up, and the table created, before either counts
    with freeze_time(FROZEN_AT):
        for _ in range(requests):
            barrier.wait(timeout=WAIT_SECONDS)  # request n of both processes at the same moment
            statuses.append(view(request).status_code)
    answers.put((settings.CACHES[settings.RATELIMIT_USE_CACHE]["BACKEND"], statuses))


def count_in_two_processes(*, env: dict[str, str | None], group: str, rate: str, requests: int) -> list[tuple]:
    """[(cache backend, [status of each request])] of two processes that each make `requests` requests
    from the same client to a view limited to `rate`."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    answers = context.Queue()
    processes = [
        context.Process(
            target=_count,
            kwargs={
                "env": env, "group": group, "rate": rate, "requests": requests, "create_table": index == 0,
                "barrier": barrier, "answers": answers,
            },
        )
        for index in range(2)
    ]  # fmt: skip
    for process in processes:
        process.start()
    try:
        results = [answers.get(timeout=WAIT_SECONDS) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=WAIT_SECONDS)
            if process.is_alive():
                process.kill()
    assert [process.exitcode for process in processes] == [0, 0]
    return results
