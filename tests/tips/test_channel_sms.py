"""Inbound SMS reports at /hooks/africastalking/<secret>/sms/."""

import logging

import pytest

from tumaini.messaging.enums import MessagePurpose, MessageStatus
from tumaini.messaging.models import OutboundMessage
from tumaini.tips.enums import Channel
from tumaini.tips.models import Report

SECRET = "s3cret-callback-7f1d2a"
URL = f"/hooks/africastalking/{SECRET}/sms/"
TEXT = "Wasichana watatu wamefungiwa kwa nyumba karibu na soko, tafadhali saidia"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def callback_secret(settings, desk):
    settings.TUMAINI_AT_CALLBACK_SECRET = SECRET


def sms(**overrides):
    fields = {
        "from": "+254712345678",
        "to": "40123",
        "text": TEXT,
        "date": "2026-11-28 10:15:02",
        "id": "ATXid_inbound_0001",
        "linkId": "",
        "networkCode": "63902",
    }
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


def test_inbound_sms_creates_report_and_queues_acknowledgement(client):
    response = client.post(URL, sms())
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.channel == Channel.SMS
    assert report.what_happened == TEXT
    assert report.reporter_phone == "+254712345678"
    assert report.language == "sw"
    assert report.provider_message_id == "ATXid_inbound_0001"
    message = OutboundMessage.objects.get()
    assert message.to == "+254712345678"
    assert message.purpose == MessagePurpose.REPORT_ACK
    assert message.status == MessageStatus.QUEUED
    assert report.display_reference in message.body
    assert "received your report" in message.body and "Tumepokea ripoti yako" in message.body


def test_inbound_sms_same_id_twice_makes_one_report(client):
    first = client.post(URL, sms())
    second = client.post(URL, sms())
    assert first.status_code == second.status_code == 200
    assert Report.objects.count() == 1
    assert OutboundMessage.objects.count() == 1


def test_inbound_sms_with_silence_word_sends_nothing(client):
    text = "KIMYA. A man is taking girls from the bus stop at night"
    assert client.post(URL, sms(text=text, id="ATXid_2")).status_code == 200
    assert Report.objects.get().what_happened == text
    assert OutboundMessage.objects.count() == 0


def test_inbound_sms_silent_lowercase_sends_nothing(client):
    assert client.post(URL, sms(text="please silent, they watch my phone")).status_code == 200
    assert Report.objects.count() == 1
    assert not OutboundMessage.objects.exists()


@pytest.mark.parametrize("missing", ["from", "text", "id"])
def test_inbound_sms_missing_field_is_400(client, missing):
    response = client.post(URL, sms(**{missing: None}))
    assert response.status_code == 400
    assert not Report.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_inbound_sms_blank_text_is_400(client):
    assert client.post(URL, sms(text="   ")).status_code == 400
    assert not Report.objects.exists()


def test_inbound_sms_wrong_secret_is_404(client):
    response = client.post("/hooks/africastalking/wrong-secret/sms/", sms())
    assert response.status_code == 404
    assert not Report.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_inbound_sms_over_long_text_is_truncated_and_logged(client, caplog):
    with caplog.at_level(logging.WARNING, logger="tumaini.tips.channels"):
        response = client.post(URL, sms(text="x" * 5000))
    assert response.status_code == 200
    assert len(Report.objects.get().what_happened) == 2000
    assert "truncated from 5000 to 2000" in caplog.text


def test_inbound_sms_not_utf8_is_stored_not_500(client):
    body = b"from=%2B254712345678&to=40123&id=ATXid_latin&text=Msichana+%E9%E0+%00nyumba"
    response = client.post(URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.what_happened.startswith("Msichana")
    assert "\x00" not in report.what_happened


def test_inbound_sms_unreplyable_sender_still_stores_report(client):
    # A short code or alphanumeric sender cannot get an SMS; the report must not be lost.
    assert client.post(URL, sms(**{"from": "SAFARICOM"})).status_code == 200
    assert Report.objects.count() == 1
    assert not OutboundMessage.objects.exists()
