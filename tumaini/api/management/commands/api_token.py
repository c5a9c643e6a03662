from django.core.management.base import BaseCommand, CommandError

from tumaini.accounts.models import User
from tumaini.api.services import api_token_issue


class Command(BaseCommand):
    help = "Issue an API token for a staff account (printed once; only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for, e.g. 'county BI'")
        parser.add_argument("--days", type=int, default=365, help="Valid for this many days")

    def handle(self, *args, username, name, days, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active account named {username!r}.")
        token, plain = api_token_issue(user=user, name=name, days=days)
        self.stdout.write(
            f"Token for {username} ({name}), valid until {token.expires_at:%Y-%m-%d}:"
        )
        self.stdout.write(plain)
        self.stdout.write("It is shown only now; store it in the integration's secret store.")
