from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The integrators' REST API under /api/v1/: tokens, problem details, idempotency, and thin views over
    the same services and capability table as the console. The top layer, beside the console."""

    name = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        # Registers the bearer-token scheme with drf-spectacular (it finds extensions by import).
        from api import schema  # noqa: F401
