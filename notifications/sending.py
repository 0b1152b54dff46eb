"""Deciding on an e-mail and sending it: `notice_send` is how every app tells a person something.

A notice is rendered when it is decided on, in the recipient's language, and stored; a Celery task sends
it once the transaction has committed, so a rolled-back award tells nobody. Work waiting for someone
(`can_wait=True`) goes into their daily digest if they asked for one. Whether a notice was delivered is
kept on it: the SMTP server's refusal of an address marks it undeliverable at once, a bounce reported
later (notifications.bounces) marks it bounced.
"""

from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from celery import current_app
from django.conf import settings
from django.core.mail import send_mail
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kernel.emails import primary_verified_email
from notifications.models import Notice, NotificationSettings

if TYPE_CHECKING:
    from kernel.users import User

logger = logging.getLogger(__name__)

DELIVER_TASK = "notifications.tasks.notice_deliver_task"
DELIVER_MANY_TASK = "notifications.tasks.notices_deliver_task"
# A send that started this long ago and never finished was cut short (a worker died): it may be tried again.
SENDING_STALE_AFTER = timedelta(minutes=10)


def notification_settings_for(user: User) -> NotificationSettings:
    found, _created = NotificationSettings.objects.get_or_create(user=user)
    return found


def language_for(user: User | None, *, fallback: str | None = None) -> str:
    """The language a person reads their e-mail in: the one they chose, else that of their last sign-in,
    else `fallback` (e.g. the language of what the e-mail is about), else the site's."""
    stored = None
    if user is not None:
        stored = NotificationSettings.objects.filter(user=user).values_list("language", flat=True).first()
    return stored or fallback or settings.LANGUAGE_CODE


def language_for_address(email: str, *, fallback: str | None = None) -> str:
    """The language of whoever has verified `email`, for e-mail to an address rather than to an account."""
    stored = (
        NotificationSettings.objects.filter(
            user__emailaddress__email__iexact=email.strip(), user__emailaddress__verified=True
        )
        .values_list("language", flat=True)
        .first()
    )
    return stored or fallback or settings.LANGUAGE_CODE


def notice_send(
    *,
    kind: str,
    template: str,
    context: dict[str, Any],
    user: User | None = None,
    email: str | None = None,
    language: str | None = None,
    fallback_language: str | None = None,
    can_wait: bool = False,
) -> Notice | None:
    """Tell a person something by e-mail: `template` + "_subject.txt" / "_message.txt", rendered now.

    The address is `email`, else the user's primary verified address; with neither (an erased account)
    nobody is told and None is returned. The language is `language` if the sender knows it, else the
    recipient's own (by account or by verified address), else `fallback_language`.
    """
    address = email or (primary_verified_email(user) if user is not None else None)
    if not address:
        return None
    if language is None:
        language = (
            language_for(user, fallback=fallback_language) if user is not None
            else language_for_address(address, fallback=fallback_language)
        )
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_message.txt", context)
    waits = (
        can_wait and user is not None
        and notification_settings_for(user).delivery == NotificationSettings.Delivery.DAILY
    )
    notice = Notice.objects.create(
        user=user, email=address, kind=kind, language=language, subject=subject[:255], body=body,
        state=Notice.State.IN_DIGEST if waits else Notice.State.WAITING,
    )
    if not waits:
        notice_delivery_queue(notice.pk)
    return notice


def notices_send_to_addresses(
    *, kind: str, template: str, messages: Sequence[tuple[str, dict[str, Any], str | None]]
) -> list[Notice]:
    """notice_send for many addresses at once (a cohort's claim e-mails): (address, context, fallback
    language) each, rendered in its recipient's language; one query for the languages, one INSERT, and the
    deliveries queued once the transaction commits. Returns the notices in the order of `messages`."""
    addresses = {email.strip().lower() for email, _context, _fallback in messages}
    # Addresses are stored lowercased (allauth), so `in` can use the address index; `iexact` cannot.
    stored = dict(
        NotificationSettings.objects.filter(
            user__emailaddress__email__in=addresses, user__emailaddress__verified=True
        ).values_list("user__emailaddress__email", "language")
    )
    notices = []
    for email, context, fallback in messages:
        language = stored.get(email.strip().lower()) or fallback or settings.LANGUAGE_CODE
        with translation.override(language):
            subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
            body = render_to_string(f"{template}_message.txt", context)
        notices.append(Notice(email=email, kind=kind, language=language, subject=subject[:255], body=body,
                              state=Notice.State.WAITING))
    created = Notice.objects.bulk_create(notices, batch_size=500)
    notices_delivery_queue([notice.pk for notice in created])
    return created


