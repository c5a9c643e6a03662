"""A fake of Africa's Talking's SMS API (not of our code): replies shaped as protocols.md documents.

Tests queue replies in `REPLIES`; `transport()` is what `TUMAINI_AT_TRANSPORT` points at, so the real
client inside the real worker talks to it. Every request the client made is kept in `REQUESTS`.
"""

from urllib.parse import parse_qs

import httpx

TRANSPORT_PATH = "tests.messaging.provider.transport"
REPLIES: list = []
REQUESTS: list[httpx.Request] = []


def reset() -> None:
    REPLIES.clear()
    REQUESTS.clear()


def transport() -> httpx.MockTransport:
    return httpx.MockTransport(_answer)


def _answer(request: httpx.Request) -> httpx.Response:
    REQUESTS.append(request)
    if not REPLIES:
        raise AssertionError("the fake provider was called more often than the test expected")
    reply = REPLIES.pop(0)
    return reply(request) if callable(reply) else reply


def form_of(request: httpx.Request) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(request.content.decode()).items()}


def _recipients_reply(recipients: list[dict], summary: str) -> httpx.Response:
    return httpx.Response(
        201, json={"SMSMessageData": {"Message": summary, "Recipients": recipients}}
    )


def accepted(number: str, message_id: str = "ATXid_4f2c9e1b7d", cost: str = "KES 0.8000"):
    return _recipients_reply(
        [
            {
                "statusCode": 101,
                "number": number,
                "status": "Success",
                "cost": cost,
                "messageId": message_id,
            }
        ],
        f"Sent to 1/1 Total Cost: {cost}",
    )


def refused(number: str, status_code: int = 403, status: str = "InvalidPhoneNumber"):
    # The provider really answers messageId "None" and cost "0" for a refused recipient.
    return _recipients_reply(
        [
            {
                "statusCode": status_code,
                "number": number,
                "status": status,
                "cost": "0",
                "messageId": "None",
            }
        ],
        "Sent to 0/1 Total Cost: 0",
    )


def server_error() -> httpx.Response:
    return httpx.Response(500, text="Internal Server Error", headers={"content-type": "text/plain"})


def bad_key() -> httpx.Response:
    return httpx.Response(
        401, text="The supplied authentication is invalid", headers={"content-type": "text/plain"}
    )


def malformed() -> httpx.Response:
    return httpx.Response(
        201, text="<html><body>Gateway</body></html>", headers={"content-type": "text/html"}
    )


def timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)
