"""Sending SMS and recording what Africa's Talking reports about them."""

from __future__ import annotations

import logging
from typing import Any

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.messaging.client import AfricasTalkingClient, ProviderError, ProviderUnavailable
from tumaini.messaging.enums import MessagePurpose, MessageStatus
from tumaini.messaging.models import OutboundMessage
from tumaini.messaging.tasks import send_sms

logger = logging.getLogger("tumaini.messaging")

PHONE_REGION = "KE"
# Six concatenated GSM segments; anything longer is a mistake, not a text message.
BODY_MAX_LENGTH = 918
NOT_CONFIGURED = "not configured"


class DeliveryOutcome(models.TextChoices):
    UPDATED = "updated", _("updated")
    UNCHANGED = "unchanged", _("unchanged (not newer than the recorded status)")
    UNKNOWN = "unknown", _("unknown message id")


def normalise_recipient(value: str) -> str:
    """A Kenyan number typed locally (0712 345678) or internationally, in E.164; else refused."""
    try:
        number = phonenumbers.parse((value or "").strip(), PHONE_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def sms_send(*, to: str, body: str, purpose: str, actor: Any = None) -> OutboundMessage:
    """Record an SMS as queued and queue the task that hands it to Africa's Talking."""
    number = normalise_recipient(to)
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("The message is empty."), code="empty")
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(_("The message is too long for SMS."), code="too_long")
    if purpose not in MessagePurpose.values:
        raise ValidationError(_("Unknown message purpose."), code="purpose")
    with transaction.atomic():
        message = OutboundMessage.objects.create(to=number, body=body, purpose=purpose)
        audit_record(
            action=AuditAction.CREATE, actor=actor, obj=message, detail={"purpose": purpose}
        )
        # The database queue commits the task with the message, or neither. Ids only in arguments.
        send_sms.enqueue(message.pk)
    return message


def provider_client() -> AfricasTalkingClient:
    transport = None
    if settings.TUMAINI_AT_TRANSPORT:
        # Tests put a fake of the provider here; production leaves it empty (real network).
        transport = import_string(settings.TUMAINI_AT_TRANSPORT)()
    return AfricasTalkingClient(
        username=settings.TUMAINI_AT_USERNAME,
        api_key=settings.TUMAINI_AT_API_KEY,
        sender_id=settings.TUMAINI_AT_SENDER_ID,
        sandbox=settings.TUMAINI_AT_SANDBOX,
        connect_timeout=settings.TUMAINI_AT_CONNECT_TIMEOUT,
        read_timeout=settings.TUMAINI_AT_READ_TIMEOUT,
        transport=transport,
    )


def sms_deliver(*, message_id: int, attempt: int = 1, max_attempts: int = 1) -> str:
    """One attempt at handing a queued message to the provider; returns the message's status.

    Raises the ProviderError when another attempt may succeed (the task retries it); on the last
    attempt, or for a refusal retrying cannot cure, the message is marked `error` first.
    """
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return "missing"
        if message.status != MessageStatus.QUEUED:
            # Already handed over (a duplicate run): sending again would text the person twice.
            return message.status
        if not settings.TUMAINI_AT_API_KEY:
            _finish(message, status=MessageStatus.ERROR, failure_reason=NOT_CONFIGURED)
            logger.warning("SMS %s not sent: Africa's Talking is not configured", message.public_id)
            return message.status
        message.attempts += 1
        message.save(update_fields=["attempts", "updated_at"])
    # The HTTP call runs outside any transaction: no row or SQLite write lock is held meanwhile.
    try:
        result = provider_client().send_sms(to=message.to, message=message.body)
        if not result.recipients:
            raise ProviderUnavailable("the reply named no recipient")
        recipient = result.recipients[0]
        if recipient.retryable:
            raise ProviderUnavailable(f"gateway error {recipient.status_code} ({recipient.status})")
    except ProviderError as exc:
        if not exc.retryable or attempt >= max_attempts:
            _finish(message, status=MessageStatus.ERROR, failure_reason=str(exc)[:200])
        raise
    if recipient.accepted:
        _finish(
            message,
            status=MessageStatus.SENT,
            provider_message_id=recipient.message_id,
            cost=recipient.cost,
            sent_at=timezone.now(),
        )
    else:
        # No message id: the provider answers "None" for every refused recipient.
        _finish(
            message,
            status=MessageStatus.REJECTED,
            cost=recipient.cost,
            failure_reason=f"{recipient.status_code} {recipient.status}"[:200],
        )
    return message.status


def _finish(message: OutboundMessage, **changes: Any) -> None:
    # Only a message still queued is changed: a delivery report may already have moved it on.
    changes["updated_at"] = timezone.now()
    OutboundMessage.objects.filter(pk=message.pk, status=MessageStatus.QUEUED).update(**changes)
    for name, value in changes.items():
        setattr(message, name, value)


def sms_delivery_record(
    *,
    provider_message_id: str,
    status: MessageStatus,
    retry_count: int = 0,
    failure_reason: str = "",
) -> DeliveryOutcome:
    """Apply one delivery report. Idempotent, and statuses only move forward."""
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update()
            .filter(provider_message_id=provider_message_id)
            .first()
        )
        if message is None:
            return DeliveryOutcome.UNKNOWN
        if MessageStatus.rank(status) <= MessageStatus.rank(message.status):
            # The same report again, or a late one ("Sent" after "Success"): nothing to do.
            return DeliveryOutcome.UNCHANGED
        message.status = status
        message.retry_count = max(retry_count, 0)
        failed = status in (MessageStatus.FAILED, MessageStatus.REJECTED)
        message.failure_reason = failure_reason[:200] if failed else ""
        message.save(update_fields=["status", "retry_count", "failure_reason", "updated_at"])
    return DeliveryOutcome.UPDATED
