"""The needs-assessment dashboard: figures equal counts computed here from the fixtures, small cells
are suppressed for the analyst, the map filters by sub-county, and no URL gives the analyst a row."""

import re
import uuid

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import UserFactory
from tests.insights.builders import survivor
from tests.testapp.helpers import sign_in
from tumaini.accounts.enums import Role
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent

pytestmark = pytest.mark.django_db

KIBRA, EMBAKASI_EAST = 278, 285  # IEBC constituency codes of two Nairobi sub-counties


def _cell(body: str, label: str) -> str:
    match = re.search(rf"<th scope=\"row\">{re.escape(label)}</th><td>([^<]*)</td>", body)
    assert match, label
    return match.group(1)


def test_director_sees_exact_figures_of_their_organisation(client, personas, caseload):
    body = sign_in(client, personas.director).get("/staff/insights/").content.decode()
    # Counted here: 12 + 2 + 6 + 3 identified survivors of organisation A (not the non-victim,
    # not organisation B's).
    assert '<dd class="figure-survivors">23</dd>' in body
    assert '<dd class="figure-reports">9</dd>' in body
    assert _cell(body, "Sexual exploitation") == "14"
    assert _cell(body, "Forced labour") == "6"
    assert _cell(body, "Forced begging") == "3"
    assert _cell(body, "Domestic work") == "6"
    assert _cell(body, "Children") == "2"
    assert _cell(body, "Adults") == "21"
    assert _cell(body, "Domestic (within Kenya)") == "17"
    assert _cell(body, "Transnational") == "6"
    assert _cell(body, "SMS") == "7"
    assert '<svg class="chart bar-chart"' in body and '<svg class="chart nairobi-map"' in body
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="insights.dashboard", actor=personas.director
    ).exists()


def test_analyst_sees_small_cells_suppressed(client, analyst, caseload):
    body = sign_in(client, analyst).get("/staff/insights/").content.decode()
    assert "Numbers from 1 to below 5 are suppressed (shown as &lt;5)" in body
    # County-wide: both organisations' survivors (23 + 1).
    assert '<dd class="figure-survivors">24</dd>' in body
    assert _cell(body, "Sexual exploitation") == "15"
    assert _cell(body, "Forced begging") == "&lt;5"
    # Children (2) is small: it is hidden, and so is the other cell, or 24 - adults would tell it.
    assert _cell(body, "Children") == "&lt;5"
    assert _cell(body, "Adults") == "&lt;5"
    assert '<dd class="figure-reported">0</dd>' in body  # zero is not a small cell


def test_filter_by_sub_county_from_the_map(client, personas, caseload):
    sign_in(client, personas.director)
    body = client.get("/staff/insights/").content.decode()
    assert f'href="?sub_county={KIBRA}"' in body
    body = client.get(f"/staff/insights/?sub_county={KIBRA}").content.decode()
    assert '<dd class="figure-survivors">14</dd>' in body
    assert '<dd class="figure-reports">7</dd>' in body
    assert "map-selected" in body
    body = client.get("/staff/insights/?map=recruitment").content.decode()
    assert "<td>Kibra</td><td>14</td>" in body and "<td>Embakasi East</td><td>6</td>" in body
    body = client.get("/staff/insights/?map=reports&level=ward").content.decode()
    assert "<title>" in body and "map-level-" in body


def test_period_filter_and_bad_period(client, personas, caseload):
    sign_in(client, personas.director)
    body = client.get("/staff/insights/?date_from=2026-03-01").content.decode()
    assert '<dd class="figure-survivors">0</dd>' in body  # every survivor was registered in Feb.
    body = client.get("/staff/insights/?date_from=2026-03-01&date_to=2026-01-01").content.decode()
    assert "The end of the period is before its start." in body


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("director", 200),
        ("analyst", 200),
        ("owner", 404),
        ("admin_user", 404),
        (Role.HOTLINE_AGENT, 404),
        (Role.COUNSELLOR, 404),
    ],
)
def test_dashboard_access_matrix(client, personas, analyst, persona, status):
    user = (
        analyst
        if persona == "analyst"
        else getattr(personas, persona, None)
        or UserFactory(username=f"u-{persona}", organisation=personas.org_a, roles=[persona])
    )
    response = sign_in(client, user).get("/staff/insights/")
    assert response.status_code == status
    assert ("Needs assessment" in response.content.decode()) == (status == 200)


