"""Issuer rows -> ob3 value objects. No decisions, no I/O."""

from __future__ import annotations

from django.urls import reverse

from issuers.models import Issuer
from kernel.public_urls import public_url
from ob3.model import Address, IdentifierEntry, Image, Profile


def issuer_profile(issuer: Issuer, *, identity_kind: str | None = None) -> Profile:
    """The issuer as an OB Profile whose id is its identity under `identity_kind` (default: the current one).
    The Profile document served at the https id passes "https", whatever credentials name."""
    address = Address(
        country_code=issuer.country_code or None,
        region=issuer.region or None,
        locality=issuer.locality or None,
        street_address=issuer.street_address or None,
        postal_code=issuer.postal_code or None,
    )
    image = None
    if issuer.image:
        image = Image(id=public_url(reverse("issuers:logo", args=[issuer.slug])), caption=issuer.name)
    other_identifiers: tuple[IdentifierEntry, ...] = ()
    if issuer.official_identifier:
        other_identifiers = (IdentifierEntry(identifier=issuer.official_identifier, identifier_type="identifier"),)
    return Profile(
        id=issuer.identity_for(identity_kind or issuer.identity_kind),
        name=issuer.name,
        url=issuer.url or None,
        email=issuer.email or None,
        phone=issuer.phone or None,
        description=issuer.description or None,
        image=image,
        address=address,
        other_identifiers=other_identifiers,
    )
