"""Per-client rate limits on public endpoints (django-ratelimit), counted in the shared cache.

The cache must be shared by every web process (settings.CACHES, the "ratelimit" alias): a count kept per
process would let each gunicorn worker allow the full rate on its own. Without Redis the counts live in a
database table, through DatabaseCounterCache below.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

RETRY_AFTER_SECONDS = 60


def too_many(request: HttpRequest, *, as_json: bool) -> HttpResponse:
    """429 with Retry-After, as JSON for programs or as a page for people."""
    message = _("Too many checks from your connection in a short time. Please wait a minute and try again.")
    if as_json:
        response: HttpResponse = JsonResponse({"error": "rate_limited", "message": message}, status=429)
        response["Access-Control-Allow-Origin"] = "*"
    else:
        response = render(request, "rate_limited.html", {"message": message}, status=429)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def over_limit(request: HttpRequest, group: str, rate: str) -> bool:
    """Count this request against `group` (per client IP) and say whether it is over `rate`."""
    return is_ratelimited(request, group=group, key="ip", rate=rate, increment=True)


def rate_limited(group: str, rate: Callable[[], str], *, as_json: bool = False) -> Callable:
    """A view decorator; the rate is read (from settings) on every request, so tests and operators can
    change it without a restart."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if over_limit(request, group, rate()):
                return too_many(request, as_json=as_json)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class DatabaseCounterCache(DatabaseCache):
    """Django's database cache, with an incr() that two processes cannot interleave.

    DatabaseCache.incr() is a get() and then a set(): two web processes that both read 5 both write 6, and
    a client gets a request for free (django-ratelimit's own system check calls it "not atomic"). Here the
    read and the write happen in one transaction that takes the row's write lock first, so a second
    incr() waits, then reads what the first one wrote. `manage.py migrate` creates the table (kernel.apps).
    """

    _table: str  # set by BaseDatabaseCache.__init__ (the stubs leave this private attribute out)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        with transaction.atomic(using=db):
            with connection.cursor() as cursor:
                # A write that changes nothing, to take the lock before reading: PostgreSQL locks the row,
                # SQLite the whole database (waiting up to its busy timeout, like any other writer).
                cursor.execute(
                    f"UPDATE {quote(self._table)} SET {quote('expires')} = {quote('expires')} "  # noqa: S608 -- quoted names of the cache table; the key is a parameter  # nosec B608
                    f"WHERE {quote('cache_key')} = %s",
                    [self.make_and_validate_key(key, version=version)],
                )
            return super().incr(key, delta, version)
