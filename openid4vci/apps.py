from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Openid4vciConfig(AppConfig):
    name = "openid4vci"
    verbose_name = _("Wallet offers (OpenID4VCI)")
