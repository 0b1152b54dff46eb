"""What learners do with their credentials: share them, import others, export and erase their data."""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from badges.models import Credential
from kernel.emails import verified_emails
from kernel.validation import bidi_controls_strip
from learners.errors import DeletionRefused, ExportTooLarge, ImportUnreadable, LearnerError
from learners.filenames import file_name_display, file_name_safe
from learners.models import DidChallenge, ExternalCredential, LearnerDid, LearnerExport, LearnerProfile
from learners.selectors import credential_state
from learners.signals import learner_erase, learner_export_collect
from verification.checking import offline_verify
from verification.forms import too_big_message, upload_max_bytes
from verification.verdicts import limit_message

if TYPE_CHECKING:
    from kernel.users import User

EXPORT_MAX_BYTES = 500 * 1024 * 1024


# --- Sharing -------------------------------------------------------------------------------------------
def _check_owns(credential: Credential, learner: User) -> None:
    if credential.recipient_email.lower() not in verified_emails(learner):
        raise PermissionError("not the learner's credential")


def credential_share_set(*, credential: Credential, learner: User, enabled: bool) -> Credential:
    """Switch the public verification page (and the public profile entry) of a credential on or off."""
    _check_owns(credential, learner)
    if enabled and not credential.document:
        raise LearnerError("not_signed", _("This credential can be shared once it has been signed."))
    if credential.share_enabled != enabled:
        credential.share_enabled = enabled
        if enabled and credential.first_shared_at is None:
            credential.first_shared_at = timezone.now()
        credential.save(update_fields=["share_enabled", "first_shared_at", "updated_at"])
    return credential


# --- Profile -------------------------------------------------------------------------------------------
def learner_profile_get(*, user: User) -> LearnerProfile:
    profile, _created = LearnerProfile.objects.get_or_create(user=user)
    return profile


def learner_public_profile_set(*, user: User, enabled: bool, display_name: str = "") -> LearnerProfile:
    profile = learner_profile_get(user=user)
    profile.public_profile_enabled = enabled
    profile.display_name = display_name.strip()
    profile.save(update_fields=["public_profile_enabled", "display_name", "updated_at"])
    return profile


# --- Import --------------------------------------------------------------------------------------------
def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):  # a multilingual value or an object with a name
        for key in ("name", "@value", "sv", "en"):
            if isinstance(value.get(key), str):
                return value[key]
    return ""


def _describe(credential: dict[str, Any]) -> tuple[str, str, str]:
    subject = credential.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    name = _text(achievement.get("name")) if isinstance(achievement, dict) else ""
    issuer = credential.get("issuer")
    issuer_name = _text(issuer) if isinstance(issuer, dict) else ""
    identifier = credential.get("id")
    if not isinstance(identifier, str):
        identifier = ""
    # The names are shown in the wallet: another issuer's direction marks must not reorder the page around them
    # (the credential itself is kept byte for byte in `raw`).
    name = bidi_controls_strip(name or _text(credential.get("name")))
    return name[:300], bidi_controls_strip(issuer_name)[:300], identifier[:500]


# A wallet is for a person's credentials, not a store for anything: a learner keeps at most this many
# imported ones (deleting one makes room).
IMPORTS_MAX_PER_LEARNER = 200


def external_credential_import(
    *, user: User, data: bytes | str, filename: str = "", keep_invalid: bool = False
) -> ExternalCredential:
    """Verify `data` (a file's bytes, or pasted text) offline and keep it in the learner's wallet with ob3's
    verdict and every check.

    Offline: this site's issuers' keys and status lists come from the database, nothing is fetched from
    another site, so another issuer's credential reads "unconfirmed" (the page says why and what to do).
    Raises ImportUnreadable when there is no credential to keep (too large, over one of ob3's limits, not a
    credential, broken file); nothing is stored then. A credential whose verdict is "invalid" (its proof or
    its data fails) is kept, with the reason, only when the learner asked for that (`keep_invalid`);
    otherwise ImportUnreadable("invalid") tells them why. No more than IMPORTS_MAX_PER_LEARNER are kept.
    """
    data = data.encode("utf-8") if isinstance(data, str) else data
    # One limit with the check-a-credential page: its form stops a large file, this stops pasted text
    # and every other caller.
    if len(data) > upload_max_bytes():
        raise ImportUnreadable("too_large", too_big_message())
    if not data.strip():
        raise ImportUnreadable("empty", _("The file is empty."))
    result = offline_verify(data=data).result
    if result.limit is not None:
        raise ImportUnreadable(
            "over_limit", limit_message(result.limit.limit, result.limit.maximum), limit=result.limit
        )
    if result.credential is None or result.format is None:
        format_check = result.check("format")
        reason = next((c.reason for c in result.checks if not c.passed), format_check.reason if format_check else "")
        raise ImportUnreadable("not_a_credential", _(
            "We could not find a credential in this. It must be an Open Badges 3.0 badge image (PNG or SVG), a "
            "JSON credential or a JWT. Details: %(reason)s") % {"reason": reason})
    name, issuer_name, credential_id = _describe(result.credential)
    if credential_id:
        existing = ExternalCredential.objects.filter(user=user, credential_id=credential_id).first()
        if existing is not None:
            return existing
    if result.verdict == "invalid" and not keep_invalid:
        reason = next((c.reason for c in result.checks if not c.passed), "")
        raise ImportUnreadable("invalid", _(
            "This credential is not valid, so we did not add it to your wallet. Details: %(reason)s If you want to "
            "keep it anyway, for example to show the issuer, add it again and tick “Keep it even if it is not "
            "valid”.") % {"reason": reason})
    if ExternalCredential.objects.filter(user=user).count() >= IMPORTS_MAX_PER_LEARNER:
        raise ImportUnreadable("too_many", _(
            "Your wallet already holds %(max)s credentials from elsewhere, the most it keeps. Delete some you no "
            "longer need and try again.") % {"max": IMPORTS_MAX_PER_LEARNER})
    report = result.to_dict()
    report.pop("credential", None)  # kept in `raw`; the report stays small
    return ExternalCredential.objects.create(
        user=user,
        format=result.format,
        raw=data,
        original_filename=file_name_display(filename)[:255],
        credential_id=credential_id,
        name=name,
        issuer_name=issuer_name,
        verdict=result.verdict,
        verification=report,
        verified_at=timezone.now(),
    )


