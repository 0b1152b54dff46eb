"""Layout rules every page relies on: table cells labelled for the narrow-screen card layout, submit buttons
on a line of their own, and the submit feedback script on every page."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_TEMPLATES = sorted(
    path for path in ROOT.glob("**/templates/**/*.html")
    if ".venv" not in path.parts and "node_modules" not in path.parts
)
CSS = (ROOT / "static" / "css" / "site.css").read_text("utf-8")
# A table whose cells need no label must say why, in a Django comment inside it: {# table-exempt: reason #}
EXEMPT = re.compile(r"\{#\s*table-exempt:\s*\S.*?#\}")


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.unlabelled: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "td" and "data-label" not in dict(attrs):
            self.unlabelled.append(self.getpos()[0])


def _tables(source: str) -> list[str]:
    return re.findall(r"<table\b.*?</table>", source, re.S)


def test_there_are_tables_to_check():
    assert sum(len(_tables(path.read_text("utf-8"))) for path in APP_TEMPLATES) >= 6


@pytest.mark.parametrize("path", [p for p in APP_TEMPLATES if "<td" in p.read_text("utf-8")],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_every_table_cell_has_a_data_label(path):
    for table in _tables(path.read_text("utf-8")):
        if EXEMPT.search(table):
            continue
        cells = _Cells()
        cells.feed(re.sub(r"\{[%{#].*?[%}#]\}", "", table))
        assert cells.unlabelled == [], f"{path.relative_to(ROOT)}: a <td> without data-label"


def test_narrow_screens_show_tables_as_labelled_cards():
    narrow = CSS[CSS.index("@media (max-width: 40rem) {\n  table:has(td[data-label])"):]
    assert "display: block" in narrow and "content: attr(data-label)" in narrow


def test_submit_buttons_never_share_a_line_with_a_field():
    assert 'form > button[type="submit"]:not(.link) { display: block;' in CSS
    # The flex forms with a visible field (search, filters, the language choice) break the line before their button.
    rule = re.search(r"form:is\(([^)]*)\)::after \{ content: \"\"; flex-basis: 100%", CSS)
    assert rule
    covered = {name.strip().lstrip(".") for name in rule.group(1).split(",")}
    source = "".join(path.read_text("utf-8") for path in APP_TEMPLATES)
    for classes, body in re.findall(r'<form[^>]*class="([^"]*)"[^>]*>(.*?)</form>', source, re.S):
        if not re.search(r'<select|<textarea|<input(?![^>]*type="hidden")|as_field_group|\{\{ form', body):
            continue
        for name in classes.split():
            if re.search(rf"\.{re.escape(name)} \{{[^}}]*display: flex", CSS):
                assert name in covered, f"the flex form .{name} can put its button beside a field"


def test_every_page_loads_the_submit_feedback_script():
    base = (ROOT / "templates" / "base.html").read_text("utf-8")
    assert "js/submit_feedback.js" in base and 'data-sending-text="{% translate "Sending…" %}"' in base
    script = (ROOT / "static" / "js" / "submit_feedback.js").read_text("utf-8")
    assert "aria-busy" in script and "pageshow" in script and "event.defaultPrevented" in script
