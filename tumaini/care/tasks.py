"""Periodic jobs of care delivery: appointment reminders and overdue follow-up notices."""

from __future__ import annotations

from datetime import timedelta

from tumaini.core.schedule import every
from tumaini.core.tasks import tumaini_task


@tumaini_task(max_attempts=3, backoff_seconds=60)
def appointment_reminders() -> dict:
    from tumaini.care.services.reminders import appointment_reminders_send

    return appointment_reminders_send()


@tumaini_task(max_attempts=3, backoff_seconds=300)
def follow_ups_overdue() -> dict:
    from tumaini.care.services.follow_ups import followups_notify_overdue

    return {"notified": followups_notify_overdue()}


every(timedelta(minutes=15), "tumaini.care.tasks.appointment_reminders")
every(timedelta(hours=6), "tumaini.care.tasks.follow_ups_overdue")
