"""Checks on what people type, shared by every model, form and serializer: one rule, one home.

- **Lengths.** Every free text has a limit (`TEXT_SHORT`, `TEXT_LONG`) checked with a clear message,
  so a megabyte pasted into a field is refused at once instead of making the whole page unsavable.
- **Bidirectional controls.** U+202A–U+202E, U+2066–U+2069, U+200E/U+200F and U+061C change the
  order in which the text around them is *shown*: "Kurs<U+202E>fdp.exe" reads as "Kursexe.pdf". Names and
  titles refuse them (`bidi_controls_refuse`); file names drop them (`bidi_controls_strip`).
- **Public web addresses.** A link the platform shows to others (an issuer's website, a quality body,
  a qualification) must point at the public internet: never loopback, link-local, private or reserved
  addresses (IPv4 and IPv6, written in any of the forms browsers accept), nor host names that are
  plainly local (`localhost`, `*.local`, `*.internal`, a name without a dot). Only the text is read:
  no DNS lookup at validation time (`safefetch` vets the resolved address when anything is fetched).
"""

from __future__ import annotations

import re
import socket
from typing import TypedDict
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from safefetch import address_is_public

# A title, a name of a body, a comment: a paragraph or two.
TEXT_SHORT = 2_000
# A description, criteria, a narrative, a review: a page or two of text.
TEXT_LONG = 10_000

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def text_max_length(limit: int) -> MaxLengthValidator:
    """The validator of a free text of at most `limit` characters (Django's message, translated)."""
    return MaxLengthValidator(limit)


def bidi_controls_strip(text: str) -> str:
    """`text` without any bidirectional control character."""
    return BIDI_CONTROLS.sub("", text)


def bidi_controls_refuse(value: str) -> None:
    """Refuse a name or title holding a character that reorders how the text around it is shown."""
    if isinstance(value, str) and BIDI_CONTROLS.search(value):
        raise ValidationError(
            _(
                "Remove the invisible characters that change the direction of the text (for example right-to-left "
                "override). Type the text again without copying it if you cannot see them."
            ),
            code="bidi_control",
        )


# Host names that name places on a local network: reserved for local use (RFC 6761, RFC 6762, RFC 8375),
# or names ICANN will never delegate because organisations use them inside their networks.
_LOCAL_SUFFIXES = (
    ".localhost", ".local", ".internal", ".intranet", ".lan", ".home", ".corp", ".localdomain", ".home.arpa",
)
_NUMERIC_HOST = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+))*\.?", re.IGNORECASE)


def _host_is_public(host: str) -> bool:
    host = host.strip().rstrip(".").lower()
    if not host:
        return False
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if ":" in host:  # an IPv6 literal
        return address_is_public(host)
    if _NUMERIC_HOST.fullmatch(host):
        # Browsers read "127.1", "0x7f.0.0.1" and "2130706433" as IPv4 addresses; so does inet_aton.
        try:
            return address_is_public(socket.inet_ntoa(socket.inet_aton(host)))
        except OSError:
            return False
    if host == "localhost" or host.endswith(_LOCAL_SUFFIXES) or "." not in host:
        return False
    return True


def url_is_public(url: str) -> bool:
    """Whether an http(s) address names a host on the public internet, judged from its text alone."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        parts.port  # noqa: B018 - a port that is not a number makes the address unusable
    except ValueError:
        return False
    if parts.scheme.lower() not in {"http", "https"} or parts.username or parts.password:
        return False
    return _host_is_public(host)


@deconstructible
class PublicUrlValidator:
    """Refuses addresses of loopback, link-local, private or reserved networks and plainly local names."""

    message = _(
        "Use a public web address. Addresses on a local or private network (such as localhost, 127.0.0.1, "
        "192.168.x.x or names ending in .local) cannot be opened by the people who see this link."
    )
    code = "url_not_public"

    def __call__(self, value: str) -> None:
        if value and not url_is_public(str(value)):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublicUrlValidator)

    def __hash__(self) -> int:
        return hash(self.code)


public_url_validator = PublicUrlValidator()


class TextLimit(TypedDict):
    max_length: int
    validators: list[MaxLengthValidator]


def text_limit(limit: int) -> TextLimit:
    """Keyword arguments of a model TextField of at most `limit` characters: the form fields made from it
    (`max_length`) and `full_clean` in the services (the validator) both refuse longer text."""
    return {"max_length": limit, "validators": [text_max_length(limit)]}
