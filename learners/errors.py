"""Why a learner's request was refused, in words the learner can act on.

Each refusal is a `kernel.errors.ApplicationError`: `code` for programs (tests, a view choosing which
field to mark), `message` translated and safe to show.
"""

from __future__ import annotations

from kernel.errors import ApplicationError
from ob3.limits import LimitExceeded


class LearnerError(ApplicationError):
    """A request the learner can fix; `message` tells them how."""


class ImportUnreadable(LearnerError):
    """Not a credential we can keep: too large, empty, over one of ob3's limits, or not a credential at all.
    `limit` is set when ob3 refused the input for its size before checking it (ob3.limits.LimitExceeded)."""

    def __init__(self, code: str, message: str, *, limit: LimitExceeded | None = None) -> None:
        super().__init__(code, message)
        self.limit = limit


class ExportTooLarge(LearnerError):
    """The learner's data does not fit in one download."""


class DeletionRefused(LearnerError):
    """The account cannot be deleted now: a wrong password, or the person still works for an issuer."""


class DidProofRefused(LearnerError):
    """The signed challenge does not prove control of the DID; `code` names the check, `message` says why."""
