"""No string ships untranslated: every msgid in the code and templates is shown in Swedish.

Extracts every translatable string the way `makemessages` would (Babel's Python extractor with the
gettext keywords; templates through Django's templatize first) from the project's apps, config/ and
templates/, then asks the running platform for it under "sv" with the matching gettext call. So it
counts what a Swedish visitor sees: the compiled catalogues of every app, allauth's and Django's, with
locale/ winning. A string that comes back unchanged is untranslated, unless ALLOWED_AS_IS says why it
reads the same in Swedish.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.apps import apps
from django.utils import translation
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[2]
GETTEXT_KEYWORDS = {
    "_": None, "gettext": None, "gettext_lazy": None, "ngettext": (1, 2), "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2), "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3), "npgettext_lazy": ((1, "c"), 2, 3),
}
TEMPLATE_SUFFIXES = (".html", ".txt")

# Strings that read the same in Swedish, each with the reason. Compared without case and placeholders,
# brackets and whitespace, so "Version %(v)s" and "%(name)s (version %(n)d)" are "version".
ALLOWED_AS_IS = {
    "open badges": "the name of the standard",
    "open badges 3.0": "the name of the standard and its version",
    "linkedin": "a company's name",
    "json": "a file format",
    "json-ld": "a file format",
    "json web token": "the name of a standard format (JWT)",
    "png": "a file format",
    "svg": "a file format",
    "did": "the W3C name of decentralised identifiers",
    "ects": "the European credit system's abbreviation",
    "eqf": "the European Qualifications Framework's abbreviation",
    "mikromerit": "the platform's name",
    "status": "the same word in Swedish",
    "version": "the same word in Swedish",
    "format": "the same word in Swedish",
    "presentation": "the same word in Swedish (a form of assessment)",
    "observation": "the same word in Swedish (a form of assessment)",
    "organisation": "the same word in Swedish",
    "administration": "the same word in Swedish (the link to Django's admin)",
    "full": "the same word in Swedish (a status list with no free entries)",
    "original:": "the same word in Swedish (the original text under a translated field)",
    "median": "the same word in Swedish (time to decision)",
    "period": "the same word in Swedish (the dashboard's time span)",
}
PLACEHOLDERS = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def allowed_as_is(msgid: str) -> bool:
    return " ".join(re.sub(r"[()]", " ", PLACEHOLDERS.sub(" ", msgid)).split()).lower() in ALLOWED_AS_IS


@dataclass(frozen=True)
class Message:
    where: str  # path:line
    context: str | None
    forms: tuple[str, ...]  # msgid, or msgid and msgid_plural


def _source_files() -> list[Path]:
    """The project's apps, config/ and templates/: every .py outside tests and migrations, every template."""
    roots = [ROOT / "config", ROOT / "templates"]
    roots += [Path(c.path) for c in apps.get_app_configs() if Path(c.path).parent == ROOT]  # not .venv's
    files = set()
    for root in roots:
        for path in root.rglob("*"):
            parts = set(path.relative_to(ROOT).parts)
            if path.suffix in (".py", *TEMPLATE_SUFFIXES) and not parts & {"migrations", "tests", "locale"}:
                files.add(path)
    return sorted(files)


def extract_messages(path: Path, base: Path = ROOT) -> list[Message]:
    """The gettext strings of one Python file or Django template, with their line numbers."""
    source = path.read_text("utf-8")
    if path.suffix == ".py":
        code = source
    else:  # templatize keeps the lines; Python's tokenizer trips over their indentation, so drop it
        code = "\n".join(line.lstrip() for line in templatize(source, origin=str(path)).split("\n"))
    found = extract("python", io.BytesIO(code.encode("utf-8")), keywords=GETTEXT_KEYWORDS,
                    comment_tags=(), options={"encoding": "utf-8"})
    where = path.relative_to(base)
    return [Message(f"{where}:{lineno}", context, message if isinstance(message, tuple) else (message,))
            for lineno, message, _comments, context in found
            if (message if isinstance(message, str) else message[0])]


def shown_in_swedish(message: Message) -> tuple[str, ...]:
    """What a Swedish visitor sees for the msgid: one text, or the singular and the plural."""
    context, forms = message.context, message.forms
    with translation.override("sv"):
        if len(forms) > 1:
            if context:
                return tuple(translation.npgettext(context, forms[0], forms[1], n) for n in (1, 5))
            return tuple(translation.ngettext(forms[0], forms[1], n) for n in (1, 5))
        return (translation.pgettext(context, forms[0]) if context else translation.gettext(forms[0]),)


