from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Webhooks for integrators: endpoints an issuer registers, the events the apps above emit, signed
    deliveries through the SSRF-safe fetcher. Below badges, so badges and assessment can emit events."""

    name = "webhooks"
    verbose_name = _("Webhooks")
