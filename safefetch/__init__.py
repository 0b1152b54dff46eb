"""SSRF-safe fetching of public JSON documents; see safefetch.fetcher."""

from safefetch.fetcher import JSON_TYPES, MAX_BYTES, Fetcher, FetchError, address_is_public, parse_json

__all__ = ["JSON_TYPES", "MAX_BYTES", "FetchError", "Fetcher", "address_is_public", "parse_json"]
