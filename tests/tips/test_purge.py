"""Reporter protection: contacts are blanked after the retention period following closure, by the
daily task, which the scheduler enqueues."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.core.test_tasks import run_worker
from tests.tips.builders import make_report
from tumaini.core.models import AuditEvent
from tumaini.core.schedule import JOBS, enqueue_due_jobs
from tumaini.tips import services, tasks
from tumaini.tips.models import Report

pytestmark = pytest.mark.django_db


def _closed(days_ago, **fields):
    report = make_report(reporter_contact="Mama Wanjiru", reporter_phone="0722000111", **fields)
    closed_at = timezone.now() - timedelta(days=days_ago)
    Report.objects.filter(pk=report.pk).update(
        status="closed",
        closed_at=closed_at,
        contact_purge_after=closed_at + timedelta(days=services.retention_days()),
    )
    return report


@pytest.fixture
def immediate_tasks(settings):
    # Worker-free: the task runs inside enqueue(), through django-tasks' own immediate backend.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _run_purge():
    result = tasks.purge_reporter_contacts.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    return result.return_value


def test_purge_task_blanks_contacts_after_retention(desk, immediate_tasks):
    old = _closed(91)
    recent = _closed(10)
    open_report = make_report(reporter_contact="Still open")
    result = _run_purge()
    assert result == {"purged": 1}
    old.refresh_from_db()
    recent.refresh_from_db()
    open_report.refresh_from_db()
    assert old.reporter_contact == "" and old.reporter_phone == ""
    assert old.reporter_phone_index == ""
    assert old.contact_purged_at is not None
    assert old.what_happened  # the report itself stays
    assert recent.reporter_contact == "Mama Wanjiru"
    assert open_report.reporter_contact == "Still open"
    event = AuditEvent.objects.get(object_id=str(old.public_id), action="delete")
    assert event.fields_changed == ["reporter_contact", "reporter_phone"]
    # Running again purges nothing more.
    assert _run_purge() == {"purged": 0}


def test_purge_respects_configured_retention(desk, settings, immediate_tasks):
    settings.TUMAINI_REPORT_CONTACT_RETENTION_DAYS = 5
    report = _closed(6)
    assert _run_purge() == {"purged": 1}
    report.refresh_from_db()
    assert report.reporter_contact == ""


@pytest.mark.django_db(transaction=True)
def test_purge_is_a_daily_scheduled_job_run_by_the_worker(desk):
    old = _closed(100)
    job = JOBS["purge_reporter_contacts"]
    assert job.interval == timedelta(days=1)
    assert job.task_path == "tumaini.tips.tasks.purge_reporter_contacts"
    assert "purge_reporter_contacts" in enqueue_due_jobs()
    assert DBTaskResult.objects.filter(task_path=job.task_path).count() == 1
    # Not again within the day.
    assert "purge_reporter_contacts" not in enqueue_due_jobs()
    run_worker()
    stored = DBTaskResult.objects.get(task_path=job.task_path)
    assert stored.status == TaskResultStatus.SUCCESSFUL
    assert stored.return_value == {"purged": 1}
    old.refresh_from_db()
    assert old.reporter_contact == ""
