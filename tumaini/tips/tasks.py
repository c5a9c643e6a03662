"""Periodic work of public reports: purging reporters' contacts after the retention period."""

from datetime import timedelta
from typing import Any

from tumaini.core.schedule import every
from tumaini.core.tasks import tumaini_task


@tumaini_task(max_attempts=3, backoff_seconds=300)
def purge_reporter_contacts() -> dict[str, Any]:
    from tumaini.tips import services

    return {"purged": services.purge_reporter_contacts()}


every(timedelta(days=1), "tumaini.tips.tasks.purge_reporter_contacts")
