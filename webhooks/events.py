"""The event types an endpoint can subscribe to. The names are part of the public API: they never change."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    CREDENTIAL_ISSUED = "credential.issued", _("A credential was issued (signed)")
    CREDENTIAL_CLAIMED = "credential.claimed", _("A recipient took a credential into their wallet")
    CREDENTIAL_REVOKED = "credential.revoked", _("A credential was revoked")
    APPLICATION_SUBMITTED = "application.submitted", _("A learner sent an application for assessment")
    APPLICATION_DECIDED = "application.decided", _("An application was approved, rejected or sent back")
    AWARD_JOB_FINISHED = "award_job.finished", _("A bulk award job finished")
