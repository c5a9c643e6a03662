"""A thin client for Africa's Talking's SMS API (protocols.md, "Sending SMS").

Our own client instead of the official SDK, which sets no timeouts. Errors raised here carry no
phone number and no message text: they end up in task results shown to the administrator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

LIVE_HOST = "api.africastalking.com"
SANDBOX_HOST = "api.sandbox.africastalking.com"
MESSAGING_PATH = "/version1/messaging"

# Recipient status codes (protocols.md): 100-102 accepted; 401-409 refused for good; 500-502 the
# gateway failed. 500 and 501 are worth another try, 502 (RejectedByGateway) is not.
ACCEPTED_CODES = frozenset({100, 101, 102})
RETRYABLE_RECIPIENT_CODES = frozenset({500, 501})


class ProviderError(Exception):
    """Africa's Talking could not be reached or did not answer as documented."""

    retryable = False
    reason = "provider error"


class ProviderTimeout(ProviderError):
    """No connection, or no answer within the read timeout. The SMS may or may not have gone."""

    retryable = True
    reason = "timeout"


class ProviderUnavailable(ProviderError):
    """A network error or a 5xx answer: worth another try later."""

    retryable = True
    reason = "provider unavailable"


class ProviderRefused(ProviderError):
    """A 4xx answer (401 is a wrong API key or username): retrying cannot cure it."""

    reason = "provider refused the request"


class ProviderReplyMalformed(ProviderError):
    """An answer that is not the documented JSON. Not retried: the SMS may have been accepted."""

    reason = "malformed provider reply"


@dataclass(frozen=True)
class RecipientResult:
    number: str
    status: str
    status_code: int
    message_id: str
    cost: str

    @property
    def accepted(self) -> bool:
        return self.status_code in ACCEPTED_CODES

    @property
    def retryable(self) -> bool:
        return self.status_code in RETRYABLE_RECIPIENT_CODES


@dataclass(frozen=True)
class SendResult:
    message: str
    recipients: tuple[RecipientResult, ...]


class AfricasTalkingClient:
    def __init__(
        self,
        *,
        username: str,
        api_key: str,
        sender_id: str = "",
        sandbox: bool = True,
        connect_timeout: float = 3.0,
        read_timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.username = username
        self.api_key = api_key
        self.sender_id = sender_id
        self.base_url = f"https://{SANDBOX_HOST if sandbox else LIVE_HOST}"
        self.timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        self.transport = transport

    def send_sms(self, *, to: list[str] | str, message: str) -> SendResult:
        numbers = [to] if isinstance(to, str) else list(to)
        form = {
            "username": self.username,
            "to": ",".join(numbers),
            "message": message,
            # Africa's Talking queues on its side and answers at once instead of after delivery.
            "enqueue": "1",
        }
        if self.sender_id:
            form["from"] = self.sender_id
        headers = {"apiKey": self.api_key, "Accept": "application/json"}
        try:
            with httpx.Client(
                base_url=self.base_url, timeout=self.timeout, transport=self.transport
            ) as http:
                response = http.post(MESSAGING_PATH, data=form, headers=headers)
        except httpx.TimeoutException as exc:
            raise ProviderTimeout(
                f"Africa's Talking did not answer in time ({type(exc).__name__})"
            ) from None
        except httpx.TransportError as exc:
            raise ProviderUnavailable(
                f"Africa's Talking unreachable ({type(exc).__name__})"
            ) from None
        if response.status_code >= 500:
            raise ProviderUnavailable(f"Africa's Talking answered HTTP {response.status_code}")
        if response.status_code >= 400:
            raise ProviderRefused(
                f"Africa's Talking refused the request: HTTP {response.status_code}"
            )
        if response.status_code not in (200, 201):
            raise ProviderReplyMalformed(f"unexpected HTTP {response.status_code}")
        return parse_send_reply(response)


def parse_send_reply(response: httpx.Response) -> SendResult:
    try:
        payload = response.json()
    except ValueError:
        raise ProviderReplyMalformed("the reply is not JSON") from None
    try:
        data = payload["SMSMessageData"]
        recipients = tuple(_recipient(item) for item in data["Recipients"])
        summary = str(data.get("Message", ""))
    except (KeyError, TypeError, ValueError) as exc:
        raise ProviderReplyMalformed(
            f"the reply lacks SMSMessageData.Recipients ({type(exc).__name__}: {exc})"
        ) from None
    return SendResult(message=summary[:200], recipients=recipients)


def _recipient(item: Any) -> RecipientResult:
    return RecipientResult(
        number=str(item["number"]),
        status=str(item["status"]),
        status_code=int(item["statusCode"]),
        # A refused recipient comes back with the string "None": no id at all.
        message_id="" if item.get("messageId") in (None, "", "None") else str(item["messageId"]),
        cost=str(item.get("cost") or ""),
    )
