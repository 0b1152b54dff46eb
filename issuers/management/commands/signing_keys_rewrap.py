from django.core.management.base import BaseCommand

from issuers.services import signing_keys_rewrap


class Command(BaseCommand):
    help = "Re-encrypt every signing key under the current KEY_ENCRYPTION_KEY (after a KEK rotation)."

    def handle(self, *args: object, **options: object) -> None:
        count = signing_keys_rewrap()
        self.stdout.write(self.style.SUCCESS(f"Rewrapped {count} signing key(s)."))
