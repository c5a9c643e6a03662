"""Background tasks: retries through a real `db_worker`, and the administrator's task page."""

import logging
import signal
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.testapp import tasks as probes
from tests.testapp.helpers import sign_in
from tumaini.core.audit import audit_record
from tumaini.core.models import AuditEvent
from tumaini.core.tasks import ATTEMPT_KWARG, audit_chain_check

TASKS_URL = "/staff/tasks/"


def run_worker():
    """Run the real worker until no task is due, as `manage.py db_worker --batch` does."""
    # The worker installs its own SIGINT/SIGTERM handlers; give pytest its own back afterwards.
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command(
            "db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0
        )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def let_backoff_pass():
    """Move the clock past every pending backoff: retries become due now."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
        run_after=timezone.now() - timedelta(seconds=1)
    )


def attempt_of(result):
    return result.args_kwargs["kwargs"].get(ATTEMPT_KWARG, 1)


def results_of(task_name):
    return list(DBTaskResult.objects.filter(task_path__endswith=task_name).order_by("enqueued_at"))


def assert_backoff(result, seconds):
    """The retry is due `seconds` after the moment the attempt failed: a moment between the start
    and the end of that attempt (however slow the machine is)."""
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).latest("finished_at")
    delay = timedelta(seconds=seconds)
    assert failed.started_at + delay <= result.run_after <= failed.finished_at + delay


@pytest.mark.django_db(transaction=True)
def test_flaky_task_retries_with_backoff_until_it_succeeds_on_third_attempt(client, personas):
    label = f"flaky-{uuid.uuid4()}"
    probes.flaky_probe.enqueue(label, 2)

    run_worker()
    first, retry = results_of("flaky_probe")
    assert first.status == TaskResultStatus.FAILED
    assert retry.status == TaskResultStatus.READY
    assert attempt_of(retry) == 2
    assert_backoff(retry, 30)
    # The batch worker left the retry alone: its backoff has not passed.
    assert probes.calls(label) == 1

    assert let_backoff_pass() == 1
    run_worker()
    retry = results_of("flaky_probe")[-1]
    assert retry.status == TaskResultStatus.READY
    assert attempt_of(retry) == 3
    assert_backoff(retry, 60)  # exponential: twice the first wait

    let_backoff_pass()
    run_worker()
    results = results_of("flaky_probe")
    assert [r.status for r in results] == [
        TaskResultStatus.FAILED,
        TaskResultStatus.FAILED,
        TaskResultStatus.SUCCESSFUL,
    ]
    assert [attempt_of(r) for r in results] == [1, 2, 3]
    # Every attempt ran with the task's own arguments.
    assert all(r.args_kwargs["args"] == [label, 2] for r in results)
    assert results[-1].return_value == {"calls": 3}
    assert probes.calls(label) == 3

    page = sign_in(client, personas.admin_user).get(TASKS_URL)
    content = page.content.decode()
    assert page.status_code == 200
    assert "probe failed on call 1" in content
    assert "probe failed on call 2" in content
    assert "tests.testapp.tasks.ProbeFailure" in content
    assert "task-gave-up" not in content  # both failures were retried
    assert "2 of 3" in content and "3 of 3" in content
    # Failures first, then the success.
    assert content.index("probe failed on call") < content.index("task-successful")
    assert label not in content  # arguments are never shown


@pytest.mark.django_db(transaction=True)
def test_failing_task_gives_up_after_max_attempts_visibly(client, personas, caplog):
    label = f"doomed-{uuid.uuid4()}"
    probes.doomed_probe.enqueue(label)

    run_worker()
    first, retry = results_of("doomed_probe")
    assert first.status == TaskResultStatus.FAILED
    assert_backoff(retry, 5)
    let_backoff_pass()
    with caplog.at_level(logging.WARNING, logger="tumaini.tasks"):
        run_worker()
        let_backoff_pass()
        run_worker()  # nothing left to run: no third attempt was queued

    results = results_of("doomed_probe")
    assert [r.status for r in results] == [TaskResultStatus.FAILED, TaskResultStatus.FAILED]
    assert [attempt_of(r) for r in results] == [1, 2]
    assert probes.calls(label) == 2
    final = [r for r in caplog.records if r.name == "tumaini.tasks" and r.levelno == logging.ERROR]
    assert len(final) == 1
    assert "doomed_probe" in final[0].getMessage()
    assert "gave up after attempt 2 of 2" in final[0].getMessage()
    assert label not in final[0].getMessage()

    content = sign_in(client, personas.admin_user).get(TASKS_URL).content.decode()
    assert "probe failed on attempt 1 of 2" in content
    assert "probe failed on attempt 2 of 2" in content
    assert content.count("gave up</strong>") == 1
    assert "task-gave-up" in content


@pytest.mark.django_db(transaction=True)
def test_audit_chain_check_task_succeeds_on_an_intact_chain():
    audit_record(action="login", username="someone")
    audit_record(action="logout", username="someone")
    result = audit_chain_check.enqueue()
    run_worker()
    stored = DBTaskResult.objects.get(id=result.id)
    assert stored.status == TaskResultStatus.SUCCESSFUL
    assert stored.return_value == {"ok": True, "events": 2}


@pytest.mark.django_db(transaction=True)
def test_audit_chain_check_task_fails_at_once_on_a_broken_chain(client, personas, caplog):
    audit_record(action="login", username="someone")
    tampered = audit_record(action="logout", username="someone")
    # Someone edits the trail behind the application's back (the test database has no trigger).
    AuditEvent.objects.filter(pk=tampered.pk).update(reason="edited")
    audit_chain_check.enqueue()
    with caplog.at_level(logging.ERROR, logger="tumaini.tasks"):
        run_worker()

    results = results_of("audit_chain_check")
    # Retrying cannot mend a broken chain: one failed attempt, no retry queued.
    assert [r.status for r in results] == [TaskResultStatus.FAILED]
    assert results[0].exception_class_path == "tumaini.core.tasks.AuditChainBroken"
    messages = [r.getMessage() for r in caplog.records if r.name == "tumaini.tasks"]
    assert any(f"event {tampered.pk} was changed" in m for m in messages)
    assert any("gave up after attempt 1 of 3" in m for m in messages)

    content = sign_in(client, personas.admin_user).get(TASKS_URL).content.decode()
    assert "AuditChainBroken" in content
    assert f"event {tampered.pk} was changed after it was written" in content
    assert "gave up</strong>" in content


# --- The page -----------------------------------------------------------------------------------


def _failed(label, message="disk full"):
    result = probes.flaky_probe.enqueue(label, 0)
    row = DBTaskResult.objects.get(id=result.id)
    row.claim("test-worker")
    try:
        raise OSError(message)
    except OSError as exc:
        row.set_failed(exc)
    return row


def _succeeded(label):
    result = probes.flaky_probe.enqueue(label, 0)
    row = DBTaskResult.objects.get(id=result.id)
    row.claim("test-worker")
    row.set_successful({"calls": 1})
    return row


def test_task_page_shows_counts_and_failures_first_without_arguments(client, personas):
    _failed("private-label-1", "the disk is full")
    _succeeded("private-label-2")
    _succeeded("private-label-3")
    probes.flaky_probe.enqueue("private-label-4", 0)

    response = sign_in(client, personas.admin_user).get(TASKS_URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["counts"] == [
        {"status": "READY", "label": "Ready", "total": 1},
        {"status": "RUNNING", "label": "Running", "total": 0},
        {"status": "FAILED", "label": "Failed", "total": 1},
        {"status": "SUCCESSFUL", "label": "Successful", "total": 2},
    ]
    assert [row["status"] for row in response.context["results"]][0] == "FAILED"
    assert "OSError" in content
    assert "the disk is full" in content
    assert "flaky_probe" in content
    assert "private-label" not in content
    assert 'href="/staff/tasks/"' in content  # its entry in the staff menu


def test_task_page_filters_by_status(client, personas):
    _failed("a", "the disk is full")
    _succeeded("b")
    response = sign_in(client, personas.admin_user).get(TASKS_URL, {"status": "SUCCESSFUL"})
    assert [row["status"] for row in response.context["results"]] == ["SUCCESSFUL"]
    assert "the disk is full" not in response.content.decode()


def test_task_page_is_paginated(client, personas):
    for number in range(51):
        probes.flaky_probe.enqueue(f"queued-{number}", 0)
    client = sign_in(client, personas.admin_user)
    first = client.get(TASKS_URL)
    second = client.get(TASKS_URL, {"page": 2})
    assert len(first.context["results"]) == 50
    assert len(second.context["results"]) == 1
    assert "Page 2 of 2" in second.content.decode()


def test_task_page_query_count_does_not_grow_with_rows(client, personas):
    client = sign_in(client, personas.admin_user)
    _failed("one")
    client.get(TASKS_URL)  # warm up: session, imports
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(TASKS_URL).status_code == 200
    for number in range(6):
        _failed(f"more-{number}")
        _succeeded(f"ok-{number}")
    with CaptureQueriesContext(connection) as many_rows:
        response = client.get(TASKS_URL)
    assert len(response.context["results"]) == 13
    assert len(many_rows) == len(one_row)


def test_task_page_for_administrator_lists_tasks(client, personas):
    _failed("x", "the disk is full")
    response = sign_in(client, personas.admin_user).get(TASKS_URL)
    assert response.status_code == 200
    assert "Background tasks" in response.content.decode()
    assert "the disk is full" in response.content.decode()


@pytest.mark.parametrize("persona", ["director", "owner", "outsider"])
def test_task_page_for_other_staff_is_404(client, personas, persona):
    _failed("x", "the disk is full")
    response = sign_in(client, getattr(personas, persona)).get(TASKS_URL)
    assert response.status_code == 404
    assert "the disk is full" not in response.content.decode()
    staff_home = client.get("/staff/").content.decode()
    assert 'href="/staff/tasks/"' not in staff_home  # no menu entry either


@pytest.mark.django_db
def test_task_page_anonymous_redirects_to_login(client):
    response = client.get(TASKS_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
