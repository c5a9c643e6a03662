"""Admission, transfer and discharge through the pages, with the rules that protect survivors:
a bed that fits (sex, age group, access), one bed per survivor, one survivor per bed, dates that
make sense. Each refusal shows next to its field, with what was typed kept."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from tests.shelter.builders import bed
from tests.shelter.conftest import survivor_case
from tests.testapp.helpers import case_section, sign_in
from tumaini.core.models import AuditEvent
from tumaini.people.enums import Disability, Gender
from tumaini.shelter.enums import DischargeDestination, DischargeReason, StayEnd
from tumaini.shelter.models import Stay, WaitingEntry
from tumaini.shelter.services import stay_admit

pytestmark = pytest.mark.django_db


def _admit_url(facility):
    return f"/staff/shelter/{facility.public_id}/admit/"


def _admit(client, facility, case_number, bed_obj, admitted_on, **extra):
    return client.post(
        _admit_url(facility),
        {
            "case_number": case_number,
            "bed": str(bed_obj.public_id),
            "admitted_on": admitted_on.isoformat(),
            **extra,
        },
    )


def _field_error(page: str, field: str, text: str) -> bool:
    """The message sits in the field's own group (the form renderer puts errors beside it)."""
    start = page.find(f'id="id_{field}_error"')
    if start == -1:
        start = page.find(f'id="id_{field}"')
    window = page[max(start - 1500, 0) : start + 1500]
    return start != -1 and text in window


def test_admit_by_case_number_puts_survivor_in_bed(client, manager, facility, adult_case, days_ago):
    response = _admit(
        sign_in(client, manager),
        facility,
        "tum 26 aaaa aa",
        bed(facility, "Women"),
        days_ago(2),
        expected_leave_on=(days_ago(2) + timedelta(days=90)).isoformat(),
    )
    assert response.status_code == 302
    stay = Stay.objects.get(case=adult_case)
    assert (stay.bed, stay.admitted_on, stay.ended_on) == (
        bed(facility, "Women"),
        days_ago(2),
        None,
    )
    assert AuditEvent.objects.filter(
        object_type="shelter.stay", object_id=str(stay.public_id)
    ).exists()
    board = client.get(response["Location"]).content.decode()
    assert "Wanjiru Kamau (TUM-26-AAAA-AA) admitted to Women · 1." in board
    assert "TUM-26-AAAA-AA" in board


