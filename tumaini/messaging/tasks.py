"""Background sending of SMS: the web request only queues; the worker talks to the provider."""

from __future__ import annotations

from tumaini.core.tasks import AttemptContext, tumaini_task
from tumaini.messaging.client import ProviderRefused, ProviderReplyMalformed

# Timeouts and 5xx answers are retried (30 s, 60 s, 120 s later); a refusal or a reply we cannot
# read is final at once: retrying a malformed reply might send the SMS twice.
SEND_MAX_ATTEMPTS = 4


@tumaini_task(
    max_attempts=SEND_MAX_ATTEMPTS,
    backoff_seconds=30,
    give_up_on=(ProviderRefused, ProviderReplyMalformed),
    takes_context=True,
)
def send_sms(context: AttemptContext, message_id: int) -> dict:
    from tumaini.messaging.services import sms_deliver

    status = sms_deliver(
        message_id=message_id, attempt=context.attempt, max_attempts=context.max_attempts
    )
    return {"status": status}
