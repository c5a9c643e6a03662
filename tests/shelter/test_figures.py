"""Capacity and occupancy figures: occupied bed-nights over available bed-nights, today and over a
chosen period; the board's htmx fragment; the house log form."""

import pytest
from django.utils import timezone

from tests.shelter.builders import bed
from tests.shelter.conftest import survivor_case
from tests.testapp.helpers import sign_in
from tumaini.shelter.models import Bed, Incident
from tumaini.shelter.services import stay_admit, stay_discharge, stay_transfer

pytestmark = pytest.mark.django_db


def test_figures_count_bed_nights_over_a_period(client, personas, manager, facility, days_ago):
    # 7 beds, all in service for a year. Over the 10 nights days_ago(9)..today: 70 bed-nights.
    first = survivor_case(personas, opened_days_ago=60)
    second = survivor_case(personas, opened_days_ago=60)
    # First: in from days_ago(20), moved on days_ago(5), still there: 10 nights in the period.
    stay = stay_admit(
        actor=manager, case=first, bed=bed(facility, "Women"), admitted_on=days_ago(20)
    )
    stay_transfer(actor=manager, stay=stay, bed=bed(facility, "Family"), moved_on=days_ago(5))
    # Second: days_ago(4) .. days_ago(2): 2 nights.
    other = stay_admit(
        actor=manager, case=second, bed=bed(facility, "Women", "2"), admitted_on=days_ago(4)
    )
    stay_discharge(
        actor=manager, stay=other, left_on=days_ago(2), reason="other", destination="other"
    )
    sign_in(client, manager)
    page = client.get(
        f"/staff/shelter/{facility.public_id}/figures/",
        {"start": days_ago(9).isoformat(), "end": days_ago(0).isoformat()},
    ).content.decode()
    assert '<th scope="row">Available bed-nights</th><td>70</td>' in page
    assert '<th scope="row">Occupied bed-nights</th><td>12</td>' in page
    assert '<th scope="row">Occupancy rate</th><td>17%</td>' in page
    assert '<th scope="row">Admissions</th><td>1</td>' in page
    assert '<th scope="row">Discharges</th><td>1</td>' in page
    assert "1 of 7 beds occupied." in page


def test_figures_count_a_new_bed_from_its_first_day(client, manager, facility, days_ago):
    Bed.objects.filter(room__facility=facility).exclude(room__name="Women", label="1").update(
        in_service=False
    )
    Bed.objects.filter(room__facility=facility).update(in_service_from=days_ago(1))
    page = (
        sign_in(client, manager)
        .get(
            f"/staff/shelter/{facility.public_id}/figures/",
            {"start": days_ago(9).isoformat(), "end": days_ago(0).isoformat()},
        )
        .content.decode()
    )
    assert '<th scope="row">Available bed-nights</th><td>2</td>' in page


def test_figures_period_ending_before_it_starts_shows_message(client, manager, facility, days_ago):
    response = sign_in(client, manager).get(
        f"/staff/shelter/{facility.public_id}/figures/",
        {"start": days_ago(1).isoformat(), "end": days_ago(5).isoformat()},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The end of the period is before its start." in page
    assert f'value="{days_ago(1).isoformat()}"' in page


def test_board_htmx_request_gets_only_the_board_fragment(client, manager, facility):
    response = sign_in(client, manager).get(
        f"/staff/shelter/{facility.public_id}/", HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="occupancy-board"')
    assert "0 of 7 beds occupied, 7 free." in page
    assert "<html" not in page


def test_htmx_form_error_comes_back_in_the_panel(client, manager, facility, adult_case, today):
    response = sign_in(client, manager).post(
        f"/staff/shelter/{facility.public_id}/admit/",
        {
            "case_number": "nonsense",
            "bed": str(bed(facility, "Women").public_id),
            "admitted_on": today.isoformat(),
        },
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200  # htmx swaps only 2xx answers
    assert page.lstrip().startswith('<section class="board-action"')
    assert "No case with this number in your organisation." in page
    assert "HX-Retarget" not in response


def test_house_log_entry_is_recorded_and_encrypted(client, manager, facility, adult_case, today):
    stay = stay_admit(actor=manager, case=adult_case, bed=bed(facility, "Women"), admitted_on=today)
    sign_in(client, manager)
    response = client.post(
        f"/staff/shelter/{facility.public_id}/log/",
        {
            # This minute, local: any fixed hour is in the future early in the day.
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "kind": "security",
            "description": "A car waited outside the gate all night",
            "residents": [str(stay.public_id)],
            "action_taken": "Police liaison called",
        },
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert list(incident.residents.all()) == [stay]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM shelter_incident")
        (raw,) = cursor.fetchone()
    assert "car waited" not in raw
    page = client.get(f"/staff/shelter/{facility.public_id}/log/").content.decode()
    assert "A car waited outside the gate all night" in page
    assert "Wanjiru Kamau (TUM-26-AAAA-AA)" in page


def test_house_log_empty_description_message_beside_field(client, manager, facility, today):
    response = sign_in(client, manager).post(
        f"/staff/shelter/{facility.public_id}/log/",
        {
            "occurred_at": today.isoformat() + "T07:30",
            "kind": "other",
            "description": "   ",
            "action_taken": "kept",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in page or "Say what happened." in page
    assert "kept" in page
    assert not Incident.objects.exists()


def test_board_in_kiswahili(client, manager, facility, adult_case, today):
    stay_admit(actor=manager, case=adult_case, bed=bed(facility, "Women"), admitted_on=today)
    sign_in(client, manager)
    client.post("/i18n/setlang/", {"language": "sw", "next": "/staff/shelter/"})
    page = client.get(f"/staff/shelter/{facility.public_id}/").content.decode()
    assert "Ubao wa vitanda" in page
    assert "Vitanda 1 kati ya 7 vina watu, 6 viko wazi." in page
    assert "Orodha ya kusubiri" in page
    assert "Wanawake na wasichana pekee" in page


def test_shelter_pages_have_no_inline_script_or_style(client, manager, facility, adult_case, today):
    from tests.core.test_csp import assert_no_inline_code

    stay = stay_admit(actor=manager, case=adult_case, bed=bed(facility, "Women"), admitted_on=today)
    sign_in(client, manager)
    for url in (
        "/staff/shelter/",
        f"/staff/shelter/{facility.public_id}/",
        f"/staff/shelter/{facility.public_id}/admit/",
        f"/staff/shelter/{facility.public_id}/figures/",
        f"/staff/shelter/{facility.public_id}/log/",
        f"/staff/shelter/stays/{stay.public_id}/transfer/",
        f"/staff/shelter/stays/{stay.public_id}/discharge/",
    ):
        assert_no_inline_code(client.get(url).content.decode())
