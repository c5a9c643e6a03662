"""Two admissions racing for the last bed, on PostgreSQL with two real connections: exactly one
survivor gets the bed and the other admission ends with one clear message.

SQLite serialises writers for the whole database (IMMEDIATE transactions), so no such race can
happen there; these tests need PostgreSQL (`DATABASE_URL=postgresql://...`).
"""

import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction

from tests.shelter.builders import bed, make_facility, shelter_manager
from tests.shelter.conftest import survivor_case
from tumaini.shelter.enums import RoomAgeGroup, RoomSex
from tumaini.shelter.models import Stay
from tumaini.shelter.services import ShelterRefused, stay_admit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a race between two connections needs PostgreSQL; SQLite serialises all writers",
    ),
]

ONE_BED = [{"name": "Last", "beds": 1, "sex": RoomSex.ANY, "age_group": RoomAgeGroup.MIXED}]


def _in_thread(target, results, key):
    def run():
        try:
            results[key] = target()
        except Exception as error:  # noqa: BLE001 - the test inspects what each side got
            results[key] = error
        finally:
            connection.close()

    return threading.Thread(target=run)


def test_two_admissions_racing_for_the_last_bed_leave_one_admitted(personas):
    manager = shelter_manager(personas)
    facility = make_facility(personas.org_a, actor=personas.director, rooms=ONE_BED)
    last_bed = bed(facility, "Last")
    cases = [survivor_case(personas), survivor_case(personas)]
    today = cases[0].opened_at.date()
    start = threading.Barrier(2)
    results: dict = {}

    def admit(case):
        def go():
            start.wait()
            return stay_admit(actor=manager, case=case, bed=last_bed, admitted_on=today)

        return go

    threads = [_in_thread(admit(case), results, i) for i, case in enumerate(cases)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    stays = [r for r in results.values() if isinstance(r, Stay)]
    refusals = [r for r in results.values() if isinstance(r, ShelterRefused)]
    assert len(stays) == 1, results
    assert len(refusals) == 1, results
    assert refusals[0].field == "bed"
    assert str(refusals[0]) == (
        "This bed is taken: someone else was just given it. Choose another bed; nothing was saved."
    )
    assert Stay.objects.filter(bed=last_bed, ended_on__isnull=True).count() == 1


def test_database_alone_refuses_a_second_open_stay_in_a_bed_from_another_connection(personas):
    """Without the service's lock, the partial unique index still decides: the second insert waits
    for the first transaction and then fails."""
    manager = shelter_manager(personas)
    facility = make_facility(personas.org_a, actor=personas.director, rooms=ONE_BED)
    last_bed = bed(facility, "Last")
    first, second = survivor_case(personas), survivor_case(personas)
    today = first.opened_at.date()
    inserted = threading.Event()
    results: dict = {}

    def insert(case):
        return Stay.objects.create(
            organisation=personas.org_a,
            facility=facility,
            bed=last_bed,
            case=case,
            person=case.person,
            admitted_on=today,
            started_on=today,
            created_by=manager,
        )

    def holder():
        with transaction.atomic():
            stay = insert(first)
            inserted.set()
            time.sleep(1.0)  # the other connection is now waiting on the index entry
        return stay

    def challenger():
        inserted.wait(timeout=30)
        with transaction.atomic():
            return insert(second)

    threads = [_in_thread(holder, results, "first"), _in_thread(challenger, results, "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert isinstance(results["first"], Stay), results
    assert isinstance(results["second"], IntegrityError), results
    assert "stay_one_open_per_bed" in str(results["second"])
