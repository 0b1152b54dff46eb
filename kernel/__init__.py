"""Plumbing every app shares and no app owns: business errors, append-only logs, single-use secrets,
fetching other sites' documents, rate limits, this site's public addresses and lookups by public id.

It knows Django but none of the apps (an import-linter layer keeps it at the bottom).
"""
