from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    """The issuer console as a whole: the menu with what waits for each member, the overview, the
    dashboard. The top layer: it reads from every app below and none reads from it."""

    name = "console"
    verbose_name = _("Issuer console")
