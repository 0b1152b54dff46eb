from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VcApiConfig(AppConfig):
    """The W3C VC-API at the site root (/credentials/issue, /credentials/verify, /credentials/status,
    /presentations/verify): signing and verifying any W3C verifiable credential, with the REST API's tokens.
    The top layer, above api, whose tokens and scopes it uses."""

    name = "vcapi"
    verbose_name = _("W3C VC-API")
