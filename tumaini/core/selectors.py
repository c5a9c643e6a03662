"""Reads of the core app; each takes the acting user where it returns anyone's data."""

from datetime import timedelta

from django.utils import timezone


def task_queue_health() -> dict:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    # A job waiting more than 10 minutes means no worker is taking work.
    stale = oldest is not None and oldest < timezone.now() - timedelta(minutes=10)
    return {
        "ok": not stale,
        "waiting": waiting.count(),
        "failed_last_day": DBTaskResult.objects.filter(
            status=TaskResultStatus.FAILED, finished_at__gte=timezone.now() - timedelta(days=1)
        ).count(),
    }


def staff_home(*, user) -> dict:
    return {"roles": user.role_labels(), "organisation": user.organisation}
