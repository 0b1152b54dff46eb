"""How the signing pipeline classifies what goes wrong."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError


class SigningRefused(Exception):
    """A business reason not to sign (no active key, unpublished achievement). Retrying cannot help."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


# Worth retrying: the database or the file storage was briefly unreachable. OSError covers IOError,
# timeouts and refused connections from the local file system and most storage clients.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, OSError)


class ApplicationError(Exception):
    """A business rule refused what someone asked for. `message` is translated and safe to show them."""

    def __init__(self, code: str, message: str, *, details: tuple[str, ...] = ()):
        super().__init__(message if not details else f"{message} " + " ".join(details))
        self.code = code
        self.message = message
        self.details = details
