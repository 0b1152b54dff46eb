"""The issuer dashboard (figures per micro-credential and period, with a CSV export) and the list of
credentials that expire soon. Views only: the gates are issuers.access, the figures console.dashboard."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from badges.credentials.access import access_issuer_for_credential_manager
from badges.models import Achievement
from console.dashboard import (
    EXPIRING_WINDOWS,
    DashboardFigures,
    credentials_expiring,
    credentials_expiring_count,
    dashboard_figures,
)
from console.dashboard_csv import dashboard_csv_response
from console.dashboard_forms import DashboardFilterForm, ExpiringWindowForm
from console.dashboard_tables import bar_chart, figure_groups
from console.periods import Period
from issuers.access import access_membership_for_user
from issuers.models import IssuerMember
from issuers.roles import Capability
from kernel.users import AuthenticatedHttpRequest


class Filtered(NamedTuple):
    member: IssuerMember
    form: DashboardFilterForm
    achievement: Achievement | None
    period: Period
    figures: DashboardFigures
    now: datetime


def _filtered(request: AuthenticatedHttpRequest, issuer_slug: str) -> Filtered:
    """Every member may read the figures: they are counts, with no personal data."""
    member = access_membership_for_user(request.user, issuer_slug, capability=Capability.VIEW_CONSOLE)
    now = timezone.now()
    form = DashboardFilterForm(request.GET or None, issuer=member.issuer, today=timezone.localdate(now))
    achievement = form.cleaned_data.get("achievement") if form.is_bound and form.is_valid() else None
    period = form.chosen_period()
    figures = dashboard_figures(issuer=member.issuer, achievement=achievement, period=period, now=now)
    return Filtered(member, form, achievement, period, figures, now)


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest, issuer_slug: str) -> HttpResponse:
    member, form, achievement, period, figures, now = _filtered(request, issuer_slug)
    groups = figure_groups(figures)
    return render(request, "console/dashboard.html", {
        "member": member,
        "issuer": member.issuer,
        "section": "dashboard",
        "form": form,
        "achievement": achievement,
        "period": period,
        "groups": groups,
        "charts": {group.key: bar_chart(group.rows) for group in groups if group.charted},
        "expiring_days": EXPIRING_WINDOWS[0],
        "expiring_count": credentials_expiring_count(issuer=member.issuer, now=now, days=EXPIRING_WINDOWS[0]),
        "can_see_expiring": member.can(Capability.MANAGE_CREDENTIALS),
        "export_query": request.GET.urlencode(),
    }, status=400 if form.errors else 200)


@login_required
@require_GET
def dashboard_export(request: AuthenticatedHttpRequest, issuer_slug: str) -> HttpResponse:
    member, _form, achievement, period, figures, _now = _filtered(request, issuer_slug)
    return dashboard_csv_response(
        issuer=member.issuer, achievement=achievement, period=period, groups=figure_groups(figures)
    )


@login_required
@require_GET
def expiring(request: AuthenticatedHttpRequest, issuer_slug: str) -> HttpResponse:
    """Names and addresses of holders: for the members who manage credentials, as the credential list is."""
    member = access_issuer_for_credential_manager(request.user, issuer_slug)
    form = ExpiringWindowForm(request.GET or None)
    days = form.chosen_days()
    now = timezone.now()
    credentials = list(credentials_expiring(issuer=member.issuer, now=now, days=days)[:1000])
    return render(request, "console/expiring.html", {
        "member": member,
        "issuer": member.issuer,
        "section": "expiring",
        "form": form,
        "days": days,
        "credentials": credentials,
        "now": now,
    })
