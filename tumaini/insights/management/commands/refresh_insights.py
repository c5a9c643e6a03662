"""Rebuild the dashboard's pre-computed counts now (the periodic task does it every few minutes)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Rebuild the pre-computed counts of the statistics dashboard and public page."

    def handle(self, *args, **options):
        from tumaini.insights.aggregates import refresh

        done = refresh()
        self.stdout.write(
            f"Figures as of {done.as_of:%Y-%m-%d %H:%M:%S %Z}: {done.rows} counts in "
            f"{done.seconds:.1f} s."
        )
