from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceStatus(models.TextChoices):
    """HSDS 3.0 `service.status`."""

    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class MouStatus(models.TextChoices):
    """Where our memorandum of understanding with a partner stands (internal, never published)."""

    NONE = "none", _("No MoU")
    IN_NEGOTIATION = "in_negotiation", _("In negotiation")
    SIGNED = "signed", _("Signed")
    EXPIRED = "expired", _("Expired")


class LocationType(models.TextChoices):
    """HSDS 3.0 `location.location_type`."""

    PHYSICAL = "physical", _("Physical")
    POSTAL = "postal", _("Postal")
    VIRTUAL = "virtual", _("Virtual")


class PhoneType(models.TextChoices):
    """HSDS 3.0 `phone.type`."""

    VOICE = "voice", _("Voice")
    TEXT = "text", _("Text (SMS)")
    CELL = "cell", _("Mobile")
    FAX = "fax", _("Fax")
    HOTLINE = "hotline", _("Toll-free hotline")


class EligibleSex(models.TextChoices):
    ANY = "any", _("Anyone")
    FEMALE = "female", _("Women and girls only")
    MALE = "male", _("Men and boys only")


class EligibleNationality(models.TextChoices):
    ANY = "any", _("Any nationality")
    KENYAN = "kenyan", _("Kenyan citizens")
    FOREIGN = "foreign", _("Foreign nationals")
    REFUGEE = "refugee", _("Refugees and asylum seekers")
    OWN_NATIONALS = "own_nationals", _("Own nationals (embassy)")
