from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObApiConfig(AppConfig):
    """The 1EdTech Open Badges 3.0 API under /ims/ob/v3p0/: discovery, OAuth 2.0 (on django-oauth-toolkit)
    with dynamic client registration and the learner's consent, credentials and profile. The top layer,
    beside the REST API; neither imports the other."""

    name = "obapi"
    verbose_name = _("Open Badges API")

    def ready(self) -> None:
        from learners.signals import learner_erase, learner_export_collect
        from obapi import learner_data

        learner_export_collect.connect(learner_data.on_learner_export_collect, dispatch_uid="obapi-export")
        learner_erase.connect(learner_data.on_learner_erase, dispatch_uid="obapi-erase")
