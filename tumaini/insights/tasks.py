"""Background work of the statistics area: preparing situation reports."""

from typing import Any

from tumaini.core.tasks import tumaini_task


@tumaini_task(max_attempts=2, backoff_seconds=60)
def build_situation_report(report_id: int) -> dict[str, Any]:
    from tumaini.insights.reports import situation_report_build

    return situation_report_build(report_id=report_id)
