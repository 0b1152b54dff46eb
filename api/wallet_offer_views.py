"""/api/v1/issuers/<slug>/credentials/<id>/wallet-offers/: offer an issued credential to the holder's digital
wallet (OpenID4VCI). The answer carries the offer link for a QR code or a button; the transaction code goes
to the holder's e-mail address only, never to the caller, so whoever relays the link cannot redeem it."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.access import access_api_member
from api.idempotency import idempotent
from api.scopes import Scope
from badges.credentials.access import access_credential_for_issuer
from issuers.roles import Capability
from openid4vci.models import WalletOffer
from openid4vci.offers import wallet_offer_create


class WalletOfferSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The offer's id.")
    offer_uri = serializers.CharField(
        help_text="openid-credential-offer://?credential_offer_uri=…: show it as a QR code or a link. It works once."
    )
    configuration_ids = serializers.ListField(
        child=serializers.CharField(), help_text="The formats offered: ldp_vc, and jwt_vc_json where the issuer "
        "signs VC-JWTs.",
    )
    expires_at = serializers.DateTimeField(help_text="After this the offer and its code no longer work.")
    transaction_code_sent_to = serializers.EmailField(help_text="The holder's address, where the code went.")


class WalletOfferCreateView(APIView):
    @extend_schema(
        request=None, responses={201: WalletOfferSerializer}, operation_id="credential_wallet_offer_create",
        tags=["credentials"],
    )
    @idempotent
    def post(self, request: Request, issuer_slug: str, public_id: UUID) -> Response:
        """Offer an issued credential to its holder's digital wallet (OpenID4VCI 1.0, pre-authorized code with a
        transaction code e-mailed to the holder). Refused (422) for a credential that is revoked, expired or not
        yet signed."""
        member = access_api_member(
            request, issuer_slug, scope=Scope.AWARD, capability=Capability.AWARD_CREDENTIALS
        )
        credential = access_credential_for_issuer(member.issuer, str(public_id))
        made = wallet_offer_create(credential=credential, created_by=member.user, channel=WalletOffer.Channel.API)
        answer = WalletOfferSerializer({
            "id": made.offer.public_id,
            "offer_uri": made.offer_uri,
            "configuration_ids": made.offer.configuration_ids,
            "expires_at": made.offer.expires_at,
            "transaction_code_sent_to": made.sent_to,
        })
        return Response(answer.data, status=201)
