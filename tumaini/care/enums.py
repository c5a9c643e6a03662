from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceType(models.TextChoices):
    """What a survivor can be offered, in-house or by a partner. The care catalogue, care-plan
    deliveries and the partner directory's taxonomy all use these codes, so "needs met" and
    "which partner offers what" speak the same language."""

    MEDICAL = "medical", _("Medical care")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial counselling")
    LEGAL_AID = "legal_aid", _("Legal aid")
    EDUCATION = "education", _("Education")
    VOCATIONAL = "vocational", _("Vocational training")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    REPATRIATION = "repatriation", _("Repatriation support")
    ECONOMIC = "economic", _("Economic empowerment")
    MATERIAL = "material", _("Material support")
    INTERPRETATION = "interpretation", _("Interpretation")
    SHELTER = "shelter", _("Safe shelter")
    LAW_ENFORCEMENT = "law_enforcement", _("Police and investigation")
    CONSULAR = "consular", _("Consular help and travel documents")


class DeliveryOutcome(models.TextChoices):
    COMPLETED = "completed", _("Delivered as planned")
    PARTLY = "partly", _("Partly delivered")
    NOT_DELIVERED = "not_delivered", _("Not delivered")
    DECLINED = "declined", _("Declined by the survivor")


# A delivery with one of these outcomes counts as "delivered" for needs met.
DELIVERED_OUTCOMES = (DeliveryOutcome.COMPLETED, DeliveryOutcome.PARTLY)


class AppointmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    ATTENDED = "attended", _("Attended")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


class ReminderState(models.TextChoices):
    """What the reminder job did for an appointment (once per appointment)."""

    SENT = "sent", _("SMS reminder queued")
    NO_CONSENT = "no_consent", _("No SMS: no active consent for SMS contact")
    NO_PHONE = "no_phone", _("No SMS: no phone marked safe to use")


class LeavingReason(models.TextChoices):
    """How a survivor left the centre's care; each starts the follow-ups after leaving."""

    DISCHARGED = "discharged", _("Discharged from the shelter")
    REINTEGRATED = "reintegrated", _("Reintegrated")
    REPATRIATED = "repatriated", _("Repatriated")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    HOME_VISIT = "home_visit", _("Home visit")
    OFFICE_VISIT = "office_visit", _("Visit to the office")
    PARTNER = "partner", _("Through a partner organisation")
    OTHER = "other", _("Other")


class Wellbeing(models.TextChoices):
    GOOD = "good", _("Doing well")
    FAIR = "fair", _("Coping")
    POOR = "poor", _("Struggling")
    UNKNOWN = "unknown", _("Not known")


class Safety(models.TextChoices):
    SAFE = "safe", _("Safe")
    AT_RISK = "at_risk", _("At risk")
    UNSAFE = "unsafe", _("Unsafe")
    UNKNOWN = "unknown", _("Not known")


class Livelihood(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Own business")
    IN_TRAINING = "in_training", _("In school or training")
    SUPPORTED = "supported", _("Supported by family or others")
    NONE = "none", _("No income")
    UNKNOWN = "unknown", _("Not known")


class ReTrafficked(models.TextChoices):
    NO = "no", _("No")
    YES = "yes", _("Yes")
    UNKNOWN = "unknown", _("Not known")


# Follow-ups after leaving, in months (domain notes: 1, 3, 6 and 12 months).
FOLLOW_UP_MONTHS = (1, 3, 6, 12)
