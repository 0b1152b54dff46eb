# Evidence, rubrics and results: assessment decides that an achievement is earned and then calls
# badges.credentials.issuing.credential_issue.
"""Applications with evidence, mentor comments, assessment rounds, direct awards and their audit trail.

    draft ──submit──► submitted ──approve──► approved (credential issued)
      ▲                 │  │  └──approve (second approval required)──► second_approval ──approve──► approved
      │                 │  └──reject──► rejected
      └──revise◄── revision_requested ◄──request revision──┘

Every submission is a numbered `Submission` round with a snapshot of the evidence as it was sent;
each assessor's verdict on a round is an `Assessment` with one `OutcomeScore` per learning outcome.
Nothing of an earlier round is overwritten.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from badges.models import Achievement, Credential, LearningOutcome, RubricLevel
from issuers.models import Issuer
from kernel.append_only import AppendOnlyEvent
from kernel.validation import TEXT_LONG, bidi_controls_refuse, public_url_validator, text_limit


class AchievementAssessmentPolicy(models.Model):
    """How an issuer assesses applications for one achievement."""

    achievement = models.OneToOneField(Achievement, on_delete=models.CASCADE, related_name="assessment_policy")
    second_approval_required = models.BooleanField(
        _("require a second, independent approval"),
        default=False,
        help_text=_("Two different assessors must approve before the credential is issued."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("assessment policy")
        verbose_name_plural = _("assessment policies")

    def __str__(self) -> str:
        return str(self.achievement)


class Application(models.Model):
    """A learner's application for an achievement, with the evidence they collect for it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("waiting for assessment")
        SECOND_APPROVAL = "second_approval", _("waiting for a second approval")
        REVISION_REQUESTED = "revision_requested", _("revision requested")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("not approved")
        # The learner deleted their account while the application was still open (see learner_data).
        ERASED = "erased", _("withdrawn: the learner deleted their account")

    EDITABLE = (Status.DRAFT, Status.REVISION_REQUESTED)
    IN_ASSESSMENT = (Status.SUBMITTED, Status.SECOND_APPROVAL)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="applications")
    # Null once the learner's personal data is erased: the application stays, anonymous, because the
    # append-only audit trail and any issued credential refer to it (assessment.learner_data).
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="applications"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    show_name = models.BooleanField(
        _("show my name in the credential"),
        default=False,
        help_text=_("Without it, the credential names you only through your e-mail address, which stays hidden."),
    )
    recipient_name = models.CharField(_("name to show"), max_length=200, blank=True, validators=[bidi_controls_refuse])
    # The learner's language when they started: e-mails about the application are written in it.
    language = models.CharField(max_length=10, blank=True, editable=False)
    credential = models.OneToOneField(
        Credential, on_delete=models.PROTECT, null=True, blank=True, related_name="application"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-updated_at", "pk"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            # The assessment queue (assessment.selectors.assessment_queue): per micro-credential, by state,
            # the longest-waiting first.
            models.Index(fields=["achievement", "status", "submitted_at"], name="application_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.learner or '–'} → {self.achievement}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def issuer(self) -> Issuer:
        return self.achievement.issuer


class Evidence(models.Model):
    """One piece of evidence for one learning outcome: a file, a link or a written account.

    Removing evidence that was already part of a submission only hides it from the learner's draft,
    so assessors can still open what an earlier round was judged on.
    """

    class Kind(models.TextChoices):
        FILE = "file", _("file")
        LINK = "link", _("link")
        TEXT = "text", _("written account")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The opaque id of the public copy at /evidence/<share_id>; it answers only while `is_public`.
    share_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    outcome = models.ForeignKey(LearningOutcome, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, validators=[bidi_controls_refuse])
    narrative = models.TextField(_("description"), **text_limit(TEXT_LONG), blank=True)
    url = models.URLField(_("web address"), max_length=1000, blank=True, validators=[public_url_validator])
    file = models.FileField(_("file"), max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Public evidence is included in the credential for anyone to see.")
    )
    submitted = models.BooleanField(default=False, editable=False)
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["application", "outcome__position", "created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Submission(models.Model):
    """One round: what the learner sent for assessment, numbered 1, 2, … per application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField(_("round"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    # [{"evidence": public_id, "outcome": outcome public_id, "kind", "title", "narrative", "url",
    #   "original_name", "is_public"}] as sent; the evidence rows themselves are never deleted after this.
    evidence_snapshot = models.JSONField(default=list)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="submission_round_once")]

    def __str__(self) -> str:
        return f"{self.application} #{self.number}"


class Assessment(models.Model):
    """One assessor's verdict on one submission round."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("approve")
        REVISE = "revise", _("request revision")
        REJECT = "reject", _("reject")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    comment = models.TextField(_("feedback to the learner"), **text_limit(TEXT_LONG), blank=True)
    created_at = models.DateTimeField(_("assessed"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["submission", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "assessor"], name="assessment_once_per_assessor"),
        ]

    def __str__(self) -> str:
        return f"{self.submission}: {self.get_decision_display()}"


class OutcomeScore(models.Model):
    """The rubric level an assessor found for one learning outcome, with their comment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    outcome = models.ForeignKey(LearningOutcome, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(RubricLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    comment = models.TextField(_("comment"), **text_limit(TEXT_LONG), blank=True)

    class Meta:
        verbose_name = _("outcome score")
        verbose_name_plural = _("outcome scores")
        ordering = ["assessment", "outcome__position", "pk"]
        constraints = [models.UniqueConstraint(fields=["assessment", "outcome"], name="outcome_scored_once")]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.level or '–'}"


class MentorInvitation(models.Model):
    """A learner's invitation to a mentor or coach to read and comment on a draft application.

    Only a hash of the link's token is stored. The person who opens the link signs in and becomes
    the invitation's mentor; they can read and comment, never edit or submit.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="mentor_invitations")
    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="mentoring"
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("mentor invitation")
        verbose_name_plural = _("mentor invitations")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.email} → {self.application}"


class MentorComment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="mentor_comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("comment"), **text_limit(TEXT_LONG))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentor comment")
        verbose_name_plural = _("mentor comments")
        ordering = ["application", "created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class AwardBatch(models.Model):
    """A direct award without an application: to one person, or to a list (a console CSV or an API job).

    One machinery for all of them (assessment.award_jobs): the rows are checked and kept first
    (VALIDATING, where the console waits for a person to confirm), then issued in chunks, each row once.
    """

    class Status(models.TextChoices):
        VALIDATING = "validating", _("waiting for confirmation")
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being issued")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("stopped")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issuer = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="award_batches")
    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="award_batches")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    source_name = models.CharField(_("file"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALIDATING)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Written at the end of every chunk: a queued or running job whose heartbeat is old lost its worker
    # (assessment.award_jobs.award_jobs_resume_stale queues it again).
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    error_code = models.CharField(max_length=40, blank=True, editable=False)  # why a FAILED job stopped

    class Meta:
        verbose_name = _("award batch")
        verbose_name_plural = _("award batches")
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="award_batch_status_heartbeat")]

    def __str__(self) -> str:
        return f"{self.achievement} ({self.created_at:%Y-%m-%d})"


