"""Who sees the shelter: shelter managers and directors of the organisation; case managers only the
shelter part of their own cases; nobody else (404, with nothing of the page shown)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cases.builders_casefile import owned_case
from tests.factories import UserFactory
from tests.shelter.builders import bed, make_facility
from tests.shelter.conftest import survivor_case
from tests.testapp.helpers import case_section, sign_in
from tumaini.accounts.enums import Role
from tumaini.core.models import AuditEvent
from tumaini.shelter.enums import IncidentKind
from tumaini.shelter.services import incident_record, stay_admit, waiting_request

pytestmark = pytest.mark.django_db

ADDRESS = "12 Hidden Lane, Nairobi"


def _user(personas, persona, manager):
    if persona == "shelter_manager":
        return manager
    if persona == "other_shelter_manager":
        return UserFactory(
            username="other_shelter", organisation=personas.org_b, roles=[Role.SHELTER_MANAGER]
        )
    found = getattr(personas, persona, None)
    if found is not None:
        return found
    return UserFactory(username=f"u-{persona}", organisation=personas.org_a, roles=[persona])


MATRIX = [
    ("shelter_manager", 200),
    ("director", 200),
    ("owner", 404),
    ("teammate", 404),
    (Role.COUNSELLOR, 404),
    (Role.PARTNER_USER, 404),
    (Role.COUNTY_ANALYST, 404),
    ("admin_user", 404),
    ("outsider", 404),
    ("other_shelter_manager", 404),
]


@pytest.fixture
def resident(manager, facility, adult_case, today):
    return stay_admit(actor=manager, case=adult_case, bed=bed(facility, "Women"), admitted_on=today)


# Shelter staff of another organisation have a list of their own (empty here), never ours.
LIST_MATRIX = [
    (persona, 200 if persona in ("outsider", "other_shelter_manager") else status, status == 200)
    for persona, status in MATRIX
]


@pytest.mark.parametrize(("persona", "status", "sees"), LIST_MATRIX)
def test_facility_list_access_matrix(client, personas, manager, facility, persona, status, sees):
    response = sign_in(client, _user(personas, persona, manager)).get("/staff/shelter/")
    page = response.content.decode()
    assert response.status_code == status
    assert ("Safe house test" in page) is sees
    assert (ADDRESS in page) is sees


@pytest.mark.parametrize(("persona", "status"), MATRIX)
def test_board_access_matrix(client, personas, manager, facility, resident, persona, status):
    response = sign_in(client, _user(personas, persona, manager)).get(
        f"/staff/shelter/{facility.public_id}/"
    )
    page = response.content.decode()
    assert response.status_code == status
    if status == 200:
        assert "Wanjiru Kamau" in page and "TUM-26-AAAA-AA" in page
        assert ADDRESS in page
    else:
        assert "Wanjiru" not in page and "TUM-26-AAAA-AA" not in page and ADDRESS not in page


@pytest.mark.parametrize(("persona", "status"), MATRIX)
def test_figures_access_matrix(client, personas, manager, facility, resident, persona, status):
    response = sign_in(client, _user(personas, persona, manager)).get(
        f"/staff/shelter/{facility.public_id}/figures/"
    )
    assert response.status_code == status
    assert ("Available bed-nights" in response.content.decode()) is (status == 200)


@pytest.mark.parametrize(("persona", "status"), MATRIX)
def test_house_log_access_matrix(client, personas, manager, facility, resident, persona, status):
    incident_record(
        actor=manager,
        facility=facility,
        occurred_at=resident.created_at,
        kind=IncidentKind.VISITOR,
        description="A man asked for her at the gate",
        residents=[resident],
    )
    response = sign_in(client, _user(personas, persona, manager)).get(
        f"/staff/shelter/{facility.public_id}/log/"
    )
    page = response.content.decode()
    assert response.status_code == status
    assert ("A man asked for her at the gate" in page) is (status == 200)
    assert ("Wanjiru Kamau (TUM-26-AAAA-AA)" in page) is (status == 200)


@pytest.mark.parametrize(("persona", "status"), MATRIX)
def test_transfer_and_discharge_forms_access_matrix(
    client, personas, manager, resident, persona, status
):
    sign_in(client, _user(personas, persona, manager))
    for action in ("transfer", "discharge"):
        response = client.get(f"/staff/shelter/stays/{resident.public_id}/{action}/")
        assert response.status_code == status
        assert ("TUM-26-AAAA-AA" in response.content.decode()) is (status == 200)


@pytest.mark.parametrize(("persona", "status"), MATRIX)
def test_admit_form_access_matrix(client, personas, manager, facility, persona, status):
    response = sign_in(client, _user(personas, persona, manager)).get(
        f"/staff/shelter/{facility.public_id}/admit/"
    )
    assert response.status_code == status
    assert ("Admit a survivor" in response.content.decode()) is (status == 200)


@pytest.mark.parametrize(
    "persona", ["owner", "teammate", Role.COUNSELLOR, "admin_user", "outsider"]
)
def test_discharge_post_refused_outside_shelter_roles(
    client, personas, manager, resident, persona, today
):
    response = sign_in(client, _user(personas, persona, manager)).post(
        f"/staff/shelter/stays/{resident.public_id}/discharge/",
        {"left_on": today.isoformat(), "reason": "other", "destination": "other"},
    )
    assert response.status_code == 404
    resident.refresh_from_db()
    assert resident.ended_on is None


def test_board_view_is_audited_without_names(client, manager, facility, resident):
    sign_in(client, manager).get(f"/staff/shelter/{facility.public_id}/")
    event = AuditEvent.objects.filter(
        action="view", object_type="shelter.facility", object_id=str(facility.public_id)
    ).first()
    assert event is not None and event.actor_username == "shelter_a"
    assert event.detail["residents"] == 1
    assert "Wanjiru" not in str(event.detail)


def test_board_shows_child_initials_only(client, manager, facility, child_case, today):
    stay_admit(actor=manager, case=child_case, bed=bed(facility, "Girls"), admitted_on=today)
    page = sign_in(client, manager).get(f"/staff/shelter/{facility.public_id}/").content.decode()
    assert "Z. O." in page and "TUM-26-CCCC-CC" in page
    assert "Zawadi" not in page and "Otieno" not in page
    assert "9–17" in page


def test_board_never_shows_case_narrative(client, manager, facility, adult_case, today):
    from tumaini.cases.models import Intake

    Intake.objects.create(
        case=adult_case,
        source="police",
        intake_date=today,
        narrative="Held in a house in Eastleigh by her employer",
        recorded_by=manager,
    )
    stay_admit(actor=manager, case=adult_case, bed=bed(facility, "Women"), admitted_on=today)
    page = sign_in(client, manager).get(f"/staff/shelter/{facility.public_id}/").content.decode()
    assert "Wanjiru Kamau" in page
    assert "Eastleigh" not in page
    # ...and the case page stays closed to the shelter manager.
    assert client.get(case_section(adult_case, "shelter")).status_code == 404


# --- The case page's shelter part ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("owner", True), ("teammate", True), ("director", True)],
)
def test_case_part_shows_bed_without_address(client, personas, manager, resident, persona, sees):
    page = (
        sign_in(client, _user(personas, persona, manager))
        .get(case_section(resident.case, "shelter"))
        .content.decode()
    )
    assert 'id="part-shelter"' in page
    assert "Safe house test — Women · 1" in page
    assert ADDRESS not in page


def test_case_part_of_a_case_elsewhere_in_team_scope_only(
    client, personas, manager, facility, today
):
    # A case of team B (another team of the same organisation? here: nobody's team) is not the
    # owner's: its stay does not show to them, and the case page itself is a 404.
    other = owned_case(
        personas, assigned_to=personas.director, team=None, case_number="TUM-26-GGGG-GG"
    )
    stay_admit(actor=manager, case=other, bed=bed(facility, "Family"), admitted_on=today)
    assert sign_in(client, personas.owner).get(other.get_absolute_url()).status_code == 404


def test_case_manager_requests_a_bed_from_the_case_page(
    client, personas, facility, adult_case, today
):
    sign_in(client, personas.owner)
    page = client.get(case_section(adult_case, "shelter")).content.decode()
    assert "Ask for a shelter bed" in page and "Not in a shelter bed now." in page
    response = client.post(
        f"/staff/shelter/cases/{adult_case.public_id}/request/",
        {
            "facility": str(facility.public_id),
            "needed_from": today.isoformat(),
            "note": "Ground floor",
        },
    )
    assert response.status_code == 302
    page = client.get(case_section(adult_case, "shelter")).content.decode()
    assert "Safe house test, needed from" in page
    # The request is on the facility's waiting list for the shelter manager.
    client.logout()
    board = (
        sign_in(
            client,
            _user(personas, "shelter_manager", None)
            if False
            else UserFactory(
                username="sm2", organisation=personas.org_a, roles=[Role.SHELTER_MANAGER]
            ),
        )
        .get(f"/staff/shelter/{facility.public_id}/")
        .content.decode()
    )
    assert "TUM-26-AAAA-AA" in board and "Ground floor" in board


def test_case_manager_request_twice_refused_beside_field(
    client, personas, facility, adult_case, today
):
    waiting_request(actor=personas.owner, case=adult_case, facility=facility, needed_from=today)
    response = sign_in(client, personas.owner).post(
        f"/staff/shelter/cases/{adult_case.public_id}/request/",
        {"facility": str(facility.public_id), "needed_from": today.isoformat(), "note": "typed"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "already on this facility&#x27;s waiting list" in page
    assert "typed" in page


@pytest.mark.parametrize("persona", ["outsider", "admin_user", Role.COUNSELLOR, "shelter_manager"])
def test_bed_request_refused_to_others(
    client, personas, manager, facility, adult_case, today, persona
):
    response = sign_in(client, _user(personas, persona, manager)).post(
        f"/staff/shelter/cases/{adult_case.public_id}/request/",
        {"facility": str(facility.public_id), "needed_from": today.isoformat()},
    )
    assert response.status_code == 404
    from tumaini.shelter.models import WaitingEntry

    assert not WaitingEntry.objects.exists()


def test_case_part_other_organisation_facility_not_offered(client, personas, facility, adult_case):
    make_facility(personas.org_b, actor=personas.outsider, name="Elsewhere house")
    page = sign_in(client, personas.owner).get(case_section(adult_case, "shelter")).content.decode()
    assert "Safe house test" in page
    assert "Elsewhere house" not in page


# --- N+1 guards ---------------------------------------------------------------------------------


def _admit_residents(personas, manager, facility, labels, today):
    for label in labels:
        case = survivor_case(personas)
        stay_admit(actor=manager, case=case, bed=bed(facility, "Women", label), admitted_on=today)
        waiting_request(
            actor=personas.owner, case=survivor_case(personas), facility=facility, needed_from=today
        )


def test_board_same_query_count_for_1_and_3_residents(client, personas, manager, facility, today):
    _admit_residents(personas, manager, facility, ["1"], today)
    sign_in(client, manager)
    url = f"/staff/shelter/{facility.public_id}/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).content.decode().count('class="bed-occupied"') == 1
    _admit_residents(personas, manager, facility, ["2", "3"], today)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).content.decode().count('class="bed-occupied"') == 3
    assert len(three) == len(one)


def test_facility_list_same_query_count_for_1_and_3_facilities(client, personas, manager, facility):
    sign_in(client, manager)
    client.get("/staff/shelter/")
    with CaptureQueriesContext(connection) as one:
        client.get("/staff/shelter/")
    make_facility(personas.org_a, actor=personas.director, name="House two")
    make_facility(personas.org_a, actor=personas.director, name="House three")
    with CaptureQueriesContext(connection) as three:
        page = client.get("/staff/shelter/").content.decode()
    assert "House two" in page and "House three" in page
    assert len(three) == len(one)


def test_house_log_same_query_count_for_1_and_3_entries(client, manager, facility, resident):
    def add():
        incident_record(
            actor=manager,
            facility=facility,
            occurred_at=resident.created_at,
            kind=IncidentKind.CONFLICT,
            description="Argument over the kitchen",
            residents=[resident],
        )

    add()
    sign_in(client, manager)
    url = f"/staff/shelter/{facility.public_id}/log/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add()
    add()
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).content.decode().count("Argument over the kitchen") == 3
    assert len(three) == len(one)


def test_case_part_shows_history_after_move_and_discharge(
    client, personas, manager, facility, resident, today
):
    from tumaini.shelter.services import stay_discharge, stay_transfer

    moved = stay_transfer(actor=manager, stay=resident, bed=bed(facility, "Family"), moved_on=today)
    stay_discharge(
        actor=manager, stay=moved, left_on=today, reason="own_choice", destination="repatriated"
    )
    page = (
        sign_in(client, personas.owner).get(case_section(resident.case, "shelter")).content.decode()
    )
    assert "Earlier stays" in page
    assert "Moved to another bed" in page
    assert "Discharged: Repatriated (The survivor chose to leave)" in page
    assert "Not in a shelter bed now." in page


def test_case_manager_withdraws_the_request(client, personas, facility, adult_case, today):
    entry = waiting_request(
        actor=personas.owner, case=adult_case, facility=facility, needed_from=today
    )
    response = sign_in(client, personas.owner).post(
        f"/staff/shelter/waiting/{entry.public_id}/withdraw/"
    )
    assert response["Location"].endswith("#part-shelter")
    entry.refresh_from_db()
    assert entry.status == "withdrawn"


@pytest.mark.parametrize("persona", ["outsider", "admin_user", Role.COUNSELLOR])
def test_withdraw_request_refused_to_others(
    client, personas, manager, facility, adult_case, today, persona
):
    entry = waiting_request(
        actor=personas.owner, case=adult_case, facility=facility, needed_from=today
    )
    response = sign_in(client, _user(personas, persona, manager)).post(
        f"/staff/shelter/waiting/{entry.public_id}/withdraw/"
    )
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.status == "waiting"


def test_home_panel_shows_beds_to_shelter_staff_only(client, personas, manager, facility, resident):
    page = sign_in(client, manager).get("/staff/").content.decode()
    assert "Shelter beds tonight" in page
    assert "Safe house test</a>: 1 of 7 beds occupied, 6 free." in page
    client.logout()
    page = sign_in(client, personas.owner).get("/staff/").content.decode()
    assert "Shelter beds tonight" not in page
