import os
import subprocess
import sys
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.db import OperationalError

from badges.models import Credential
from badges.tasks import credential_sign_task

pytestmark = pytest.mark.django_db


def test_it_is_declared_for_safe_redelivery():
    assert credential_sign_task.acks_late is True
    assert credential_sign_task.reject_on_worker_lost is True


def test_a_business_error_fails_the_credential_and_is_not_retried(credential):
    credential.achievement.status = "draft"
    credential.achievement.save(update_fields=["status"])
    with mock.patch.object(credential_sign_task, "retry") as retry:
        credential_sign_task.apply(args=[credential.id])
    retry.assert_not_called()
    credential.refresh_from_db()
    assert credential.status == Credential.Status.FAILED


def test_a_transient_error_is_retried_with_backoff(credential):
    with (
        mock.patch("badges.tasks.credential_sign", side_effect=OperationalError("database is locked")),
        mock.patch.object(credential_sign_task, "retry", side_effect=Retry) as retry,
    ):
        credential_sign_task.apply(args=[credential.id])
    retry.assert_called_once()
    assert isinstance(retry.call_args.kwargs["exc"], OperationalError)
    assert retry.call_args.kwargs["countdown"] >= 0


def test_a_web_process_knows_the_tasks_it_queues_by_name():
    """A process that only set Django up (a gunicorn worker, not a Celery one) can queue every task: the
    names are registered without anything importing badges.tasks first, and they never change."""
    script = (
        "import django; django.setup()\n"
        "from celery import current_app\n"
        "from badges.credentials import queue\n"
        "print(sorted(name for name in (queue.SIGN, queue.SWEEP, queue.NOTIFY_REVOKED) if name in current_app.tasks))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "MIKROMERIT_DEV": "1"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True,
                          cwd=settings.BASE_DIR)
    assert done.stdout.strip() == str(sorted([
        "badges.tasks.credential_revocation_notify_task",
        "badges.tasks.credential_sign_task",
        "badges.tasks.credential_sweep_stale_task",
    ]))
