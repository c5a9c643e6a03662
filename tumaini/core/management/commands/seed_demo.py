import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tumaini.accounts.enums import Role
from tumaini.core.demo import DemoSeedError, demo_seed


class Command(BaseCommand):
    help = (
        "Create or reset the demo organisations and accounts (idempotent). "
        "Refused unless TUMAINI_DEMO=1 or TUMAINI_DEBUG=1."
    )

    def handle(self, *args, **options):
        if not (settings.DEMO_MODE or settings.DEBUG):
            # Demo accounts have a published password: never create them on a real deployment.
            raise CommandError(
                "seed_demo only runs in demo mode: set TUMAINI_DEMO=1 (or TUMAINI_DEBUG=1) "
                "on a demo or development machine, never on a real deployment."
            )
        password = settings.TUMAINI_DEMO_PASSWORD
        try:
            accounts = demo_seed(password=password)
        except DemoSeedError as exc:
            raise CommandError(str(exc)) from None

        rows = [("username", "role", "organisation")]
        rows += [(a.username, str(Role(a.role).label), a.organisation) for a in accounts]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write(f"Demo data ready: {len(accounts)} demo accounts.")
        for index, row in enumerate(rows):
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        port = os.environ.get("PORT") or "8000"
        self.stdout.write(f"Password for every demo account: {password}")
        self.stdout.write(f"Sign in at http://127.0.0.1:{port}/accounts/login/")
        if not settings.DEMO_MODE:
            self.stdout.write(
                self.style.WARNING(
                    "TUMAINI_DEMO is off: demo accounts cannot sign in until it is set to 1."
                )
            )
