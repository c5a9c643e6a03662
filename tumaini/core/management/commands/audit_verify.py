"""Prove the audit trail unbroken: every event unchanged, none removed, none added."""

from django.core.management.base import BaseCommand, CommandError

from tumaini.core.audit import verify_chain
from tumaini.core.models import AuditEvent


class Command(BaseCommand):
    help = "Walk the audit trail's hash chain; exit 1 if any event was changed, removed or added."

    def handle(self, *args, **options):
        problems = 0
        for problem in verify_chain():
            problems += 1
            self.stdout.write(f"PROBLEM: {problem.message}")
        if problems:
            raise CommandError(f"the audit chain is broken ({problems} problem(s) above)")
        count = AuditEvent.objects.count()
        self.stdout.write(f"OK: {count} events, chain intact")
