import pytest
from django.test import Client
from django.urls import reverse

from badges.achievements.drafting import achievement_update
from badges.achievements.publishing import achievement_new_version, achievement_publish
from badges.achievements.review import achievement_review_approve, achievement_submit_for_review
from badges.models import Achievement
from issuers.models import Role
from learners.services import credential_share_set, learner_public_profile_set
from tests.factories import make_achievement, make_draft, make_issuer, workflow_member
from tests.list_queries import page_queries, signed_documents_loaded

pytestmark = pytest.mark.django_db


def publish(achievement, **changes):
    """Edit a draft's definition, then take it through review and publishing."""
    issuer = achievement.issuer
    designer = workflow_member(issuer, Role.DESIGNER).user
    reviewer = workflow_member(issuer, Role.QA_REVIEWER).user
    if changes:
        achievement = achievement_update(achievement=achievement, by=designer, changes=changes)
    achievement = achievement_submit_for_review(achievement=achievement, by=designer)
    achievement = achievement_review_approve(achievement=achievement, by=reviewer)
    return achievement_publish(achievement=achievement, by=reviewer)


def names(response) -> list[str]:
    return [achievement.name for achievement in response.context["page"].object_list]


def test_only_the_latest_published_version_of_each_is_listed(achievement, issuer):
    designer = workflow_member(issuer, Role.DESIGNER).user
    version_2 = achievement_new_version(achievement=achievement, by=designer)
    response = Client().get(reverse("learners:catalogue"))
    assert [a.pk for a in response.context["page"].object_list] == [achievement.pk]  # the draft is not listed
    publish(version_2)
    response = Client().get(reverse("learners:catalogue"))
    assert [a.pk for a in response.context["page"].object_list] == [version_2.pk]


def test_drafts_are_not_listed(issuer):
    make_achievement(issuer, status=Achievement.Status.APPROVED)
    assert names(Client().get(reverse("learners:catalogue"))) == []


def test_each_entry_shows_what_it_requires_and_links_to_its_page_and_to_apply(achievement):
    page = Client().get(reverse("learners:catalogue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="/a/{achievement.public_id}"' in page
    assert f'href="/applications/new/{achievement.public_id}/"' in page
    assert "EQF level 3" in page and "40 hours" in page
    assert "practical demonstration, observation" in page
    assert "Fördela uppgifter i en arbetsgrupp" in page


@pytest.fixture
def catalogue(achievement):
    other_issuer = make_issuer("vardskolan")
    other = make_achievement(other_issuer)
    designer = workflow_member(other_issuer, Role.DESIGNER).user
    draft = achievement_new_version(achievement=other, by=designer)
    english = publish(draft, name="Dementia care basics", in_language="en", eqf_level=4,
                      field_of_study="Vård och omsorg",
                      occupation_uris=["http://data.europa.eu/esco/occupation/care-assistant"])
    return achievement, english


@pytest.mark.parametrize("query, expected", [
    ({"q": "dementia"}, ["Dementia care basics"]),
    ({"q": "samarbete arbetsgrupp"}, ["Samarbete i arbetsgrupp"]),
    ({"issuer": "vardskolan"}, ["Dementia care basics"]),
    ({"eqf": "3"}, ["Samarbete i arbetsgrupp"]),
    ({"eqf": "4"}, ["Dementia care basics"]),
    ({"field": "Vård och omsorg"}, ["Dementia care basics"]),
    ({"occupation": "http://data.europa.eu/esco/occupation/care-assistant"}, ["Dementia care basics"]),
    ({"language": "en"}, ["Dementia care basics"]),
    ({"language": "sv"}, ["Samarbete i arbetsgrupp"]),
    ({}, ["Dementia care basics", "Samarbete i arbetsgrupp"]),
])
def test_the_catalogue_filters(catalogue, query, expected):
    assert names(Client().get(reverse("learners:catalogue"), query)) == expected


def test_bad_filter_values_show_everything_with_a_message_not_an_error(catalogue):
    response = Client().get(reverse("learners:catalogue"), {"eqf": "99", "issuer": "nobody"})
    assert response.status_code == 200 and response.context["form"].errors


def test_the_catalogue_is_paginated_and_keeps_the_filters(issuer, achievement):
    for number in range(12):
        publish(make_draft(issuer, name=f"Mikromerit {number:02}"))
    first = Client().get(reverse("learners:catalogue"), {"language": "sv"})
    assert len(first.context["page"].object_list) == 12
    assert 'href="?language=sv&amp;page=2"' in first.content.decode()
    second = Client().get(reverse("learners:catalogue"), {"language": "sv", "page": "2"})
    assert names(second) == ["Samarbete i arbetsgrupp"]
    assert Client().get(reverse("learners:catalogue"), {"page": "zzz"}).status_code == 200


def test_the_catalogue_speaks_swedish_by_default(achievement):
    page = Client().get(reverse("learners:catalogue")).content.decode()
    assert "Katalog över mikromeriter" in page and "Ansök" in page and "EQF-nivå 3" in page


def test_the_wallet_speaks_swedish(credential, amina):
    client = Client()
    client.force_login(amina)
    page = client.get(reverse("learners:wallet")).content.decode()
    assert "Min plånbok" in page and "Giltig" in page
    detail = client.get(reverse("learners:credential", args=[credential.public_id])).content.decode()
    assert "Delning är av." in detail and "Ladda ner" in detail


def test_the_public_profile_is_off_by_default_and_lists_only_shared_credentials(credential, issue, amina):
    private = issue("amina@example.org")
    profile = learner_public_profile_set(user=amina, enabled=False)
    url = reverse("learners:public-profile", args=[profile.public_handle])
    assert Client().get(url).status_code == 404

    learner_public_profile_set(user=amina, enabled=True, display_name="Amina H.")
    credential_share_set(credential=credential, learner=amina, enabled=True)
    response = Client().get(url)
    page = response.content.decode()
    assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"
    assert f"/c/{credential.public_id}" in page and "Amina H." in page
    assert str(private.public_id) not in page
    assert "amina@example.org" not in page


def test_the_public_profile_loads_no_signed_document_and_as_many_queries_for_many_as_for_one(
    credential, issue, amina
):
    profile = learner_public_profile_set(user=amina, enabled=True)
    url = reverse("learners:public-profile", args=[profile.public_handle])
    credential_share_set(credential=credential, learner=amina, enabled=True)
    _response, with_one = page_queries(Client(), url)
    for _number in range(3):
        credential_share_set(credential=issue("amina@example.org"), learner=amina, enabled=True)
    issue("amina@example.org")  # not shared
    response, queries = page_queries(Client(), url)
    assert signed_documents_loaded(queries) == []
    assert len(queries) == len(with_one)
    assert len(response.context["credentials"]) == 4


def test_the_wallet_switches_the_public_profile(amina):
    client = Client()
    client.force_login(amina)
    client.post(reverse("learners:wallet"), {"public_profile_enabled": "on", "display_name": " Amina "})
    amina.learner_profile.refresh_from_db()
    assert amina.learner_profile.public_profile_enabled and amina.learner_profile.display_name == "Amina"
    assert Client().get(reverse("learners:public-profile", args=["no-such-handle"])).status_code == 404


def test_only_the_owner_can_switch_sharing(credential, saman):
    with pytest.raises(PermissionError):
        credential_share_set(credential=credential, learner=saman, enabled=True)
    credential.refresh_from_db()
    assert not credential.share_enabled
