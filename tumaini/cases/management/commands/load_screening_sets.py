from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tumaini.cases.services.screening import DATA_DIR, ScreeningSetError, screening_sets_load


class Command(BaseCommand):
    help = (
        "Publish the screening question sets (JSON files, tumaini/cases/data/ by default). "
        "Idempotent: a set already published is left alone; a changed file with the same version "
        "is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory", type=Path, default=DATA_DIR, help="Folder of question-set files."
        )

    def handle(self, *args, **options):
        try:
            loaded = screening_sets_load(directory=options["directory"])
        except ScreeningSetError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] > 0:
            for question_set in loaded:
                state = "published" if question_set.created else "already published"
                self.stdout.write(
                    f"Screening question set {question_set.code} v{question_set.version}: {state}."
                )
