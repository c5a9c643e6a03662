from django.core.management.base import BaseCommand

from tumaini.core.reference import load_reference_data


class Command(BaseCommand):
    help = (
        "Load countries, languages, Kenya's counties and Nairobi's sub-counties and wards. "
        "Idempotent: safe to run on every start."
    )

    def handle(self, *args, **options):
        counts = load_reference_data()
        self.stdout.write(counts.summary())
