"""The VC-API's refusals: an ApplicationError with the HTTP status it answers."""

from __future__ import annotations

from kernel.errors import ApplicationError


class VcApiRefusal(ApplicationError):
    """Refused with `status` (400 malformed or non-conforming, 401/403/404 access, 413 too large, 415 not
    JSON, 422 understood but not possible). `code` names it for programs; `message` is translated."""

    def __init__(self, status: int, code: str, message: str, *, details: tuple[str, ...] = ()):
        super().__init__(code, message, details=details)
        self.status = status
