"""The daily e-mail for people who asked for one: everything that waited for them since the last one."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from notifications.models import Notice
from notifications.sending import notice_send


def digest_recipients() -> list[int]:
    """The ids of the people with notices waiting for their daily e-mail."""
    return list(
        Notice.objects.filter(state=Notice.State.IN_DIGEST, digest__isnull=True, user__isnull=False)
        .values_list("user_id", flat=True).distinct().order_by("user_id")
    )


@transaction.atomic
def digest_send(*, user_id: int) -> Notice | None:
    """One e-mail with every notice waiting for this person. Safe to run twice: the waiting notices are
    locked and handed to the digest, so a second run finds none."""
    waiting = list(
        Notice.objects.select_for_update()
        .filter(user_id=user_id, state=Notice.State.IN_DIGEST, digest__isnull=True)
        .order_by("pk")
    )
    if not waiting:
        return None
    user = get_user_model().objects.get(pk=user_id)
    digest = notice_send(
        kind="digest", template="notifications/email/digest", user=user,
        context={"notices": waiting, "count": len(waiting)},
    )
    if digest is None:  # no verified address any more: nothing can reach them
        Notice.objects.filter(pk__in=[notice.pk for notice in waiting]).update(
            state=Notice.State.UNDELIVERABLE, failure="no verified e-mail address"
        )
        return None
    # They stay IN_DIGEST until the digest itself is delivered (notifications.sending._notice_finish).
    Notice.objects.filter(pk__in=[notice.pk for notice in waiting]).update(digest=digest)
    return digest
