"""Every Swedish text uses the glossary's term for the concept its English text names.

The concepts, their Swedish terms and the terms to avoid are read from the table in docs/glossary.md,
so the document and this test cannot say different things. For each English text that names a concept
(a whole word, any case, plural and verb forms too) the Swedish text must not contain a term the
glossary lists as "not" for it (a whole word at its start, inflections too: "belägg" also finds
"belägget", "verifiera" also "verifierad"). A term to avoid for one concept is allowed where the English
also names the concept it is the right word for ("publicera" where the English says both share and
publish).

Checked: every Swedish catalogue of the project, and django-allauth's strings as the account pages show
them (gettext under sv, so the project's overrides in locale/sv count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import allauth
import pytest
from babel.messages.pofile import read_po

from tests.config.test_i18n_completeness import Message, extract_messages, shown_in_swedish

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "glossary.md"
SWEDISH_CATALOGUES = sorted([*ROOT.glob("locale/sv/LC_MESSAGES/*.po"), *ROOT.glob("*/locale/sv/LC_MESSAGES/*.po")])
ALLAUTH = Path(allauth.__file__).parent
# The account pages: allauth's templates (pages, messages, e-mails) and the forms they show.
ALLAUTH_SOURCES = sorted(
    [
        *(p for d in ("account", "mfa", "socialaccount", "allauth") for p in (ALLAUTH / "templates" / d).rglob("*")
          if p.suffix in (".html", ".txt")),
        ALLAUTH / "account" / "forms.py",
        ALLAUTH / "account" / "adapter.py",
        ALLAUTH / "mfa" / "base" / "forms.py",
        ALLAUTH / "mfa" / "totp" / "forms.py",
        ALLAUTH / "mfa" / "recovery_codes" / "forms.py",
    ]
)


@dataclass(frozen=True)
class Concept:
    english: tuple[str, ...]
    swedish: tuple[str, ...]
    avoid: tuple[str, ...]

    @property
    def label(self) -> str:
        return " / ".join(self.english)


def _cell_terms(cell: str) -> tuple[str, ...]:
    """'issue (a credential)' -> ('issue',); 'kvalitetsgranskning / kvalitetsgranskare' -> both."""
    without_notes = re.sub(r"\([^)]*\)", "", cell)
    return tuple(t.strip().lower() for t in re.split(r"[,/]", without_notes) if t.strip())


def glossary_rows(text: str) -> list[list[str]]:
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in text.splitlines()
            if line.lstrip().startswith("|")]
    assert rows and rows[0][:3] == ["English", "Swedish", "not"], "docs/glossary.md: the table's header changed"
    return [row for row in rows[1:] if not set(row[0]) <= set("- :")]


def glossary_concepts(text: str) -> list[Concept]:
    return [Concept(_cell_terms(row[0]), _cell_terms(row[1]), _cell_terms(row[2])) for row in glossary_rows(text)]


def glossary_names(text: str) -> list[str]:
    """Names that stay as they are in Swedish: the note column's '"Open Badges" stays a name'."""
    return [name for row in glossary_rows(text) for name in re.findall(r'"([^"]+)" stays a name', row[-1])]


def _english_forms(word: str) -> str:
    forms = {word, word + "s", word + "es", word + "ed", word + "ing"}
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ied", word[:-1] + "ication"}
    return "(?:" + "|".join(sorted(map(re.escape, forms), key=len, reverse=True)) + ")"


def english_pattern(term: str) -> re.Pattern[str]:
    """A whole word or phrase, its last word in any form: 'sign up' also finds 'Sign-up' and 'signup'."""
    *first, last = term.split()
    body = "".join(re.escape(w) + r"[\s-]*" for w in first) + _english_forms(last)
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)


def swedish_pattern(term: str) -> re.Pattern[str]:
    """A word at its start, its first word inflected: 'verifiera' finds 'verifierad', 'ge ut' 'ger ut'."""
    first, *rest = term.split()
    stem = first[:-1] if first.endswith("a") and len(first) > 3 else first
    body = re.escape(stem) + r"\w*" + "".join(r"\s+" + re.escape(w) + r"(?![\w-])" for w in rest)
    return re.compile(rf"(?<![\w-]){body}", re.IGNORECASE)


@cache
def _glossary() -> tuple[list[Concept], list[str]]:
    text = GLOSSARY.read_text("utf-8")
    return glossary_concepts(text), glossary_names(text)


TAGS = re.compile(r"<[^>]*>")


