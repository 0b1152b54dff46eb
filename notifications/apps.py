from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """E-mails to people: each one recorded as a Notice, sent after the transaction commits, in the
    recipient's language, at once or in a daily digest as they choose."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # The tasks are queued by name (notifications.sending); a web process must know them.
        from notifications import signals, tasks  # noqa: F401
