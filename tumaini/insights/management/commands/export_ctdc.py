"""manage.py export_ctdc --output FILE.csv: anonymised case data in the CTDC global dataset layout."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tumaini.accounts.models import Organisation
from tumaini.insights.services import ctdc_export


class Command(BaseCommand):
    help = (
        "Write survivors' cases (only those whose consent allows statistics) in the CTDC global "
        "dataset layout, k-anonymised with k = 11, and print what was suppressed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="CSV file to write")
        parser.add_argument(
            "--organisation", help="only this organisation's cases (its exact name); default all"
        )

    def handle(self, *args, output, organisation=None, **options):
        organisation_id = None
        if organisation:
            found = Organisation.objects.filter(name=organisation).first()
            if found is None:
                raise CommandError(f"No organisation is named {organisation!r}.")
            organisation_id = found.pk
        export = ctdc_export(organisation_id=organisation_id)
        path = Path(output)
        try:
            path.write_text(export.csv_text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
        summary = export.summary
        self.stdout.write(
            f"Wrote {summary['rows_exported']} rows to {path} (k = {summary['k']}; smallest group "
            f"{summary['smallest_group']})."
        )
        self.stdout.write(
            f"Cases considered: {summary['cases_considered']}; left out: "
            f"{summary['no_statistics_consent']} without consent to statistics, "
            f"{summary['not_identified_as_victim']} not identified as victims, "
            f"{summary['rows_left_out_for_k']} still in a group under k after suppression."
        )
        suppressed = ", ".join(
            f"{column} {count}" for column, count in summary["values_suppressed"].items() if count
        )
        self.stdout.write(f"Values suppressed to reach k: {suppressed or 'none'}.")