def test_dashboard_queries_do_not_grow_with_the_caseload(
    client, personas, reference, django_assert_max_num_queries
):
    sign_in(client, personas.director)
    survivor(personas, given_name="First", recruited_in=(47, KIBRA))
    client.get("/staff/insights/")
    with CaptureQueriesContext(__import__("django.db").db.connection) as one:
        client.get("/staff/insights/")
    for i in range(5):
        survivor(personas, given_name=f"More{i}", recruited_in=(47, EMBAKASI_EAST))
    with django_assert_max_num_queries(len(one)):
        client.get("/staff/insights/")


def test_dashboard_in_kiswahili(client, personas, caseload):
    sign_in(client, personas.director)
    client.post("/i18n/setlang/", {"language": "sw", "next": "/staff/"})
    body = client.get("/staff/insights/").content.decode()
    assert "Tathmini ya mahitaji" in body


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def test_analyst_reaches_no_survivor_row_by_any_url(client, personas, analyst, caseload):
    """Every route of the site, with every UUID parameter filled with the public id of a survivor's
    case, person, consent or report: nothing answers with a survivor's name or case number."""
    from tumaini.cases.models import Case

    case = Case.objects.filter(organisation=personas.org_a).select_related("person").first()
    ids = [
        case.public_id,
        case.person.public_id,
        *case.consents.values_list("public_id", flat=True),
    ]
    from tumaini.tips.models import Report

    ids += list(Report.objects.values_list("public_id", flat=True)[:1])
    secrets = [case.case_number, case.person.given_name]
    sign_in(client, analyst)
    checked = 0
    for pattern in _patterns():
        if pattern.startswith(("accounts/", "i18n/", "hooks/", "api/")) or "<str:" in pattern:
            continue
        for identifier in ids:
            url = "/" + re.sub(r"<(?:uuid|slug|int|path):\w+>", str(identifier), pattern)
            url = url.replace("^", "").replace("$", "")
            if "<" in url or "(" in url:
                continue
            response = client.get(url)
            checked += 1
            if response.status_code == 200:
                body = response.content.decode(errors="replace")
                for secret in secrets:
                    assert secret not in body, url
    assert checked > 50
    assert uuid.UUID(str(case.public_id))


def test_service_gaps_against_the_fixture(client, personas, analyst, reference):
    """Six survivors need accommodation, four of them got the shelter service 3 days after being
    identified; two were referred to a hospital, which accepted one and completed it."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.care.builders import delivery, offering
    from tests.cases.builders_workflow import add_assessments
    from tests.referrals.builders import make_partner, sent_referral
    from tumaini.cases.enums import NeedType
    from tumaini.referrals.services import referral_accept, referral_acknowledge

    opened = timezone.localdate() - timedelta(days=20)
    shelter = offering(personas, name="Safe house")
    cases = []
    for i in range(6):
        case = survivor(personas, given_name=f"Needs{i}", opened=opened)
        add_assessments(case, by=personas.owner, identified=(NeedType.ACCOMMODATION,))
        cases.append(case)
    for case in cases[:4]:
        delivery(case, by=personas.owner, offering_=shelter, days_ago=17)
    hospital, service = make_partner()
    first = sent_referral(personas, service, case=cases[0])
    sent_referral(personas, service, case=cases[1])
    partner_user = UserFactory(username="hosp", organisation=hospital, roles=[Role.PARTNER_USER])
    referral_acknowledge(actor=partner_user, referral=first)
    referral_accept(actor=partner_user, referral=first)

    body = sign_in(client, personas.director).get("/staff/insights/").content.decode()
    gaps = body[body.index('id="service-gaps"') :]
    assert (
        # Met before the assessment that recorded the need: 0 days from it.
        '<th scope="row">Accommodation</th><td>6</td><td>4</td><td>0</td><td>2</td><td>0</td>'
        in gaps.replace("\n", "")
    )
    assert '<th scope="row">Safe shelter</th><td>4</td><td>3</td>' in gaps
    assert f'<th scope="row">{hospital.name}</th><td>2</td><td>1</td><td>0</td><td>0</td>' in gaps
    # The analyst sees the small cells of the same table suppressed.
    body = sign_in(client, analyst).get("/staff/insights/").content.decode()
    gaps = body[body.index('id="service-gaps"') :]
    assert f'<th scope="row">{hospital.name}</th><td>&lt;5</td><td>&lt;5</td>' in gaps
