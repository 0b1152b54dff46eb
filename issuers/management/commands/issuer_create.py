from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from issuers.models import IdentityKind
from issuers.services import issuer_create


class Command(BaseCommand):
    help = "Create an issuer with its signing keys and print its public identifiers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug", required=True, help="Short name used in the issuer's addresses.")
        parser.add_argument("--name", required=True)
        parser.add_argument("--country", default="SE", help="ISO 3166-1 alpha-2 country code.")
        parser.add_argument("--url", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--description", default="")
        parser.add_argument("--official-identifier", default="", help="For example the organisation number.")
        parser.add_argument("--street-address", default="")
        parser.add_argument("--postal-code", default="")
        parser.add_argument("--locality", default="")
        parser.add_argument("--region", default="")
        parser.add_argument("--jwt", action="store_true", help="Also sign credentials as VC-JWT (adds an RSA key).")
        parser.add_argument(
            "--identity",
            choices=IdentityKind.values,
            default=IdentityKind.HTTPS,
            help="The id credentials name: the https address (default; every OB 3.0 verifier can check it) "
            "or did:web (for wallets and registries that expect DIDs). Both documents are published either way.",
        )

    def handle(self, *args: object, **options: str) -> None:
        try:
            issuer = issuer_create(
                slug=options["slug"],
                name=options["name"],
                country_code=options["country"],
                url=options["url"],
                email=options["email"],
                description=options["description"],
                official_identifier=options["official_identifier"],
                street_address=options["street_address"],
                postal_code=options["postal_code"],
                locality=options["locality"],
                region=options["region"],
                jwt_enabled=bool(options["jwt"]),
                identity_kind=options["identity"],
            )
        except ValidationError as exc:
            problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items())
            raise CommandError(problems) from None
        self.stdout.write(self.style.SUCCESS(f"Created issuer {issuer.name}"))
        self.stdout.write(f"  id:  {issuer.public_id}")
        self.stdout.write(f"  did: {issuer.did}")
        self.stdout.write(f"  credentials name: {issuer.identity}")
