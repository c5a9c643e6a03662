"""GET /healthz: what monitoring sees when things work, when the database is gone, when no worker runs."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.testapp import tasks as probes


def _queued(*, minutes_ago, run_after_minutes=None):
    result = probes.flaky_probe.enqueue("health", 0)
    changes = {"enqueued_at": timezone.now() - timedelta(minutes=minutes_ago)}
    if run_after_minutes is not None:
        changes["run_after"] = timezone.now() + timedelta(minutes=run_after_minutes)
    DBTaskResult.objects.filter(id=result.id).update(**changes)


@pytest.mark.django_db
def test_healthz_when_healthy_is_200_ok_and_never_cached(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True, "vendor": connection.vendor}
    assert body["task_queue"] == {
        "ok": True,
        "waiting": 0,
        "overdue": 0,
        "scheduled": 0,
        "running": 0,
        "failed_last_day": 0,
    }


@pytest.mark.django_db
def test_healthz_reveals_no_secrets_or_locations(client):
    content = client.get("/healthz").content.decode()
    for secret in (
        settings.SECRET_KEY,
        *settings.TUMAINI_ENCRYPTION_KEYS,
        str(settings.DATA_DIR),
        str(settings.DATABASES["default"]["NAME"]),
    ):
        assert secret not in content


@pytest.mark.django_db
def test_healthz_with_a_task_waiting_briefly_is_ok(client):
    _queued(minutes_ago=5)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["task_queue"]["waiting"] == 1
    assert response.json()["task_queue"]["overdue"] == 0


@pytest.mark.django_db
def test_healthz_with_a_task_waiting_over_ten_minutes_is_503(client):
    _queued(minutes_ago=11)
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["database"]["ok"] is True
    assert body["task_queue"]["ok"] is False
    assert body["task_queue"]["overdue"] == 1
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_with_an_old_retry_still_in_its_backoff_is_ok(client):
    # Enqueued long ago, but only due in 20 minutes: waiting for it is not a sign of trouble.
    _queued(minutes_ago=30, run_after_minutes=20)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["task_queue"]["scheduled"] == 1
    assert response.json()["task_queue"]["overdue"] == 0


@pytest.mark.django_db
def test_healthz_with_a_retry_due_over_ten_minutes_ago_is_503(client):
    _queued(minutes_ago=30, run_after_minutes=-11)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["task_queue"]["overdue"] == 1


@pytest.fixture
def database_unreachable(transactional_db):
    """Point the connection at a database that cannot be opened: a real driver failure."""
    original = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-tumaini-folder/none.sqlite3"
    else:
        connection.settings_dict["PORT"] = "1"  # nothing listens there
    yield
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(original)


def test_healthz_when_the_database_is_down_is_503(client, database_unreachable):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["database"]["ok"] is False
    assert body["database"]["error"] == "OperationalError"
    assert body["task_queue"]["ok"] is False
    assert "no-store" in response["Cache-Control"]
    # The driver's message (which names the server and the user) stays out of the answer.
    assert "nonexistent-tumaini-folder" not in response.content.decode()
    assert "127.0.0.1" not in response.content.decode()
