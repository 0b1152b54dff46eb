"""SSRF-safe fetching of public JSON documents; see safefetch.fetcher."""

from safefetch.fetcher import (
    JSON_TYPES,
    MAX_BYTES,
    MAX_POST_BYTES,
    Fetcher,
    FetchError,
    PostAnswer,
    address_is_public,
    parse_json,
)

__all__ = [
    "JSON_TYPES", "MAX_BYTES", "MAX_POST_BYTES", "FetchError", "Fetcher", "PostAnswer", "address_is_public",
    "parse_json",
]
