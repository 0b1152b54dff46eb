"""The one way a business rule refuses: `ApplicationError(code, message)`.

`code` is for programs (tests, the API, a view choosing what to show); `message` is translated and safe
to show the person who asked. Views branch on `code` or the exception's class, never on its text.
Each app may subclass it to name its refusals (MembershipRefused, …); nothing else is raised for them.
"""

from __future__ import annotations


class ApplicationError(Exception):
    """A business rule refused what someone asked for. `message` is translated and safe to show them."""

    def __init__(self, code: str, message: str, *, details: tuple[str, ...] = ()):
        super().__init__(message if not details else f"{message} " + " ".join(details))
        self.code = code
        self.message = message
        self.details = details
