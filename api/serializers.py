"""What the API answers, described for the OpenAPI schema. Output only: input is validated by the
console's forms (api.forms) and business rules live in the services."""

from __future__ import annotations

from rest_framework import serializers

from issuers.forms import IssuerProfileForm
from issuers.models import Issuer

# The profile fields the console's form edits: the API reads, documents and accepts exactly these.
PROFILE_FIELDS: list[str] = list(IssuerProfileForm.Meta.fields)


class IssuerProfileSerializer(serializers.ModelSerializer):
    """The profile as the console's form edits it: the model's lengths and choices are the documented ones."""

    slug = serializers.SlugField(read_only=True)
    id = serializers.CharField(
        read_only=True, source="identity", help_text="The id its credentials name: an https URL or a did:web."
    )
    url = serializers.URLField(allow_blank=True, max_length=200)
    # Required, as the console's form requires it. Described by its shape, not as an enum of the 249 codes
    # (issuers.countries checks that the code is assigned; lower case is accepted and upper-cased).
    country_code = serializers.RegexField(
        r"^[A-Za-z]{2}$", help_text="ISO 3166-1 alpha-2, for example SE."
    )
    image = serializers.URLField(read_only=True, allow_null=True)

    class Meta:
        model = Issuer
        fields = ["slug", "id", *PROFILE_FIELDS, "image"]


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField()
    roles = serializers.ListField(child=serializers.CharField())
    joined_at = serializers.DateTimeField()
