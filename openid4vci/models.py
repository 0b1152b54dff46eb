"""Credential offers to digital wallets (OpenID for Verifiable Credential Issuance 1.0).

An offer lets one wallet fetch one credential, bound to the wallet's key, once: a pre-authorized code
(in the offer) plus a transaction code (sent to the recipient by e-mail, a separate channel) buy a short
access token; the token buys each offered format once. Only SHA-256 hashes of the codes, tokens and
nonces are stored, so a copy of the database cannot redeem anything.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kernel.append_only import AppendOnlyEvent


class WalletOffer(models.Model):
    class Channel(models.TextChoices):
        WALLET_PAGE = "wallet_page", _("the learner's wallet page")
        API = "api", _("the REST API")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    credential = models.ForeignKey("badges.Credential", on_delete=models.CASCADE, related_name="wallet_offers")
    channel = models.CharField(_("made from"), max_length=20, choices=Channel.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    configuration_ids = models.JSONField(_("offered formats"), default=list)
    pre_authorized_code_hash = models.CharField(max_length=64, unique=True)
    tx_code_hash = models.CharField(max_length=64)
    tx_code_attempts = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField(_("expires"))
    code_used_at = models.DateTimeField(_("code used"), null=True, blank=True)
    access_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    access_token_expires_at = models.DateTimeField(null=True, blank=True)
    # Formats already handed out under this offer: each once.
    issued_configuration_ids = models.JSONField(default=list)
    # Set when the offer can no longer be used (too many wrong codes, a replayed code, withdrawn).
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("wallet offer")
        verbose_name_plural = _("wallet offers")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.public_id}"


class WalletNonce(models.Model):
    """A c_nonce from the nonce endpoint: a key proof must answer one, once, while it is fresh."""

    value_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="oid4vci_nonce_expires_idx")]

    def __str__(self) -> str:
        return f"nonce until {self.expires_at:%Y-%m-%d %H:%M}"


class WalletCredential(models.Model):
    """A credential handed to a wallet: the award bound to the wallet's key (credentialSubject.id), signed
    anew, with the original's revocation entry, so revoking the award revokes this copy too."""

    offer = models.ForeignKey(WalletOffer, on_delete=models.CASCADE, related_name="issued")
    configuration_id = models.CharField(max_length=80)
    credential_uri = models.CharField(max_length=100, unique=True)  # urn:uuid:…, the copy's own id
    holder_did = models.TextField()
    document = models.JSONField(null=True, blank=True)
    jwt = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offer", "configuration_id"], name="oid4vci_one_copy_per_format"),
        ]

    def __str__(self) -> str:
        return self.credential_uri


class WalletOfferEvent(AppendOnlyEvent):
    class Kind(models.TextChoices):
        CREATED = "created", _("Offer made")
        FETCHED = "fetched", _("Offer opened by a wallet")
        TOKEN_ISSUED = "token_issued", _("Codes accepted")
        TX_CODE_WRONG = "tx_code_wrong", _("Wrong transaction code")
        REFUSED = "refused", _("Request refused")
        CREDENTIAL_ISSUED = "credential_issued", _("Credential handed to a wallet")
        CLOSED = "closed", _("Offer closed")

    offer = models.ForeignKey(WalletOffer, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)

    class Meta(AppendOnlyEvent.Meta):
        verbose_name = _("wallet offer event")
        verbose_name_plural = _("wallet offer events")
