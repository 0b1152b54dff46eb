from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BadgesConfig(AppConfig):
    name = "badges"
    verbose_name = _("Badges")

    def ready(self) -> None:
        # Services queue the credential tasks by name (badges.credentials.queue); the web process must
        # have them registered, and Celery's autodiscovery only imports task modules in a worker.
        from badges import tasks  # noqa: F401
