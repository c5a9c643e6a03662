"""Redraw the triage and escalation times of the reports already in a benchmark database, with the
spread the seeders now draw (tips/demo.py: TRIAGE_TIMES, ESCALATION_TIMES), in one SQL UPDATE,
instead of reseeding a million reports (17 minutes). See bench/README.md (insights_bench.py).

    source /work/benchdata/env.sh && .venv/bin/python bench/redraw_report_times.py

The database's own random() draws each time (Box-Muller from two uniforms: PostgreSQL 15 has no
random_normal()), so the result is not reproducible row by row, only in distribution. It keeps
received_at <= triaged_at <= escalated_at, caps both at now() (and triage at closed_at), and moves
status_changed_at along when it was the old triage or escalation time. Then run
`VACUUM (ANALYZE) tips_report` and `manage.py refresh_insights`.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tumaini.settings")


def _seconds(spreads: dict, z: str) -> str:
    """SQL for a log-normal number of whole seconds by urgency, clamped as the seeder clamps."""
    from tumaini.tips.demo import LONGEST, SHORTEST

    cases = " ".join(
        f"WHEN '{urgency}' THEN {median.total_seconds()} * exp({sigma} * {z})"
        for urgency, (median, sigma) in spreads.items()
    )
    return (
        f"greatest({SHORTEST.total_seconds()}, least({LONGEST.total_seconds()}, "
        f"round(CASE urgency {cases} END)))"
    )


def update_sql() -> str:
    from tumaini.tips.demo import ESCALATION_TIMES, TRIAGE_TIMES

    normal = "sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())"
    return f"""
WITH drawn AS (
    SELECT id, received_at, closed_at,
           {_seconds(TRIAGE_TIMES, "z1")} AS triage_s,
           {_seconds(ESCALATION_TIMES, "z2")} AS escalation_s
    FROM (SELECT id, urgency, received_at, closed_at, {normal} AS z1, {normal} AS z2
          FROM tips_report WHERE triaged_at IS NOT NULL) AS z
), times AS (
    SELECT id,
           least(received_at + make_interval(secs => triage_s), now(),
                 coalesce(closed_at, 'infinity')) AS triaged,
           least(received_at + make_interval(secs => triage_s + escalation_s), now()) AS escalated
    FROM drawn
)
UPDATE tips_report AS r SET
    status_changed_at = CASE
        WHEN r.escalated_at IS NOT NULL AND r.status_changed_at = r.escalated_at THEN t.escalated
        WHEN r.status_changed_at = r.triaged_at THEN t.triaged
        ELSE r.status_changed_at END,
    escalated_at = CASE WHEN r.escalated_at IS NOT NULL THEN t.escalated END,
    triaged_at = t.triaged
FROM times AS t
WHERE r.id = t.id
"""


def main() -> None:
    import django

    django.setup()
    from django.db import connection, transaction

    sql = update_sql()
    if "--print" in sys.argv:
        print(sql)
        return
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
        print(f"redrew {cursor.rowcount} reports in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
