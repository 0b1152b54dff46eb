"""How far a direct award has come: every recipient's state, and a summary derived from those states.

The rows and the summary come from ONE query and the summary is counted from the rows in Python, so the
page (and its JSON) can never show "3 issued" above a table with two issued rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from assessment.models import AwardBatch, AwardRecipient
from badges.models import Credential, CredentialEvent

NOT_ISSUED = "not_issued"  # the batch is not confirmed yet: no credential exists
WAITING = (Credential.Status.PENDING, Credential.Status.SIGNING)
# A row is final when no background work will change it any more. A revoked credential was issued first.
FINAL = (Credential.Status.ISSUED, Credential.Status.FAILED, Credential.Status.REVOKED)


def failure_reason(code: str) -> str:
    """Why signing failed, in words an issuer can act on (the codes come from badges.credentials.signing)."""
    reasons = {
        "no_active_key": _("Your organisation has no active signing key. Add one, then award again."),
        "achievement_unpublished": _("The micro-credential is no longer published."),
        "invalid_credential": _("The credential could not be built from its details."),
        "not_published": _("The micro-credential is no longer published."),
    }
    return reasons.get(code, _("Signing failed. Please contact support."))


@dataclass(frozen=True)
class RecipientProgress:
    line: int
    email: str
    name: str
    state: str
    reason: str = ""

    @property
    def final(self) -> bool:
        return self.state in FINAL

    @property
    def label(self) -> str:
        if self.state == NOT_ISSUED:
            return _("not issued yet")
        return str(Credential.Status(self.state).label)

    def as_json(self) -> dict[str, object]:
        return {"id": str(self.line), "state": self.state, "label": self.label, "reason": self.reason,
                "final": self.final}


@dataclass(frozen=True)
class AwardProgress:
    rows: list[RecipientProgress]
    counts: Counter[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts", Counter(row.state for row in self.rows))

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def issued(self) -> int:
        return self.counts[Credential.Status.ISSUED]

    @property
    def pending(self) -> int:
        return sum(self.counts[state] for state in WAITING)

    @property
    def failed(self) -> int:
        return self.counts[Credential.Status.FAILED]

    @property
    def revoked(self) -> int:
        return self.counts[Credential.Status.REVOKED]

    @property
    def finished(self) -> int:
        return sum(1 for row in self.rows if row.final)

    @property
    def done(self) -> bool:
        """All done only when every row is final; before confirmation no row has a credential, so none is."""
        return bool(self.rows) and all(row.final for row in self.rows)

    def summary(self) -> dict[str, int | bool]:
        return {"total": self.total, "issued": self.issued, "pending": self.pending, "failed": self.failed,
                "revoked": self.revoked, "finished": self.finished, "done": self.done}


def credential_failure_code() -> Subquery:
    """For annotating award rows: the code of their credential's latest failure (see failure_reason)."""
    return Subquery(
        CredentialEvent.objects.filter(credential=OuterRef("credential"), kind=CredentialEvent.Kind.FAILED)
        .order_by("-pk")
        .values("data__code")[:1]
    )


def award_batch_snapshot(*, batch: AwardBatch) -> AwardProgress:
    """Every recipient's state and the reason a failed one failed, read in one query."""
    values = (
        AwardRecipient.objects.filter(batch=batch)
        .annotate(failure_code=credential_failure_code())
        .order_by("line", "pk")
        .values_list("line", "email", "name", "credential__status", "failure_code", "state", "error_code")
    )
    rows = [_row(*value) for value in values]
    return AwardProgress(rows=rows)


def _row(
    line: int, email: str, name: str, status: str | None, code: str | None, state: str, error: str
) -> RecipientProgress:
    if status is None and state == AwardRecipient.State.FAILED:
        # The job could not issue this row (e.g. the micro-credential was unpublished): final, with why.
        return RecipientProgress(line=line, email=email, name=name, state=Credential.Status.FAILED,
                                 reason=failure_reason(error))
    return RecipientProgress(
        line=line, email=email, name=name, state=status or NOT_ISSUED,
        reason=failure_reason(code or "") if status == Credential.Status.FAILED else "",
    )


# A cohort can be 10,000 people: the page and each poll of its progress show one page of rows, while the
# summary still counts every row of the same snapshot.
ROWS_PER_PAGE = 100
SHOW_FAILED = "failed"


@dataclass(frozen=True)
class RowsShown:
    """The rows of one page of a batch, all of them or only the failed ones, and the query that names it."""

    page: Page[RecipientProgress]
    only_failed: bool

    @property
    def query(self) -> str:
        """This page's query string: the progress poll asks for the same rows."""
        return self._query(self.page.number)

    @property
    def previous_query(self) -> str:
        return self._query(self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_query(self) -> str:
        return self._query(self.page.next_page_number()) if self.page.has_next() else ""

    def _query(self, number: int) -> str:
        return urlencode({**({"show": SHOW_FAILED} if self.only_failed else {}), "page": number})


def award_rows_shown(progress: AwardProgress, *, page: str | None, show: str | None) -> RowsShown:
    """The page of rows asked for; a page number out of range gives the nearest page, not an error."""
    only_failed = show == SHOW_FAILED
    rows = [row for row in progress.rows if row.state == Credential.Status.FAILED] if only_failed else progress.rows
    return RowsShown(page=Paginator(rows, ROWS_PER_PAGE).get_page(page), only_failed=only_failed)
