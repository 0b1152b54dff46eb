from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    """Public verification: the /c/ and /verify/ pages and API. It holds no data of its own."""

    name = "verification"
    verbose_name = _("verification")
