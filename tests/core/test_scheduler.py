from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tumaini.core.models import ScheduledRun
from tumaini.core.schedule import JOBS, enqueue_due_jobs


def _queued(name):
    return DBTaskResult.objects.filter(task_path=JOBS[name].task_path).count()


@pytest.mark.django_db
def test_audit_chain_check_is_scheduled_daily():
    assert JOBS["audit_chain_check"].interval == timedelta(hours=24)


@pytest.mark.django_db
def test_a_due_job_is_enqueued_once_until_its_interval_passes():
    now = timezone.now()
    assert "audit_chain_check" in enqueue_due_jobs(now=now)
    assert _queued("audit_chain_check") == 1

    assert "audit_chain_check" not in enqueue_due_jobs(now=now + timedelta(hours=23))
    assert _queued("audit_chain_check") == 1

    assert "audit_chain_check" in enqueue_due_jobs(now=now + timedelta(hours=24, seconds=1))
    assert _queued("audit_chain_check") == 2
    run = ScheduledRun.objects.get(name="audit_chain_check")
    assert run.last_task_id == str(
        DBTaskResult.objects.filter(task_path=JOBS["audit_chain_check"].task_path)
        .latest("enqueued_at")
        .id
    )


@pytest.mark.django_db
def test_scheduler_command_once_enqueues_due_jobs(capsys):
    call_command("scheduler", "--once")
    assert "enqueued audit_chain_check" in capsys.readouterr().out
    assert _queued("audit_chain_check") == 1
