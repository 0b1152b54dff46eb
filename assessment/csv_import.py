"""Reading and checking a list of recipients (columns email,name) for a direct award. Pure: rows or problems out.

One checking of rows for every way a list arrives: a CSV file (the console and the API, `parse_recipients`)
or JSON rows (the API, `check_recipients`). Every row is checked before anything is issued. The file may
be UTF-8 with or without a byte order mark, separated by commas or semicolons (as Excel writes it in
Swedish), with or without a header row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from kernel.validation import BIDI_CONTROLS

MAX_FILE_BYTES = 1024 * 1024
NAME_MAX_LENGTH = 200
# A cell starting with one of these is run as a formula when the list is opened in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_EMAIL = {"email", "e-mail", "epost", "e-post", "mail"}


@dataclass(frozen=True)
class RecipientRow:
    line: int
    email: str
    name: str


@dataclass(frozen=True)
class RowProblem:
    line: int  # the line of the file, or the 1-based position in a list of JSON rows
    email: str
    messages: tuple[str, ...]
    text: str  # "Line n: …", as in ParsedList.problems


@dataclass
class ParsedList:
    rows: list[RecipientRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # whole-file problems and "Line n: …" problems
    row_problems: list[RowProblem] = field(default_factory=list)  # the same "Line n" problems, by row

    @property
    def list_problems(self) -> list[str]:
        """The problems of the whole list (not of one row): too many rows, not CSV, empty…"""
        of_rows = {problem.text for problem in self.row_problems}
        return [problem for problem in self.problems if problem not in of_rows]

    @property
    def valid(self) -> bool:
        return not self.problems and bool(self.rows)


def parse_recipients(data: bytes, *, max_rows: int) -> ParsedList:
    parsed = ParsedList()
    if len(data) > MAX_FILE_BYTES:
        parsed.problems.append(_("The file is larger than 1 MB. Split the list into smaller files."))
        return parsed
    if b"\x00" in data:
        parsed.problems.append(_("This does not look like a CSV file. Save the list as CSV (UTF-8) and try again."))
        return parsed
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        parsed.problems.append(_("The file is not in UTF-8. In your spreadsheet, save it as “CSV UTF-8”."))
        return parsed
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    seen: dict[str, int] = {}
    data_rows = 0
    try:
        for cells in reader:
            cells = [cell.strip() for cell in cells]
            if not any(cells):
                continue
            if data_rows == 0 and cells[0].lower() in HEADER_EMAIL:
                continue  # the header row
            data_rows += 1
            if data_rows > max_rows:
                return _too_many(max_rows)
            _check_row(parsed, seen, reader.line_num, cells)
    except csv.Error:
        parsed.problems.append(_("The file could not be read as CSV. Check that quotation marks are paired."))
        return parsed
    if not parsed.rows and not parsed.problems:
        parsed.problems.append(_("The file has no recipients."))
    return parsed


def check_recipients(rows: list[dict[str, str]], *, max_rows: int) -> ParsedList:
    """The same checks for rows sent as JSON ({"email", "name"}); a row's line is its 1-based position."""
    if len(rows) > max_rows:
        return _too_many(max_rows)
    parsed = ParsedList()
    seen: dict[str, int] = {}
    for position, row in enumerate(rows, start=1):
        _check_row(parsed, seen, position, [str(row.get("email", "")).strip(), str(row.get("name", "")).strip()])
    if not parsed.rows and not parsed.problems:
        parsed.problems.append(_("The list has no recipients."))
    return parsed


def _too_many(max_rows: int) -> ParsedList:
    too_many = _("The list has more than %(max)s rows. Split it into smaller files.") % {"max": max_rows}
    return ParsedList(problems=[too_many])


def _check_row(parsed: ParsedList, seen: dict[str, int], line: int, cells: list[str]) -> None:
    email = cells[0] if cells else ""
    name = cells[1] if len(cells) > 1 else ""
    problems = []
    if len(cells) > 2 and any(cells[2:]):
        problems.append(_("use two columns only: e-mail and name"))
    if not email:
        problems.append(_("the e-mail address is missing"))
    else:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("“%(email)s” is not an e-mail address") % {"email": email[:100]})
    key = email.lower()
    if email and key in seen:
        problems.append(_("%(email)s is already on line %(line)s") % {"email": email[:100], "line": seen[key]})
    if name.startswith(FORMULA_STARTS):
        problems.append(_("a name cannot start with =, +, -, or @"))
    if len(name) > NAME_MAX_LENGTH:
        problems.append(_("the name is longer than %(max)s characters") % {"max": NAME_MAX_LENGTH})
    if BIDI_CONTROLS.search(name + email):
        problems.append(_("the row contains invisible characters that change the direction of the text"))
    if any(ord(char) < 32 for char in name + email):
        problems.append(_("the row contains control characters"))
    if problems:
        text = _("Line %(line)s: %(problems)s.") % {"line": line, "problems": "; ".join(problems)}
        parsed.problems.append(text)
        parsed.row_problems.append(RowProblem(line=line, email=email[:254], messages=tuple(problems), text=text))
        return
    seen[key] = line
    parsed.rows.append(RecipientRow(line=line, email=email, name=name))
