#!/usr/bin/env python
"""The triage desk at scale, in process: the possible-duplicate search for one report and for a
queue page, the duplicate counts the queue shows, the queue, a report's page (also the report of the
most-reported suspect phone) and the figures page, with SQL queries counted.

    DATABASE_URL=... TUMAINI_DATA_DIR=... bench/triage_bench.py [--runs 30] [--explain]

Run it against a database seeded with `manage.py seed_demo` and `seed_scale --reports N`: it acts
as the demo hotline agent `hotline` (and the `director` for the figures). Prints median and 95th
percentile in milliseconds.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tumaini.settings")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def timed(label: str, func, runs: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        func()
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            func()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    print(f"{label:<44}{statistics.median(times):>9.1f}{percentile(times, 0.95):>9.1f}{queries:>9}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--explain", action="store_true", help="print the candidate query plans")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db.models import Count, Q
    from django.test import Client

    from tumaini.accounts.models import User
    from tumaini.tips.models import Report
    from tumaini.tips.selectors.duplicates import WINDOW, duplicate_counts, duplicate_suggestions

    hotline = User.objects.get(username="hotline")
    director = User.objects.get(username="director")
    total = Report.objects.count()
    rng = random.Random(1)  # noqa: S311
    with_ward = list(
        Report.objects.exclude(ward=None)
        .order_by("-received_at")
        .values_list("pk", flat=True)[:2000]
    )
    sample = Report.objects.filter(pk__in=rng.sample(with_ward, min(50, len(with_ward))))
    samples = list(sample)
    page = list(
        Report.objects.exclude(status="closed").order_by("urgency_rank", "received_at")[:25]
    )
    print(f"{total} reports; milliseconds")
    print(f"{'':<44}{'median':>9}{'p95':>9}{'queries':>9}")
    picks = iter(samples * (args.runs + 10))
    timed(
        "duplicate search, one report (same ward)",
        lambda: duplicate_suggestions(user=hotline, reports=[next(picks)]),
        args.runs,
    )
    timed(
        "duplicate search, a queue page of 25",
        lambda: duplicate_suggestions(user=hotline, reports=page),
        args.runs,
    )
    # What the queue page computes now: how many suggestions each row has.
    timed(
        "duplicate counts, a queue page of 25",
        lambda: duplicate_counts(user=hotline, reports=page),
        args.runs,
    )
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(hotline)
    timed(
        "staff home with overdue panel (hotline)",
        lambda: client.get("/staff/", secure=True),
        args.runs,
    )
    timed("queue page (hotline)", lambda: client.get("/staff/reports/", secure=True), args.runs)
    report = samples[0]
    timed(
        "report page (hotline)",
        lambda: client.get(f"/staff/reports/{report.public_id}/", secure=True),
        args.runs,
    )
    # The report of the most-reported suspect phone: its suggestions read at most 10 of them.
    busiest = (
        Report.objects.exclude(suspect_phone_index="")
        .values("suspect_phone_index")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if busiest:
        much = Report.objects.filter(suspect_phone_index=busiest["suspect_phone_index"]).latest(
            "received_at"
        )
        print(f"(the busiest phone: {busiest['n']} reports)")
        timed(
            "duplicate search, the busiest phone",
            lambda: duplicate_suggestions(user=hotline, reports=[much]),
            args.runs,
        )
        timed(
            "report page, the busiest phone (hotline)",
            lambda: client.get(f"/staff/reports/{much.public_id}/", secure=True),
            args.runs,
        )
    boss = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    boss.force_login(director)
    timed(
        "figures page, last 12 weeks (director)",
        lambda: boss.get("/staff/reports/figures/", secure=True),
        args.runs,
    )
    if args.explain:
        near = Report.objects.filter(
            Q(ward_id=report.ward_id)
            & Q(received_at__gte=report.received_at - WINDOW)
            & Q(received_at__lte=report.received_at + WINDOW)
        ).only("pk", "what_happened")
        print(near.explain())
        phones = Report.objects.filter(suspect_phone_index=report.suspect_phone_index or "x")
        print(phones.only("pk").explain())
        if busiest:
            # The report page's same-phone query (the user's scope left out).
            head = much.incident_primary_id or much.pk
            print(
                Report.objects.filter(suspect_phone_index=much.suspect_phone_index)
                .exclude(pk__in={much.pk, head})
                .exclude(incident_primary_id=head)
                .order_by("received_at", "pk")[:10]
                .explain(analyze=True)
            )
        from django.utils import timezone

        from tumaini.tips import sla

        print(Report.objects.filter(sla.breached(timezone.now())).only("pk").explain())


if __name__ == "__main__":
    main()
