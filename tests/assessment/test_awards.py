"""Direct awards: one person at once, or a CSV list that is checked, previewed and only then issued."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import AwardBatch
from badges.credentials.signing import credential_sign
from badges.models import Credential

pytestmark = pytest.mark.django_db


def csv_file(text, name="deltagare.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8") if isinstance(text, str) else text, "text/csv")


def post_list(client, issuer, achievement, data):
    return client.post(
        reverse("assessment:award-new", args=[issuer.slug]),
        {"form": "list", "list-achievement": str(achievement.public_id), "list-file": csv_file(data)},
    )


def test_one_person_is_awarded_at_once(client, issuer, achievement, assessor, django_capture_on_commit_callbacks):
    client.force_login(assessor)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("assessment:award-new", args=[issuer.slug]),
            {"form": "one", "achievement": str(achievement.public_id), "email": "Jacob@Example.org", "name": "Jacob"},
        )
    assert response.status_code == 302
    credential = Credential.objects.get()
    assert (credential.recipient_email, credential.recipient_name, credential.issued_by) == (
        "jacob@example.org", "Jacob", assessor
    )
    assert AwardBatch.objects.get().recipients.get().credential == credential


def test_a_list_is_previewed_and_issued_only_after_confirmation(client, issuer, achievement, owner,
                                                               django_capture_on_commit_callbacks):
    client.force_login(owner)
    response = post_list(client, issuer, achievement, "\ufeffemail;name\neli@example.org;Eli\nsaman@example.org;\n")
    batch = AwardBatch.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/awards/{batch.public_id}/")
    assert not Credential.objects.exists()
    preview = client.get(response["Location"])
    assert "eli@example.org" in preview.content.decode()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("assessment:award-confirm", args=[issuer.slug, batch.public_id]))
        client.post(reverse("assessment:award-confirm", args=[issuer.slug, batch.public_id]))  # a double click
    assert len(callbacks) == 1  # one signing task for the chunk of both recipients
    assert sorted(Credential.objects.values_list("recipient_email", flat=True)) == [
        "eli@example.org", "saman@example.org"
    ]

    progress_url = reverse("assessment:award-progress", args=[issuer.slug, batch.public_id])
    progress = client.get(progress_url).json()
    assert {key: progress[key] for key in ("total", "issued", "pending", "failed", "done")} == {
        "total": 2, "issued": 0, "pending": 2, "failed": 0, "done": 0
    }
    credential_sign(credential_id=Credential.objects.get(recipient_email="eli@example.org").pk)
    progress = client.get(progress_url).json()
    assert (progress["issued"], progress["pending"]) == (1, 1)
    assert "1" in progress["text"]


def test_a_list_with_problems_issues_nothing_and_names_every_problem(client, issuer, achievement, owner):
    client.force_login(owner)
    response = post_list(client, issuer, achievement, "eli@example.org,Eli\nfel-adress,Saman\neli@example.org,Eli\n")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Line 2" in page or "Rad 2" in page
    assert "Line 3" in page or "Rad 3" in page
    assert not AwardBatch.objects.exists()
    assert not Credential.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02binary\xff\xfe",
        "".join(f"p{i}@example.org,P\n" for i in range(10_001)),
        b"=cmd|' /C calc'!A0,=1+1\n",
        b"x" * (2 * 1024 * 1024),
    ],
    ids=["binary", "10k-rows", "formula", "huge"],
)
def test_hostile_lists_get_a_message_never_a_500(client, issuer, achievement, owner, data):
    client.force_login(owner)
    response = post_list(client, issuer, achievement, data)
    assert response.status_code == 400
    assert not AwardBatch.objects.exists()


def test_awards_are_for_published_achievements_of_this_issuer(client, issuer, owner):
    from tests.factories import make_achievement, make_issuer

    other = make_achievement(make_issuer("annan-skola"))
    client.force_login(owner)
    response = post_list(client, issuer, other, "eli@example.org,Eli\n")
    assert response.status_code == 400
    assert not AwardBatch.objects.exists()


def test_other_issuers_cannot_see_a_batch(client, issuer, achievement, owner):
    from issuers.models import Role
    from tests.factories import make_issuer, make_member

    client.force_login(owner)
    post_list(client, issuer, achievement, "eli@example.org,Eli\n")
    batch = AwardBatch.objects.get()
    outsider = make_member(make_issuer("annan-skola"), "olle", Role.OWNER).user
    client.force_login(outsider)
    assert client.get(reverse("assessment:award-batch", args=["annan-skola", batch.public_id])).status_code == 404
    assert client.get(reverse("assessment:award-batch", args=[issuer.slug, batch.public_id])).status_code == 404
    assert client.post(reverse("assessment:award-confirm", args=["annan-skola", batch.public_id])).status_code == 404
    assert client.get(reverse("assessment:award-progress", args=[issuer.slug, batch.public_id])).status_code == 404
    designer = make_member(issuer, "dora", Role.DESIGNER).user
    client.force_login(designer)
    assert client.post(reverse("assessment:award-confirm", args=[issuer.slug, batch.public_id])).status_code == 403
    assert not Credential.objects.exists()