class AwardRecipient(models.Model):
    """One row of a direct award. `state` moves WAITING → ISSUED (with its credential, in the same
    transaction) or FAILED; only WAITING rows are ever issued, so each row gets one credential."""

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting")
        ISSUED = "issued", _("issued")
        FAILED = "failed", _("failed")

    batch = models.ForeignKey(AwardBatch, on_delete=models.CASCADE, related_name="recipients")
    line = models.PositiveIntegerField(_("line"))
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.WAITING)
    error_code = models.CharField(max_length=40, blank=True, editable=False)
    credential = models.OneToOneField(
        Credential, on_delete=models.PROTECT, null=True, blank=True, related_name="award_recipient"
    )

    class Meta:
        verbose_name = _("award recipient")
        verbose_name_plural = _("award recipients")
        ordering = ["batch", "line"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "line"], name="award_recipient_line_once"),
            # An issued row always names its credential; a waiting one never has one yet.
            models.CheckConstraint(
                condition=~models.Q(state="issued", credential__isnull=True)
                & ~models.Q(state="waiting", credential__isnull=False),
                name="award_recipient_state_matches_credential",
            ),
        ]
        indexes = [models.Index(fields=["batch", "state", "line"], name="award_recipient_batch_state")]

    def __str__(self) -> str:
        return self.email


class AssessmentAuditEvent(AppendOnlyEvent):
    """The append-only story of an application or an award batch: each step, who took it, and why."""

    class Kind(models.TextChoices):
        STARTED = "started", _("application started")
        EVIDENCE_ADDED = "evidence_added", _("evidence added")
        EVIDENCE_REMOVED = "evidence_removed", _("evidence removed")
        EVIDENCE_VISIBILITY = "evidence_visibility", _("evidence made public or private")
        MENTOR_INVITED = "mentor_invited", _("mentor invited")
        MENTOR_JOINED = "mentor_joined", _("mentor joined")
        MENTOR_COMMENTED = "mentor_commented", _("mentor commented")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        FIRST_APPROVAL = "first_approval", _("first approval given")
        REVISION_REQUESTED = "revision_requested", _("revision requested")
        REJECTED = "rejected", _("rejected")
        CREDENTIAL_REQUESTED = "credential_requested", _("credential requested")
        POLICY_CHANGED = "policy_changed", _("assessment policy changed")
        AWARD_PREPARED = "award_prepared", _("direct award prepared")
        AWARD_CONFIRMED = "award_confirmed", _("direct award confirmed")
        ERASED = "erased", _("learner's personal data erased")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    batch = models.ForeignKey(AwardBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events")
    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("event"), max_length=24, choices=Kind.choices)

    class Meta(AppendOnlyEvent.Meta):
        verbose_name = _("assessment audit event")
        verbose_name_plural = _("assessment audit events")


