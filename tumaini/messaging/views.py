"""Africa's Talking callbacks. They are unsigned, so a secret in the URL says they come from it."""

from __future__ import annotations

import functools
import hmac
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tumaini.messaging.enums import MessageStatus
from tumaini.messaging.services import DeliveryOutcome, sms_delivery_record

logger = logging.getLogger("tumaini.messaging")


def provider_callback(
    view: Callable[..., HttpResponse] | None = None,
    *,
    setting: str = "TUMAINI_AT_CALLBACK_SECRET",
) -> Any:
    """Guard a provider callback: the URL's `secret` must equal the setting, else 404.

    The secret is compared in constant time; an empty setting refuses every call (a deployment that
    forgot it must not accept callbacks at /hooks/africastalking//...). CSRF does not apply (the
    provider has no session) and only POST is accepted. The view is called without `secret`.
    """

    def decorate(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        method_checked = require_POST(func)

        @functools.wraps(func)
        def guarded(request: HttpRequest, *args: Any, secret: str = "", **kwargs: Any) -> Any:
            expected = getattr(settings, setting, "") or ""
            if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
                # Same answer as a URL that does not exist: the secret is not confirmed by probing.
                raise Http404
            return method_checked(request, *args, **kwargs)

        return csrf_exempt(guarded)

    return decorate(view) if view is not None else decorate


@provider_callback
def sms_delivery(request: HttpRequest) -> HttpResponse:
    """Delivery report: `id`, `status`, `phoneNumber`, `networkCode`, `retryCount`, `failureReason`."""
    provider_message_id = request.POST.get("id", "").strip()
    status = MessageStatus.from_provider(request.POST.get("status", ""))
    if not provider_message_id or status is None:
        return HttpResponseBadRequest(
            "id and a known status are required", content_type="text/plain"
        )
    try:
        retry_count = int(request.POST.get("retryCount") or 0)
    except ValueError:
        retry_count = 0
    outcome = sms_delivery_record(
        provider_message_id=provider_message_id,
        status=status,
        retry_count=retry_count,
        failure_reason=request.POST.get("failureReason", "").strip(),
    )
    if outcome == DeliveryOutcome.UNKNOWN:
        # 200 all the same: the provider retries for ten minutes otherwise, to no avail.
        logger.warning("Delivery report for an unknown message id %r", provider_message_id[:100])
    return HttpResponse("OK", content_type="text/plain")
