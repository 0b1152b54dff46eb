"""Learning a person's language from their sign-in, until they choose one."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import translation

from notifications.models import NotificationSettings


@receiver(user_logged_in)
def language_remember(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(request)
    if language not in dict(settings.LANGUAGES):
        return
    stored, created = NotificationSettings.objects.get_or_create(user=user, defaults={"language": language})
    if not created and not stored.language_chosen and stored.language != language:
        NotificationSettings.objects.filter(pk=stored.pk).update(language=language)
