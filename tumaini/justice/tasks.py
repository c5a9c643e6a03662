"""Periodic work of the justice area: hearing reminders."""

from datetime import timedelta
from typing import Any

from tumaini.core.schedule import every
from tumaini.core.tasks import tumaini_task


@tumaini_task(max_attempts=3, backoff_seconds=300)
def send_hearing_reminders() -> dict[str, Any]:
    from tumaini.justice.services import hearing_reminders_send

    return hearing_reminders_send()


every(timedelta(hours=1), "tumaini.justice.tasks.send_hearing_reminders")
