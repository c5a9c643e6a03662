"""The exploitation profile: what was done to the survivor, where, and by whom."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from tumaini.cases.enums import RecruiterRelation, TraffickingEventType
from tumaini.core.fields import BlindIndexField, EncryptedCharField, EncryptedTextField


class ExploitationProfile(models.Model):
    """Lists of vocabulary codes (enums.ExploitationType, LabourSector, ...), one profile per case."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="profile")
    exploitation_types = models.JSONField(_("types of exploitation"), default=list, blank=True)
    labour_sectors = models.JSONField(_("labour sectors"), default=list, blank=True)
    sexual_exploitation_types = models.JSONField(
        _("types of sexual exploitation"), default=list, blank=True
    )
    means_of_control = models.JSONField(_("means of control"), default=list, blank=True)
    recruiter_relation = models.CharField(
        _("recruiter was"), max_length=20, choices=RecruiterRelation.choices, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"profile of {self.case_id}"


class TraffickingEvent(models.Model):
    """Recruitment, transit or exploitation, with its place and dates (HTCDS trafficking events)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("event"), max_length=20, choices=TraffickingEventType.choices)
    country = models.ForeignKey(
        "core.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        "core.County",
        verbose_name=_("county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sub_county = models.ForeignKey(
        "core.SubCounty",
        verbose_name=_("sub-county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ward = models.ForeignKey(
        "core.Ward",
        verbose_name=_("ward"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place_details = EncryptedTextField(_("place details"), blank=True)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} in {self.country_id}"


class SuspectedPerpetrator(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="perpetrators")
    name = EncryptedCharField(_("name or alias"), max_length=200, blank=True)
    name_index = BlindIndexField(source="name", purpose="perpetrator-name")
    description = EncryptedTextField(_("description"), blank=True)
    phone = EncryptedCharField(_("phone"), max_length=30, blank=True)
    phone_index = BlindIndexField(source="phone", purpose="perpetrator-phone")
    relation = models.CharField(
        _("relation to the survivor"),
        max_length=20,
        choices=RecruiterRelation.choices,
        blank=True,
    )
    nationality = models.ForeignKey(
        "core.Country",
        verbose_name=_("nationality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"suspect on {self.case_id}"
