from __future__ import annotations

from collections.abc import Collection
from datetime import UTC

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from issuers import identifiers
from issuers.countries import validate_country_code
from issuers.roles import Capability, Role, capabilities_of, roles_with
from kernel.append_only import AppendOnlyEvent
from kernel.validation import TEXT_LONG, bidi_controls_refuse, public_url_validator, text_limit


class IdentityKind(models.TextChoices):
    """How credentials name an issuer. Both documents stay published whichever is chosen (documents.py)."""

    # The default: OB 3.0 only requires verifiers to dereference https key URLs, so every certified
    # verifier can check these credentials without a DID resolver.
    HTTPS = "https", _("Web address (https)")
    DID_WEB = "did:web", _("Decentralised identifier (did:web)")


# A third identity, for signing only: an issuer's did:key (DidKeyIdentity), which generic verifiers resolve
# offline. Not an IdentityKind: Open Badges credentials and Profiles keep naming the https id or did:web.
DID_KEY = "did:key"


class Issuer(models.Model):
    """An organisation that issues credentials: an Open Badges 3.0 Profile."""

    IdentityKind = IdentityKind

    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200, validators=[bidi_controls_refuse])
    url = models.URLField(_("website"), blank=True, validators=[public_url_validator])
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    description = models.TextField(_("description"), **text_limit(TEXT_LONG), blank=True)
    image = models.ImageField(_("logo"), upload_to="issuers/", blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    locality = models.CharField(_("locality"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    country_code = models.CharField(
        _("country code"), max_length=2, validators=[validate_country_code], default="SE"
    )
    official_identifier = models.CharField(
        _("official identifier"),
        max_length=60,
        blank=True,
        help_text=_("For example the organisation number."),
    )
    jwt_enabled = models.BooleanField(
        _("also issue VC-JWT"),
        default=False,
        help_text=_("Sign each credential a second time as a JSON Web Token with an RSA key."),
    )
    # Read when a credential or status list is signed; what was signed earlier keeps the identity it names.
    identity_kind = models.CharField(
        _("identity in credentials"), max_length=10, choices=IdentityKind.choices, default=IdentityKind.HTTPS
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("issuer")
        verbose_name_plural = _("issuers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def public_id(self) -> str:
        """The https id of the issuer's Profile, which is also its controller document."""
        return identifiers.issuer_https_id(self.slug)

    @property
    def did(self) -> str:
        return identifiers.issuer_did_web(self.slug)

    @property
    def identity(self) -> str:
        """The id credentials, status lists and VC-JWT `iss` name for this issuer from now on."""
        return self.identity_for(self.identity_kind)

    def identity_for(self, identity_kind: str) -> str:
        """The issuer id under `identity_kind` (a status list keeps the kind it was opened under). DID_KEY
        names the issuer's did:key; DidKeyIdentity.DoesNotExist when it has none."""
        if identity_kind == DID_KEY:
            return DidKeyIdentity.objects.get(issuer=self).did
        return self.did if IdentityKind(identity_kind) == IdentityKind.DID_WEB else self.public_id


def _role_field(role: str) -> str:
    return f"is_{role}"


class IssuerMember(models.Model):
    """A person working for an issuer: one row per (issuer, user), with one flag per role."""

    Role = Role

    issuer = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="issuer_memberships")
    # One column per role keeps "who are the owners of X" a plain indexed query on every database.
    is_owner = models.BooleanField(Role.OWNER.label, default=False)
    is_designer = models.BooleanField(Role.DESIGNER.label, default=False)
    is_assessor = models.BooleanField(Role.ASSESSOR.label, default=False)
    is_qa_reviewer = models.BooleanField(Role.QA_REVIEWER.label, default=False)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("issuer member")
        verbose_name_plural = _("issuer members")
        ordering = ["issuer", "user__email", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "user"], name="issuer_member_once"),
            models.CheckConstraint(
                condition=models.Q(is_owner=True)
                | models.Q(is_designer=True)
                | models.Q(is_assessor=True)
                | models.Q(is_qa_reviewer=True),
                name="issuer_member_has_a_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.issuer}"

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(role for role in Role.values if getattr(self, _role_field(role)))

    @property
    def role_labels(self) -> list[str]:
        return [str(role.label) for role in Role if getattr(self, _role_field(role))]

    def has_role(self, role: str) -> bool:
        return getattr(self, _role_field(Role(role)))

    def can(self, capability: Capability) -> bool:
        """Whether one of the member's roles grants `capability` (issuers.roles is the table)."""
        return capability in capabilities_of(self.roles)

    def set_roles(self, roles: Collection[str]) -> list[str]:
        """Set the flags in memory; returns the changed field names for `save(update_fields=…)`."""
        changed = []
        for role in Role.values:
            field = _role_field(role)
            if getattr(self, field) != (role in roles):
                setattr(self, field, role in roles)
                changed.append(field)
        return changed

    @staticmethod
    def role_filter(role: str) -> models.Q:
        return models.Q(**{_role_field(Role(role)): True})

    @staticmethod
    def capability_filter(capability: Capability) -> models.Q:
        """Members whose roles grant `capability`, as a query (one indexed flag per role)."""
        query = models.Q(pk__in=[])
        for role in roles_with(capability):
            query |= IssuerMember.role_filter(role)
        return query


class IssuerInvitation(models.Model):
    """An owner's invitation for someone to join an issuer, sent by e-mail with a one-time link.

    Only a hash of the link's token is stored, so a database reader cannot accept invitations.
    """

    issuer = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    roles = models.JSONField(_("roles"), default=list)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.email} → {self.issuer}"

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in Role.values if role in self.roles]


class SigningKey(models.Model):
    """One of an issuer's key pairs. The private half is only ever stored encrypted (see keystore.py)."""

    class Kind(models.TextChoices):
        ED25519 = "ed25519", "Ed25519"
        RSA = "rsa", "RSA"

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        RETIRED = "retired", _("retired")
        COMPROMISED = "compromised", _("compromised")

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="signing_keys")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # RFC 7638 thumbprint: a stable, public name for the key in URLs and fragments.
    thumbprint = models.CharField(_("thumbprint"), max_length=64, unique=True, editable=False)
    public_key_multibase = models.CharField(_("public key (Multikey)"), max_length=120, blank=True, editable=False)
    public_key_jwk = models.JSONField(_("public key (JWK)"), editable=False)
    private_key_ciphertext = models.BinaryField(editable=False)
    key_encryption_key_id = models.CharField(max_length=40, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    compromised_since = models.DateTimeField(_("compromised since"), null=True, blank=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["issuer", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "kind"],
                condition=models.Q(status="active"),
                name="one_active_signing_key_per_kind",
            )
        ]

    # Both are deliberately free of key material, so logging or printing a key is always safe.
    def __repr__(self) -> str:
        return f"<SigningKey {self.pk} {self.kind} {self.status} issuer={self.issuer_id}>"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.thumbprint[:12]}… ({self.get_status_display()})"

    @property
    def is_published(self) -> bool:
        """Every key stays published: retired ones so that what they signed keeps verifying, compromised
        ones with their `revoked` date so that verifiers trust only signatures made before it."""
        return self.status in {self.Status.ACTIVE, self.Status.RETIRED, self.Status.COMPROMISED}

    @property
    def revoked_at(self) -> str | None:
        """`revoked` for the published verification method (CID 1.0): the compromise date, if any."""
        if self.status != self.Status.COMPROMISED or self.compromised_since is None:
            return None
        return self.compromised_since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class DidKeyIdentity(models.Model):
    """An issuer's did:key: an Ed25519 key that is its own identifier, so verifiers that resolve only
    did:key (the W3C VC-API's test suites, most wallets) can check what it signs without fetching anything.

    The key cannot be rotated: a new key would be a new DID, so there is at most one per issuer and it is
    never deleted while credentials name it. The private half is sealed like a SigningKey's (keystore.py).
    """

    issuer = models.OneToOneField(Issuer, on_delete=models.PROTECT, related_name="did_key_identity")
    did = models.CharField(_("decentralised identifier (did:key)"), max_length=120, unique=True, editable=False)
    thumbprint = models.CharField(max_length=64, unique=True, editable=False)
    private_key_ciphertext = models.BinaryField(editable=False)
    key_encryption_key_id = models.CharField(max_length=40, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("did:key identity")
        verbose_name_plural = _("did:key identities")

    def __repr__(self) -> str:  # free of key material, like SigningKey's
        return f"<DidKeyIdentity {self.pk} issuer={self.issuer_id}>"

    def __str__(self) -> str:
        return self.did

    @property
    def verification_method(self) -> str:
        """`did:key:z6Mk…#z6Mk…`: the one verification method of the DID's document."""
        return f"{self.did}#{self.did[len('did:key:'):]}"


class IssuerAuditEvent(AppendOnlyEvent):
    """Every privileged action taken for an issuer (issuers.audit): who, when, what it was about.

    `subject` is a short label of the thing acted on, kept as it was (an e-mail address, a token's name, a
    definition's name), so the entry still reads right after the thing is renamed or deleted; `data` holds the
    details (roles before and after, a key's thumbprint, the changed fields).
    """

    class Kind(models.TextChoices):
        MEMBER_INVITED = "member_invited", _("member invited")
        MEMBER_JOINED = "member_joined", _("invitation accepted")
        MEMBER_ROLES_CHANGED = "member_roles_changed", _("roles changed")
        MEMBER_REMOVED = "member_removed", _("member removed")
        PROFILE_UPDATED = "profile_updated", _("profile changed")
        SIGNING_KEY_CREATED = "signing_key_created", _("signing key created")
        SIGNING_KEY_ROTATED = "signing_key_rotated", _("signing key replaced")
        SIGNING_KEY_COMPROMISED = "signing_key_compromised", _("signing key marked compromised")
        DID_KEY_IDENTITY_CREATED = "did_key_identity_created", _("did:key identity created")
        ACHIEVEMENT_APPROVED = "achievement_approved", _("definition approved")
        ACHIEVEMENT_CHANGES_REQUESTED = "achievement_changes_requested", _("changes requested to a definition")
        ACHIEVEMENT_EXTERNAL_REVIEW = "achievement_external_review", _("external review recorded")
        ACHIEVEMENT_PUBLISHED = "achievement_published", _("definition published")
        CREDENTIAL_REVOKED = "credential_revoked", _("credential revoked")
        CREDENTIAL_REISSUED = "credential_reissued", _("credential re-issued")
        APPLICATION_DECIDED = "application_decided", _("application decided")
        AWARD_JOB_CONFIRMED = "award_job_confirmed", _("direct award confirmed")
        AWARD_ROWS_RERUN = "award_rows_rerun", _("award list rows run again")
        ASSESSMENT_POLICY_CHANGED = "assessment_policy_changed", _("assessment policy changed")
        API_TOKEN_CREATED = "api_token_created", _("API token created")
        API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")
        WEBHOOK_ENDPOINT_CREATED = "webhook_endpoint_created", _("webhook endpoint added")
        WEBHOOK_ENDPOINT_CHANGED = "webhook_endpoint_changed", _("webhook endpoint changed")
        WEBHOOK_SECRET_ROTATED = "webhook_secret_rotated", _("webhook secret replaced")
        WEBHOOK_ENDPOINT_DELETED = "webhook_endpoint_deleted", _("webhook endpoint removed")
        WEBHOOK_DELIVERY_REPLAYED = "webhook_delivery_replayed", _("webhook delivery sent again")

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="audit_events")
    kind = models.CharField(_("action"), max_length=40, choices=Kind.choices)
    subject = models.CharField(_("about"), max_length=200, blank=True)

    class Meta(AppendOnlyEvent.Meta):
        verbose_name = _("issuer audit event")
        verbose_name_plural = _("issuer audit events")
        indexes = [models.Index(fields=["issuer", "-created_at"], name="issuer_audit_recent")]
