"""Awards and award jobs as the API describes them. Input shapes here are for the schema only: the console's
forms (assessment.forms) and the rows' checks (assessment.csv_import) decide what is valid."""

from __future__ import annotations

from rest_framework import serializers

from assessment.models import AwardBatch, AwardRecipient
from badges.models import Credential


class AwardRequestSerializer(serializers.Serializer):
    achievement = serializers.UUIDField(help_text="The id of a published micro-credential of this issuer.")
    recipient_email = serializers.EmailField()
    recipient_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    valid_until = serializers.DateTimeField(required=False, help_text="Default: the micro-credential's validity.")


class AwardedCredentialSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    uri = serializers.CharField(help_text="The credential's id in its document: urn:uuid:<id>.")
    status = serializers.ChoiceField(choices=Credential.Status.choices, help_text="Signing runs in the background.")
    url = serializers.URLField(help_text="The credential's page in the console.")
    recipient_email = serializers.EmailField()
    achievement = serializers.UUIDField()
    job = serializers.URLField(help_text="The one-row award job this was issued by.")


class AwardJobRowInputSerializer(serializers.Serializer):
    email = serializers.CharField()
    name = serializers.CharField(required=False, allow_blank=True)


class AwardJobRequestSerializer(serializers.Serializer):
    achievement = serializers.UUIDField()
    rows = AwardJobRowInputSerializer(many=True, required=False, help_text="Up to 10,000 rows; or send `file`.")
    file = serializers.FileField(
        required=False, help_text="Instead of `rows` (multipart): the console's CSV format (e-mail, name; UTF-8)."
    )
    valid_until = serializers.DateTimeField(required=False)
    dry_run = serializers.BooleanField(required=False, default=False, help_text="Check every row; issue nothing.")


class RowProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="1-based position in `rows`, or the line of the CSV file.")
    email = serializers.CharField(allow_blank=True)
    messages = serializers.ListField(child=serializers.CharField())


class AwardJobDryRunSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    valid = serializers.BooleanField()
    total = serializers.IntegerField()
    valid_rows = serializers.IntegerField()
    errors = RowProblemSerializer(many=True)  # type: ignore[assignment]  # a field named like Serializer.errors


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class JobProgressSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    done = serializers.IntegerField(help_text="Rows issued or failed.")
    waiting = serializers.IntegerField()
    issued = serializers.IntegerField(help_text="Rows with a credential (being signed, or signed).")
    failed = serializers.IntegerField()
    signed = serializers.IntegerField(help_text="Credentials signed and delivered.")


class AwardJobSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.URLField()
    state = serializers.ChoiceField(choices=AwardBatch.Status.values)
    achievement = serializers.UUIDField()
    source_name = serializers.CharField(allow_blank=True)
    valid_until = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    error = ErrorSerializer(allow_null=True, help_text="Why a failed job stopped.")
    progress = JobProgressSerializer()
    rows_url = serializers.URLField()


class RowCredentialSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=Credential.Status.choices)


class AwardJobRowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    email = serializers.CharField(allow_blank=True)
    name = serializers.CharField(allow_blank=True)
    state = serializers.ChoiceField(choices=AwardRecipient.State.values)
    credential = RowCredentialSerializer(allow_null=True)
    error = ErrorSerializer(allow_null=True)


class AwardJobRerunRequestSerializer(serializers.Serializer):
    rows = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=10_000)
