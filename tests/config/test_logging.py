import json
import logging
import sys

from config.logging import JsonLinesFormatter


def record(**extra) -> logging.LogRecord:
    entry = logging.LogRecord(
        "badges.credentials.signing", logging.WARNING, __file__, 1, "signing %s", ("failed",), None
    )
    entry.__dict__.update(extra)
    return entry


def test_it_writes_one_json_object_with_extras():
    line = JsonLinesFormatter().format(record(credential_id=7))
    assert "\n" not in line
    data = json.loads(line)
    assert data["level"] == "WARNING"
    assert data["logger"] == "badges.credentials.signing"
    assert data["message"] == "signing failed"
    assert data["credential_id"] == 7
    assert data["time"].endswith("+00:00")


def test_it_includes_the_exception():
    try:
        raise ValueError("boom")
    except ValueError:
        entry = record()
        entry.exc_info = sys.exc_info()
    data = json.loads(JsonLinesFormatter().format(entry))
    assert "ValueError: boom" in data["exception"]
