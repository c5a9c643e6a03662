"""Background work of the statistics area: preparing situation reports."""

from datetime import timedelta
from typing import Any

from tumaini.core.schedule import every
from tumaini.core.tasks import tumaini_task


@tumaini_task(max_attempts=2, backoff_seconds=60)
def build_situation_report(report_id: int) -> dict[str, Any]:
    from tumaini.insights.reports import situation_report_build

    return situation_report_build(report_id=report_id)


@tumaini_task(max_attempts=2, backoff_seconds=60)
def refresh_figures() -> dict[str, Any]:
    """Rebuild the dashboard's pre-computed counts (insights/aggregates.py)."""
    from tumaini.insights.aggregates import refresh

    done = refresh()
    return {"as_of": done.as_of.isoformat(), "rows": done.rows, "seconds": round(done.seconds, 1)}


# The dashboard says "figures as of ..."; a quarter of an hour keeps them close to live.
every(timedelta(minutes=15), "tumaini.insights.tasks.refresh_figures")
