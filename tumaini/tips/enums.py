from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    SMS = "sms", _("SMS")
    USSD = "ussd", _("USSD")
    VOICE = "voice", _("Voice call")
    HOTLINE = "hotline", _("Hotline call")
    WALK_IN = "walk_in", _("Walk-in")
    PARTNER = "partner", _("Partner organisation")


class ReportStatus(models.TextChoices):
    NEW = "new", _("New")
    TRIAGING = "triaging", _("Triaging")
    ESCALATED = "escalated", _("Escalated to law enforcement")
    REFERRED = "referred", _("Referred to a partner")
    LINKED_TO_CASE = "linked_to_case", _("Linked to a case")
    CLOSED = "closed", _("Closed")


# What a reporter following their code is told: plain words, nothing of the report itself.
PUBLIC_STATUS = {
    ReportStatus.NEW: _("Received: your report is waiting to be looked at."),
    ReportStatus.TRIAGING: _("Being looked at by our staff."),
    ReportStatus.ESCALATED: _("Passed to the police or a partner organisation."),
    ReportStatus.REFERRED: _("Passed to the police or a partner organisation."),
    ReportStatus.LINKED_TO_CASE: _("Being looked at by our staff."),
    ReportStatus.CLOSED: _("Closed."),
}


class Urgency(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


# Queue order: most urgent first.
URGENCY_RANK = {Urgency.CRITICAL: 0, Urgency.HIGH: 1, Urgency.NORMAL: 2, Urgency.LOW: 3}


class VictimAges(models.TextChoices):
    UNKNOWN = "unknown", _("Not known")
    ADULT = "adult", _("Adults")
    CHILD = "child", _("Children (under 18)")
    BOTH = "both", _("Adults and children")


class VictimSex(models.TextChoices):
    UNKNOWN = "unknown", _("Not known")
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    MIXED = "mixed", _("Both")


class ClosureReason(models.TextChoices):
    RESOLVED = "resolved", _("Action taken, resolved")
    NOT_TRAFFICKING = "not_trafficking", _("Not trafficking")
    INSUFFICIENT = "insufficient", _("Not enough information to act")
    DUPLICATE = "duplicate", _("Duplicate of another report")
    HOAX = "hoax", _("False or abusive report")
    OTHER = "other", _("Other")
