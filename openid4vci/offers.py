"""Making a wallet offer and redeeming it: the pre-authorized code flow of OpenID4VCI 1.0.

Every step that spends something (a code, a token, a nonce, a format) does so with a row lock or a
conditional UPDATE, so two wallets racing with one code cannot both get a credential.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from badges.credentials.selectors import credential_state
from badges.models import Credential
from kernel.errors import ApplicationError
from kernel.public_urls import public_url
from kernel.tokens import secret_token, secret_token_hash
from notifications.sending import notice_send
from ob3.proofs.key_proof import KeyProofError, verify_key_proof
from openid4vci.binding import credential_bound_copy
from openid4vci.metadata import (
    CONFIGURATION_IDS,
    JWT_VC_JSON,
    PRE_AUTHORIZED_GRANT,
    authorization_server_id,
    credential_issuer_id,
)
from openid4vci.models import WalletCredential, WalletNonce, WalletOffer, WalletOfferEvent

if TYPE_CHECKING:
    from kernel.users import User

TX_CODE_LENGTH = 6
Event = WalletOfferEvent.Kind


class WalletOfferRefused(ApplicationError):
    """`code` is the OAuth 2.0 / OpenID4VCI error code the wallet gets; `status` the HTTP status."""

    def __init__(self, code: str, message: str, *, status: int = 400):
        super().__init__(code, message)
        self.status = status


@dataclass(frozen=True)
class MadeOffer:
    offer: WalletOffer
    offer_uri: str  # openid-credential-offer://?credential_offer_uri=…, for the QR code and the deep link
    sent_to: str  # where the transaction code went


def _log(offer: WalletOffer, kind: str, *, actor: User | None = None, **data: Any) -> None:
    WalletOfferEvent.objects.create(offer=offer, kind=kind, actor=actor, data=data)


def offer_uri(offer: WalletOffer) -> str:
    document_url = public_url(reverse("openid4vci:offer", args=[offer.public_id]))
    return f"openid-credential-offer://?credential_offer_uri={quote(document_url, safe='')}"


def _handed_out_refusal(credential: Credential) -> str | None:
    state = credential_state(credential)
    if state == "issued":
        return None
    if state == "revoked":
        return _("This credential has been revoked, so it cannot be added to a wallet.")
    if state == "expired":
        return _("This credential has expired, so it cannot be added to a wallet.")
    return _("This credential is not ready yet. Try again when it has been issued.")


def wallet_offer_create(*, credential: Credential, created_by: User | None, channel: str) -> MadeOffer:
    """A new offer of `credential` to a wallet; the transaction code goes by e-mail to the recipient's
    address (a separate channel from the QR code or link that carries the offer)."""
    refusal = _handed_out_refusal(credential)
    if refusal is not None:
        raise WalletOfferRefused("credential_not_offerable", refusal, status=409)
    tx_code = "".join(secrets.choice("0123456789") for _ in range(TX_CODE_LENGTH))
    expires_at = timezone.now() + timedelta(minutes=settings.WALLET_OFFER_MINUTES)
    configuration_ids = [cid for cid in CONFIGURATION_IDS if cid != JWT_VC_JSON or credential.issuer.jwt_enabled]
    with transaction.atomic():
        offer = WalletOffer.objects.create(
            credential=credential,
            channel=channel,
            created_by=created_by,
            configuration_ids=configuration_ids,
            pre_authorized_code_hash=secret_token_hash(secret_token()),  # replaced below, once the code is known
            tx_code_hash=secret_token_hash(tx_code),
            expires_at=expires_at,
        )
        notice_send(
            kind="wallet_offer_code",
            template="openid4vci/email/transaction_code",
            context={"credential": credential, "tx_code": tx_code, "expires_at": expires_at},
            email=credential.recipient_email,
        )
        _log(offer, Event.CREATED, actor=created_by, channel=channel, configurations=configuration_ids)
    return MadeOffer(offer=offer, offer_uri=offer_uri(offer), sent_to=credential.recipient_email)


def wallet_offer_document(*, public_id: UUID | str) -> dict[str, Any]:
    """The credential offer a wallet fetches from credential_offer_uri. The pre-authorized code is made
    here, once: a second fetch of the same offer gets nothing (the first wallet to open it owns it)."""
    with transaction.atomic():
        offer = WalletOffer.objects.select_for_update().filter(public_id=public_id).first()
        if offer is None:
            raise WalletOfferRefused("not_found", _("There is no such offer."), status=404)
        _check_open(offer)
        if offer.events.filter(kind=Event.FETCHED).exists():
            raise WalletOfferRefused("offer_used", _("This offer has already been opened by a wallet."), status=410)
        code = secret_token()
        offer.pre_authorized_code_hash = secret_token_hash(code)
        offer.save(update_fields=["pre_authorized_code_hash"])
        _log(offer, Event.FETCHED)
    return {
        "credential_issuer": credential_issuer_id(),
        "credential_configuration_ids": offer.configuration_ids,
        "grants": {
            PRE_AUTHORIZED_GRANT: {
                "pre-authorized_code": code,
                "tx_code": {
                    "input_mode": "numeric",
                    "length": TX_CODE_LENGTH,
                    "description": _("The 6-digit code we sent to your e-mail address"),
                },
                "authorization_server": authorization_server_id(),
            }
        },
    }


def _check_open(offer: WalletOffer) -> None:
    if offer.closed_at is not None:
        raise WalletOfferRefused("invalid_grant", _("This offer has been closed."), status=400)
    if offer.expires_at <= timezone.now():
        raise WalletOfferRefused("invalid_grant", _("This offer has expired. Make a new one from your wallet."))


def _close(offer: WalletOffer, reason: str) -> None:
    offer.closed_at, offer.closed_reason = timezone.now(), reason
    offer.access_token_hash = None  # whatever was handed out under a compromised code stops working
    offer.save(update_fields=["closed_at", "closed_reason", "access_token_hash"])
    _log(offer, Event.CLOSED, reason=reason)


def wallet_token_exchange(*, grant_type: str, pre_authorized_code: str, tx_code: str) -> dict[str, Any]:
    """The token endpoint: pre-authorized code + transaction code -> a short-lived access token."""
    if grant_type != PRE_AUTHORIZED_GRANT:
        raise WalletOfferRefused("unsupported_grant_type", _("Only the pre-authorized code grant is supported."))
    if not pre_authorized_code:
        raise WalletOfferRefused("invalid_request", _("The pre-authorized code is missing."))
    # A refusal that changed something (a wrong code counted, an offer closed) is raised after the commit.
    with transaction.atomic():
        answer = _token_exchange(pre_authorized_code, tx_code)
    if isinstance(answer, WalletOfferRefused):
        raise answer
    return answer


def _token_exchange(pre_authorized_code: str, tx_code: str) -> dict[str, Any] | WalletOfferRefused:
    offer = (
        WalletOffer.objects.select_for_update()
        .filter(pre_authorized_code_hash=secret_token_hash(pre_authorized_code))
        .first()
    )
    if offer is None:
        return WalletOfferRefused("invalid_grant", _("The pre-authorized code is not valid."))
    _check_open(offer)
    if offer.code_used_at is not None:
        # RFC 6749 §4.1.2: a code used twice may have been stolen; what it bought is withdrawn.
        _close(offer, "code replayed")
        return WalletOfferRefused("invalid_grant", _("The pre-authorized code has already been used."))
    if not tx_code or not hmac.compare_digest(secret_token_hash(tx_code), offer.tx_code_hash):
        offer.tx_code_attempts += 1
        offer.save(update_fields=["tx_code_attempts"])
        _log(offer, Event.TX_CODE_WRONG, attempt=offer.tx_code_attempts)
        if offer.tx_code_attempts >= settings.WALLET_TX_CODE_ATTEMPTS:
            _close(offer, "too many wrong transaction codes")
        return WalletOfferRefused("invalid_grant", _("The transaction code is not right."))
    token = secret_token()
    now = timezone.now()
    offer.code_used_at = now
    offer.access_token_hash = secret_token_hash(token)
    offer.access_token_expires_at = now + timedelta(seconds=settings.WALLET_TOKEN_SECONDS)
    offer.save(update_fields=["code_used_at", "access_token_hash", "access_token_expires_at"])
    _log(offer, Event.TOKEN_ISSUED)
    return {"access_token": token, "token_type": "Bearer", "expires_in": settings.WALLET_TOKEN_SECONDS}


def wallet_nonce_issue() -> str:
    """A fresh c_nonce for the nonce endpoint (OpenID4VCI 1.0 §7)."""
    nonce = secret_token()
    WalletNonce.objects.create(
        value_hash=secret_token_hash(nonce),
        expires_at=timezone.now() + timedelta(seconds=settings.WALLET_NONCE_SECONDS),
    )
    return nonce


def wallet_nonces_tidy() -> int:
    """Delete nonces that can no longer be used (expired a day ago or more); they are worth nothing after."""
    deleted, _rows = WalletNonce.objects.filter(expires_at__lt=timezone.now() - timedelta(days=1)).delete()
    return deleted


def _nonce_spend(nonce: str) -> bool:
    """True when `nonce` is one of ours, fresh and unused; it is used up either way."""
    now = timezone.now()
    return bool(
        WalletNonce.objects.filter(value_hash=secret_token_hash(nonce), used_at__isnull=True, expires_at__gt=now)
        .update(used_at=now)
    )


def _offer_for_token(access_token: str) -> WalletOffer:
    offer = (
        WalletOffer.objects.select_for_update()
        .select_related("credential__issuer", "credential__achievement")
        .filter(access_token_hash=secret_token_hash(access_token))
        .first()
        if access_token else None
    )
    if offer is None or offer.access_token_expires_at is None or offer.access_token_expires_at <= timezone.now():
        raise WalletOfferRefused("invalid_token", _("The access token is not valid or has expired."), status=401)
    if offer.closed_at is not None:
        raise WalletOfferRefused("invalid_token", _("This offer has been closed."), status=401)
    return offer


def _the_proof(body: dict[str, Any]) -> object:
    """The one `jwt` key proof of the request (1.0: `proofs.jwt`; earlier drafts: `proof`)."""
    proofs, proof = body.get("proofs"), body.get("proof")
    if proofs is not None and proof is not None:
        raise WalletOfferRefused("invalid_credential_request", _("Send either proofs or proof, not both."))
    if isinstance(proofs, dict):
        if set(proofs) != {"jwt"} or not isinstance(proofs["jwt"], list) or len(proofs["jwt"]) != 1:
            raise WalletOfferRefused("invalid_proof", _("Send exactly one key proof of type jwt."))
        return proofs["jwt"][0]
    if isinstance(proof, dict) and proof.get("proof_type") == "jwt":
        return proof.get("jwt")
    raise WalletOfferRefused("invalid_proof", _("A key proof of type jwt is required."))


def wallet_credential_issue(*, access_token: str, body: dict[str, Any]) -> dict[str, Any]:
    """The credential endpoint: one format of the offered credential, bound to the key the proof shows."""
    # Refusals are logged, and a spent nonce stays spent: they are raised after the commit.
    with transaction.atomic():
        answer = _credential_issue(access_token, body)
    if isinstance(answer, WalletOfferRefused):
        raise answer
    return answer


def _credential_issue(access_token: str, body: dict[str, Any]) -> dict[str, Any] | WalletOfferRefused:
    offer = _offer_for_token(access_token)  # an unknown or expired token is a 401 before anything else
    configuration_id = body.get("credential_configuration_id")
    if not isinstance(configuration_id, str):
        return WalletOfferRefused(
            "invalid_credential_request", _("credential_configuration_id is required (credential_identifier is "
                                            "not used by this issuer).")
        )
    if configuration_id not in offer.configuration_ids:
        return WalletOfferRefused("unknown_credential_configuration", _("This format was not offered."))

    def refuse(refusal: WalletOfferRefused, reason: str) -> WalletOfferRefused:
        _log(offer, Event.REFUSED, reason=reason, configuration=configuration_id)
        return refusal

    if configuration_id in offer.issued_configuration_ids:
        return refuse(WalletOfferRefused("credential_request_denied", _("This format has already been handed out.")),
                      "format asked for twice")
    try:
        holder = verify_key_proof(_the_proof(body), audience=credential_issuer_id(), now=timezone.now())
    except KeyProofError as exc:
        return refuse(WalletOfferRefused(exc.code, str(exc)), str(exc))
    except WalletOfferRefused as exc:
        return refuse(exc, exc.message)
    if not _nonce_spend(holder.nonce):
        return refuse(WalletOfferRefused(
            "invalid_nonce", _("The nonce is not valid: get a new one from the nonce endpoint.")),
            "unknown, used or expired nonce")
    credential = Credential.objects.select_for_update().select_related("issuer", "achievement").get(
        pk=offer.credential_id)
    refusal = _handed_out_refusal(credential)
    if refusal is not None:
        return refuse(WalletOfferRefused("credential_request_denied", refusal), credential_state(credential))
    copy = credential_bound_copy(credential, holder_did=holder.did, as_jwt=configuration_id == JWT_VC_JSON)
    WalletCredential.objects.create(
        offer=offer, configuration_id=configuration_id, credential_uri=copy.uri, holder_did=holder.did,
        document=copy.document, jwt=copy.jwt,
    )
    offer.issued_configuration_ids = [*offer.issued_configuration_ids, configuration_id]
    offer.save(update_fields=["issued_configuration_ids"])
    _log(offer, Event.CREDENTIAL_ISSUED, configuration=configuration_id, holder=holder.did, copy=copy.uri)
    return {"credentials": [{"credential": copy.jwt if configuration_id == JWT_VC_JSON else copy.document}]}
