"""Shelter facilities, their rooms and beds, survivors' stays, the waiting list and the house log.

A stay is one survivor in one bed for a time. Moving to another bed ends the stay ("transferred") and
opens the next one, linked to it, so "who was in which bed on which night" is one table and the
database itself can refuse a second open stay for a person or for a bed (partial unique constraints,
on SQLite and PostgreSQL alike).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tumaini.core.access import ScopeFields
from tumaini.core.fields import EncryptedTextField
from tumaini.shelter.enums import (
    DischargeDestination,
    DischargeReason,
    IncidentKind,
    RoomAgeGroup,
    RoomSex,
    StayEnd,
    WaitingStatus,
)


class Facility(models.Model):
    """A shelter run by an organisation: the shelter side of an accounts `Site` of type shelter.

    The site carries the name everyone may see; the street address is encrypted here and shown only
    to the organisation's shelter managers and directors.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    site = models.OneToOneField(
        "accounts.Site", on_delete=models.PROTECT, related_name="shelter_facility"
    )
    address = EncryptedTextField(_("address"), blank=True)
    is_active = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Optimistic lock of the set-up page (core.services.save_versioned).
    version = models.PositiveIntegerField(default=1)
    scope_fields = ScopeFields(organisation="organisation")

    class Meta:
        ordering = ["site__name"]
        verbose_name_plural = _("facilities")

    def __str__(self) -> str:
        return self.site.name

    @property
    def name(self) -> str:
        return self.site.name


class Room(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(_("name"), max_length=100)
    sex = models.CharField(_("for"), max_length=10, choices=RoomSex.choices, default=RoomSex.ANY)
    age_group = models.CharField(
        _("age group"), max_length=10, choices=RoomAgeGroup.choices, default=RoomAgeGroup.MIXED
    )
    # A narrower age range inside the group, e.g. girls of 12 to 17.
    min_age = models.PositiveSmallIntegerField(_("youngest age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("oldest age"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    scope_fields = ScopeFields(organisation="facility__organisation")

    class Meta:
        ordering = ["facility_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "name"], name="room_unique_name"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=F("max_age")),
                name="room_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Bed(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="beds")
    label = models.CharField(_("bed"), max_length=40)
    accessible = models.BooleanField(_("accessible (wheelchair, ground floor)"), default=False)
    # Out of service (broken, quarantine): not offered and not counted as capacity.
    in_service = models.BooleanField(_("in service"), default=True)
    # Capacity over a period counts a bed from the day it was added.
    in_service_from = models.DateField(_("in service from"))
    scope_fields = ScopeFields(organisation="room__facility__organisation")

    class Meta:
        ordering = ["room_id", "label"]
        constraints = [models.UniqueConstraint(fields=["room", "label"], name="bed_unique_label")]

    def __str__(self) -> str:
        return f"{self.room.name} · {self.label}"


class Stay(models.Model):
    """One survivor in one bed, from `started_on` until `ended_on` (open while it is empty)."""

    access_resource = "shelter_stay"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The facility's organisation: the shelter managers who look after the bed.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="stays")
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="stays")
    # A case's shelter history goes with the case (as its consents do).
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="shelter_stays")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="shelter_stays"
    )
    # The admission this stay belongs to (the same through transfers), and this bed's first night.
    admitted_on = models.DateField(_("admitted on"))
    started_on = models.DateField(_("in this bed since"))
    expected_leave_on = models.DateField(_("expected to leave on"), null=True, blank=True)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next"
    )
    ended_on = models.DateField(_("left on"), null=True, blank=True)
    end = models.CharField(_("ended by"), max_length=15, choices=StayEnd.choices, blank=True)
    transfer_reason = EncryptedTextField(_("why moved"), blank=True)
    discharge_reason = models.CharField(
        _("reason for leaving"), max_length=20, choices=DischargeReason.choices, blank=True
    )
    destination = models.CharField(
        _("destination"), max_length=20, choices=DischargeDestination.choices, blank=True
    )
    discharge_notes = EncryptedTextField(_("discharge notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Shelter staff reach stays through the facility's organisation; case managers through the case.
    scope_fields = ScopeFields(
        owner="case__assigned_to", team="case__team", organisation="organisation"
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            # A survivor never holds two beds; a bed never holds two survivors.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="stay_one_open_per_person",
            ),
            models.UniqueConstraint(
                fields=["bed"], condition=Q(ended_on__isnull=True), name="stay_one_open_per_bed"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="stay_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(started_on__gte=F("admitted_on")), name="stay_starts_after_admission"
            ),
        ]
        indexes = [models.Index(fields=["facility", "ended_on"], name="stay_facility_open")]

    def __str__(self) -> str:
        return f"stay {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class WaitingEntry(models.Model):
    """A request for a bed in a facility, made by the case manager of the case."""

    access_resource = "shelter_waiting"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="waiting")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    needed_from = models.DateField(_("bed needed from"))
    # For the shelter manager (e.g. "needs a ground-floor bed"); not the case narrative.
    note = EncryptedTextField(_("note for the shelter"), blank=True)
    status = models.CharField(
        max_length=10, choices=WaitingStatus.choices, default=WaitingStatus.WAITING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    stay = models.ForeignKey(
        Stay, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scope_fields = ScopeFields(
        owner="case__assigned_to", team="case__team", organisation="organisation"
    )

    class Meta:
        ordering = ["needed_from", "requested_at"]
        verbose_name_plural = _("waiting list entries")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "facility"],
                condition=Q(status="waiting"),
                name="waiting_once_per_facility",
            )
        ]

    def __str__(self) -> str:
        return f"waiting {self.public_id}"


class Incident(models.Model):
    """An entry of a facility's house log."""

    access_resource = "shelter_incident"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="incidents")
    occurred_at = models.DateTimeField(_("when"))
    kind = models.CharField(_("what kind"), max_length=20, choices=IncidentKind.choices)
    description = EncryptedTextField(_("what happened"))
    action_taken = EncryptedTextField(_("action taken"), blank=True)
    residents = models.ManyToManyField(
        Stay, verbose_name=_("residents involved"), blank=True, related_name="incidents"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    scope_fields = ScopeFields(organisation="organisation")

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"incident {self.public_id}"
