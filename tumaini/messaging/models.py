import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tumaini.core.fields import BlindIndexField, EncryptedCharField, EncryptedTextField
from tumaini.messaging.enums import MessagePurpose, MessageStatus


class OutboundMessage(models.Model):
    """One SMS to one number. The number and the text are encrypted; nothing else names anyone."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    to = EncryptedCharField(_("recipient"), max_length=20)
    # Finds every message sent to a number (E.164) without decrypting them all.
    to_index = BlindIndexField(source="to", purpose="sms-recipient")
    body = EncryptedTextField(_("text"))
    purpose = models.CharField(_("purpose"), max_length=40, choices=MessagePurpose.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MessageStatus.choices,
        default=MessageStatus.QUEUED,
        db_index=True,
    )
    # Africa's Talking's messageId: the key delivery reports are matched (and deduplicated) on.
    provider_message_id = models.CharField(
        _("provider message id"), max_length=100, blank=True, default=""
    )
    cost = models.CharField(_("cost"), max_length=32, blank=True, default="")
    # A provider or client reason code ("InvalidPhoneNumber", "timeout"), never message content.
    failure_reason = models.CharField(_("failure reason"), max_length=200, blank=True, default="")
    # The provider's own delivery retries, as its last delivery report gave them.
    retry_count = models.PositiveIntegerField(_("provider retries"), default=0)
    # Our calls to the provider's API (the task retries on timeouts).
    attempts = models.PositiveSmallIntegerField(_("send attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("handed to the provider"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider_message_id"],
                condition=~Q(provider_message_id=""),
                name="messaging_unique_provider_message_id",
            ),
            models.CheckConstraint(
                condition=Q(status__in=MessageStatus.values),
                name="messaging_outboundmessage_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"SMS {self.public_id} ({self.status})"
