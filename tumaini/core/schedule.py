"""Periodic jobs: which task runs how often.

django-tasks has no scheduler, so `manage.py scheduler` (started by `make run` beside the worker) wakes
up every few seconds and enqueues each job that is due; the worker runs it like any other task, with
retries. Apps add their jobs with `every(...)` in their `tasks.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from tumaini.core.models import ScheduledRun


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task_path: str
    interval: timedelta


JOBS: dict[str, PeriodicJob] = {}


def every(interval: timedelta, task_path: str, *, name: str = "") -> PeriodicJob:
    job = PeriodicJob(
        name=name or task_path.rsplit(".", 1)[-1], task_path=task_path, interval=interval
    )
    JOBS[job.name] = job
    return job


def enqueue_due_jobs(*, now=None) -> list[str]:
    """Enqueue every job whose interval has passed since it was last enqueued; return their names."""
    now = now or timezone.now()
    enqueued = []
    for job in JOBS.values():
        with transaction.atomic():
            ScheduledRun.objects.get_or_create(name=job.name)
            run = ScheduledRun.objects.select_for_update().get(name=job.name)
            if run.last_enqueued_at is not None and run.last_enqueued_at + job.interval > now:
                continue
            result = import_string(job.task_path).enqueue()
            run.last_enqueued_at = now
            run.last_task_id = str(result.id)
            run.save(update_fields=["last_enqueued_at", "last_task_id"])
            enqueued.append(job.name)
    return enqueued


# The core app's own jobs.
every(timedelta(hours=24), "tumaini.core.tasks.audit_chain_check")
