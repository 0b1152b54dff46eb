"""Recipient lists: every row checked, every problem named, hostile files refused with a message."""

import pytest
from django.utils import translation

from assessment.csv_import import parse_recipients


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_problems_are_told_in_swedish_too():
    with translation.override("sv"):
        assert parse(b"x,y\n").problems == ["Rad 1: ”x” är inte en e-postadress."]


def parse(text, *, max_rows=2000, encoding="utf-8"):
    return parse_recipients(text.encode(encoding) if isinstance(text, str) else text, max_rows=max_rows)


@pytest.mark.parametrize(
    "text",
    [
        "email,name\nEli@example.org,Eli Berg\nsaman@example.org,\n",
        "\ufeffe-post;namn\r\neli@example.org;Eli Berg\r\nsaman@example.org\r\n",
        "eli@example.org;Eli Berg\nsaman@example.org;\n\n\n",
    ],
    ids=["comma-with-header", "semicolon-bom-crlf", "no-header-blank-lines"],
)
def test_good_lists_in_the_usual_shapes(text):
    parsed = parse(text)
    assert parsed.valid, parsed.problems
    assert [(row.email.lower(), row.name) for row in parsed.rows] == [
        ("eli@example.org", "Eli Berg"), ("saman@example.org", ""),
    ]


def test_every_bad_row_is_reported_with_its_line():
    parsed = parse("email,name\nnot-an-email,Eli\n,Saman\nA@example.org,Amina\na@example.org,Amina igen\n"
                   "b@example.org,=HYPERLINK(\"http://evil\")\nc@example.org,Jacob,extra\n")
    assert not parsed.valid
    assert parsed.problems == [
        "Line 2: “not-an-email” is not an e-mail address.",
        "Line 3: the e-mail address is missing.",
        "Line 5: a@example.org is already on line 4.",
        "Line 6: a name cannot start with =, +, -, or @.",
        "Line 7: use two columns only: e-mail and name.",
    ]


def test_too_many_rows_is_one_clear_message():
    parsed = parse("".join(f"p{i}@example.org,P {i}\n" for i in range(10_000)), max_rows=2000)
    assert parsed.problems == ["The list has more than 2000 rows. Split it into smaller files."]
    assert parsed.rows == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This does not look like a CSV file"),
        ("eli@example.org,Elí".encode("latin-1"), "The file is not in UTF-8"),
        (b"a@example.org,x\n" * 70_000, "The file is larger than 1 MB"),
        (b"", "The file has no recipients."),
        (b"email,name\n", "The file has no recipients."),
    ],
    ids=["binary", "latin-1", "huge", "empty", "header-only"],
)
def test_hostile_or_empty_files(data, message):
    parsed = parse(data)
    assert not parsed.valid
    assert parsed.problems[0].startswith(message)
