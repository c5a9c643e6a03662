"""Facilities, rooms and beds for the shelter tests, built through the shelter's set-up services."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import UserFactory
from tumaini.accounts.enums import Role, SiteType
from tumaini.accounts.models import Site
from tumaini.shelter.enums import RoomAgeGroup, RoomSex
from tumaini.shelter.models import Bed
from tumaini.shelter.services import facility_create, room_create


def shelter_manager(personas, username="shelter_a"):
    return UserFactory(username=username, organisation=personas.org_a, roles=[Role.SHELTER_MANAGER])


def make_facility(
    organisation, *, actor, name="Safe house test", address="12 Hidden Lane, Nairobi", rooms=None
):
    site = Site.objects.create(
        organisation=organisation, name=name, type=SiteType.SHELTER, is_confidential=True
    )
    facility = facility_create(actor=actor, site=site, address=address)
    for room in rooms if rooms is not None else DEFAULT_ROOMS:
        room_create(actor=actor, facility=facility, **room)
    # Beds in service for a while, so that figures over past periods have beds to count.
    Bed.objects.filter(room__facility=facility).update(
        in_service_from=timezone.localdate() - timedelta(days=365)
    )
    return facility


DEFAULT_ROOMS = [
    {"name": "Women", "beds": 3, "sex": RoomSex.FEMALE, "age_group": RoomAgeGroup.ADULTS_ONLY},
    {"name": "Girls", "beds": 2, "sex": RoomSex.FEMALE, "age_group": RoomAgeGroup.CHILDREN_ONLY},
    {"name": "Family", "beds": 2, "sex": RoomSex.ANY, "age_group": RoomAgeGroup.MIXED},
]


def bed(facility, room_name, label="1"):
    return Bed.objects.select_related("room__facility").get(
        room__facility=facility, room__name=room_name, label=label
    )
