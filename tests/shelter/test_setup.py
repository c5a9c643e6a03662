"""Setting up a shelter through its pages: facilities, rooms with their restrictions, beds in and
out of service. Shelter managers and directors of the organisation only; everyone else 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.core.test_csp import assert_no_inline_code
from tests.shelter.builders import bed, make_facility
from tests.shelter.conftest import survivor_case
from tests.shelter.test_access import MATRIX, _user
from tests.testapp.helpers import sign_in
from tumaini.accounts.enums import Role, SiteType
from tumaini.accounts.models import Site
from tumaini.core.models import AuditEvent
from tumaini.people.enums import Disability
from tumaini.shelter.enums import RoomAgeGroup, RoomSex
from tumaini.shelter.models import Bed, Facility, Room
from tumaini.shelter.services import stay_admit

pytestmark = pytest.mark.django_db


def _pages(facility):
    room = Room.objects.get(facility=facility, name="Women")
    one = bed(facility, "Women")
    return {
        "add facility": "/staff/shelter/new/",
        "edit facility": f"/staff/shelter/{facility.public_id}/edit/",
        "rooms": f"/staff/shelter/{facility.public_id}/rooms/",
        "add room": f"/staff/shelter/{facility.public_id}/rooms/add/",
        "edit room": f"/staff/shelter/rooms/{room.public_id}/edit/",
        "add bed": f"/staff/shelter/rooms/{room.public_id}/beds/add/",
        "edit bed": f"/staff/shelter/beds/{one.public_id}/edit/",
    }


@pytest.mark.parametrize(("persona", "status"), MATRIX)
def test_setup_pages_access_matrix(client, personas, manager, facility, persona, status):
    user = _user(personas, persona, manager)
    sign_in(client, user)
    for name, url in _pages(facility).items():
        response = client.get(url)
        page = response.content.decode()
        if name == "add facility" and persona in ("outsider", "other_shelter_manager"):
            # They may add a facility to their own organisation: the form, nothing of ours.
            assert response.status_code == 200, name
            assert "Add a facility" in page and "Safe house test" not in page
            continue
        assert response.status_code == status, name
        if status == 200:
            expected = {
                "add facility": "Add a facility",
                "edit facility": "12 Hidden Lane, Nairobi",
                "rooms": "Rooms and beds of Safe house test",
                "add room": "Add a room to Safe house test",
                "edit room": "Edit room Women",
                "add bed": "Add a bed to room Women",
                "edit bed": "Women · 1",
            }[name]
            assert expected in page, name
        else:
            assert "Safe house test" not in page and "Hidden Lane" not in page, name


@pytest.mark.parametrize(("persona", "status"), MATRIX)
def test_setup_posts_refused_outside_scope(client, personas, manager, facility, persona, status):
    sign_in(client, _user(personas, persona, manager))
    response = client.post(
        f"/staff/shelter/{facility.public_id}/rooms/add/",
        {"name": "Annex", "sex": RoomSex.ANY, "age_group": RoomAgeGroup.MIXED, "beds": 2},
    )
    created = Room.objects.filter(facility=facility, name="Annex").exists()
    assert created is (status == 200)
    assert response.status_code == (302 if status == 200 else 404)


def test_links_shown_to_those_who_may(client, personas, manager, facility):
    for user in (manager, personas.director):
        sign_in(client, user)
        assert "Add a facility" in client.get("/staff/shelter/").content.decode()
        board = client.get(f"/staff/shelter/{facility.public_id}/").content.decode()
        assert "Rooms and beds" in board and "Edit facility" in board


def test_new_facility_with_new_site_appears_on_list_and_board(client, personas, manager):
    sign_in(client, manager)
    response = client.post(
        "/staff/shelter/new/",
        {"site": "", "name": "Tumaini House", "address": "4 Quiet Road", "is_active": "on"},
    )
    facility = Facility.objects.get(site__name="Tumaini House")
    assert response.status_code == 302 and response["Location"].endswith(
        f"/{facility.public_id}/rooms/"
    )
    assert facility.organisation == personas.org_a and facility.address == "4 Quiet Road"
    assert facility.site.type == SiteType.SHELTER and facility.site.is_confidential
    client.post(
        f"/staff/shelter/{facility.public_id}/rooms/add/",
        {
            "name": "Girls",
            "sex": RoomSex.FEMALE,
            "age_group": RoomAgeGroup.CHILDREN_ONLY,
            "min_age": 12,
            "max_age": 17,
            "beds": 3,
        },
    )
    room = Room.objects.get(facility=facility)
    assert (room.min_age, room.max_age, room.beds.count()) == (12, 17, 3)
    listing = client.get("/staff/shelter/").content.decode()
    assert "Tumaini House" in listing and "4 Quiet Road" in listing
    board = client.get(f"/staff/shelter/{facility.public_id}/").content.decode()
    assert "0 of 3 beds occupied, 3 free." in board and "ages 12 to 17" in board
    assert AuditEvent.objects.filter(object_id=str(facility.public_id)).count() >= 2


def test_new_facility_on_an_existing_shelter_site(client, personas):
    site = Site.objects.create(
        organisation=personas.org_a, name="Old Mission", type=SiteType.SHELTER
    )
    sign_in(client, personas.director)
    page = client.get("/staff/shelter/new/").content.decode()
    assert "Old Mission" in page
    client.post("/staff/shelter/new/", {"site": str(site.public_id), "is_active": "on"})
    assert Facility.objects.get(site=site).is_active


def test_add_facility_bad_input_keeps_what_was_typed(client, manager, facility):
    sign_in(client, manager)
    response = client.post("/staff/shelter/new/", {"name": "", "address": "7 Secret Close"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Give the facility a name, or choose a site." in page and "7 Secret Close" in page
    response = client.post(
        "/staff/shelter/new/", {"name": "safe house test", "address": "7 Secret Close"}
    )
    page = response.content.decode()
    assert "Your organisation already has a place with this name." in page
    assert "7 Secret Close" in page
    assert Facility.objects.count() == 1


def test_edit_facility_renames_site_and_closes(client, manager, facility):
    sign_in(client, manager)
    url = f"/staff/shelter/{facility.public_id}/edit/"
    client.post(url, {"name": "Safe house east", "address": "New Lane", "version": 1})
    facility.refresh_from_db()
    assert (facility.name, facility.address, facility.is_active, facility.version) == (
        "Safe house east",
        "New Lane",
        False,
        2,
    )
    assert "closed" in client.get("/staff/shelter/").content.decode()


def test_edit_facility_stale_version_refused_and_kept(client, manager, facility):
    sign_in(client, manager)
    url = f"/staff/shelter/{facility.public_id}/edit/"
    client.post(
        url, {"name": "Safe house test", "address": "First", "is_active": "on", "version": 1}
    )
    response = client.post(
        url, {"name": "Safe house test", "address": "Second", "is_active": "on", "version": 1}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone else changed this record" in page and "Second" in page
    facility.refresh_from_db()
    assert facility.address == "First"


def test_room_bad_age_range_message_next_to_field(client, manager, facility):
    sign_in(client, manager)
    response = client.post(
        f"/staff/shelter/{facility.public_id}/rooms/add/",
        {
            "name": "Teens",
            "sex": RoomSex.ANY,
            "age_group": RoomAgeGroup.MIXED,
            "min_age": 17,
            "max_age": 12,
            "beds": 2,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The oldest age cannot be below the youngest age." in page and 'value="Teens"' in page
    response = client.post(
        f"/staff/shelter/{facility.public_id}/rooms/add/",
        {"name": "women", "sex": RoomSex.ANY, "age_group": RoomAgeGroup.MIXED, "beds": 1},
    )
    assert "This facility already has a room with this name." in response.content.decode()
    assert not Room.objects.filter(name__in=["Teens", "women"]).exists()


def test_room_restriction_change_refused_when_a_resident_would_not_fit(
    client, manager, facility, adult_case, today
):
    stay_admit(actor=manager, case=adult_case, bed=bed(facility, "Women"), admitted_on=today)
    room = Room.objects.get(facility=facility, name="Women")
    sign_in(client, manager)
    response = client.post(
        f"/staff/shelter/rooms/{room.public_id}/edit/",
        {"name": "Women", "sex": RoomSex.MALE, "age_group": RoomAgeGroup.ADULTS_ONLY, "version": 1},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The resident of bed 1 (TUM-26-AAAA-AA) would no longer fit" in page
    assert "is for men and boys only" in page
    room.refresh_from_db()
    assert room.sex == RoomSex.FEMALE
    # A change every resident still fits is saved.
    client.post(
        f"/staff/shelter/rooms/{room.public_id}/edit/",
        {
            "name": "Women (upstairs)",
            "sex": RoomSex.ANY,
            "age_group": RoomAgeGroup.ADULTS_ONLY,
            "version": 1,
        },
    )
    room.refresh_from_db()
    assert (room.name, room.sex, room.version) == ("Women (upstairs)", RoomSex.ANY, 2)


def test_bed_add_and_mark_accessible(client, manager, facility):
    room = Room.objects.get(facility=facility, name="Family")
    sign_in(client, manager)
    client.post(
        f"/staff/shelter/rooms/{room.public_id}/beds/add/", {"label": "3A", "accessible": "on"}
    )
    added = Bed.objects.get(room=room, label="3A")
    assert added.accessible and added.in_service
    response = client.post(f"/staff/shelter/rooms/{room.public_id}/beds/add/", {"label": "3a"})
    assert "This room already has a bed with this label." in response.content.decode()
    page = client.get(f"/staff/shelter/{facility.public_id}/rooms/").content.decode()
    assert "3A" in page


def test_occupied_bed_cannot_be_taken_out_of_service(client, manager, facility, adult_case, today):
    occupied = bed(facility, "Women")
    stay_admit(actor=manager, case=adult_case, bed=occupied, admitted_on=today)
    sign_in(client, manager)
    response = client.post(f"/staff/shelter/beds/{occupied.public_id}/edit/", {"accessible": "on"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone is in this bed: move or discharge them" in page
    occupied.refresh_from_db()
    assert occupied.in_service and not occupied.accessible


def test_free_bed_out_of_service_and_back(client, manager, facility):
    free = bed(facility, "Women", "2")
    sign_in(client, manager)
    url = f"/staff/shelter/beds/{free.public_id}/edit/"
    client.post(url, {})
    free.refresh_from_db()
    assert not free.in_service
    board = client.get(f"/staff/shelter/{facility.public_id}/").content.decode()
    assert "0 of 6 beds occupied, 6 free." in board and "out of service" in board
    client.post(url, {"in_service": "on"})
    free.refresh_from_db()
    assert free.in_service


def test_rooms_page_query_count_does_not_grow_with_rooms(
    client, personas, manager, django_assert_num_queries
):
    sign_in(client, manager)
    counts = []
    for name, rooms in (("One room", 1), ("Three rooms", 3)):
        facility = make_facility(
            personas.org_a,
            actor=personas.director,
            name=name,
            rooms=[{"name": f"R{n}", "beds": 2} for n in range(rooms)],
        )
        url = f"/staff/shelter/{facility.public_id}/rooms/"
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        assert page.count("setup-bed-") == rooms * 2
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_setup_pages_have_no_inline_script_or_style(client, manager, facility):
    sign_in(client, manager)
    for url in _pages(facility).values():
        assert_no_inline_code(client.get(url).content.decode())
    bad = client.post("/staff/shelter/new/", {"name": ""})
    assert_no_inline_code(bad.content.decode())


def test_restriction_refusal_is_shown_next_to_the_changed_field(
    client, manager, facility, adult_case, today
):
    stay_admit(actor=manager, case=adult_case, bed=bed(facility, "Women"), admitted_on=today)
    room = Room.objects.get(facility=facility, name="Women")
    sign_in(client, manager)
    page = client.post(
        f"/staff/shelter/rooms/{room.public_id}/edit/",
        {
            "name": "Women",
            "sex": RoomSex.FEMALE,
            "age_group": RoomAgeGroup.CHILDREN_ONLY,
            "version": 1,
        },
    ).content.decode()
    error = page[page.index('id="id_age_group_error"') :][:400]
    assert "is for children only, and the survivor is an adult" in error


def test_accessible_mark_kept_while_the_resident_needs_it(
    client, personas, manager, facility, today
):
    case = survivor_case(personas, disability=Disability.PHYSICAL, case_number="TUM-26-DDDD-DD")
    family = bed(facility, "Family")
    Bed.objects.filter(pk=family.pk).update(accessible=True)
    stay_admit(actor=manager, case=case, bed=family, admitted_on=today)
    sign_in(client, manager)
    response = client.post(f"/staff/shelter/beds/{family.public_id}/edit/", {"in_service": "on"})
    page = response.content.decode()
    assert response.status_code == 400
    error = page[page.index('id="id_accessible_error"') :][:300]
    assert "The survivor needs an accessible bed" in error
    family.refresh_from_db()
    assert family.accessible


@pytest.mark.parametrize("persona", ["owner", Role.COUNSELLOR, Role.COUNTY_ANALYST, "admin_user"])
def test_add_facility_post_refused_to_other_roles(client, personas, manager, persona):
    sign_in(client, _user(personas, persona, manager))
    response = client.post("/staff/shelter/new/", {"name": "Rogue house", "is_active": "on"})
    assert response.status_code == 404
    assert not Site.objects.filter(name="Rogue house").exists()


def test_stale_rename_refused(client, manager, facility):
    sign_in(client, manager)
    url = f"/staff/shelter/{facility.public_id}/edit/"
    same = {"address": facility.address, "is_active": "on", "version": 1}
    client.post(url, {"name": "Safe house north"} | same)
    response = client.post(url, {"name": "Safe house south"} | same)
    assert "Someone else changed this record" in response.content.decode()
    facility.refresh_from_db()
    assert (facility.name, facility.version) == ("Safe house north", 2)
