"""The four OB 3.0 scopes, and what each lets a connected app do, in plain words for the consent page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
CREDENTIAL_READ = PREFIX + "credential.readonly"
CREDENTIAL_UPSERT = PREFIX + "credential.upsert"
PROFILE_READ = PREFIX + "profile.readonly"
PROFILE_UPDATE = PREFIX + "profile.update"
OFFLINE_ACCESS = "offline_access"  # asked for by the OB 3.0 examples; refresh tokens come with every grant

OB_SCOPES = (CREDENTIAL_READ, CREDENTIAL_UPSERT, PROFILE_READ, PROFILE_UPDATE)
KNOWN_SCOPES = (*OB_SCOPES, OFFLINE_ACCESS)

# The names 1EdTech gives the scopes in its OpenAPI file (served by discovery).
SPEC_DESCRIPTIONS = {
    CREDENTIAL_READ: "Permission to read AchievementCredentials for the authenticated entity.",
    CREDENTIAL_UPSERT: "Permission to create or update AchievementCredentials for the authenticated entity.",
    PROFILE_READ: "Permission to read the profile for the authenticated entity.",
    PROFILE_UPDATE: "Permission to update the profile for the authenticated entity.",
}

# What the learner reads on the consent page and the connected apps page.
PLAIN_WORDS = {
    CREDENTIAL_READ: _("See the credentials in your wallet, with their signatures, so it can show or check them."),
    CREDENTIAL_UPSERT: _("Add credentials to your wallet, or replace ones it added before. We check every "
                         "credential first and refuse any we cannot confirm."),
    PROFILE_READ: _("See your profile: your name, e-mail address and the identifier your credentials name."),
    PROFILE_UPDATE: _("Change the profile it can read. Your account and sign-in stay as they are."),
    OFFLINE_ACCESS: _("Stay connected when you are not using it, until you disconnect it here."),
}


def scope_words(scope: str) -> str:
    return str(PLAIN_WORDS.get(scope, scope))
