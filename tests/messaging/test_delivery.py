"""Africa's Talking delivery reports at /hooks/africastalking/<secret>/sms-delivery/."""

import logging

import pytest
from django.test import Client

from tumaini.messaging.enums import MessagePurpose, MessageStatus
from tumaini.messaging.models import OutboundMessage

SECRET = "s3cret-callback-7f1d2a"
URL = f"/hooks/africastalking/{SECRET}/sms-delivery/"
MESSAGE_ID = "ATXid_9b8e7d6c5a"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def callback_secret(settings):
    settings.TUMAINI_AT_CALLBACK_SECRET = SECRET


@pytest.fixture
def sent_message():
    return OutboundMessage.objects.create(
        to="+254712345678",
        body="Tumaini: reminder of your appointment on Monday.",
        purpose=MessagePurpose.APPOINTMENT_REMINDER,
        status=MessageStatus.SENT,
        provider_message_id=MESSAGE_ID,
        attempts=1,
    )


def report(status="Success", **extra):
    fields = {
        "id": MESSAGE_ID,
        "status": status,
        "phoneNumber": "+254712345678",
        "networkCode": "63902",
        "retryCount": "0",
    }
    fields.update(extra)
    return fields


def state(message):
    message.refresh_from_db()
    return message.status, message.failure_reason, message.retry_count, message.updated_at


def test_delivery_report_with_right_secret_marks_message_delivered(client, sent_message):
    response = client.post(URL, report("Success"))

    assert response.status_code == 200
    assert response.content == b"OK"
    assert state(sent_message)[:3] == (MessageStatus.SUCCESS, "", 0)


def test_delivery_report_needs_no_csrf_token(sent_message):
    response = Client(enforce_csrf_checks=True).post(URL, report("Submitted"))

    assert response.status_code == 200
    assert state(sent_message)[0] == MessageStatus.SUBMITTED


@pytest.mark.parametrize(
    "secret",
    ["wrong", SECRET[:-1], SECRET + "x", SECRET.upper()],
    ids=["other", "short", "long", "case"],
)
def test_delivery_report_with_wrong_secret_is_404_and_changes_nothing(client, sent_message, secret):
    before = state(sent_message)

    response = client.post(f"/hooks/africastalking/{secret}/sms-delivery/", report("Failed"))

    assert response.status_code == 404
    assert response.content != b"OK"  # the 404 page, not the handler's answer
    assert state(sent_message) == before


def test_delivery_report_when_no_secret_is_configured_is_404(client, settings, sent_message):
    settings.TUMAINI_AT_CALLBACK_SECRET = ""
    before = state(sent_message)

    assert client.post(URL, report("Success")).status_code == 404
    assert client.post("/hooks/africastalking//sms-delivery/", report()).status_code == 404
    assert state(sent_message) == before


def test_delivery_report_by_get_is_405_with_right_secret_and_404_with_wrong(client, sent_message):
    assert client.get(URL, report()).status_code == 405
    assert client.get("/hooks/africastalking/wrong/sms-delivery/").status_code == 404
    assert state(sent_message)[0] == MessageStatus.SENT


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "Success"},
        {"id": MESSAGE_ID},
        {"id": "", "status": "Success"},
        {"id": MESSAGE_ID, "status": "Delivered"},
        {"id": MESSAGE_ID, "status": "queued"},
    ],
    ids=["no-id", "no-status", "blank-id", "unknown-status", "our-own-status"],
)
def test_delivery_report_malformed_is_400_and_changes_nothing(client, sent_message, fields):
    before = state(sent_message)

    response = client.post(URL, fields)

    assert response.status_code == 400
    assert b"required" in response.content
    assert state(sent_message) == before


def test_delivery_report_twice_is_idempotent(client, sent_message):
    assert client.post(URL, report("Success")).status_code == 200
    after_first = state(sent_message)

    response = client.post(URL, report("Success"))

    assert response.status_code == 200
    assert state(sent_message) == after_first  # not even updated_at moved
    assert after_first[0] == MessageStatus.SUCCESS


def test_delivery_report_late_sent_does_not_overwrite_success(client, sent_message):
    client.post(URL, report("Success"))
    delivered = state(sent_message)

    for late in ("Buffered", "Submitted", "Sent", "Failed"):
        assert client.post(URL, report(late)).status_code == 200

    assert state(sent_message) == delivered


def test_delivery_report_moves_forward_through_intermediate_statuses(client, sent_message):
    client.post(URL, report("Submitted"))
    assert state(sent_message)[0] == MessageStatus.SUBMITTED
    client.post(URL, report("Buffered", retryCount="1"))
    assert state(sent_message)[:3] == (MessageStatus.BUFFERED, "", 1)
    client.post(URL, report("Submitted"))  # late
    assert state(sent_message)[0] == MessageStatus.BUFFERED


def test_delivery_report_failed_records_reason_and_provider_retries(client, sent_message):
    response = client.post(URL, report("Failed", retryCount="3", failureReason="AbsentSubscriber"))

    assert response.status_code == 200
    assert state(sent_message)[:3] == (MessageStatus.FAILED, "AbsentSubscriber", 3)


def test_delivery_report_for_unknown_message_answers_200_and_logs_warning(
    client, sent_message, caplog
):
    before = state(sent_message)
    with caplog.at_level(logging.WARNING, logger="tumaini.messaging"):
        response = client.post(URL, report("Success", id="ATXid_neverseen"))

    assert response.status_code == 200
    assert state(sent_message) == before
    assert "unknown message id 'ATXid_neverseen'" in caplog.text
    assert "712345678" not in caplog.text  # the phone number is never logged


def test_provider_callback_reads_the_named_secret_setting(rf, settings):
    from django.http import Http404, HttpResponse

    from tumaini.messaging.views import provider_callback

    settings.TUMAINI_MPESA_CALLBACK_SECRET = "mpesa-secret-42"

    @provider_callback(setting="TUMAINI_MPESA_CALLBACK_SECRET")
    def confirmation(request):
        return HttpResponse("accepted")

    assert confirmation(rf.post("/"), secret="mpesa-secret-42").content == b"accepted"
    with pytest.raises(Http404):
        confirmation(rf.post("/"), secret=SECRET)  # the Africa's Talking secret is not enough
    assert confirmation.csrf_exempt is True
