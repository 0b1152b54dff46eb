from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObApiConfig(AppConfig):
    """The 1EdTech Open Badges 3.0 API under /ims/ob/v3p0/: discovery, OAuth 2.0 (on django-oauth-toolkit)
    with dynamic client registration and the learner's consent, credentials and profile. The top layer,
    beside the REST API; neither imports the other."""

    name = "obapi"
    verbose_name = _("Open Badges API")
