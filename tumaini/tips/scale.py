"""Public reports at scale for benchmarks: `manage.py seed_scale --reports N`.

Deterministic for a seed (dates count back from now), written in batches with bulk_create through
the same drawing code as the demo reports (tips/demo.py): encrypted fields really encrypted, blind
indexes computed, urgency from the service's rules, spread over ten years.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tumaini.accounts.enums import OrganisationType
from tumaini.accounts.models import Organisation, User
from tumaini.tips.demo import ReportDraws, build_report
from tumaini.tips.models import REFERENCE_ALPHABET, REFERENCE_LENGTH, Report

YEARS = 10


class ReportsAlreadySeeded(Exception):
    """The first report of this seed is already in the database."""


def seed_scale_reports(
    *,
    count: int,
    seed: int,
    organisation: Organisation,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
) -> int:
    now = timezone.now()
    draws = ReportDraws(seed=seed * 7919 + 17, now=now, span=timedelta(days=YEARS * 365))
    police = Organisation.objects.filter(
        is_active=True, type=OrganisationType.LAW_ENFORCEMENT
    ).first()
    agent = User.objects.filter(organisation=organisation, is_active=True).order_by("pk").first()
    seen: set[str] = set()
    written = 0
    while written < count:
        size = min(batch_size, count - written)
        drawn = [draws.draw() for _ in range(size)]
        taken = set(
            Report.objects.filter(reference_code__in=[d["reference"] for d in drawn]).values_list(
                "reference_code", flat=True
            )
        )
        if written == 0 and drawn[0]["reference"] in taken:
            raise ReportsAlreadySeeded(drawn[0]["reference"])
        rows = []
        for d in drawn:
            reference = d["reference"]
            while reference in taken or reference in seen:
                # A clash (another seed, a real report): draw again from the same generator.
                reference = "".join(
                    draws.rng.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH)
                )
            seen.add(reference)
            rows.append(
                build_report(
                    d,
                    organisation=organisation,
                    reference=reference,
                    police=police,
                    agent=agent,
                    now=now,
                )
            )
        with transaction.atomic():
            Report.objects.bulk_create(rows, batch_size=500)
        written += size
        if progress is not None:
            progress(written)
    return written
