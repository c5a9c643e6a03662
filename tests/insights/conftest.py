"""Fixtures of the statistics tests: reference data, an analyst, and the dashboard's caseload."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import UserFactory
from tests.insights.builders import survivor
from tumaini.accounts.enums import Role
from tumaini.cases.enums import TraffickingDecision
from tumaini.tips.enums import Channel
from tumaini.tips.services import report_receive

KIBRA, EMBAKASI_EAST = 278, 285  # IEBC constituency codes of two Nairobi sub-counties


@pytest.fixture
def reference(db):
    call_command("load_reference_data", stdout=StringIO())


@pytest.fixture
def analyst(personas):
    return UserFactory(username="analyst", organisation=personas.org_a, roles=[Role.COUNTY_ANALYST])


@pytest.fixture
def caseload(personas, reference, settings):
    """14 survivors of sexual exploitation recruited in Kibra (2 of them children), 6 of domestic
    work in Saudi Arabia recruited in Embakasi East, 3 of forced begging (a small cell), one not a
    victim and one of another organisation."""
    for i in range(12):
        survivor(personas, given_name=f"Akinyi{i}", recruited_in=(47, KIBRA))
    for i in range(2):
        survivor(
            personas,
            given_name=f"Child{i}",
            born=__import__("datetime").date(2012, 5, 1),
            recruited_in=(47, KIBRA),
        )
    for i in range(6):
        survivor(
            personas,
            given_name=f"Wanjiku{i}",
            citizenship="UG",
            exploited_in="SA",
            types=("ForcedLabour",),
            labour=("DomesticWork",),
            sexual=(),
            recruited_in=(47, EMBAKASI_EAST),
        )
    for i in range(3):
        survivor(personas, given_name=f"Beggar{i}", types=("ForcedBegging",), sexual=())
    survivor(personas, given_name="NotVictim", decision=TraffickingDecision.NOT_A_VICTIM)
    survivor(personas, organisation=personas.org_b, given_name="Elsewhere")
    settings.TUMAINI_REPORTS_ORGANISATION = personas.org_a.name
    from tumaini.core.models import SubCounty

    kibra = SubCounty.objects.get(code=KIBRA)
    for _ in range(7):
        report_receive(channel=Channel.SMS, what_happened="Girls kept in a house", sub_county=kibra)
    for _ in range(2):
        report_receive(channel=Channel.WEB, what_happened="A man takes passports")
