"""Exceptions raised by ob3. Every one carries a message a person can act on."""


class Ob3Error(Exception):
    """Base class for everything ob3 raises on purpose."""


class UnknownContextError(Ob3Error):
    """A JSON-LD context URL that is not vendored; ob3 never fetches one."""


class ContextInstallError(Ob3Error):
    """A context file ob3 holds is missing or is not the document its manifest row pins."""


class SafeModeError(Ob3Error):
    """JSON-LD expansion would drop or guess at data: an undefined term, a relative IRI, ..."""


class CanonicalizationError(Ob3Error):
    """The document is not valid JSON-LD, so it has no canonical form."""


class KeyFormatError(Ob3Error):
    """A key is malformed, of the wrong kind, or unusable for the requested algorithm."""


class SigningError(Ob3Error):
    """A document could not be signed (bad input, not a refusal of the key)."""


class BakingError(Ob3Error):
    """An image could not be baked or unbaked: not a PNG/SVG, corrupt, hostile or too large."""


class FormatError(Ob3Error):
    """Input is none of JSON, compact JWS, PNG or SVG, or is malformed."""


class DocumentUnavailable(Ob3Error):
    """A document a verifier needs (a key or identity document, a status list, a context) could not be had."""
