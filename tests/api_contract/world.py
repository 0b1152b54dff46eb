"""An issuer at work, made through the services as real callers make it: what the contract tests and the
docs' examples read and change on the live server."""

from __future__ import annotations

from assessment.applications import application_start, application_submit, evidence_add
from badges.credentials.issuing import credential_issue
from badges.credentials.revocation import credential_revoke
from badges.credentials.signing import credential_sign
from badges.models import Credential
from issuers.models import Role
from tests.factories import make_achievement, make_issuer, make_member, make_user


def issuer_at_work(slug: str) -> str:
    """Make the issuer and its data; answer the secret of an API token with every scope."""
    from api.scopes import Scope
    from api.tokens import api_token_create

    issuer = make_issuer(slug)
    owner = make_member(issuer, f"{slug}-agare", Role.OWNER, Role.ASSESSOR, Role.DESIGNER, Role.QA_REVIEWER)
    achievement = make_achievement(issuer)
    issued = []
    for name in ("Amina", "Bo", "Cecilia"):
        credential = credential_issue(
            achievement=achievement, recipient_email=f"{name.lower()}@example.org", recipient_name=name,
            issued_by=owner.user,
        )
        credential_sign(credential_id=credential.id)  # the signing task's body
        credential.refresh_from_db()
        assert credential.status == Credential.Status.ISSUED
        issued.append(credential)
    credential_revoke(credential=issued[-1], by=owner.user, reason="Utfärdat till fel person.")
    learner = make_user(f"{slug}-deltagare")
    application = application_start(achievement=achievement, learner=learner, language="sv")
    for outcome in achievement.learning_outcomes.all():
        evidence_add(
            application=application, by=learner, outcome=outcome, title="Arbetsschema",
            narrative="Jag planerade veckans arbete i gruppen och följde upp det.",
        )
    application_submit(application=application, by=learner)
    _token, secret = api_token_create(
        issuer=issuer, by=owner.user, name="Kontraktstest", scopes=list(Scope.values)
    )
    return secret
