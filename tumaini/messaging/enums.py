from django.db import models
from django.utils.translation import gettext_lazy as _


class MessagePurpose(models.TextChoices):
    """Why a message is sent: the only thing about its content that stays readable in the database."""

    REPORT_ACK = "report_ack", _("report acknowledgement")
    APPOINTMENT_REMINDER = "appointment_reminder", _("appointment reminder")
    REFERRAL_LINK = "referral_link", _("referral link for a partner")


class MessageStatus(models.TextChoices):
    """Our own `queued` and `error`, and the statuses Africa's Talking reports."""

    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    SUBMITTED = "submitted", _("submitted")
    BUFFERED = "buffered", _("buffered")
    REJECTED = "rejected", _("rejected")
    SUCCESS = "success", _("delivered")
    FAILED = "failed", _("failed")
    ERROR = "error", _("error")

    @classmethod
    def rank(cls, status: str) -> int:
        """How far along a message is: a status may only be replaced by a higher-ranked one."""
        return _RANK[status]

    @classmethod
    def from_provider(cls, value: str) -> "MessageStatus | None":
        """Africa's Talking spells statuses capitalised ("Success"); None for an unknown one."""
        return _PROVIDER_STATUSES.get((value or "").strip().lower())


_RANK = {
    MessageStatus.QUEUED: 0,
    MessageStatus.SENT: 1,
    MessageStatus.SUBMITTED: 2,
    MessageStatus.BUFFERED: 3,
    # Final: nothing the provider says later moves a message out of these.
    MessageStatus.REJECTED: 4,
    MessageStatus.SUCCESS: 4,
    MessageStatus.FAILED: 4,
    MessageStatus.ERROR: 4,
}

# The statuses a delivery report may carry (protocols.md); our own queued/error never arrive.
_PROVIDER_STATUSES = {
    status.value: status
    for status in (
        MessageStatus.SENT,
        MessageStatus.SUBMITTED,
        MessageStatus.BUFFERED,
        MessageStatus.REJECTED,
        MessageStatus.SUCCESS,
        MessageStatus.FAILED,
    )
}