def notice_delivery_queue(notice_id: int) -> None:
    """Send the notice once the transaction commits. robust: a broker outage must not undo what the
    caller did; the notice stays WAITING and the periodic sweep queues it again."""
    transaction.on_commit(lambda: current_app.tasks[DELIVER_TASK].delay(notice_id), robust=True)


def notices_delivery_queue(notice_ids: list[int]) -> None:
    """notice_delivery_queue for many notices: one task sends them in turn (robust, as above)."""
    if notice_ids:
        transaction.on_commit(lambda: current_app.tasks[DELIVER_MANY_TASK].delay(notice_ids), robust=True)


def notice_deliver(*, notice_id: int) -> None:
    """Send one waiting notice. Safe to run twice: a notice is claimed before it is sent."""
    now = timezone.now()
    claimed = (
        Notice.objects.filter(pk=notice_id, state=Notice.State.WAITING)
        .filter(Q(sending_since__isnull=True) | Q(sending_since__lt=now - SENDING_STALE_AFTER))
        .update(sending_since=now)
    )
    if not claimed:
        return
    notice = Notice.objects.get(pk=notice_id)
    try:
        send_mail(notice.subject, notice.body, None, [notice.email])
    except smtplib.SMTPRecipientsRefused as exc:
        _notice_finish(notice, Notice.State.UNDELIVERABLE, failure=_refusal_text(exc))
    except smtplib.SMTPResponseException as exc:
        if exc.smtp_code >= 500:  # a permanent refusal: trying again cannot help
            _notice_finish(notice, Notice.State.UNDELIVERABLE, failure=f"{exc.smtp_code} {exc.smtp_error!r}")
        else:
            _notice_release(notice)
            raise
    except (smtplib.SMTPException, OSError):
        _notice_release(notice)
        raise
    else:
        _notice_sent_record(notice)


# After the SMTP server has taken an e-mail, only the SENT mark stops a second send (the sweep would send a
# notice still WAITING again): that write is tried through a database restart of up to half a minute.
SENT_RECORD_PAUSES = (0.5, 1, 2, 4, 8, 15)


def _notice_sent_record(notice: Notice) -> None:
    for pause in (*SENT_RECORD_PAUSES, None):
        try:
            _notice_finish(notice, Notice.State.SENT)
            return
        except (OperationalError, InterfaceError):
            if pause is None:
                logger.error("e-mail sent but not recorded; it may be sent again", extra={
                    "notice": str(notice.public_id)})
                raise
            connection.close()  # broken by the restart: the next try opens a new one
            time.sleep(pause)


def _refusal_text(exc: smtplib.SMTPRecipientsRefused) -> str:
    return "; ".join(f"{address}: {code} {message!r}" for address, (code, message) in exc.recipients.items())


def _notice_release(notice: Notice) -> None:
    Notice.objects.filter(pk=notice.pk, state=Notice.State.WAITING).update(sending_since=None)


def _notice_finish(notice: Notice, state: str, *, failure: str = "") -> None:
    now = timezone.now()
    sent_at = now if state == Notice.State.SENT else None
    failed_at = None if state == Notice.State.SENT else now
    with transaction.atomic():
        Notice.objects.filter(pk=notice.pk).update(
            state=state, sent_at=sent_at, failed_at=failed_at, failure=failure[:500], sending_since=None
        )
        # What a digest carried shares its fate.
        Notice.objects.filter(digest=notice).update(state=state, sent_at=sent_at, failed_at=failed_at)
    if state != Notice.State.SENT:
        logger.warning("notice not delivered", extra={"notice": str(notice.public_id), "failure": failure[:200]})


def notices_stale_requeue() -> int:
    """Queue again the notices still waiting after a broker outage or a worker's death."""
    cutoff = timezone.now() - SENDING_STALE_AFTER
    stale = list(
        Notice.objects.filter(state=Notice.State.WAITING, created_at__lt=cutoff)
        .filter(Q(sending_since__isnull=True) | Q(sending_since__lt=cutoff))
        .values_list("pk", flat=True)[:500]
    )
    for notice_id in stale:
        current_app.tasks[DELIVER_TASK].delay(notice_id)
    return len(stale)
