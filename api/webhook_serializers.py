"""Webhook endpoints, deliveries and the events they carry, described for the OpenAPI schema (output,
and the JSON input shape; the console's WebhookEndpointForm validates it)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiWebhook, extend_schema
from rest_framework import serializers

from webhooks.events import EventType


class WebhookEndpointSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    url = serializers.URLField(max_length=2000, help_text="A public https address; deliveries are POSTed here.")
    description = serializers.CharField(max_length=200, allow_blank=True, required=False)
    event_types = serializers.ListField(child=serializers.ChoiceField(choices=EventType.choices))
    enabled = serializers.BooleanField(required=False, default=True)
    disabled_because = serializers.ChoiceField(
        choices=["", "member", "failures"], read_only=True,
        help_text='"failures": disabled after failed deliveries (see docs/api.md); "" while enabled.',
    )
    secret_rotated_at = serializers.DateTimeField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class WebhookEndpointWithSecretSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(read_only=True, help_text="The signing secret (whsec_…). Shown only this once.")


class WebhookSecretSerializer(serializers.Serializer):
    secret = serializers.CharField(read_only=True, help_text="The new signing secret (whsec_…). Shown only this once.")


class WebhookAttemptSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    duration_ms = serializers.IntegerField()
    status_code = serializers.IntegerField(allow_null=True)
    response_excerpt = serializers.CharField(allow_blank=True, help_text="At most 1 KB of the receiver's answer.")
    error = serializers.CharField(allow_blank=True)
    succeeded = serializers.BooleanField()


class WebhookDeliverySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    event_id = serializers.CharField(help_text="The `webhook-id` header: the same on every retry and replay.")
    event_type = serializers.ChoiceField(choices=EventType.choices)
    state = serializers.ChoiceField(choices=["pending", "sending", "succeeded", "failed"])
    attempt_count = serializers.IntegerField()
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    replay_of = serializers.UUIDField(allow_null=True)
    attempts = WebhookAttemptSerializer(many=True)


# --- What a receiver gets: the body of each event (OpenAPI 3.1 `webhooks`) --------------------------------
class _AchievementRef(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.URLField(help_text="The micro-credential's public page (also its JSON-LD).")


class _CredentialData(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.URLField(help_text="The public verification page (answers while the holder shares it).")
    achievement = _AchievementRef()
    valid_from = serializers.DateTimeField()
    valid_until = serializers.DateTimeField(allow_null=True)
    claimed_at = serializers.DateTimeField(required=False, help_text="credential.claimed only.")
    revoked_at = serializers.DateTimeField(required=False, help_text="credential.revoked only.")


class _CredentialRef(serializers.Serializer):
    id = serializers.UUIDField()


class _ApplicationData(serializers.Serializer):
    id = serializers.UUIDField()
    achievement = _AchievementRef()
    submitted_at = serializers.DateTimeField(allow_null=True)
    round = serializers.IntegerField(required=False, help_text="application.submitted: 1 for the first, then 2, …")
    decision = serializers.ChoiceField(
        choices=["approved", "rejected", "revision_requested"], required=False, help_text="application.decided only."
    )
    decided_at = serializers.DateTimeField(required=False, help_text="application.decided only.")
    credential = _CredentialRef(required=False, allow_null=True, help_text="application.decided: when approved.")


class _AwardJobData(serializers.Serializer):
    id = serializers.UUIDField()
    achievement = _AchievementRef()
    issued = serializers.IntegerField(help_text="Credentials requested by the job.")
    failed = serializers.IntegerField(help_text="Rows that could not be issued.")
    finished_at = serializers.DateTimeField()


def _envelope(name: str, data_field: str, data: serializers.Serializer) -> type[serializers.Serializer]:
    fields = {
        "id": serializers.CharField(help_text="The event id, also the `webhook-id` header (msg_…)."),
        "type": serializers.ChoiceField(choices=EventType.choices),
        "timestamp": serializers.DateTimeField(),
        "issuer": serializers.SlugField(help_text="The issuer's slug, as in /api/v1/issuers/<slug>/."),
        "data": type(f"{name}Data", (serializers.Serializer,), {data_field: data})(),
    }
    return type(name, (serializers.Serializer,), fields)


CredentialEventSerializer = _envelope("WebhookCredentialEvent", "credential", _CredentialData())
ApplicationEventSerializer = _envelope("WebhookApplicationEvent", "application", _ApplicationData())
AwardJobEventSerializer = _envelope("WebhookAwardJobEvent", "award_job", _AwardJobData())

_HEADERS = (
    "Signed per Standard Webhooks: headers webhook-id, webhook-timestamp and webhook-signature "
    "(v1,<base64 HMAC-SHA256 of \"id.timestamp.body\" under the endpoint's secret>). Answer 2xx within 5 s."
)


def _webhook(event_type: EventType, serializer: type[serializers.Serializer]) -> OpenApiWebhook:
    return OpenApiWebhook(name=event_type.value, decorator=extend_schema(
        summary=event_type.value, description=_HEADERS, request=serializer, responses={200: None},
    ))


CREDENTIAL_ISSUED = _webhook(EventType.CREDENTIAL_ISSUED, CredentialEventSerializer)
CREDENTIAL_CLAIMED = _webhook(EventType.CREDENTIAL_CLAIMED, CredentialEventSerializer)
CREDENTIAL_REVOKED = _webhook(EventType.CREDENTIAL_REVOKED, CredentialEventSerializer)
APPLICATION_SUBMITTED = _webhook(EventType.APPLICATION_SUBMITTED, ApplicationEventSerializer)
APPLICATION_DECIDED = _webhook(EventType.APPLICATION_DECIDED, ApplicationEventSerializer)
AWARD_JOB_FINISHED = _webhook(EventType.AWARD_JOB_FINISHED, AwardJobEventSerializer)
