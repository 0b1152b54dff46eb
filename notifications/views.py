from __future__ import annotations

import hmac
import json
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from notifications.bounces import notice_bounce_record
from notifications.forms import NotificationSettingsForm
from notifications.sending import notification_settings_for

if TYPE_CHECKING:
    from kernel.users import AuthenticatedHttpRequest


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = notification_settings_for(request.user)
    form = NotificationSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        chosen = form.save(commit=False)
        chosen.language_chosen = True
        chosen.save()
        messages.success(request, _("Saved. Your e-mails follow these choices from now on."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})


@csrf_exempt  # called by the mail provider, authenticated by its token, never by a browser
@require_POST
def bounce_webhook(request: HttpRequest) -> JsonResponse:
    """A mail provider reports an address that bounced: {"email": "...", "reason": "..."}, with the header
    `Authorization: Bearer <EMAIL_BOUNCE_WEBHOOK_TOKEN>`. Without that setting the address does not exist."""
    token = settings.EMAIL_BOUNCE_WEBHOOK_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        return JsonResponse({"error": "unauthorized"}, status=401)
    try:
        report = json.loads(request.body)
        email, reason = str(report["email"]), str(report.get("reason", "bounced"))
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "malformed_request", "message": 'Send {"email": "...", "reason": "..."}.'},
                            status=400)
    return JsonResponse({"marked": notice_bounce_record(email=email, reason=reason)})
