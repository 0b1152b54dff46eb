"""The refusals of the Open Badges API: a business error that knows its HTTP status and the OB 3.0
`imsx_codeMinorFieldValue`, so every view answers it as an Imsx_StatusInfo body (obapi.status)."""

from __future__ import annotations

from kernel.errors import ApplicationError


class ObApiError(ApplicationError):
    def __init__(self, code: str, message: str, *, status: int = 400, minor: str = "invalid_data",
                 details: tuple[str, ...] = ()):
        super().__init__(code, message, details=details)
        self.status = status
        self.minor = minor


class RegistrationRefused(ApplicationError):
    """RFC 7591 refusals: `code` is the OAuth error (`invalid_client_metadata`, `invalid_redirect_uri`)."""
