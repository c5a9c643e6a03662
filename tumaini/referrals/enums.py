"""Vocabularies of referrals: statuses, urgency and its deadline, and what may be shared."""

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses from which each transition may start (one service per transition, services.py).
OPEN_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED, ReferralStatus.ACCEPTED)
FINAL_STATUSES = (ReferralStatus.DECLINED, ReferralStatus.COMPLETED, ReferralStatus.CANCELLED)
# Waiting for the partner to say they have it: the SLA clock runs.
AWAITING_ACKNOWLEDGEMENT = (ReferralStatus.SENT,)


class ReferralUrgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    URGENT = "urgent", _("Urgent")
    ROUTINE = "routine", _("Routine")


# The one table of service levels: how soon a partner must acknowledge a referral once it is sent.
ACKNOWLEDGE_WITHIN: dict[str, timedelta] = {
    ReferralUrgency.EMERGENCY: timedelta(hours=2),
    ReferralUrgency.URGENT: timedelta(days=1),
    ReferralUrgency.ROUTINE: timedelta(days=5),
}


class SlaState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not sent yet")
    ON_TIME = "on_time", _("On time")
    OVERDUE = "overdue", _("Acknowledgement overdue")
    MET = "met", _("Acknowledged in time")
    MISSED = "missed", _("Acknowledged late")
    STOPPED = "stopped", _("No longer waiting")


class SharedField(models.TextChoices):
    """The declared list of what a referral may share, chosen field by field (see sharing.py).

    The reason is always shared: it is what the referral asks for.
    """

    FIRST_NAME = "first_name", _("First name")
    FULL_NAME = "full_name", _("Full name")
    AGE = "age", _("Age")
    SEX = "sex", _("Sex / gender")
    CHILD = "child", _("Is a child")
    NATIONALITY = "nationality", _("Nationality")
    LANGUAGES = "languages", _("Languages")
    PHONE = "phone", _("Phone number")
    NEEDS = "needs", _("Identified needs")
    RISK_LEVEL = "risk_level", _("Risk level")


class LinkDelivery(models.TextChoices):
    SMS = "sms", _("Sent by SMS")
    SHOWN = "shown", _("Shown once to the referring staff member")


class IncomingStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CASE_OPENED = "case_opened", _("Case opened")
