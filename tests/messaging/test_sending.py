"""sms_send and the send_sms task, run by the real db_worker against a fake of the provider."""

import signal
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.messaging import provider
from tumaini.core import crypto
from tumaini.core.models import AuditEvent
from tumaini.messaging.enums import MessagePurpose, MessageStatus
from tumaini.messaging.models import OutboundMessage
from tumaini.messaging.services import sms_send
from tumaini.messaging.tasks import SEND_MAX_ATTEMPTS

NUMBER = "+254712345678"
TEXT = "Tumaini: we received your report. Reference K7PQ3."

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fake_provider(settings):
    settings.TUMAINI_AT_API_KEY = "atsk_test_key"
    settings.TUMAINI_AT_USERNAME = "tumaini"
    settings.TUMAINI_AT_SANDBOX = True
    settings.TUMAINI_AT_TRANSPORT = provider.TRANSPORT_PATH
    provider.reset()
    yield provider
    provider.reset()


def run_worker():
    """Run the real worker until no task is due, as `manage.py db_worker --batch` does."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command(
            "db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0
        )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def let_backoff_pass():
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
        run_after=timezone.now() - timedelta(seconds=1)
    )


def send_results():
    return list(DBTaskResult.objects.filter(task_path__endswith="send_sms").order_by("enqueued_at"))


def test_sms_send_refuses_invalid_number_and_stores_nothing():
    for bad in ("12345", "not a number", "0712 34", "+254 100", ""):
        with pytest.raises(ValidationError):
            sms_send(to=bad, body=TEXT, purpose=MessagePurpose.REPORT_ACK)
    assert not OutboundMessage.objects.exists()
    assert send_results() == []


def test_sms_send_refuses_unknown_purpose_and_empty_body():
    with pytest.raises(ValidationError):
        sms_send(to=NUMBER, body=TEXT, purpose="marketing")
    with pytest.raises(ValidationError):
        sms_send(to=NUMBER, body="   ", purpose=MessagePurpose.REPORT_ACK)
    assert not OutboundMessage.objects.exists()


def test_sms_send_local_number_is_sent_in_e164_and_recorded_as_sent(fake_provider):
    message = sms_send(to="0712 345678", body=TEXT, purpose=MessagePurpose.REPORT_ACK)
    assert message.status == MessageStatus.QUEUED
    (queued,) = send_results()
    # Only the message's id goes into the task queue, never the number or the text.
    assert queued.args_kwargs["args"] == [message.pk]
    assert AuditEvent.objects.filter(
        object_type="messaging.outboundmessage", object_id=str(message.public_id), action="create"
    ).exists()
    fake_provider.REPLIES.append(fake_provider.accepted(NUMBER, message_id="ATXid_sent1"))

    run_worker()

    (request,) = fake_provider.REQUESTS
    assert fake_provider.form_of(request)["to"] == NUMBER
    assert fake_provider.form_of(request)["message"] == TEXT
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.provider_message_id == "ATXid_sent1"
    assert message.cost == "KES 0.8000"
    assert message.attempts == 1
    assert message.sent_at is not None
    assert [r.status for r in send_results()] == [TaskResultStatus.SUCCESSFUL]
    assert OutboundMessage.objects.get(to_index=crypto.blind_index(NUMBER, purpose="sms-recipient"))


def test_send_sms_retries_after_timeout_and_then_records_sent(fake_provider):
    message = sms_send(to=NUMBER, body=TEXT, purpose=MessagePurpose.APPOINTMENT_REMINDER)
    fake_provider.REPLIES.extend([fake_provider.timeout, fake_provider.accepted(NUMBER)])

    run_worker()
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED  # still waiting for its retry
    assert message.attempts == 1
    first, retry = send_results()
    assert first.status == TaskResultStatus.FAILED
    assert "ProviderTimeout" in first.exception_class_path
    assert retry.status == TaskResultStatus.READY
    assert retry.run_after > timezone.now()

    assert let_backoff_pass() == 1
    run_worker()

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 2
    assert len(fake_provider.REQUESTS) == 2


def test_send_sms_marks_error_after_last_attempt_times_out(fake_provider):
    message = sms_send(to=NUMBER, body=TEXT, purpose=MessagePurpose.REPORT_ACK)
    fake_provider.REPLIES.extend([fake_provider.timeout] * SEND_MAX_ATTEMPTS)

    for _ in range(SEND_MAX_ATTEMPTS):
        run_worker()
        let_backoff_pass()

    message.refresh_from_db()
    assert message.status == MessageStatus.ERROR
    assert "did not answer in time" in message.failure_reason
    assert message.attempts == SEND_MAX_ATTEMPTS
    assert len(fake_provider.REQUESTS) == SEND_MAX_ATTEMPTS
    results = send_results()
    assert len(results) == SEND_MAX_ATTEMPTS  # no attempt after the last one
    assert all(r.status == TaskResultStatus.FAILED for r in results)
    # Task results (shown to the administrator) never carry the number or the text.
    for result in results:
        assert "712345678" not in (result.traceback or "") + str(result.args_kwargs)
        assert "K7PQ3" not in (result.traceback or "")


def test_send_sms_server_error_is_retried(fake_provider):
    message = sms_send(to=NUMBER, body=TEXT, purpose=MessagePurpose.REPORT_ACK)
    fake_provider.REPLIES.extend([fake_provider.server_error(), fake_provider.accepted(NUMBER)])

    run_worker()
    let_backoff_pass()
    run_worker()

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 2


def test_send_sms_refused_recipient_is_recorded_rejected_without_retry(fake_provider):
    first = sms_send(to=NUMBER, body=TEXT, purpose=MessagePurpose.REPORT_ACK)
    second = sms_send(to="+254733000111", body=TEXT, purpose=MessagePurpose.REPORT_ACK)
    fake_provider.REPLIES.extend(
        [
            fake_provider.refused(NUMBER),
            fake_provider.refused("+254733000111", 406, "UserInBlacklist"),
        ]
    )

    run_worker()
    let_backoff_pass()
    run_worker()

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.failure_reason) == (
        MessageStatus.REJECTED,
        "403 InvalidPhoneNumber",
    )
    assert (second.status, second.failure_reason) == (MessageStatus.REJECTED, "406 UserInBlacklist")
    # The provider's "None" message id is not stored (it would collide between messages).
    assert first.provider_message_id == second.provider_message_id == ""
    assert len(fake_provider.REQUESTS) == 2


def test_send_sms_bad_api_key_gives_up_at_once(fake_provider):
    message = sms_send(to=NUMBER, body=TEXT, purpose=MessagePurpose.REPORT_ACK)
    fake_provider.REPLIES.append(fake_provider.bad_key())

    run_worker()
    let_backoff_pass()
    run_worker()

    message.refresh_from_db()
    assert message.status == MessageStatus.ERROR
    assert "HTTP 401" in message.failure_reason
    (result,) = send_results()
    assert result.status == TaskResultStatus.FAILED


def test_send_sms_malformed_reply_is_not_retried(fake_provider):
    message = sms_send(to=NUMBER, body=TEXT, purpose=MessagePurpose.REPORT_ACK)
    fake_provider.REPLIES.append(fake_provider.malformed())

    run_worker()
    let_backoff_pass()
    run_worker()

    message.refresh_from_db()
    assert message.status == MessageStatus.ERROR
    assert "not JSON" in message.failure_reason
    assert len(send_results()) == 1


def test_send_sms_without_api_key_records_not_configured_and_calls_nobody(settings, fake_provider):
    settings.TUMAINI_AT_API_KEY = ""
    message = sms_send(to=NUMBER, body=TEXT, purpose=MessagePurpose.REPORT_ACK)

    run_worker()

    message.refresh_from_db()
    assert message.status == MessageStatus.ERROR
    assert message.failure_reason == "not configured"
    assert message.attempts == 0
    assert fake_provider.REQUESTS == []
    (result,) = send_results()
    assert result.status == TaskResultStatus.SUCCESSFUL


def test_send_sms_task_run_twice_sends_once(fake_provider):
    from tumaini.messaging.tasks import send_sms

    message = sms_send(to=NUMBER, body=TEXT, purpose=MessagePurpose.REPORT_ACK)
    send_sms.enqueue(message.pk)  # a duplicate, as a re-queued task would be
    fake_provider.REPLIES.append(fake_provider.accepted(NUMBER))

    run_worker()

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(fake_provider.REQUESTS) == 1
    assert sorted(r.return_value["status"] for r in send_results()) == ["sent", "sent"]


def test_outbound_message_row_holds_no_plaintext_number_or_text(fake_provider):
    message = sms_send(to=NUMBER, body=TEXT, purpose=MessagePurpose.REPORT_ACK)
    table = OutboundMessage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [message.pk])  # noqa: S608
        row = cursor.fetchone()
    raw = " ".join(str(value) for value in row)
    assert "report_ack" in raw  # control: the plain columns are visible to this search
    for fragment in (NUMBER, "712345678", "712 345 678", TEXT, "K7PQ3", "received your report"):
        assert fragment not in raw, fragment
    assert message.to_index in raw
    assert OutboundMessage.objects.get(pk=message.pk).body == TEXT
