"""What the API answers, described for the OpenAPI schema. Output only: input is validated by the
console's forms (api.forms) and business rules live in the services."""

from __future__ import annotations

from rest_framework import serializers


class IssuerProfileSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    id = serializers.CharField(read_only=True, help_text="The id its credentials name: an https URL or a did:web.")
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True)
    url = serializers.URLField(allow_blank=True)
    email = serializers.EmailField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    official_identifier = serializers.CharField(allow_blank=True)
    street_address = serializers.CharField(allow_blank=True)
    postal_code = serializers.CharField(allow_blank=True)
    locality = serializers.CharField(allow_blank=True)
    region = serializers.CharField(allow_blank=True)
    country_code = serializers.CharField(allow_blank=True, max_length=2)
    identity_kind = serializers.ChoiceField(choices=["https", "did:web"])
    image = serializers.URLField(read_only=True, allow_null=True)


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField()
    roles = serializers.ListField(child=serializers.CharField())
    joined_at = serializers.DateTimeField()