def is_translated(message: Message) -> bool:
    shown = shown_in_swedish(message)
    english = message.forms if len(message.forms) == 1 else (message.forms[0], message.forms[1])
    return shown != english or allowed_as_is(message.forms[0])


def owning_catalogue(message: Message) -> Path:
    """Where the Swedish goes: the app's own catalogue, else locale/ (templates/, config/, issuers …)."""
    top = Path(message.where).parts[0]
    own = ROOT / top / "locale" / "sv" / "LC_MESSAGES" / "django.po"
    return own if own.exists() else ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def _catalogue_strings(path: Path) -> dict[tuple[str | None, str], str]:
    with path.open("rb") as po_file:
        catalogue = read_po(po_file, locale="sv")
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m.string if isinstance(m.string, str)
            else m.string[0] for m in catalogue if m.id and m.string}


def describe(message: Message, strings: dict[Path, dict[tuple[str | None, str], str]]) -> str:
    catalogue = owning_catalogue(message)
    where = catalogue.relative_to(ROOT)
    entries = strings.setdefault(catalogue, _catalogue_strings(catalogue))
    swedish = entries.get((message.context, message.forms[0]))
    if swedish is None:
        advice = f"append it to {where}"
    elif swedish == message.forms[0]:
        advice = f"{where} translates it as itself: translate it, or add it to ALLOWED_AS_IS with the reason"
    else:
        advice = f"it is in {where} but not compiled: run `make translations`"
    lines = [message.where]
    if message.context:
        lines.append(f"    msgctxt {message.context!r}")
    lines.append(f"    msgid {message.forms[0]!r}")
    if len(message.forms) > 1:
        lines.append(f"    msgid_plural {message.forms[1]!r}")
    lines.append(f"    ({advice})")
    return "\n".join(lines)


def test_every_string_in_the_code_is_shown_in_swedish():
    messages = [m for path in _source_files() for m in extract_messages(path)]
    assert len(messages) > 1000, "the project's translatable strings were not found"
    strings: dict[Path, dict[tuple[str | None, str], str]] = {}
    untranslated = [describe(m, strings) for m in messages if not is_translated(m)]
    if untranslated:
        pytest.fail(f"{len(untranslated)} strings have no Swedish translation:\n" + "\n".join(untranslated),
                    pytrace=False)


def test_the_extraction_finds_every_kind_of_call(tmp_path):
    template = tmp_path / "page.html"
    template.write_text(
        "{% load i18n %}<h1>{% translate 'Hello' %}</h1>\n"
        "<p>{% translate 'May' context 'month' %}</p>\n"
        "{% blocktranslate count n=items|length %}One item{% plural %}{{ n }} items{% endblocktranslate %}\n"
        "{% blocktranslate with name=user.name %}Hi {{ name }}{% endblocktranslate %}\n"
    )
    code = tmp_path / "views.py"
    code.write_text(
        "from django.utils.translation import gettext_lazy as _, npgettext_lazy, pgettext\n"
        "A = _('Lazy')\nB = pgettext('verb', 'Share')\nC = npgettext_lazy('ctx', 'one file', '%(n)s files', 'n')\n"
    )
    found = [(m.where, m.context, m.forms) for p in (template, code) for m in extract_messages(p, tmp_path)]
    assert found == [
        ("page.html:1", None, ("Hello",)),
        ("page.html:2", "month", ("May",)),
        ("page.html:3", None, ("One item", "%(n)s items")),
        ("page.html:4", None, ("Hi %(name)s",)),
        ("views.py:2", None, ("Lazy",)),
        ("views.py:3", "verb", ("Share",)),
        ("views.py:4", "ctx", ("one file", "%(n)s files")),
    ]


def test_an_untranslated_string_is_caught():
    assert not is_translated(Message("x.py:1", None, ("A string nobody has translated",)))
    assert is_translated(Message("x.py:1", None, ("Skip to content",)))
    assert is_translated(Message("x.py:1", None, ("JSON",)))
    assert is_translated(Message("x.py:1", None, ("Version %(v)s",)))
    assert not is_translated(Message("x.py:1", None, ("Version %(v)s of nothing translated",)))
