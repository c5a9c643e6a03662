"""Periodic work of public reports: purging reporters' contacts after the retention period,
purging USSD session state, and service-level alerts."""

from datetime import timedelta
from typing import Any

from tumaini.core.schedule import every
from tumaini.core.tasks import tumaini_task


@tumaini_task(max_attempts=3, backoff_seconds=300)
def purge_reporter_contacts() -> dict[str, Any]:
    from tumaini.tips import services

    return {"purged": services.purge_reporter_contacts()}


every(timedelta(days=1), "tumaini.tips.tasks.purge_reporter_contacts")


# A USSD session lasts at most 180 s; a day later its state (an encrypted place and callback number)
# has no use left: the report, if any, holds what was said.
USSD_SESSION_KEEP = timedelta(days=1)


@tumaini_task(max_attempts=3, backoff_seconds=300)
def purge_ussd_sessions() -> dict[str, Any]:
    from django.utils import timezone

    from tumaini.tips.models import UssdSession

    deleted, _ = UssdSession.objects.filter(
        updated_at__lt=timezone.now() - USSD_SESSION_KEEP
    ).delete()
    return {"deleted": deleted}


every(timedelta(hours=6), "tumaini.tips.tasks.purge_ussd_sessions")


@tumaini_task(max_attempts=3, backoff_seconds=60)
def report_sla_alerts() -> dict[str, Any]:
    """Tell the hotline supervisors about reports that newly passed a service-level target."""
    from tumaini.tips.services.alerts import report_sla_alerts as alert

    return {"alerted": alert()}


# The tightest target is 15 minutes: a check every 5 minutes alerts within a third of it.
every(timedelta(minutes=5), "tumaini.tips.tasks.report_sla_alerts")
