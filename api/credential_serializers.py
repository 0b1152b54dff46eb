"""What the credential and verification endpoints answer, described for the OpenAPI schema; and the list's
query parameters (no console form has them). Revoking is validated by the console's RevokeForm."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from badges.credentials.selectors import CREDENTIAL_STATES

STATES = CREDENTIAL_STATES
ORDERINGS = ("created", "-created", "valid_until", "-valid_until")
FORMATS = ("png", "svg", "json", "jwt")
VERDICTS = ("valid", "revoked", "suspended", "unconfirmed", "expired", "not_yet_valid", "invalid")


class CredentialFilterSerializer(serializers.Serializer):
    achievement = serializers.UUIDField(required=False, help_text="The micro-credential's public id.")
    state = serializers.ChoiceField(
        choices=STATES, required=False,
        help_text="pending (not signed yet), issued (valid now), failed, revoked, or expired.",
    )
    recipient = serializers.EmailField(required=False, help_text="The recipient's e-mail (exact, any case).")
    issued_after = serializers.DateTimeField(required=False, help_text="Created at or after (ISO 8601).")
    issued_before = serializers.DateTimeField(required=False, help_text="Created before (ISO 8601).")
    ordering = serializers.ChoiceField(
        choices=ORDERINGS, required=False, default="-created",
        help_text="created or valid_until, `-` for descending (default -created). No expiry sorts last.",
    )

    def validate(self, attrs: dict) -> dict:
        after, before = attrs.get("issued_after"), attrs.get("issued_before")
        if after and before and after >= before:
            raise serializers.ValidationError({"issued_before": [_("Must be later than issued_after.")]})
        return attrs


class AchievementRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class RecipientSerializer(serializers.Serializer):
    email = serializers.EmailField()
    name = serializers.CharField(allow_blank=True)


class ClaimSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text="The address the claim link was sent to.")
    email_state = serializers.ChoiceField(
        choices=["", "waiting", "in_digest", "sent", "undeliverable", "bounced"], allow_blank=True,
        help_text="The latest e-mail carrying the link: waiting, in_digest, sent, undeliverable or bounced "
                  "(empty: none yet).",
    )
    sent_count = serializers.IntegerField()
    last_sent_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(help_text="When the claim link stops working.")
    claimed_at = serializers.DateTimeField(allow_null=True, help_text="When the recipient took it into a wallet.")


class DownloadsSerializer(serializers.Serializer):
    png = serializers.URLField(allow_null=True)
    svg = serializers.URLField(allow_null=True)
    json = serializers.URLField(allow_null=True)
    jwt = serializers.URLField(allow_null=True)


class CredentialSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The credential's public id.")
    uri = serializers.CharField(help_text="Its id in the signed document (urn:uuid:…).")
    achievement = AchievementRefSerializer()
    recipient = RecipientSerializer()
    state = serializers.ChoiceField(choices=STATES)
    valid_from = serializers.DateTimeField()
    valid_until = serializers.DateTimeField(allow_null=True)
    awarded_at = serializers.DateTimeField(allow_null=True, help_text="Kept when re-issued.")
    created_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    revocation_reason = serializers.CharField(allow_blank=True)
    replaces = serializers.UUIDField(allow_null=True, help_text="The credential this one renews.")
    verification_url = serializers.URLField(help_text="The public page; it answers while the holder shares.")
    shared = serializers.BooleanField(help_text="Whether the holder shares it publicly now.")
    first_shared_at = serializers.DateTimeField(allow_null=True)
    claim = ClaimSerializer(allow_null=True)
    page_views = serializers.IntegerField(help_text="Visits of the public verification page, in all.")
    downloads = DownloadsSerializer(help_text="Where to download each form (null: not available).")


class RevokeRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why: the holder gets it by e-mail and verifiers see it.")


class VerificationCheckSerializer(serializers.Serializer):
    name = serializers.CharField()
    passed = serializers.BooleanField()
    outcome = serializers.ChoiceField(choices=["passed", "failed", "unconfirmed"])
    code = serializers.CharField(allow_blank=True, help_text="ob3's machine code, e.g. key_not_bound, revoked.")
    warning = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True, help_text="In English.")


class VerificationSerializer(serializers.Serializer):
    valid = serializers.BooleanField(help_text="verdict == valid")
    verdict = serializers.ChoiceField(choices=VERDICTS)
    format = serializers.CharField(allow_null=True, help_text="What was read: png, svg, json or jwt.")
    checks = VerificationCheckSerializer(many=True)
    credential = serializers.JSONField(  # any JSON: the credential found, or null
        help_text="What the input claims (null: none found); trust it only as far as the verdict goes.",
    )


class VerifyRequestSerializer(serializers.Serializer):
    credential = serializers.JSONField(help_text="The credential (a JSON object) or a VC-JWT (a string).")


class VerifyUploadSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="A baked PNG or SVG badge, a .json or a .jwt file.")
    credential = serializers.CharField(required=False, help_text="Or the credential's JSON or JWT as text.")
