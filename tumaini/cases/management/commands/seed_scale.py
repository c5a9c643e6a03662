"""`manage.py seed_scale`: synthetic survivors (cases/scale.py) and public reports (tips/scale.py)
at scale, for benchmarks (bench/README.md, shared design notes: benchmarks)."""

from __future__ import annotations

import time as clock
import uuid

from django.core.management.base import BaseCommand, CommandError

from tumaini.accounts.models import Organisation
from tumaini.cases.scale import ScalePlan


class Command(BaseCommand):
    help = (
        "Create N synthetic survivors with cases, notes and trafficking events, deterministic for "
        "a seed, for benchmarks. Prints the surnames held by about 5 % and 1 % of them and a full "
        "name held by about 0.1 %."
    )

    def add_arguments(self, parser):
        parser.add_argument("--survivors", type=int, default=0, help="How many survivors.")
        parser.add_argument(
            "--reports", type=int, default=0, help="How many public reports (tips app)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--organisation",
            default="",
            help="Name, short name or public id of the organisation (default: the demo rescue "
            "centre, or the only organisation).",
        )
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, **options):
        count = options["survivors"]
        reports = options["reports"]
        if count < 0 or reports < 0 or count + reports < 1:
            raise CommandError("Give --survivors and/or --reports, at least 1.")
        organisation = _organisation(options["organisation"])
        if reports:
            self._reports(reports, organisation, options)
        if not count:
            return
        started = clock.perf_counter()
        plan = ScalePlan(organisation=organisation, seed=options["seed"])
        batch_size = max(1, options["batch_size"])
        written = 0
        for start in range(0, count, batch_size):
            plan.write_batch(min(batch_size, count - start), first=start == 0)
            written += min(batch_size, count - start)
            if count > batch_size:
                elapsed = clock.perf_counter() - started
                self.stdout.write(f"  {written} survivors, {elapsed:.1f} s")
        elapsed = clock.perf_counter() - started
        self.stdout.write(
            f"Created {count} survivors with their cases in {organisation} "
            f"(seed {options['seed']}) in {elapsed:.1f} s ({count / elapsed:.0f} a second)."
        )
        for line in plan.report(count):
            self.stdout.write(line)

    def _reports(self, count: int, organisation: Organisation, options) -> None:
        from tumaini.tips.scale import ReportsAlreadySeeded, seed_scale_reports

        started = clock.perf_counter()
        batch = max(1, options["batch_size"])

        def progress(written: int) -> None:
            if count > batch:
                self.stdout.write(f"  {written} reports, {clock.perf_counter() - started:.1f} s")

        try:
            seed_scale_reports(
                count=count,
                seed=options["seed"],
                organisation=organisation,
                batch_size=batch,
                progress=progress,
            )
        except ReportsAlreadySeeded as clash:
            raise CommandError(
                f"Reports of seed {options['seed']} are already in this database (reference "
                f"{clash}). Use another --seed, or a fresh database."
            ) from clash
        elapsed = clock.perf_counter() - started
        self.stdout.write(
            f"Created {count} public reports in {organisation} (seed {options['seed']}) in "
            f"{elapsed:.1f} s ({count / elapsed:.0f} a second)."
        )


def _organisation(text: str) -> Organisation:
    from tumaini.core import demo as core_demo

    if not text:
        found = Organisation.objects.filter(name=core_demo.CENTRE).first()
        if found is None and Organisation.objects.count() == 1:
            found = Organisation.objects.get()
        if found is None:
            raise CommandError(
                "Name the organisation with --organisation (or run seed_demo first: the demo "
                "rescue centre is the default)."
            )
        return found
    try:
        by_id = Organisation.objects.filter(public_id=uuid.UUID(text)).first()
    except ValueError:
        by_id = None
    found = by_id or (
        Organisation.objects.filter(name=text).first()
        or Organisation.objects.filter(short_name=text).first()
    )
    if found is None:
        raise CommandError(f"No organisation named {text!r}.")
    return found
