"""The learner's page that offers a credential to a digital wallet app: a QR code for a wallet on another
device, a link that opens a wallet on this one, and the transaction code by e-mail."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from badges.credentials.claims import email_mask
from kernel.users import AuthenticatedHttpRequest
from learners.access import access_credential_for_learner
from learners.sharing import qr_svg
from openid4vci.models import WalletOffer
from openid4vci.offers import WalletOfferRefused, wallet_offer_create


@login_required
@require_http_methods(["GET", "POST"])
def to_wallet(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    credential = access_credential_for_learner(request.user, public_id)
    context: dict[str, object] = {"credential": credential}
    if request.method == "POST":
        try:
            made = wallet_offer_create(
                credential=credential, created_by=request.user, channel=WalletOffer.Channel.WALLET_PAGE
            )
        except WalletOfferRefused as exc:
            context["refusal"] = exc.message
            return render(request, "openid4vci/to_wallet.html", context, status=409)
        context |= {
            "offer": made.offer,
            "offer_uri": made.offer_uri,
            "sent_to": email_mask(made.sent_to),
            "qr_svg": qr_svg(made.offer_uri, title=_("QR code that offers %(name)s to a wallet app") % {
                "name": credential.achievement.name}),
        }
    return render(request, "openid4vci/to_wallet.html", context)
