"""Public reports at scale for benchmarks: `manage.py seed_scale --reports N`.

Deterministic for a seed (dates count back from now), drawn by the same code as the demo reports
(tips/demo.py) and spread over ten years, channels, wards, statuses and triage times; about one
dealt-with report in ten is linked to one of the organisation's cases. Encrypted fields are really
encrypted and blind indexes computed, but the rows skip the ORM's per-field preparation (about 2 ms a
row, hours for a million): each column's value is converted once by a precomputed function and the
rows go in with COPY on PostgreSQL (executemany elsewhere), in large batches. No signal, no audit:
it is invented data for measuring.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from django.db import connection, models, transaction
from django.utils import timezone

from tumaini.accounts.enums import OrganisationType
from tumaini.accounts.models import Organisation, User
from tumaini.core import crypto
from tumaini.core.bulk import insert_rows
from tumaini.core.fields import BlindIndexField, EncryptedTextField
from tumaini.tips.demo import ReportDraws, build_report
from tumaini.tips.enums import ReportStatus
from tumaini.tips.models import REFERENCE_ALPHABET, REFERENCE_LENGTH, Report

YEARS = 10
BATCH = 20_000
LINK_SHARE = 0.1
# Columns whose Python value is already what the database driver takes.
PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


class ReportsAlreadySeeded(Exception):
    """The first report of this seed is already in the database."""


def _column_writers(now) -> list[tuple[str, Callable]]:
    """(column, instance -> database value) for every concrete column but the id."""
    writers = []
    for field in Report._meta.concrete_fields:
        if field.primary_key:
            continue
        if isinstance(field, BlindIndexField):
            writers.append((field.column, lambda obj, f=field: f.value_for(obj)))
        elif isinstance(field, EncryptedTextField):
            writers.append(
                (
                    field.column,
                    lambda obj, a=field.attname: (
                        crypto.encrypt_text(str(v)) if (v := getattr(obj, a)) else v
                    ),
                )
            )
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            writers.append((field.column, lambda obj: now))
        elif not isinstance(field, PLAIN):
            # Dates, UUIDs, JSON: what this database wants (a UUID is text on SQLite).
            writers.append(
                (
                    field.column,
                    lambda obj, f=field: f.get_db_prep_save(getattr(obj, f.attname), connection),
                )
            )
        else:
            writers.append((field.column, lambda obj, a=field.attname: getattr(obj, a)))
    return writers


def seed_scale_reports(
    *,
    count: int,
    seed: int,
    organisation: Organisation,
    batch_size: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> int:
    from tumaini.cases.models import Case

    now = timezone.now()
    draws = ReportDraws(seed=seed * 7919 + 17, now=now, span=timedelta(days=YEARS * 365))
    police = Organisation.objects.filter(
        is_active=True, type=OrganisationType.LAW_ENFORCEMENT
    ).first()
    agent = User.objects.filter(organisation=organisation, is_active=True).order_by("pk").first()
    # Cases reports may have led to, with when they were opened (a report links to a later case).
    cases = list(
        Case.objects.filter(organisation=organisation)
        .order_by("opened_at")
        .values_list("pk", "opened_at")[:: max(1, Case.objects.count() // 20_000)]
    )
    links = random.Random(seed * 31 + 7)  # noqa: S311 - invented data, not security
    writers = _column_writers(now)
    columns = [column for column, _ in writers]
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
            report = build_report(
                d,
                organisation=organisation,
                reference=reference,
                police=police,
                agent=agent,
                now=now,
            )
            # The demo draws age most reports into "closed"; a report that led to a case stays
            # linked, so about one in ten of the dealt-with ones is (its own generator: the
            # draws above stay the same for a seed).
            if cases and report.status != ReportStatus.NEW and links.random() < LINK_SHARE:
                _link(report, cases, links, now)
            rows.append(tuple(write(report) for _, write in writers))
        with transaction.atomic():
            insert_rows(Report._meta.db_table, columns, rows)
        written += size
        if progress is not None:
            progress(written)
    return written


def _link(report: Report, cases: list, rng: random.Random, now) -> None:
    """Linked to a case opened within a few weeks after it was received, when there is one."""
    import bisect

    at = bisect.bisect_left(cases, report.received_at, key=lambda c: c[1])
    if at >= len(cases):
        return
    case_id, opened = cases[min(at + rng.randint(0, 3), len(cases) - 1)]
    if opened - report.received_at > timedelta(days=60):
        return
    report.status = ReportStatus.LINKED_TO_CASE
    report.linked_case_id = case_id
    report.linked_at = min(max(opened, report.received_at), now)
    report.linked_by = report.assigned_to
    report.status_changed_at = report.linked_at