def external_credential_delete(*, external: ExternalCredential, learner: User) -> None:
    if external.user_id != learner.pk:
        raise PermissionError("not the learner's credential")
    external.delete()


# --- Export --------------------------------------------------------------------------------------------
def learner_export_extra_files(user: User) -> list[tuple[str, bytes]]:
    """Files other apps hold for this person (applications, evidence), via `learner_export_collect`."""
    files: list[tuple[str, bytes]] = []
    for _receiver, response in learner_export_collect.send(sender=LearnerProfile, user=user):
        files.extend(response or [])
    return files


class _CappedZip:
    """A zip written into `file` that refuses to grow past `limit` bytes. Closed on leaving the `with`
    block, a refusal included, so no half-written archive is left for the garbage collector to close."""

    def __init__(self, file: IO[bytes], limit: int) -> None:
        self.zip = zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED)
        self.file, self.limit = file, limit
        self.date_time = timezone.localtime().timetuple()[:6]

    def __enter__(self) -> _CappedZip:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.zip.close()

    def add(self, name: str, content: bytes | str) -> None:
        # A name with å, ä, ö is stored as UTF-8 and zipfile marks it so (general purpose flag bit 11), which
        # unzip tools read; names are never squeezed into ASCII (learners.filenames keeps the letters).
        entry = zipfile.ZipInfo(name, date_time=self.date_time)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        self.zip.writestr(entry, content)
        if self.file.tell() > self.limit:
            raise ExportTooLarge(
                "export_too_large", _("Your data is too large to download in one file. Please contact support.")
            )


def _credential_files(credential: Credential) -> list[tuple[str, bytes]]:
    files = []
    if credential.document:
        files.append(("credential.json", json.dumps(credential.document, ensure_ascii=False, indent=2).encode()))
    if credential.jwt:
        files.append(("credential.jwt", credential.jwt.encode()))
    for field, name in ((credential.baked_png, "badge.png"), (credential.baked_svg, "badge.svg")):
        if field:
            try:
                with field.open("rb") as handle:
                    files.append((name, handle.read()))
            except FileNotFoundError:
                continue
    return files


def _credential_summary(credential: Credential, *, folder: str, now: datetime) -> dict[str, Any]:
    return {
        "id": str(credential.public_id),
        "achievement": credential.achievement.name,
        "issuer": credential.issuer.name,
        "status": credential.status,
        "state": credential_state(credential, now=now).key,
        "recipient_name": credential.recipient_name,
        "recipient_email": credential.recipient_email,
        "valid_from": credential.valid_from.isoformat(),
        "valid_until": credential.valid_until.isoformat() if credential.valid_until else None,
        "revoked_at": credential.revoked_at.isoformat() if credential.revoked_at else None,
        "shared_publicly": credential.share_enabled,
        "replaces": str(credential.replaces.public_id) if credential.replaces else None,
        "folder": folder if credential.document else None,
    }


ExportProgress = Callable[[int, int], None]