def test_admit_htmx_answers_with_the_refreshed_board(client, manager, facility, adult_case, today):
    sign_in(client, manager)
    response = client.post(
        _admit_url(facility),
        {
            "case_number": "TUM-26-AAAA-AA",
            "bed": str(bed(facility, "Women").public_id),
            "admitted_on": today.isoformat(),
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#occupancy-board"
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="occupancy-board"')
    assert "<html" not in page
    assert "1 of 7 beds occupied, 6 free." in page


def test_admit_unknown_case_number_message_beside_field(
    client, manager, facility, adult_case, today
):
    response = _admit(
        sign_in(client, manager), facility, "TUM-26-ZZZZ-ZZ", bed(facility, "Women"), today
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert _field_error(page, "case_number", "No case with this number in your organisation.")
    assert 'value="TUM-26-ZZZZ-ZZ"' in page
    assert not Stay.objects.exists()


def test_admit_case_of_other_organisation_is_not_found(client, personas, manager, facility, today):
    from tests.cases.builders_casefile import make_case

    make_case(organisation=personas.org_b, case_number="TUM-26-BBBB-BB")
    response = _admit(
        sign_in(client, manager), facility, "TUM-26-BBBB-BB", bed(facility, "Women"), today
    )
    assert "No case with this number in your organisation." in response.content.decode()
    assert not Stay.objects.exists()


def test_admit_child_into_adult_only_room_refused_beside_bed(
    client, manager, facility, child_case, today
):
    response = _admit(
        sign_in(client, manager), facility, "TUM-26-CCCC-CC", bed(facility, "Women"), today
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert _field_error(page, "bed", "Women is for adults only, and the survivor is a child.")
    assert 'value="TUM-26-CCCC-CC"' in page
    assert not Stay.objects.exists()


def test_admit_child_into_children_room_works(client, manager, facility, child_case, today):
    _admit(sign_in(client, manager), facility, "TUM-26-CCCC-CC", bed(facility, "Girls"), today)
    assert Stay.objects.get(case=child_case).bed == bed(facility, "Girls")


def test_admit_adult_into_children_room_refused(client, manager, facility, adult_case, today):
    page = _admit(
        sign_in(client, manager), facility, "TUM-26-AAAA-AA", bed(facility, "Girls"), today
    ).content.decode()
    assert "Girls is for children only, and the survivor is an adult." in page


def test_admit_man_into_women_room_refused(client, personas, manager, facility, today):
    survivor_case(personas, gender=Gender.MASCULINE, case_number="TUM-26-MMMM-MM")
    page = _admit(
        sign_in(client, manager), facility, "TUM-26-MMMM-MM", bed(facility, "Women"), today
    ).content.decode()
    assert _field_error(page, "bed", "Women is for women and girls only.")
    assert not Stay.objects.exists()


def test_admit_wheelchair_user_needs_accessible_bed(client, personas, manager, facility, today):
    survivor_case(personas, disability=Disability.PHYSICAL, case_number="TUM-26-DDDD-DD")
    sign_in(client, manager)
    page = _admit(
        client, facility, "TUM-26-DDDD-DD", bed(facility, "Family"), today
    ).content.decode()
    assert "The survivor needs an accessible bed; this one is not." in page
    accessible = bed(facility, "Family", "2")
    accessible.accessible = True
    accessible.save()
    _admit(client, facility, "TUM-26-DDDD-DD", accessible, today)
    assert Stay.objects.get().bed == accessible


def test_admit_taken_bed_refused(client, personas, manager, facility, adult_case, today):
    other = survivor_case(personas, case_number="TUM-26-EEEE-EE")
    stay_admit(actor=manager, case=other, bed=bed(facility, "Women"), admitted_on=today)
    page = _admit(
        sign_in(client, manager), facility, "TUM-26-AAAA-AA", bed(facility, "Women"), today
    ).content.decode()
    # A taken bed is not even offered.
    assert "Select a valid choice" in page
    assert Stay.objects.count() == 1


def test_admit_survivor_who_already_has_a_bed_refused(client, manager, facility, adult_case, today):
    stay_admit(actor=manager, case=adult_case, bed=bed(facility, "Women"), admitted_on=today)
    page = _admit(
        sign_in(client, manager), facility, "TUM-26-AAAA-AA", bed(facility, "Women", "2"), today
    ).content.decode()
    assert _field_error(
        page, "case_number", "This survivor already has a bed: Women · 1 in Safe house test."
    )
    assert Stay.objects.count() == 1


def test_admit_before_case_opened_or_in_future_refused(
    client, manager, facility, adult_case, days_ago, today
):
    sign_in(client, manager)
    page = _admit(
        client, facility, "TUM-26-AAAA-AA", bed(facility, "Women"), days_ago(31)
    ).content.decode()
    assert _field_error(page, "admitted_on", "the admission cannot be earlier")
    page = _admit(
        client, facility, "TUM-26-AAAA-AA", bed(facility, "Women"), today + timedelta(days=1)
    ).content.decode()
    assert _field_error(page, "admitted_on", "This date is in the future.")
    page = _admit(
        client,
        facility,
        "TUM-26-AAAA-AA",
        bed(facility, "Women"),
        today,
        expected_leave_on=(today - timedelta(days=1)).isoformat(),
    ).content.decode()
    assert _field_error(page, "expected_leave_on", "cannot be before the admission")
    assert not Stay.objects.exists()


# --- Transfer -----------------------------------------------------------------------------------


@pytest.fixture
def stay(manager, facility, adult_case, days_ago):
    return stay_admit(
        actor=manager,
        case=adult_case,
        bed=bed(facility, "Women"),
        admitted_on=days_ago(10),
        expected_leave_on=days_ago(3),
    )


def test_transfer_moves_survivor_and_frees_old_bed(client, manager, facility, stay, days_ago):
    response = sign_in(client, manager).post(
        f"/staff/shelter/stays/{stay.public_id}/transfer/",
        {
            "bed": str(bed(facility, "Family").public_id),
            "moved_on": days_ago(1).isoformat(),
            "reason": "Quieter room",
        },
    )
    assert response.status_code == 302
    stay.refresh_from_db()
    assert (stay.ended_on, stay.end, stay.transfer_reason) == (
        days_ago(1),
        StayEnd.TRANSFERRED,
        "Quieter room",
    )
    moved = Stay.objects.get(ended_on__isnull=True)
    assert (moved.bed, moved.admitted_on, moved.started_on, moved.previous) == (
        bed(facility, "Family"),
        days_ago(10),
        days_ago(1),
        stay,
    )


def test_transfer_to_another_facility(client, personas, manager, facility, stay, today):
    from tests.shelter.builders import make_facility
    from tumaini.shelter.enums import RoomAgeGroup, RoomSex

    second = make_facility(
        personas.org_a,
        actor=personas.director,
        name="Second house",
        rooms=[
            {
                "name": "Dada",
                "beds": 1,
                "sex": RoomSex.FEMALE,
                "age_group": RoomAgeGroup.ADULTS_ONLY,
            }
        ],
    )
    sign_in(client, manager).post(
        f"/staff/shelter/stays/{stay.public_id}/transfer/",
        {"bed": str(bed(second, "Dada").public_id), "moved_on": today.isoformat()},
    )
    assert Stay.objects.get(ended_on__isnull=True).facility == second


def test_transfer_before_bed_start_refused_beside_field(client, manager, facility, stay, days_ago):
    page = (
        sign_in(client, manager)
        .post(
            f"/staff/shelter/stays/{stay.public_id}/transfer/",
            {
                "bed": str(bed(facility, "Family").public_id),
                "moved_on": days_ago(11).isoformat(),
                "reason": "kept text",
            },
        )
        .content.decode()
    )
    assert _field_error(page, "moved_on", "the move cannot be earlier")
    assert "kept text" in page
    assert Stay.objects.get().ended_on is None


def test_transfer_child_to_adult_room_refused(client, manager, facility, child_case, today):
    stay = stay_admit(actor=manager, case=child_case, bed=bed(facility, "Girls"), admitted_on=today)
    page = (
        sign_in(client, manager)
        .post(
            f"/staff/shelter/stays/{stay.public_id}/transfer/",
            {"bed": str(bed(facility, "Women", "2").public_id), "moved_on": today.isoformat()},
        )
        .content.decode()
    )
    assert _field_error(page, "bed", "Women is for adults only, and the survivor is a child.")
    assert Stay.objects.get().bed == bed(facility, "Girls")


# --- Discharge ----------------------------------------------------------------------------------


def _discharge(client, stay, left_on, headers=None, **extra):
    return client.post(
        f"/staff/shelter/stays/{stay.public_id}/discharge/",
        {
            "left_on": left_on.isoformat(),
            "reason": DischargeReason.PLAN_COMPLETED,
            "destination": DischargeDestination.HOME_FAMILY,
            **extra,
        },
        **(headers or {}),
    )


def test_discharge_records_reason_destination_and_frees_bed(client, manager, facility, stay, today):
    response = _discharge(sign_in(client, manager), stay, today, notes="Back with her aunt")
    assert response.status_code == 302
    stay.refresh_from_db()
    assert (
        stay.ended_on,
        stay.end,
        stay.discharge_reason,
        stay.destination,
        stay.discharge_notes,
    ) == (
        today,
        StayEnd.DISCHARGED,
        DischargeReason.PLAN_COMPLETED,
        DischargeDestination.HOME_FAMILY,
        "Back with her aunt",
    )
    board = client.get(response["Location"]).content.decode()
    assert "0 of 7 beds occupied, 7 free." in board


def test_discharge_before_admission_refused_beside_field(client, manager, stay, days_ago):
    page = _discharge(
        sign_in(client, manager), stay, days_ago(11), notes="typed notes"
    ).content.decode()
    assert _field_error(page, "left_on", "they cannot leave before that")
    assert "typed notes" in page
    assert Stay.objects.get().ended_on is None


def test_discharge_of_a_stay_already_ended_says_so(client, manager, facility, stay, today):
    sign_in(client, manager)
    _discharge(client, stay, today)
    response = _discharge(client, stay, today, headers={"HTTP_HX_REQUEST": "true"})
    page = response.content.decode()
    assert response["HX-Retarget"] == "#occupancy-board"
    assert "This stay has already ended; the board has been refreshed." in page
    assert "0 of 7 beds occupied" in page
    response = _discharge(client, stay, today)
    assert response.status_code == 302
    assert "already ended" in client.get(response["Location"]).content.decode()
    assert Stay.objects.get().ended_on == today


def test_discharge_form_page_works_without_javascript(client, manager, stay):
    page = (
        sign_in(client, manager)
        .get(f"/staff/shelter/stays/{stay.public_id}/discharge/")
        .content.decode()
    )
    assert "Discharge Wanjiru Kamau (TUM-26-AAAA-AA) from Women · 1" in page
    assert "Back to the board of Safe house test" in page


def test_board_marks_overstay(client, manager, facility, stay):
    page = sign_in(client, manager).get(f"/staff/shelter/{facility.public_id}/").content.decode()
    assert "3 days over" in page


# --- Database guarantees ------------------------------------------------------------------------


def _raw_stay(stay, **changes):
    values = {
        f.name: getattr(stay, f.name)
        for f in Stay._meta.concrete_fields
        if f.name not in ("id", "public_id", "created_at")
    }
    values.update(changes)
    return Stay(**values)


def test_database_refuses_second_open_stay_for_a_person(facility, stay):
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_stay(stay, bed=bed(facility, "Family"), previous=None).save()


def test_database_refuses_second_open_stay_in_a_bed(personas, facility, stay):
    other = survivor_case(personas, case_number="TUM-26-FFFF-FF")
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_stay(stay, case=other, person=other.person, previous=None).save()


def test_database_refuses_stay_ending_before_it_starts(stay, days_ago):
    with pytest.raises(IntegrityError), transaction.atomic():
        Stay.objects.filter(pk=stay.pk).update(ended_on=days_ago(20))


def test_admission_from_waiting_list_closes_the_request(
    client, personas, manager, facility, adult_case, today
):
    from tumaini.shelter.services import waiting_request

    entry = waiting_request(
        actor=personas.owner, case=adult_case, facility=facility, needed_from=today
    )
    sign_in(client, manager)
    board = client.get(f"/staff/shelter/{facility.public_id}/").content.decode()
    assert "Waiting list" in board and "TUM-26-AAAA-AA" in board
    response = client.post(
        f"/staff/shelter/{facility.public_id}/admit/?waiting={entry.public_id}",
        {"bed": str(bed(facility, "Women").public_id), "admitted_on": today.isoformat()},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "admitted"
    assert entry.stay == Stay.objects.get()
    assert WaitingEntry.objects.filter(status="waiting").count() == 0


def test_backdated_admission_overlapping_an_earlier_stay_refused(
    client, personas, manager, facility, adult_case, days_ago
):
    from tumaini.shelter.services import stay_discharge

    earlier = survivor_case(personas, case_number="TUM-26-HHHH-HH")
    stay = stay_admit(
        actor=manager, case=earlier, bed=bed(facility, "Women"), admitted_on=days_ago(20)
    )
    stay_discharge(
        actor=manager, stay=stay, left_on=days_ago(5), reason="other", destination="other"
    )
    page = _admit(
        sign_in(client, manager), facility, "TUM-26-AAAA-AA", bed(facility, "Women"), days_ago(8)
    ).content.decode()
    assert _field_error(page, "bed", f"This bed was occupied until {days_ago(5).isoformat()}")
    assert (
        _admit(client, facility, "TUM-26-AAAA-AA", bed(facility, "Women"), days_ago(5)).status_code
        == 302
    )


@pytest.mark.parametrize(
    ("destination", "follow_ups"),
    [
        (DischargeDestination.HOME_FAMILY, 4),
        (DischargeDestination.REPATRIATED, 4),
        (DischargeDestination.OTHER_SHELTER, 0),
        (DischargeDestination.ABSCONDED, 0),
    ],
)
def test_leaving_the_shelter_schedules_the_follow_ups(
    client, manager, stay, today, destination, follow_ups
):
    from tumaini.care.models import FollowUp

    _discharge(sign_in(client, manager), stay, today, destination=destination)
    scheduled = FollowUp.objects.filter(case=stay.case).order_by("due_on")
    assert scheduled.count() == follow_ups
    if follow_ups:
        assert [f.months for f in scheduled] == [1, 3, 6, 12]
        assert {f.left_on for f in scheduled} == {today}


def test_a_bed_meets_the_accommodation_need_on_the_case(client, personas, stay, days_ago):
    from tests.cases.builders_workflow import add_assessments
    from tumaini.cases.enums import NeedType
    from tumaini.cases.models import NeedsAssessment

    add_assessments(stay.case, by=personas.owner, identified=(NeedType.ACCOMMODATION,))
    NeedsAssessment.objects.filter(case=stay.case).update(assessed_on=days_ago(12))
    page = sign_in(client, personas.owner).get(case_section(stay.case, "care")).content.decode()
    needs = page[page.index('id="part-care-needs-met"') :]
    assert '<tr class="need-delivered">\n    <th scope="row">Accommodation</th>' in needs
    assert "2 days after it was identified" in needs  # admitted 10 days ago, assessed 12