def glossary_problems(english: str, swedish: str) -> list[str]:
    """The terms to avoid that the Swedish uses for a concept the English names, with the right ones."""
    concepts, names = _glossary()
    english, swedish = TAGS.sub(" ", english), TAGS.sub(" ", swedish)  # not href="mailto:…"
    for name in names:
        english, swedish = english.replace(name, " "), swedish.replace(name, " ")
    named = [c for c in concepts if any(english_pattern(t).search(english) for t in c.english)]
    right_words = {term for c in named for term in c.swedish}
    advice: dict[str, list[str]] = {}
    for concept in named:
        for term in concept.avoid:
            found = swedish_pattern(term).search(swedish)
            if found and term not in right_words:
                advice.setdefault(found.group(), []).append(f"{', '.join(concept.swedish)} ({concept.label})")
    return [f"“{found}”: use {' or '.join(dict.fromkeys(uses))}" for found, uses in advice.items()]


def _forms(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def catalogue_entries(path: Path) -> list[tuple[str, str, str]]:
    """(location, English, Swedish) for each translated entry of a catalogue."""
    with path.open("rb") as po_file:
        catalogue = read_po(po_file, locale="sv")
    where = str(path.relative_to(ROOT))
    return [(f"{where}:{m.lineno}", " | ".join(_forms(m.id)), " | ".join(s for s in _forms(m.string) if s))
            for m in catalogue if m.id]


def report(entries: list[tuple[str, str, str]]) -> list[str]:
    return [f"{where}\n    msgid:  {english!r}\n    msgstr: {swedish!r}\n    " + "; ".join(problems)
            for where, english, swedish in entries if (problems := glossary_problems(english, swedish))]


@pytest.mark.parametrize("path", SWEDISH_CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_swedish_catalogues_follow_the_glossary(path):
    problems = report(catalogue_entries(path))
    if problems:
        pytest.fail(f"{len(problems)} Swedish texts against docs/glossary.md:\n" + "\n".join(problems), pytrace=False)


def allauth_messages() -> list[Message]:
    """The strings the account pages take from django-allauth."""
    return [m for path in ALLAUTH_SOURCES for m in extract_messages(path, ALLAUTH.parent)]


def shown(message: Message) -> str:
    return " | ".join(dict.fromkeys(shown_in_swedish(message)))


def test_the_account_pages_follow_the_glossary():
    """allauth's own Swedish, with the overrides appended to locale/sv/LC_MESSAGES/django.po."""
    messages = allauth_messages()
    assert len(messages) > 100, "the account pages' strings were not found in django-allauth"
    entries = {}  # one line per msgid, at its first place
    for m in messages:
        entries.setdefault(m.forms, (f"{m.where} (override it in locale/sv/LC_MESSAGES/django.po)",
                                     " | ".join(m.forms), shown(m)))
    problems = report(list(entries.values()))
    if problems:
        pytest.fail(f"{len(problems)} account page texts against docs/glossary.md:\n" + "\n".join(problems),
                    pytrace=False)


def test_the_glossary_table_is_read():
    concepts, names = _glossary()
    by_english = {c.english[0]: c for c in concepts}
    assert by_english["learning outcome"].avoid == ("lärandemål",)
    assert by_english["rubric"].avoid == ("matris",)
    assert "bedömare" in by_english["assessor"].swedish
    assert "Open Badges" in names


@pytest.mark.parametrize(
    ("english", "swedish", "found"),
    [
        ("Learning outcomes", "Lärandemålen", "“Lärandemålen”: use läranderesultat (learning outcome"),
        ("The evidence", "Underlaget", None),
        ("Upload evidence", "Ladda upp belägget", "“belägget”: use underlag"),
        ("Each rubric", "Varje bedömningsmatris", None),
        ("Each rubric", "Varje matris", "“matris”: use bedömningsmatris"),
        ("Verified", "Verifierad", "“Verifierad”: use kontrollera (verify / check a credential) or bekräfta"),
        ("Sign-up", "Registrera dig", "“Registrera”: use logga in, skapa konto, logga ut"),
        ("Open Badges 3.0", "Open Badges 3.0", None),
        ("Micro-credentials", "Mikromeriter", None),
        ("It was revoked", "Det drar in", "“drar in”: use återkalla"),
        ("The issuer revoked it", "Utfärdaren återkallade det", None),
        ("Share or publish", "Dela eller publicera", None),
        ("Share it", "Publicera det", "“Publicera”: use dela"),
        ('Write to <a href="mailto:x">us</a> by e-mail', 'Skriv <a href="mailto:x">till oss</a> via e-post', None),
    ],
)
def test_the_check_finds_terms_to_avoid(english, swedish, found):
    problems = glossary_problems(english, swedish)
    assert (problems[0].startswith(found) if found else problems == []), problems
