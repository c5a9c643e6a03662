"""Vocabularies of counselling sessions and medical records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionModality(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")
    FAMILY = "family", _("Family")


class SessionTheme(models.TextChoices):
    """A short list, so sessions can be counted by theme without reading a note."""

    TRAUMA = "trauma", _("Trauma")
    ANXIETY = "anxiety", _("Anxiety")
    LOW_MOOD = "low_mood", _("Low mood")
    SLEEP = "sleep", _("Sleep")
    GRIEF = "grief", _("Grief and loss")
    SAFETY = "safety", _("Safety")
    FAMILY = "family", _("Family")
    SELF_ESTEEM = "self_esteem", _("Self-esteem")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    COPING = "coping", _("Coping skills")
    REINTEGRATION = "reintegration", _("Return and reintegration")
    OTHER = "other", _("Other")


class ConditionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RESOLVED = "resolved", _("Resolved")


class ReferralUrgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent (within a day)")
    EMERGENCY = "emergency", _("Emergency (now)")


class ReferralOutcome(models.TextChoices):
    """Blank means the referral is still open: nobody knows yet how it went."""

    ATTENDED = "attended", _("Attended, sent back")
    ADMITTED = "admitted", _("Admitted")
    NOT_ATTENDED = "not_attended", _("Did not attend")
    REFUSED = "refused", _("Refused by the survivor")
    CANCELLED = "cancelled", _("Cancelled")
