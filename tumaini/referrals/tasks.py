"""Periodic work of referrals: alerting about acknowledgements past their deadline."""

from datetime import timedelta
from typing import Any

from tumaini.core.schedule import every
from tumaini.core.tasks import tumaini_task


@tumaini_task(max_attempts=3, backoff_seconds=120)
def referrals_overdue_alert() -> dict[str, Any]:
    from tumaini.referrals.services import referrals_alert_overdue

    return {"alerted": referrals_alert_overdue()}


# The shortest deadline is two hours (emergency): a quarter-hour check is late by 15 minutes at most.
every(timedelta(minutes=15), "tumaini.referrals.tasks.referrals_overdue_alert")
