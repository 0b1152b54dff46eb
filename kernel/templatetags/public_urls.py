"""`{% absolute_url "app:name" arg … %}`: a link as the public reaches this site (PUBLIC_BASE_URL), for e-mails."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from kernel.public_urls import public_url

register = template.Library()


@register.simple_tag
def absolute_url(name: str, *args: Any) -> str:
    return public_url(reverse(name, args=args))