def learner_export_write(
    *, user: User, file: IO[bytes], limit: int = EXPORT_MAX_BYTES, progress: ExportProgress | None = None
) -> None:
    """Write everything the platform holds about the learner as a zip into `file` (a temporary file).

    `progress(done, total)` is called after each item (a credential, an imported credential, another
    app's file, the profile), so a background export can show how far it has come.
    """
    now = timezone.now()
    profile = learner_profile_get(user=user)
    emails = verified_emails(user)
    credentials = list(
        Credential.objects.filter(recipient_email__in=emails).select_related("achievement", "issuer").order_by("pk")
    )
    imported = list(ExternalCredential.objects.filter(user=user).order_by("pk"))
    extra = learner_export_extra_files(user)
    total = len(credentials) + len(imported) + len(extra) + 1
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    if progress is not None:
        progress(0, total)
    with _CappedZip(file, limit) as archive:
        summary = []
        for credential in credentials:
            folder = f"credentials/{file_name_safe(credential.achievement.name)}-{credential.public_id}"
            summary.append(_credential_summary(credential, folder=folder, now=now))
            for name, content in _credential_files(credential):
                archive.add(f"{folder}/{name}", content)
            step()
        externals = []
        extensions = {"png": "png", "svg": "svg", "json": "json", "jwt": "jwt"}
        for external in imported:
            folder = f"imported/{file_name_safe(external.name)}-{external.public_id}"
            archive.add(f"{folder}/credential.{extensions.get(external.format, 'bin')}", bytes(external.raw))
            archive.add(f"{folder}/verification.json", json.dumps(external.verification, ensure_ascii=False, indent=2))
            externals.append({"id": str(external.public_id), "name": external.name, "folder": folder,
                              "verdict": external.verdict, "verified_at": external.verified_at.isoformat()})
            step()
        for name, content in extra:
            archive.add(f"other/{name.lstrip('/')}", content)
            step()
        account = {
            "exported_at": now.isoformat(),
            "username": user.get_username(),
            "name": " ".join(filter(None, [getattr(user, "first_name", ""), getattr(user, "last_name", "")])),
            "date_joined": user.date_joined.isoformat() if getattr(user, "date_joined", None) else None,
            "emails": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("email")
            ],
            "public_profile": {
                "enabled": profile.public_profile_enabled,
                "handle": profile.public_handle,
                "display_name": profile.display_name,
            },
            "did": _did_summary(user),
            "credentials": summary,
            "imported_credentials": externals,
        }
        archive.add("profile.json", json.dumps(account, ensure_ascii=False, indent=2))
        step()


def _did_summary(user: User) -> dict[str, str] | None:
    learner_did = LearnerDid.objects.filter(user=user).first()
    if learner_did is None:
        return None
    return {"did": learner_did.did, "verified_at": learner_did.verified_at.isoformat()}


def learner_export_tempfile(*, user: User, limit: int = EXPORT_MAX_BYTES) -> IO[bytes]:
    """The export in a temporary file, rewound; it disappears when closed."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    try:
        learner_export_write(user=user, file=file, limit=limit)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file


# --- Erasure -------------------------------------------------------------------------------------------
@transaction.atomic
def learner_account_delete(*, user: User, password: str) -> None:
    """Erase a person's account and personal data, keeping what others rely on verifiable.

    - The user row is anonymised and deactivated rather than deleted, so records of other apps that
      point at it (applications, assessments) lose the person, not their integrity.
    - E-mail addresses, sign-in methods, the wallet profile, the proved DID and imported credentials are
      deleted. Other apps erase what they hold through `learner_erase` (assessment anonymises the
      person's applications but keeps them and its append-only audit trail).
    - Credentials issued to the person keep their row and their signed document, unchanged: the copies the
      learner downloaded stay verifiable. What the row says about the person (recipient e-mail and name)
      is blanked, which also detaches them from any wallet, and public sharing is switched off. The signed
      document only holds a salted hash of the e-mail, plus the name if the learner chose to show it;
      it stays with the issuer as its record and is never shown publicly again.
    - Credentials still waiting to be signed lose the name too, so it never gets signed in.
    """
    if not user.check_password(password):
        raise DeletionRefused("wrong_password", _("The password is not correct."))
    if user.issuer_memberships.exists():
        raise DeletionRefused(
            "issuer_member", _("You work for an issuer on Mikromerit. Ask an owner of the issuer to remove you first.")
        )
    emails = verified_emails(user)
    Credential.objects.filter(recipient_email__in=emails).update(
        recipient_email="", recipient_name="", share_enabled=False, updated_at=timezone.now()
    )
    learner_erase.send(sender=LearnerProfile, user=user)
    ExternalCredential.objects.filter(user=user).delete()
    _delete_exports(user)
    LearnerDid.objects.filter(user=user).delete()
    DidChallenge.objects.filter(user=user).delete()
    LearnerProfile.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    _delete_sign_in_methods(user)
    user_model = get_user_model()
    anonymous = f"deleted-{user.pk}-{timezone.now():%Y%m%d%H%M%S}"
    user_model.objects.filter(pk=user.pk).update(
        **{user_model.USERNAME_FIELD: anonymous},
        **{field: "" for field in ("email", "first_name", "last_name") if _has_field(user_model, field)},
        is_active=False,
        is_staff=False,
        is_superuser=False,
    )
    user.refresh_from_db()
    user.set_unusable_password()
    user.save(update_fields=["password"])


def _delete_exports(user: User) -> None:
    """The person's export files go with the account (learners.exports keeps them in this storage)."""
    for export in LearnerExport.objects.filter(user=user).exclude(file_name=""):
        storages["exports"].delete(export.file_name)
    LearnerExport.objects.filter(user=user).delete()


def _has_field(model: type[Model], name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


def _delete_sign_in_methods(user: User) -> None:
    Authenticator.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()

