from django.db import models
from django.utils.translation import gettext_lazy as _


class CallerType(models.TextChoices):
    SURVIVOR = "survivor", _("Victim or survivor")
    FAMILY = "family", _("Family member")
    COMMUNITY = "community", _("Community member")
    ANONYMOUS = "anonymous", _("Anonymous")
    PARTNER = "partner", _("Partner organisation")
    POLICE = "police", _("Police")
    OTHER = "other", _("Other")


class CallLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    KISWAHILI = "sw", _("Kiswahili")
    OTHER = "other", _("Other")


class CallCategory(models.TextChoices):
    TRAFFICKING_REPORT = "trafficking_report", _("Trafficking report")
    INFORMATION = "information", _("Information request")
    REFERRAL = "referral", _("Referral request")
    FOLLOW_UP = "follow_up", _("Follow-up on a report")
    SILENT = "silent", _("Silent or prank call")
    NOT_RELATED = "not_related", _("Not related")
