"""What the Open Badges API holds about a learner, in their data export and gone when they delete their
account. Connected to learners.signals in ObApiConfig.ready (learners may not import obapi)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from oauth2_provider.models import AccessToken, Grant, RefreshToken

from obapi.models import ObProfile
from obapi.services import connected_apps_for_learner

if TYPE_CHECKING:
    from kernel.users import User


def ob_learner_export_files(*, user: User) -> list[tuple[str, bytes]]:
    """The OB profile apps read and wrote, and the apps connected to the wallet with what they may do."""
    profile = ObProfile.objects.filter(user=user).first()
    apps = [
        {"name": app.application.name, "client_id": app.application.client_id,
         "site": app.registration.client_uri if app.registration else "", "scopes": app.scopes,
         "connected_at": app.connected_at.isoformat()}
        for app in connected_apps_for_learner(user=user)
    ]
    if profile is None and not apps:
        return []
    content = {"profile": profile.document if profile else None, "profile_id": profile.profile_id if profile else None,
               "connected_apps": apps}
    return [("open-badges-api.json", json.dumps(content, ensure_ascii=False, indent=2).encode())]


def ob_learner_erase(*, user: User) -> None:
    """Every token and code the learner gave an app, and the OB profile, go (inside the deletion's transaction)."""
    RefreshToken.objects.filter(user=user).delete()
    AccessToken.objects.filter(user=user).delete()
    Grant.objects.filter(user=user).delete()
    ObProfile.objects.filter(user=user).delete()


def on_learner_export_collect(sender: object, user: User, **kwargs: object) -> list[tuple[str, bytes]]:
    return ob_learner_export_files(user=user)


def on_learner_erase(sender: object, user: User, **kwargs: object) -> None:
    ob_learner_erase(user=user)
