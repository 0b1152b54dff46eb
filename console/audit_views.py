"""The issuer's audit log in the console: every privileged action (issuers.audit), for owners only."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from issuers.access import access_membership_for_user
from issuers.audit import issuer_audit_actors, issuer_audit_details, issuer_audit_events
from issuers.models import IssuerAuditEvent
from issuers.roles import Capability
from kernel.users import AuthenticatedHttpRequest

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int, empty_value=None)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, actors: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kind, actor = self.fields["kind"], self.fields["actor"]
        assert isinstance(kind, forms.ChoiceField) and isinstance(actor, forms.ChoiceField)
        kind.choices = [("", _("All actions")), *IssuerAuditEvent.Kind.choices]
        actor.choices = [("", _("Everyone")), *actors]


@login_required
@require_GET
def audit_log(request: AuthenticatedHttpRequest, issuer_slug: str) -> HttpResponse:
    member = access_membership_for_user(request.user, issuer_slug, capability=Capability.VIEW_AUDIT_LOG)
    form = AuditFilterForm(request.GET or None, actors=issuer_audit_actors(issuer_id=member.issuer_id))
    # A filter that does not read (a date like 2026-13-45) is shown as an error and left out, not refused:
    # cleaned_data keeps only the fields that were valid.
    if form.is_bound:
        form.is_valid()
    chosen = getattr(form, "cleaned_data", {})
    events = issuer_audit_events(
        issuer_id=member.issuer_id, kind=chosen.get("kind") or "", actor_id=chosen.get("actor"),
        since=chosen.get("since"), until=chosen.get("until"),
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.details = issuer_audit_details(event)  # type: ignore[attr-defined]  # for the template
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "console/audit_log.html", {
        "member": member, "issuer": member.issuer, "section": "audit-log", "form": form, "page": page,
        "query": query.urlencode(),
    })
