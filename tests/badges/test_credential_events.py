import pytest

from badges.admin import CredentialEventAdmin
from badges.models import CredentialEvent

pytestmark = pytest.mark.django_db


def test_events_cannot_be_changed(credential):
    event = credential.events.get()
    event.data = {"rewritten": True}
    with pytest.raises(TypeError, match="append-only"):
        event.save()


def test_events_cannot_be_deleted(credential):
    with pytest.raises(TypeError, match="append-only"):
        credential.events.get().delete()
    with pytest.raises(TypeError, match="append-only"):
        CredentialEvent.objects.all().delete()
    with pytest.raises(TypeError, match="append-only"):
        CredentialEvent.objects.update(kind="issued")
    assert CredentialEvent.objects.count() == 1


def test_the_admin_offers_no_way_to_edit_events(admin_client, credential, rf, admin_user):
    from django.contrib.admin.sites import site

    model_admin = CredentialEventAdmin(CredentialEvent, site)
    request = rf.get("/")
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    event = credential.events.get()
    assert admin_client.get(f"/admin/badges/credentialevent/{event.pk}/change/").status_code == 200
    assert admin_client.get(f"/admin/badges/credentialevent/{event.pk}/delete/").status_code == 403
    assert admin_client.get(f"/admin/badges/credential/{credential.pk}/change/").status_code == 200
