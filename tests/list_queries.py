"""What a list page asks the database: the checks that keep lists of credentials cheap however long they grow."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

# A signed document or VC-JWT among the columns a query selects (the next column or FROM follows it). A test
# of whether one is there ("document" IS NOT NULL, "jwt" = '') reads no value and does not match.
_SIGNED_COLUMN = re.compile(r'\."(?:document|jwt)"(?=,| FROM )')


def page_queries(client: Any, url: str, data: dict[str, Any] | None = None, **extra: Any) -> tuple[Any, list[dict]]:
    """One GET of `url`, which must answer 200: the response and the queries it took."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data, **extra)
    assert response.status_code == 200, response.content[:500]
    return response, captured.captured_queries


def signed_documents_loaded(queries: list[dict[str, str]]) -> list[str]:
    """The SQL of the queries that load a credential's signed document or VC-JWT."""
    return [query["sql"] for query in queries if _SIGNED_COLUMN.search(query["sql"])]
