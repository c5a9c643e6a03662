"""The Africa's Talking client against a fake of the provider (httpx.MockTransport)."""

import httpx
import pytest

from tests.messaging import provider
from tumaini.messaging.client import (
    AfricasTalkingClient,
    ProviderRefused,
    ProviderReplyMalformed,
    ProviderTimeout,
    ProviderUnavailable,
)

NUMBER = "+254712345678"
TEXT = "Tumaini: we received your report. Reference K7PQ3."


@pytest.fixture(autouse=True)
def _fresh_provider():
    provider.reset()
    yield
    provider.reset()


def make_client(**overrides):
    options = {
        "username": "tumaini",
        "api_key": "atsk_test_key",
        "sender_id": "TUMAINI",
        "sandbox": True,
        "transport": provider.transport(),
    }
    options.update(overrides)
    return AfricasTalkingClient(**options)


def test_send_sms_posts_documented_form_and_parses_accepted_recipient():
    provider.REPLIES.append(provider.accepted(NUMBER, message_id="ATXid_abc123"))

    result = make_client().send_sms(to=NUMBER, message=TEXT)

    (request,) = provider.REQUESTS
    assert request.method == "POST"
    assert str(request.url) == "https://api.sandbox.africastalking.com/version1/messaging"
    assert request.headers["apiKey"] == "atsk_test_key"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert provider.form_of(request) == {
        "username": "tumaini",
        "to": NUMBER,
        "message": TEXT,
        "from": "TUMAINI",
        "enqueue": "1",
    }
    (recipient,) = result.recipients
    assert recipient.accepted and not recipient.retryable
    assert (recipient.number, recipient.status, recipient.status_code) == (NUMBER, "Success", 101)
    assert (recipient.message_id, recipient.cost) == ("ATXid_abc123", "KES 0.8000")
    assert result.message == "Sent to 1/1 Total Cost: KES 0.8000"


def test_send_sms_uses_live_host_and_no_from_when_sandbox_off_and_no_sender_id():
    provider.REPLIES.append(provider.accepted(NUMBER))

    make_client(sandbox=False, sender_id="").send_sms(to=[NUMBER, "+254733000111"], message=TEXT)

    (request,) = provider.REQUESTS
    assert request.url.host == "api.africastalking.com"
    form = provider.form_of(request)
    assert "from" not in form
    assert form["to"] == f"{NUMBER},+254733000111"


def test_send_sms_sets_connect_and_read_timeouts():
    provider.REPLIES.append(provider.accepted(NUMBER))

    make_client(connect_timeout=3, read_timeout=10).send_sms(to=NUMBER, message=TEXT)

    timeouts = provider.REQUESTS[0].extensions["timeout"]
    assert timeouts["connect"] == 3
    assert timeouts["read"] == 10


def test_send_sms_reports_rejected_recipient_without_raising():
    provider.REPLIES.append(provider.refused(NUMBER, 406, "UserInBlacklist"))

    (recipient,) = make_client().send_sms(to=NUMBER, message=TEXT).recipients

    assert not recipient.accepted and not recipient.retryable
    assert (recipient.status_code, recipient.status, recipient.cost) == (
        406,
        "UserInBlacklist",
        "0",
    )


def test_send_sms_http_500_raises_retryable_unavailable():
    provider.REPLIES.append(provider.server_error())

    with pytest.raises(ProviderUnavailable, match="HTTP 500") as caught:
        make_client().send_sms(to=NUMBER, message=TEXT)
    assert caught.value.retryable


def test_send_sms_bad_key_raises_refused_that_is_not_retried():
    provider.REPLIES.append(provider.bad_key())

    with pytest.raises(ProviderRefused, match="HTTP 401") as caught:
        make_client().send_sms(to=NUMBER, message=TEXT)
    assert not caught.value.retryable


def test_send_sms_timeout_raises_provider_timeout_naming_no_number():
    provider.REPLIES.append(provider.timeout)

    with pytest.raises(ProviderTimeout) as caught:
        make_client().send_sms(to=NUMBER, message=TEXT)
    assert caught.value.retryable
    assert "ReadTimeout" in str(caught.value)
    assert "712345678" not in str(caught.value) and "report" not in str(caught.value)


def test_send_sms_connection_failure_raises_retryable_unavailable():
    def refuse_connection(request):
        raise httpx.ConnectError("connection refused", request=request)

    provider.REPLIES.append(refuse_connection)

    with pytest.raises(ProviderUnavailable, match="ConnectError"):
        make_client().send_sms(to=NUMBER, message=TEXT)


@pytest.mark.parametrize(
    "reply",
    [
        provider.malformed(),
        httpx.Response(201, json={"SMSMessageData": {"Message": "Sent to 0/1"}}),
        httpx.Response(201, json={"SMSMessageData": {"Recipients": [{"number": NUMBER}]}}),
        httpx.Response(201, json=["not", "an", "object"]),
    ],
    ids=["html", "no-recipients", "recipient-without-status", "json-list"],
)
def test_send_sms_malformed_reply_raises_malformed(reply):
    provider.REPLIES.append(reply)

    with pytest.raises(ProviderReplyMalformed) as caught:
        make_client().send_sms(to=NUMBER, message=TEXT)
    assert not caught.value.retryable
