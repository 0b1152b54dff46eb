import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from badges.models import Achievement, Credential
from issuers.models import Issuer
from notifications.models import Notice

pytestmark = pytest.mark.django_db


def test_it_loads_the_demo_once_however_often_it_runs(capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as first_run:
        call_command("demo_load")
    with django_capture_on_commit_callbacks() as second_run:
        call_command("demo_load")
    assert Issuer.objects.count() == 1
    assert Achievement.objects.filter(status="published").count() == 3
    assert set(get_user_model().objects.values_list("username", flat=True)) >= {
        "issuer-admin", "assessor", "amina", "eli", "saman", "jacob",
    }
    assert Credential.objects.count() == 3
    # Signing queued, never signed inline; the other callbacks deliver the review queue's e-mails.
    deliveries = Notice.objects.filter(state=Notice.State.WAITING).count()
    assert (len(first_run) - deliveries, len(second_run)) == (3, 0)
    out = capsys.readouterr().out
    assert "amina" in out and "mikromerit-demo" in out


def test_it_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="only runs with MIKROMERIT_DEV=1"):
        call_command("demo_load")


def test_the_demo_micro_credentials_are_full_definitions_published_through_review(django_capture_on_commit_callbacks):
    from badges.achievements.workflow import achievement_scorecard

    with django_capture_on_commit_callbacks():
        call_command("demo_load")
        call_command("demo_load")
    achievements = Achievement.objects.order_by("name")
    assert [a.name for a in achievements] == [
        "Knowledgeable Problem Articulator", "Samarbete i arbetsgrupp", "Vårdsvenska: kommunikation med brukare",
    ]
    for achievement in achievements:
        assert achievement_scorecard(achievement=achievement).publishable
        assert achievement.version == 1
        assert achievement.learning_outcomes.count() == 2
        assert list(achievement.audit_events.exclude(kind="updated").values_list("kind", "actor__username")) == [
            ("created", "designer"), ("submitted", "designer"), ("approved", "reviewer"), ("published", "reviewer"),
        ]
