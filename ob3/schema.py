"""JSON Schema validation of OB 3.0 documents (draft 2019-09), fully offline.

The schemas are our own, written from the OB 3.0 data model (spec Appendix B): `schemas/ob-v3p0-data-model.json`
defines each class once, and `ob-v3p0-{achievementcredential,endorsementcredential,profile}.json` name the
class a document must be. No package on PyPI or npm carries 1EdTech's published schemas, so we do not hold
copies of them; tests/ob3/test_schema_equivalence.py runs ours and 1EdTech's (from ../shared/ob3/schemas)
over a corpus of spec examples, validator samples, generated credentials and broken variants of them, and
requires the same accept/reject decision for each.

Why a JSON Schema of our own rather than plain Python checks: the rules stay declarative, one definition
per class that reads like the spec's tables and diffs against them; the same validator (jsonschema) checks
the Mikromerit extension schema; and its errors already carry the JSON path and a plain message, which the
verifier shows people as they are (`credentialSubject.achievement.image: 'https://x/y.png' is not of type
'object'`).

Format assertions are on (`date-time`, `date`), so a `validFrom` without a timezone is an error, as it is
in the 1EdTech validator. For credentials (the "achievement" and "endorsement" schemas) one rule the schema
does not express is checked too: `credentialSubject` needs an `id` or at least one `identifier` (spec B.1.3).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft201909Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry
from referencing.jsonschema import DRAFT201909

from ob3.errors import Ob3Error
from ob3.values import as_list

SCHEMAS_DIR = Path(__file__).with_name("schemas")

_OB_SCHEMA_BASE = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
# The class definitions the entry schemas point at (by this id).
DATA_MODEL_ID = "urn:mikromerit:ob3:ob-v3p0-data-model"
DATA_MODEL_FILE = "ob-v3p0-data-model.json"
SCHEMA_FILES: Mapping[str, str] = {
    "achievement": "ob-v3p0-achievementcredential.json",
    "endorsement": "ob-v3p0-endorsementcredential.json",
    "profile": "ob-v3p0-profile.json",
}
# Published schema URL -> our schema that decides the same, for checking a credential's
# `credentialSchema[].id` offline. The `-jsonschema1.json` ids are what the gh-pages builds of 1EdTech's
# files call themselves. The `schema/json-ld/...` ids are deliberately absent: those name the
# compaction-tolerant variants, and the canonical-form check would wrongly reject what they accept.
SCHEMA_URLS: dict[str, str] = {
    _OB_SCHEMA_BASE + "ob_v3p0_achievementcredential_schema.json": SCHEMA_FILES["achievement"],
    _OB_SCHEMA_BASE + "ob_v3p0_achievementcredential-jsonschema1.json": SCHEMA_FILES["achievement"],
    _OB_SCHEMA_BASE + "ob_v3p0_endorsementcredential_schema.json": SCHEMA_FILES["endorsement"],
    _OB_SCHEMA_BASE + "ob_v3p0_endorsementcredential-jsonschema1.json": SCHEMA_FILES["endorsement"],
    _OB_SCHEMA_BASE + "ob_v3p0_profile_schema.json": SCHEMA_FILES["profile"],
    _OB_SCHEMA_BASE + "ob_v3p0_profile-jsonschema1.json": SCHEMA_FILES["profile"],
}
_CREDENTIAL_FILES = frozenset({SCHEMA_FILES["achievement"], SCHEMA_FILES["endorsement"]})
_MAX_MESSAGE = 300

# Trap: jsonschema silently skips a format whose checker library is missing, and "date-time" needs
# rfc3339-validator. Fail at import rather than let naive dates pass.
if "date-time" not in Draft201909Validator.FORMAT_CHECKER.checkers:  # pragma: no cover
    raise ImportError("ob3.schema needs the rfc3339-validator package to check date-time formats")


class UnknownSchemaError(Ob3Error):
    """A schema name or `credentialSchema` URL this module has no schema for; nothing is fetched."""


def schema_file(schema: str) -> str:
    """The file in `schemas/` for a schema name ("achievement", ...) or a published schema URL."""
    try:
        return SCHEMA_FILES.get(schema) or SCHEMA_URLS[schema]
    except KeyError:
        raise UnknownSchemaError(
            f"no JSON Schema for {schema!r}; known names {sorted(SCHEMA_FILES)}, "
            f"known URLs {sorted(SCHEMA_URLS)}"
        ) from None


def register_schema(url: str, file_name: str) -> None:
    """Let `validate_schema(document, url)` use `schemas/<file_name>`, e.g. for an extension.

    Idempotent; raises UnknownSchemaError when the file is not vendored or `url` already names
    another file, so a registration can never silently swap the schema behind a URL.
    """
    if not (SCHEMAS_DIR / file_name).is_file():
        raise UnknownSchemaError(f"no vendored schema file {file_name!r} in {SCHEMAS_DIR}")
    if SCHEMA_URLS.setdefault(url, file_name) != file_name:
        raise UnknownSchemaError(f"{url!r} is already registered for {SCHEMA_URLS[url]!r}")


def is_known_schema(schema: str) -> bool:
    """Whether `validate_schema` can check against `schema` (a name or published URL) offline."""
    return schema in SCHEMA_FILES or schema in SCHEMA_URLS


def read_schema(file_name: str) -> dict[str, Any]:
    """The parsed JSON Schema `schemas/<file_name>`."""
    document = json.loads((SCHEMAS_DIR / file_name).read_text("utf-8"))
    if not isinstance(document, dict):
        raise UnknownSchemaError(f"schemas/{file_name} is not a JSON Schema object")
    return document


@cache
def _registry() -> Registry[Any]:
    resource = DRAFT201909.create_resource(read_schema(DATA_MODEL_FILE))
    registry: Registry[Any] = Registry().with_resource(DATA_MODEL_ID, resource)
    return registry


@cache
def _validator(file_name: str) -> Draft201909Validator:
    return Draft201909Validator(read_schema(file_name), registry=_registry(),
                                format_checker=Draft201909Validator.FORMAT_CHECKER)


def json_path(path: Iterable[Any]) -> str:
    """`["credentialSubject", "identifier", 0]` -> `"credentialSubject.identifier[0]"`; `"$"` for root."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "$"


