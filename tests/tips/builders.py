"""People and places for the public-report tests: a receiving centre with hotline staff, a police unit
with its liaison, and a second police unit whose liaison must see nothing."""

from types import SimpleNamespace

import pytest

from tests.factories import OrganisationFactory, UserFactory
from tumaini.accounts.enums import OrganisationType, Role
from tumaini.core.models import County, SubCounty, Ward
from tumaini.tips import services
from tumaini.tips.enums import Channel

WHAT = "Three girls locked in a house near the market, a man takes their phones every night."


@pytest.fixture
def desk(db):
    centre = OrganisationFactory(name="Rescue Centre", type=OrganisationType.LOCAL_GOVERNMENT)
    police_unit = OrganisationFactory(name="AHTCPU", type=OrganisationType.LAW_ENFORCEMENT)
    other_unit = OrganisationFactory(name="Other Police", type=OrganisationType.LAW_ENFORCEMENT)
    county = County.objects.get_or_create(code=47, defaults={"name": "Nairobi"})[0]
    sub_county = SubCounty.objects.get_or_create(
        code=9001, defaults={"name": "Starehe", "county": county}
    )[0]
    ward = Ward.objects.get_or_create(
        code=9101, defaults={"name": "Pangani", "sub_county": sub_county}
    )[0]

    def user(name, role, organisation=centre):
        return UserFactory(username=name, organisation=organisation, roles=[role])

    return SimpleNamespace(
        centre=centre,
        police_unit=police_unit,
        other_unit=other_unit,
        sub_county=sub_county,
        ward=ward,
        hotline=user("hotline", Role.HOTLINE_AGENT),
        supervisor=user("hotsup", Role.HOTLINE_SUPERVISOR),
        director=user("director", Role.DIRECTOR),
        case_manager=user("caseworker", Role.CASE_MANAGER),
        admin=user("admin", Role.SYSTEM_ADMIN),
        police=user("police", Role.LAW_ENFORCEMENT_LIAISON, police_unit),
        other_police=user("police2", Role.LAW_ENFORCEMENT_LIAISON, other_unit),
    )


def make_report(**overrides):
    fields = {"channel": Channel.WEB, "what_happened": WHAT}
    fields.update(overrides)
    return services.report_receive(**fields)
