"""The issuer's audit log: one append-only entry for every privileged action (IssuerAuditEvent).

Each service that changes what an issuer's members may do, what it signs with, what it publishes or issues,
or how other systems reach it calls `issuer_audit_record` inside its own transaction, so the entry exists if
and only if the change does. Owners read the log in the console (console/audit_views.py).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from issuers.models import Issuer, IssuerAuditEvent
from issuers.roles import Role

if TYPE_CHECKING:
    from kernel.users import User

AuditKind = IssuerAuditEvent.Kind
SUBJECT_MAX = IssuerAuditEvent._meta.get_field("subject").max_length or 200


def issuer_audit_record(
    *, issuer_id: int, kind: str, by: User | None, subject: str = "", **data: Any
) -> IssuerAuditEvent:
    """Record that `by` (None: the platform or an operator's command) did `kind` to `subject`."""
    return IssuerAuditEvent.objects.create(
        issuer_id=issuer_id, kind=kind, actor=by, subject=str(subject)[:SUBJECT_MAX], data=data,
    )


def issuer_audit_events(
    *, issuer_id: int, kind: str = "", actor_id: int | None = None, since: date | None = None,
    until: date | None = None,
) -> QuerySet[IssuerAuditEvent]:
    """The issuer's entries, newest first, narrowed by action, person and dates (both days included, in the
    site's time zone)."""
    events = IssuerAuditEvent.objects.filter(issuer_id=issuer_id).select_related("actor").order_by("-created_at", "-pk")
    if kind:
        events = events.filter(kind=kind)
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    if since is not None:
        events = events.filter(created_at__gte=_day_start(since))
    if until is not None:
        events = events.filter(created_at__lt=_day_start(until + timedelta(days=1)))
    return events


def issuer_audit_actors(*, issuer_id: int) -> list[tuple[int, str]]:
    """Everyone who appears in the issuer's log, as (user id, e-mail address), for the person filter."""
    rows = (
        IssuerAuditEvent.objects.filter(issuer_id=issuer_id, actor__isnull=False)
        .values_list("actor_id", "actor__email").distinct().order_by("actor__email")
    )
    return [(actor_id, email) for actor_id, email in rows]


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# What the details of an entry are called on the page; anything else in `data` (ids) is not shown.
_DETAIL_LABELS = {
    "roles": _("Roles"), "before": _("Roles before"), "after": _("Roles after"), "fields": _("Changed"),
    "reason": _("Reason"), "comment": _("Comment"), "recipients": _("Recipients"), "lines": _("Rows"),
    "key_kind": _("Key type"), "since": _("Compromised since"), "scopes": _("Scopes"),
    "event_types": _("Events"), "enabled": _("Enabled"), "decision": _("Decision"), "version": _("Version"),
    "second_approval_required": _("Second approval required"),
}


def issuer_audit_details(event: IssuerAuditEvent) -> list[tuple[str, str]]:
    """An entry's details as (label, value) pairs in the reader's language."""
    details = []
    for key, label in _DETAIL_LABELS.items():
        value = event.data.get(key)
        if value in (None, "", []):
            continue
        details.append((str(label), _detail_value(key, value)))
    return details


def _detail_value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if key in ("roles", "before", "after"):
        return ", ".join(str(Role(role).label) if role in Role.values else role for role in value)
    if key == "fields":  # the profile's fields, by their names on the form
        return ", ".join(str(getattr(Issuer._meta.get_field(name), "verbose_name", name)) for name in value)
    if key == "decision":
        from_kind = {"approved": _("approved"), "first_approval": _("first approval given"),
                     "revision_requested": _("revision requested"), "rejected": _("rejected")}
        return str(from_kind.get(value, value))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)