def _closest_branch(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf, the error of the branch the value was most likely meant to match."""
    while error.validator in ("oneOf", "anyOf") and error.context:
        # A branch that fails only on the value's JSON type ("not of type 'string'") was clearly
        # not meant; prefer a branch of the right type, whose error names the real problem.
        depth = len(error.absolute_path)
        meant = [e for e in error.context if not (e.validator == "type" and len(e.absolute_path) == depth)]
        error = best_match(meant or error.context)
    return error


def describe_error(error: ValidationError) -> str:
    """One validation error as `path: message`, in the form `validate_schema` reports it."""
    return _message(error)


def _message(error: ValidationError) -> str:
    error = _closest_branch(error)
    contains = error.validator_value if error.validator == "contains" else None
    if isinstance(contains, dict) and "enum" in contains:
        wanted = " or ".join(repr(value) for value in contains["enum"])
        message = f"{error.instance!r} must contain {wanted}"
    elif error.validator == "type" and isinstance(error.instance, dict | list):
        shown = "{…}" if isinstance(error.instance, dict) else "[…]"  # not the whole object
        message = f"{shown} is not of type {error.validator_value!r}"
    else:
        message = error.message
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 1] + "…"
    return f"{json_path(error.absolute_path)}: {message}"


def _subject_identification_errors(document: Mapping[str, Any]) -> list[str]:
    subject = document.get("credentialSubject")
    errors = []
    for i, item in enumerate(as_list(subject)):
        if not isinstance(item, Mapping) or "achievement" not in item:
            continue  # not an AchievementSubject; the schema reports its shape
        if "id" not in item and not item.get("identifier"):
            where = "credentialSubject" if not isinstance(subject, list) else f"credentialSubject[{i}]"
            errors.append(f"{where}: needs 'id' or at least one 'identifier' to name the recipient")
    return errors


def validate_schema(credential: Mapping[str, Any], schema: str = "achievement") -> list[str]:
    """Human-readable problems of `credential` under an OB 3.0 JSON Schema; [] if valid.

    `schema` is "achievement", "endorsement", "profile" or a URL from `SCHEMA_URLS`; anything else
    raises UnknownSchemaError. Each message starts with the JSON path of the offending value, e.g.
    `credentialSubject.achievement.image: 'https://x/y.png' is not of type 'object'`.
    """
    file_name = schema_file(schema)
    errors = _validator(file_name).iter_errors(credential)
    messages = sorted({_message(error) for error in errors})
    if file_name in _CREDENTIAL_FILES and isinstance(credential, Mapping):
        messages += _subject_identification_errors(credential)
    return messages
