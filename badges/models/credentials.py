"""Issued credentials, their append-only history, and the issuers' Bitstring Status Lists."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from badges.models.achievements import Achievement
from issuers.models import IdentityKind, Issuer
from kernel.append_only import AppendOnlyEvent
from kernel.validation import TEXT_SHORT, bidi_controls_refuse, text_limit
from notifications.models import Notice

SHOWN_WHEN_SHARED = ("issued", "revoked")


class CredentialQuerySet(models.QuerySet["Credential"]):
    def shared_publicly(self) -> CredentialQuerySet:
        """What anyone with the link may see (the /c/ page, a public profile): shared by its learner, signed,
        and issued or revoked (a revoked one stays visible, as revoked)."""
        return self.filter(share_enabled=True, status__in=SHOWN_WHEN_SHARED).exclude(document=None)

    def without_signed_documents(self) -> CredentialQuerySet:
        """For lists of many credentials: the rows without the signed document and VC-JWT (about 10 KB a row
        that no list shows; decoding it costs more than the query), with whether each is there annotated for
        `has_document` and `has_jwt`. Reading `document` or `jwt` itself on these rows costs a query per row."""
        # Both tests are answered from the value's header (its null bit, its length): PostgreSQL never reads
        # the TOASTed value in.
        return self.defer("document", "jwt").annotate(
            document_stored=models.Q(document__isnull=False), jwt_stored=~models.Q(jwt="")
        )


class Credential(models.Model):
    """One achievement awarded to one recipient. The signed document is never changed after issuing."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be signed")
        SIGNING = "signing", _("being signed")
        ISSUED = "issued", _("issued")
        FAILED = "failed", _("failed")
        REVOKED = "revoked", _("revoked")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No index of its own: the indexes below that begin with the issuer serve every lookup by issuer.
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="credentials", db_index=False)
    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="credentials")
    recipient_email = models.EmailField(_("recipient e-mail"))
    # The salted hash the credential carries; nothing looks credentials up by it, so it has no index.
    recipient_identifier = models.CharField(_("recipient identifier"), max_length=80)
    recipient_salt = models.CharField(max_length=64)
    recipient_name = models.CharField(
        _("recipient name"), max_length=200, blank=True, validators=[bidi_controls_refuse]
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    document = models.JSONField(_("signed credential"), null=True, blank=True)
    jwt = models.TextField(_("signed credential (VC-JWT)"), blank=True)
    baked_png = models.FileField(_("badge (PNG)"), upload_to="credentials/", blank=True)
    baked_svg = models.FileField(_("badge (SVG)"), upload_to="credentials/", blank=True)
    # What the credential says about the learner beyond the achievement, captured when it is awarded
    # (higher layers pass it down as plain data; badges never reads assessment or learners):
    # results: [{"outcome": <LearningOutcome public_id>, "level": <RubricLevel public_id>|None,
    #            "value": str|None, "status": "Completed"|…}]
    # evidence: [{"id": url, "name", "description", "narrative", "genre"}] — only what the learner made public.
    results = models.JSONField(_("results"), default=list, blank=True)
    evidence = models.JSONField(_("public evidence"), default=list, blank=True)
    recipient_did = models.CharField(_("recipient DID"), max_length=500, blank=True)
    # Kept across re-issues (OB awardedDate); `replaces` links a renewal to the credential it renews.
    awarded_at = models.DateTimeField(_("awarded"), null=True, blank=True)
    replaces = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="renewals", verbose_name=_("replaces")
    )
    # Private by default: the public verification page answers only while the learner shares it.
    share_enabled = models.BooleanField(_("shared publicly"), default=False)
    # When the holder first shared it (kept when they stop sharing): "shared" on the issuer's dashboard.
    first_shared_at = models.DateTimeField(_("first shared"), null=True, blank=True)
    # Set when the expiry reminder went out, so the daily run reminds each holder once.
    expiry_reminded_at = models.DateTimeField(_("expiry reminder sent"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), **text_limit(TEXT_SHORT), blank=True)
    # Where the credential's revocation bit lives; allocated once, when it is first signed.
    # Indexed by credential_status_index_once, which begins with it.
    status_list = models.ForeignKey(
        "StatusList", on_delete=models.PROTECT, null=True, blank=True, related_name="credentials", editable=False,
        db_index=False,
    )
    status_list_index = models.PositiveIntegerField(null=True, blank=True, editable=False)
    attempts = models.PositiveIntegerField(_("signing attempts"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        ordering = ["-created_at"]
        # Every lookup a page or task makes (docs/performance.md, "Growth"), and no more: each index is
        # written on every insert and on every update that is not HOT (a cohort writes each row four times).
        # `updated_at`, `share_enabled`,
        # `first_shared_at` and `claimed_at` are in no index, so the updates after issuing (sharing, claiming)
        # can be HOT updates that leave no dead index entries.
        indexes = [
            # The console's and the API's credential lists: one issuer's, newest first.
            models.Index(fields=["issuer", "created_at", "id"], name="credential_issuer_created"),
            # The same lists filtered by state (revoked, issued, pending, failed).
            models.Index(fields=["issuer", "status", "created_at", "id"], name="credential_issuer_state"),
            # Expiring soon (console) and the expired state: issued credentials by end of validity.
            models.Index(fields=["issuer", "status", "valid_until"], name="credential_issuer_expiry"),
            # The wallet and every other lookup of a person's credentials: stored lower-cased (credential_issue),
            # so they are compared exactly.
            models.Index(fields=["recipient_email"], name="credential_recipient_email"),
            # The daily expiry reminders: only the credentials still to be reminded.
            models.Index(
                fields=["valid_until"], name="credential_reminder_due",
                condition=models.Q(status="issued", expiry_reminded_at__isnull=True, valid_until__isnull=False),
            ),
            # The sweeper: only credentials waiting for or in signing, a few rows however large the table.
            models.Index(
                fields=["id"], name="credential_in_flight", condition=models.Q(status__in=("pending", "signing"))
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["status_list", "status_list_index"], name="credential_status_index_once"),
            # A credential is re-issued once (a failed renewal may be tried again): two clicks, two tabs or
            # two people at once cannot issue it twice.
            models.UniqueConstraint(
                fields=["replaces"], condition=~models.Q(status="failed") & models.Q(replaces__isnull=False),
                name="credential_one_live_renewal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.achievement} → {self.recipient_name or self.recipient_email}"

    @property
    def uri(self) -> str:
        return f"urn:uuid:{self.public_id}"

    @property
    def is_shared_publicly(self) -> bool:
        """The same rule as CredentialQuerySet.shared_publicly, for one credential in hand."""
        return self.share_enabled and self.status in SHOWN_WHEN_SHARED and self.has_document

    @property
    def has_document(self) -> bool:
        """Signed as JSON-LD. A row from `without_signed_documents()` answers from its annotation, without
        loading the document."""
        if "document" in self.__dict__ or "document_stored" not in self.__dict__:
            return self.document is not None
        return bool(self.__dict__["document_stored"])

    @property
    def has_jwt(self) -> bool:
        """Signed as a VC-JWT. A row from `without_signed_documents()` answers from its annotation."""
        if "jwt" in self.__dict__ or "jwt_stored" not in self.__dict__:
            return bool(self.jwt)
        return bool(self.__dict__["jwt_stored"])


class CredentialEvent(AppendOnlyEvent):
    """The append-only story of a credential: who asked for it, each pipeline step, failures."""

    class Kind(models.TextChoices):
        ISSUE_REQUESTED = "issue_requested", _("issuing requested")
        SIGNING_STARTED = "signing_started", _("signing started")
        SIGNING_INTERRUPTED = "signing_interrupted", _("signing interrupted, will retry")
        # Written by credentials issued before ISSUED carried the signing and baking details.
        SIGNED = "signed", _("signed")
        BAKED = "baked", _("badge images baked")
        ISSUED = "issued", _("issued")
        FAILED = "failed", _("failed")
        REQUEUED = "requeued", _("queued again")
        REVOKED = "revoked", _("revoked")
        REISSUED = "reissued", _("issued again")
        CLAIM_RESENT = "claim_resent", _("claim link sent again")
        CLAIMED = "claimed", _("received by the holder")

    credential = models.ForeignKey(Credential, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=24, choices=Kind.choices)

    class Meta(AppendOnlyEvent.Meta):
        verbose_name = _("credential event")
        verbose_name_plural = _("credential events")


class StatusList(models.Model):
    """One of an issuer's W3C Bitstring Status Lists, published as a signed BitstringStatusListCredential.

    `bits` is what is published (1 = revoked). `allocated` marks the indexes given to credentials: an
    unrevoked credential's bit is 0 like a free one's, so the published bits cannot tell them apart.
    """

    class Purpose(models.TextChoices):
        REVOCATION = "revocation", _("revocation")

    MIN_SIZE = 131_072  # the W3C minimum, so one credential hides among many

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="status_lists")
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices, default=Purpose.REVOCATION)
    # The issuer identity the list was opened under: its `issuer` and proof name it for as long as it lives,
    # so every credential pointing at it names the same issuer. Lists opened before issuers chose are https.
    identity_kind = models.CharField(
        _("issuer identity"), max_length=10, choices=IdentityKind.choices, default=IdentityKind.HTTPS, editable=False
    )
    size = models.PositiveIntegerField(_("entries"), default=MIN_SIZE, validators=[MinValueValidator(MIN_SIZE)])
    bits = models.BinaryField(editable=False)
    allocated = models.BinaryField(editable=False)
    allocated_count = models.PositiveIntegerField(_("entries in use"), default=0)
    is_full = models.BooleanField(_("full"), default=False)
    # Bumped on every change of `bits`; the signed document is current when signed_version == version.
    version = models.PositiveIntegerField(default=1)
    signed_version = models.PositiveIntegerField(default=0)
    document = models.JSONField(_("signed status list"), null=True, blank=True, editable=False)
    etag = models.CharField(max_length=80, blank=True, editable=False)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")
        ordering = ["issuer", "created_at", "pk"]
        indexes = [models.Index(fields=["issuer", "purpose", "is_full"])]

    def __str__(self) -> str:
        return f"{self.issuer} – {self.public_id}"


class CredentialClaim(models.Model):
    """The recipient's single-use link to take an awarded credential into their wallet.

    Bound to the address the credential was issued to: only an account with that address verified may
    claim it. Re-sending replaces the token (the old link stops working) and extends the expiry. Only
    the token's hash is stored (kernel.tokens).
    """

    credential = models.OneToOneField(Credential, on_delete=models.CASCADE, related_name="claim")
    email = models.EmailField(_("sent to"))
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("link expires"))
    sent_count = models.PositiveSmallIntegerField(_("times sent"), default=0)
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    # The latest e-mail carrying the link: whether it was delivered or bounced is read from there.
    notice = models.ForeignKey(Notice, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("credential claim")
        verbose_name_plural = _("credential claims")
        indexes = [models.Index(fields=["claimed_at"], name="claim_claimed_at")]

    def __str__(self) -> str:
        return f"{self.credential_id} → {self.email}"


class CredentialPageView(models.Model):
    """Visits of a credential's public verification page, counted per day (no visitor data is kept)."""

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="page_views")
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("verification page views")
        verbose_name_plural = _("verification page views")
        constraints = [models.UniqueConstraint(fields=["credential", "day"], name="page_view_one_row_per_day")]
        indexes = [models.Index(fields=["day"], name="page_view_day")]

    def __str__(self) -> str:
        return f"{self.credential_id} {self.day}: {self.count}"
