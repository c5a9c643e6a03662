from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    """HTCDS `prs_Gender`."""

    FEMININE = "Feminine", _("Female")
    MASCULINE = "Masculine", _("Male")
    TRANSGENDER_FEMININE = "TransgenderFeminine", _("Transgender woman")
    TRANSGENDER_MASCULINE = "TransgenderMasculine", _("Transgender man")
    NON_CONFORMING = "NonConforming", _("Gender non-conforming")
    UNKNOWN = "NonSpecifiedUnknown", _("Not specified / unknown")


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    ADDRESS = "address", _("Address")
    OTHER = "other", _("Other")


class IdentityDocumentKind(models.TextChoices):
    NATIONAL_ID = "national_id", _("National ID card")
    PASSPORT = "passport", _("Passport")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    ALIEN_ID = "alien_id", _("Alien / refugee ID")
    WORK_PERMIT = "work_permit", _("Work permit")
    OTHER = "other", _("Other document")


class Disability(models.TextChoices):
    NONE = "none", _("None known")
    PHYSICAL = "physical", _("Physical")
    VISUAL = "visual", _("Visual")
    HEARING = "hearing", _("Hearing")
    INTELLECTUAL = "intellectual", _("Intellectual")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
    MULTIPLE = "multiple", _("Multiple")
    UNKNOWN = "unknown", _("Not known")


class MergeStatus(models.TextChoices):
    PENDING = "pending", _("Merged, can still be undone")
    CONFIRMED = "confirmed", _("Merge confirmed")
    UNDONE = "undone", _("Merge undone")
