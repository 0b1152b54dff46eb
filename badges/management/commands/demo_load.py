"""Demo data for local runs: one issuer, three micro-credentials, demo people. Safe to run repeatedly."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from badges.models import Achievement, Credential
from badges.services import achievement_create, credential_issue
from issuers.membership import issuer_member_add
from issuers.models import Issuer, Role
from issuers.services import issuer_create

DEMO_PASSWORD = "mikromerit-demo"  # noqa: S105 - printed on purpose; the command refuses to run in production

ISSUER = {
    "slug": "skelleftea-vuxenutbildningen",
    "name": "Skellefteå kommun – Vuxenutbildningen",
    "description": "Kommunal vuxenutbildning (komvux) med yrkesutbildningar inom vård, omsorg och service.",
    "url": "https://skelleftea.se",
    "locality": "Skellefteå",
    "region": "Västerbottens län",
    "country_code": "SE",
}

ACHIEVEMENTS = [
    {
        "name": "Vårdsvenska: kommunikation med brukare",
        "description": "Kan samtala med brukare i vård och omsorg om vardag, mående och behov, "
        "och anpassa språket efter personen.",
        "criteria_narrative": "Deltagaren visar i ett bedömt samtal med en brukare att hen kan hälsa, "
        "fråga om behov, förklara vad som ska hända och bekräfta att brukaren förstått.",
        "field_of_study": "Vård och omsorg",
        "human_code": "VSV-1",
        "colour": "#1f5f8b",
    },
    {
        "name": "Samarbete i arbetsgrupp",
        "description": "Kan ta och ge information, fördela uppgifter och lösa meningsskiljaktigheter "
        "i en arbetsgrupp.",
        "criteria_narrative": "Deltagaren har under praktik genomfört en gemensam uppgift i grupp och "
        "beskrivit sin egen roll; handledaren har bekräftat samarbetet.",
        "field_of_study": "Generella kompetenser",
        "colour": "#2e7d4f",
    },
    {
        "name": "Knowledgeable Problem Articulator",
        "description": "Articulates sustainability problems (SDGs) in the teaching of their own "
        "vocational subject.",
        "criteria_narrative": "Submit evidence of applying the Sustainable Development Goals in teaching "
        "your vocational subject; a teacher assesses it and gives feedback.",
        "field_of_study": "Vocational teacher education",
        "in_language": "en",
        "colour": "#7a4b8c",
    },
]

PEOPLE = [
    # username (the e-mail is <username>@example.org), first name, roles at the demo issuer
    ("issuer-admin", "Ingrid", {Role.OWNER, Role.DESIGNER}),
    ("designer", "Disa", {Role.DESIGNER}),
    ("assessor", "Anders", {Role.ASSESSOR}),
    ("reviewer", "Rut", {Role.QA_REVIEWER}),
    ("amina", "Amina", set()),
    ("eli", "Eli", set()),
    ("saman", "Saman", set()),
    ("jacob", "Jacob", set()),
]

# Who gets which demo credential, so a fresh `make run` shows the signing pipeline at work.
AWARDS = [("amina", 0), ("saman", 1), ("jacob", 1)]


class Command(BaseCommand):
    help = "Load demo data (issuer, micro-credentials, people) for local runs. Idempotent."

    def handle(self, *args: object, **options: object) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo_load only runs with MIKROMERIT_DEV=1 or DJANGO_DEBUG=1.")
        with transaction.atomic():
            issuer = self._issuer()
            achievements = [self._achievement(issuer, spec) for spec in ACHIEVEMENTS]
            users = {
                username: self._user(issuer, username, first_name, roles) for username, first_name, roles in PEOPLE
            }
            for username, index in AWARDS:
                self._award(achievements[index], users[username], issued_by=users["assessor"])
        self._print_logins(issuer)

    def _issuer(self) -> Issuer:
        existing = Issuer.objects.filter(slug=ISSUER["slug"]).first()
        return existing or issuer_create(**ISSUER)

    def _achievement(self, issuer: Issuer, spec: dict[str, str]) -> Achievement:
        existing = issuer.achievements.filter(name=spec["name"]).first()
        return existing or achievement_create(issuer=issuer, status=Achievement.Status.PUBLISHED, **spec)

    def _user(self, issuer: Issuer, username: str, first_name: str, roles: set[str]) -> AbstractUser:
        email = f"{username}@example.org"
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": first_name, "email": email, "is_staff": bool(roles)}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = Role.OWNER in roles
            user.save()
        # Sign-in needs a verified address (verification is mandatory); demo addresses cannot receive mail.
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if roles:
            issuer_member_add(issuer=issuer, user=user, roles=roles)
        return user

    def _award(self, achievement: Achievement, learner: AbstractUser, *, issued_by: AbstractUser) -> None:
        if Credential.objects.filter(achievement=achievement, recipient_email=learner.email).exists():
            return
        credential_issue(
            achievement=achievement,
            recipient_email=learner.email,
            recipient_name=learner.first_name,
            issued_by=issued_by,
        )

    def _print_logins(self, issuer: Issuer) -> None:
        self.stdout.write(self.style.SUCCESS(f"Demo issuer: {issuer.name}"))
        self.stdout.write(f"  {issuer.public_id}")
        self.stdout.write(f"Demo logins, by e-mail or user name (password for all: {DEMO_PASSWORD}):")
        for username, first_name, roles in PEOPLE:
            label = ", ".join(str(Role(role).label) for role in sorted(roles)) or "learner"
            self.stdout.write(f"  {username + '@example.org':<28} {username:<14} {first_name:<8} {label}")
