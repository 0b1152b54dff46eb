"""Text cells written to CSV files that people open in spreadsheet programs.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel, LibreOffice and
Google Sheets as a formula: an issuer or micro-credential named `=HYPERLINK("https://…")` would become a
link, or worse, in the spreadsheet of whoever downloads the file (OWASP "CSV injection"). Such a cell gets
an apostrophe in front, which spreadsheets show as text and do not display.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_text(value: object) -> str:
    """`value` as a CSV text cell that no spreadsheet program runs as a formula."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
