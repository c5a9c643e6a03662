"""People and calls for the hotline desk tests: the public-report desk (tests/tips/builders.py) plus a
second agent of the same centre, a counsellor, an analyst and an agent of another organisation."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory
from tumaini.accounts.enums import OrganisationType, Role
from tumaini.hotline import services
from tumaini.hotline.enums import CallCategory, CallerType, CallLanguage
from tumaini.tips.enums import Urgency

SUMMARY = "A cousin of the caller is kept in a house in Eastleigh and made to work without pay."
ADVICE = "Told the caller not to confront the employer; we pass it to the police unit."
CALLER_PHONE = "+254722400311"


@pytest.fixture
def hotline_desk(desk):
    other = OrganisationFactory(name="Other Centre", type=OrganisationType.NGO)

    def user(name, role, organisation=desk.centre):
        return UserFactory(username=name, organisation=organisation, roles=[role])

    return SimpleNamespace(
        **vars(desk),
        agent2=user("hotline2", Role.HOTLINE_AGENT),
        counsellor=user("counsellor", Role.COUNSELLOR),
        analyst=user("analyst", Role.COUNTY_ANALYST),
        other_agent=user("otheragent", Role.HOTLINE_AGENT, other),
        other_centre=other,
    )


def make_call(actor, **overrides):
    fields = {
        "started_at": timezone.now() - timedelta(minutes=30),
        "duration_seconds": 270,
        "caller_type": CallerType.FAMILY,
        "language": CallLanguage.ENGLISH,
        "category": CallCategory.TRAFFICKING_REPORT,
        "urgency": Urgency.HIGH,
        "summary": SUMMARY,
        "advice": ADVICE,
    }
    fields.update(overrides)
    return services.call_log(actor=actor, **fields)
