"""The partner directory, shaped like Open Referral HSDS 3.0.

An HSDS `organization` is our `accounts.Organisation` plus a `DirectoryProfile` (one per organisation:
what the directory says about it and where our MoU stands). Its `PartnerService`s (HSDS `service`) are
what referrals point to. Locations, phones, contacts and schedules hang off the organisation, a
service or a location as in HSDS. Taxonomy terms are the shared `care.ServiceType` codes.

Public facts (names, descriptions, opening hours, office phones) are plain text: the directory is meant
to be published. Contact persons and street addresses are encrypted: a shelter's address is the most
dangerous fact in the directory, and contact persons are internal.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tumaini.care.enums import ServiceType
from tumaini.core.access import ScopeFields
from tumaini.core.fields import EncryptedCharField
from tumaini.directory.enums import (
    EligibleNationality,
    EligibleSex,
    LocationType,
    MouStatus,
    PhoneType,
    ServiceStatus,
)


class DirectoryProfile(models.Model):
    """What the directory publishes about one organisation (HSDS `organization`), and our MoU."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="directory_profile",
    )
    alternate_name = models.CharField(_("also known as"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    legal_status = models.CharField(_("legal status"), max_length=200, blank=True)
    # Listed in the directory at all (a profile can be drafted before it is shown).
    is_listed = models.BooleanField(_("listed in the directory"), default=True)
    # Internal: never in the HSDS API or the data package.
    mou_status = models.CharField(
        _("MoU status"), max_length=20, choices=MouStatus.choices, default=MouStatus.NONE
    )
    mou_signed_on = models.DateField(_("MoU signed on"), null=True, blank=True)
    mou_expires_on = models.DateField(_("MoU expires on"), null=True, blank=True)
    mou_notes = models.TextField(_("MoU notes"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    scope_fields = ScopeFields(organisation="organisation")

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("directory profile")
        constraints = [
            # A signed or expired MoU was signed on some date.
            models.CheckConstraint(
                condition=~Q(mou_status__in=[MouStatus.SIGNED, MouStatus.EXPIRED])
                | Q(mou_signed_on__isnull=False),
                name="directory_profile_mou_signed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(mou_expires_on__isnull=True)
                | Q(mou_signed_on__isnull=True)
                | Q(mou_expires_on__gte=models.F("mou_signed_on")),
                name="directory_profile_mou_expires_after_signing",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def public_id(self) -> uuid.UUID:
        # The HSDS organization id is the organisation's own public id: one identity, not two.
        return self.organisation.public_id


class PartnerService(models.Model):
    """A service a partner offers (HSDS `service`): what a referral is made to."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="partner_services",
    )
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("also known as"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    url = models.URLField(_("web page"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    eligibility_description = models.TextField(_("who is eligible"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    eligible_sex = models.CharField(
        _("sex"), max_length=10, choices=EligibleSex.choices, default=EligibleSex.ANY
    )
    eligible_nationality = models.CharField(
        _("nationality"),
        max_length=20,
        choices=EligibleNationality.choices,
        default=EligibleNationality.ANY,
    )
    fees_description = models.TextField(_("fees"), blank=True)
    application_process = models.TextField(_("how to refer"), blank=True)
    wait_time = models.CharField(_("waiting time"), max_length=200, blank=True)
    languages = models.ManyToManyField(
        "core.Language", verbose_name=_("languages"), blank=True, related_name="+"
    )
    # Catchment: where the service takes people from (HSDS service_area).
    catchment_counties = models.ManyToManyField(
        "core.County", verbose_name=_("counties served"), blank=True, related_name="+"
    )
    catchment_sub_counties = models.ManyToManyField(
        "core.SubCounty", verbose_name=_("sub-counties served"), blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped by every write to the service or what hangs off it (HSDS `modified_after`).
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    scope_fields = ScopeFields(organisation="organisation")

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("partner service")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="partner_service_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(maximum_age__gte=models.F("minimum_age")),
                name="partner_service_age_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class ServiceTypeTag(models.Model):
    """One taxonomy term on a service (HSDS `attribute`); terms are `care.ServiceType` codes."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        PartnerService, on_delete=models.CASCADE, related_name="service_types"
    )
    service_type = models.CharField(_("service type"), max_length=30, choices=ServiceType.choices)

    class Meta:
        ordering = ["service_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "service_type"], name="service_type_tag_unique"
            )
        ]

    def __str__(self) -> str:
        return self.get_service_type_display()


class Location(models.Model):
    """Where an organisation works (HSDS `location`).

    A confidential location (a shelter; or any location on a confidential accounts `Site`) keeps no
    coordinates at all (a database constraint) and is never published with its address.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="directory_locations",
    )
    site = models.ForeignKey(
        "accounts.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directory_locations",
    )
    name = models.CharField(_("name"), max_length=200)
    location_type = models.CharField(
        _("type"), max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    description = models.TextField(_("description"), blank=True)
    is_confidential = models.BooleanField(_("confidential location"), default=False)
    address_1 = EncryptedCharField(_("street address"), max_length=300, blank=True)
    city = models.CharField(_("town"), max_length=100, blank=True, default="Nairobi")
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    county = models.ForeignKey(
        "core.County", verbose_name=_("county"), null=True, blank=True, on_delete=models.PROTECT
    )
    sub_county = models.ForeignKey(
        "core.SubCounty",
        verbose_name=_("sub-county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    ward = models.ForeignKey(
        "core.Ward", verbose_name=_("ward"), null=True, blank=True, on_delete=models.PROTECT
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    scope_fields = ScopeFields(organisation="organisation")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_confidential=False)
                | Q(latitude__isnull=True, longitude__isnull=True),
                name="directory_location_confidential_no_coordinates",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="directory_location_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="directory_location_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceAtLocation(models.Model):
    """A service offered at a location (HSDS `service_at_location`)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        PartnerService, on_delete=models.CASCADE, related_name="at_locations"
    )
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="services_here")
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["location__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="service_at_location_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service.name} @ {self.location.name}"


class Contact(models.Model):
    """A named person at a partner (HSDS `contact`): internal, never published."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="directory_contacts"
    )
    service = models.ForeignKey(
        PartnerService,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = EncryptedCharField(_("name"), max_length=200)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    email = EncryptedCharField(_("email"), max_length=254, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=30, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    scope_fields = ScopeFields(organisation="organisation")

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title or str(_("contact"))


class Phone(models.Model):
    """A published number of an organisation, a service or a location (HSDS `phone`)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="directory_phones"
    )
    service = models.ForeignKey(
        PartnerService, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(_("number"), max_length=30)
    extension = models.CharField(_("extension"), max_length=10, blank=True)
    type = models.CharField(
        _("type"), max_length=10, choices=PhoneType.choices, default=PhoneType.VOICE
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    scope_fields = ScopeFields(organisation="organisation")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.number


class Schedule(models.Model):
    """Opening hours (HSDS `schedule`, RFC 5545 style): weekly on `byday`, `opens_at`-`closes_at`."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        PartnerService, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    # Comma-separated RFC 5545 day codes, e.g. "MO,TU,WE,TH,FR".
    byday = models.CharField(_("days"), max_length=30)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False) | Q(location__isnull=False),
                name="directory_schedule_belongs",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True, closes_at__isnull=True)
                | Q(opens_at__isnull=False, closes_at__isnull=False),
                name="directory_schedule_both_times",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at}-{self.closes_at}"
