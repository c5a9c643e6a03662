"""The demo shelter: two facilities of the demo centre, residents from the demo caseload placed in
beds that fit them, a waiting list and a house log; a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from tumaini.shelter.enums import RoomAgeGroup
from tumaini.shelter.models import Facility, Incident, Stay, WaitingEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEMO_MODE = True
    settings.TUMAINI_DEMO_PASSWORD = "a-demo-password-for-tests"
    call_command("seed_demo", stdout=StringIO())


def _snapshot():
    return {
        "facilities": sorted(Facility.objects.values_list("id", "site__name")),
        "stays": sorted(Stay.objects.values_list("id", "bed_id", "started_on", "ended_on")),
        "waiting": sorted(WaitingEntry.objects.values_list("id", "status")),
        "incidents": Incident.objects.count(),
    }


def test_demo_shelter_has_residents_that_fit_their_beds(seeded):
    facilities = {f.name: f for f in Facility.objects.select_related("site")}
    assert set(facilities) == {"Safe house A (demo)", "Children's house B (demo)"}
    safe_house = facilities["Safe house A (demo)"]
    assert sum(room.beds.count() for room in safe_house.rooms.all()) == 20
    open_stays = Stay.objects.filter(ended_on__isnull=True).select_related("person", "bed__room")
    assert open_stays.count() >= 8
    assert open_stays.filter(person__is_child=True).exists()
    for stay in open_stays:
        if stay.person.is_child:
            assert stay.bed.room.age_group != RoomAgeGroup.ADULTS_ONLY
        else:
            assert stay.bed.room.age_group != RoomAgeGroup.CHILDREN_ONLY
    assert Stay.objects.filter(end="discharged").exists()
    assert Stay.objects.filter(end="transferred").exists()
    assert WaitingEntry.objects.filter(status="waiting").count() >= 2
    assert Incident.objects.filter(facility=safe_house).count() == 3
    assert safe_house.address


def test_demo_shelter_second_run_changes_nothing(seeded):
    before = _snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert _snapshot() == before


def test_demo_shelter_manager_sees_the_board(client, seeded):
    from tests.testapp.helpers import sign_in
    from tumaini.accounts.models import User

    facility = Facility.objects.get(site__name="Safe house A (demo)")
    page = (
        sign_in(client, User.objects.get(username="shelter"))
        .get(f"/staff/shelter/{facility.public_id}/")
        .content.decode()
    )
    assert "Occupancy board" in page and "TUM-26-DEMX-" in page
