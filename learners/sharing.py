"""What a shared credential offers: its public link, a LinkedIn "add certification" link and a QR code."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import segno
from django.utils import timezone

from badges.models import Credential
from kernel.public_urls import public_url

LINKEDIN_ADD_URL = "https://www.linkedin.com/profile/add"


def credential_share_url(credential: Credential) -> str:
    """The public verification page of the credential (answers only while sharing is on)."""
    return public_url(f"/c/{credential.public_id}")


def linkedin_add_url(credential: Credential) -> str:
    """LinkedIn's add-to-profile link for a certification, pre-filled from the credential."""
    awarded = timezone.localtime(credential.awarded_at or credential.valid_from)
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": credential.achievement.name,
        "organizationName": credential.issuer.name,
        "issueYear": awarded.year,
        "issueMonth": awarded.month,
    }
    if credential.valid_until is not None:
        expires = timezone.localtime(credential.valid_until)
        params |= {"expirationYear": expires.year, "expirationMonth": expires.month}
    params |= {"certUrl": credential_share_url(credential), "certId": str(credential.public_id)}
    return f"{LINKEDIN_ADD_URL}?{urlencode(params, quote_via=quote)}"


def qr_svg(url: str, *, title: str) -> str:
    """An inline SVG QR code for `url`, an image whose accessible name is `title`."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, title=title, svgclass="qr-code")
    return svg.replace("<svg ", '<svg role="img" focusable="false" ', 1)
