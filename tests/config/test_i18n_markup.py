"""Every user-facing string is marked for translation: templates and the Python that feeds pages.

Templates: any visible text outside {% translate %}/{% blocktranslate %} fails, and so do visible
attributes (alt, title, placeholder, aria-label, descriptive <meta content>) written as literals.
Python: literals passed where Django shows them to people (verbose_name, help_text, label,
messages.*, ValidationError, ApplicationError) must be gettext calls.
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[2]
APPS = ("config", "issuers", "badges", "learners", "assessment")
TEMPLATE_DIRS = [ROOT / "templates", *(ROOT / app / "templates" for app in APPS)]
TEMPLATES = sorted(p for d in TEMPLATE_DIRS if d.exists() for p in (*d.rglob("*.html"), *d.rglob("*.txt")))
PYTHON = sorted(
    p for app in APPS for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts and "tests" not in p.parts
)

# Names and codes that read the same in every language.
UNTRANSLATED_WORDS = re.compile(
    r"\b(Mikromerit|LinkedIn|Open Badges|OB|JSON-LD|JSON|PNG|SVG|JWT|VC|QR|ESCO|EQF|SeQF|ECTS|DID|"
    r"HTTPS|URL|CSV|API|ISO|OIDC|TOTP|GDPR|did:key|did:web)\b"
)
LETTERS = re.compile(r"[^\W\d_]{2}")
VISIBLE_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description"}
DESCRIPTIVE_META = {"description", "og:title", "og:description", "og:image:alt", "twitter:title"}


def _is_words(text: str) -> bool:
    return bool(LETTERS.search(UNTRANSLATED_WORDS.sub(" ", text)))


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        named = dict(attrs)
        for name, value in attrs:
            literal = (value or "").strip()
            if name in VISIBLE_ATTRIBUTES and _is_words(literal):
                self.problems.append(f'{tag} {name}="{literal[:60]}"')
        if tag == "meta" and (named.get("name") in DESCRIPTIVE_META or named.get("property") in DESCRIPTIVE_META):
            if _is_words((named.get("content") or "").strip()):
                self.problems.append(f'meta content="{named.get("content", "")[:60]}"')

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and _is_words(data.strip()):
            self.problems.append(data.strip()[:60])


def template_problems(source: str) -> list[str]:
    """Visible literal text in a template, with translated blocks, comments and variables removed."""
    chunks: list[str] = []
    in_translation = in_comment = 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            in_translation += {"blocktranslate": 1, "blocktrans": 1, "endblocktranslate": -1,
                               "endblocktrans": -1}.get(name, 0)
            in_comment += {"comment": 1, "endcomment": -1}.get(name, 0)
            chunks.append(" ")  # a tag or variable ends a run of text
        elif token.token_type == TokenType.VAR:
            chunks.append(" ")
        elif token.token_type == TokenType.TEXT and not in_translation and not in_comment:
            chunks.append(token.contents)
    parser = _VisibleText()
    parser.feed("".join(chunks))
    parser.close()
    return parser.problems


SHOWN_KEYWORDS = {"verbose_name", "verbose_name_plural", "help_text", "label", "empty_label"}
MESSAGE_LEVELS = {"success", "info", "warning", "error", "debug"}  # django.contrib.messages, not logging
SHOWN_CALLS = {"ValidationError", "ApplicationError"}


def python_problems(source: str) -> list[str]:
    problems = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg in SHOWN_KEYWORDS and _literal_words(keyword.value):
                problems.append(f"line {node.lineno}: {keyword.arg}={keyword.value.value!r}")
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        is_message = name in MESSAGE_LEVELS and isinstance(func, ast.Attribute) \
            and getattr(func.value, "id", "") == "messages"
        if is_message or name in SHOWN_CALLS:
            for argument in node.args:
                if _literal_words(argument):
                    problems.append(f"line {node.lineno}: {name}({argument.value!r})")
    return problems


def _literal_words(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value \
        and _is_words(node.value)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_text_is_marked_for_translation(path):
    assert template_problems(path.read_text("utf-8")) == []


@pytest.mark.parametrize("path", PYTHON, ids=lambda p: str(p.relative_to(ROOT)))
def test_python_strings_shown_to_people_are_marked_for_translation(path):
    assert python_problems(path.read_text("utf-8")) == []


def test_the_checks_catch_unmarked_strings():
    assert template_problems("<p>Hello there</p>") == ["Hello there"]
    assert template_problems('<img alt="A badge" src="x.png">') == ['img alt="A badge"']
    assert template_problems("<p>{% translate 'Hello' %} {{ name }}</p><p>EQF · SeQF 4</p>") == []
    assert template_problems("{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}") == []
    assert template_problems("<script>const x = 'not text';</script>") == []
    assert python_problems("messages.success(request, 'Saved it')") == ["line 1: success('Saved it')"]
    assert python_problems("forms.CharField(label='Your name')") == ["line 1: label='Your name'"]
    assert python_problems("forms.CharField(label=_('Your name'))") == []
