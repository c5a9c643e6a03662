"""Vocabularies of the shelter: who a room is for, how a stay ends, what goes in the house log."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoomSex(models.TextChoices):
    ANY = "any", _("Any sex")
    FEMALE = "female", _("Women and girls only")
    MALE = "male", _("Men and boys only")


class RoomAgeGroup(models.TextChoices):
    # "Mixed" is a family room: a mother with her children.
    MIXED = "mixed", _("Adults and children (family room)")
    ADULTS_ONLY = "adults", _("Adults only")
    CHILDREN_ONLY = "children", _("Children only")


class StayEnd(models.TextChoices):
    TRANSFERRED = "transferred", _("Moved to another bed")
    DISCHARGED = "discharged", _("Discharged")


class DischargeReason(models.TextChoices):
    PLAN_COMPLETED = "plan_completed", _("Shelter part of the care plan completed")
    OWN_CHOICE = "own_choice", _("The survivor chose to leave")
    SAFETY = "safety", _("Safety of the survivor or the house")
    REFERRED = "referred", _("Referred to another service")
    ABSCONDED = "absconded", _("Left without notice")
    OTHER = "other", _("Other")


class DischargeDestination(models.TextChoices):
    HOME_FAMILY = "home_family", _("Home or family")
    OTHER_SHELTER = "other_shelter", _("Another shelter")
    INDEPENDENT = "independent", _("Independent living")
    REPATRIATED = "repatriated", _("Repatriated")
    ABSCONDED = "absconded", _("Unknown (absconded)")
    OTHER = "other", _("Other")


class WaitingStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ADMITTED = "admitted", _("Admitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class IncidentKind(models.TextChoices):
    CONFLICT = "conflict", _("Conflict between residents")
    HEALTH = "health", _("Health emergency")
    SECURITY = "security", _("Security threat")
    ABSCONDING = "absconding", _("Resident left without notice")
    VISITOR = "visitor", _("Visitor or contact problem")
    SELF_HARM = "self_harm", _("Self-harm or risk of it")
    PROPERTY = "property", _("Damage or theft")
    RULES = "rules", _("House rules broken")
    OTHER = "other", _("Other")


# CTDC age bands (domain notes): what the shelter sees instead of a date of birth.
AGE_BANDS = (
    (0, 8, "0–8"),
    (9, 17, "9–17"),
    (18, 20, "18–20"),
    (21, 23, "21–23"),
    (24, 26, "24–26"),
    (27, 29, "27–29"),
    (30, 38, "30–38"),
    (39, 47, "39–47"),
    (48, 200, "48+"),
)


def age_band(age: int | None) -> str:
    if age is None:
        return "?"
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "?"
