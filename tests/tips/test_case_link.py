"""From a report to a case: a new intake prefilled from the report, or a link to an existing case
the user may see. The report page names the case only to those who may see it; the case page
lists its reports."""

import pytest

from tests.cases.builders_casefile import make_case
from tests.core.test_csp import assert_no_inline_code
from tests.factories import TeamFactory, UserFactory
from tests.testapp.helpers import case_section, sign_in
from tests.tips.builders import make_report
from tumaini.accounts.enums import Role
from tumaini.cases.enums import IntakeSource
from tumaini.cases.models import Case, Intake
from tumaini.core.models import AuditEvent
from tumaini.tips.enums import ReportStatus
from tumaini.tips.models import Report

pytestmark = pytest.mark.django_db

QUEUE = "/staff/reports/"
INTAKE = "/staff/cases/new/"


def _detail(report):
    return f"{QUEUE}{report.public_id}/"


@pytest.fixture
def cases(desk):
    team = TeamFactory(organisation=desk.centre)
    desk.case_manager.teams.add(team)
    other_team = TeamFactory(organisation=desk.centre)
    colleague = UserFactory(organisation=desk.centre, roles=[Role.CASE_MANAGER], teams=[other_team])
    mine = make_case(organisation=desk.centre, assigned_to=desk.case_manager, team=team)
    theirs = make_case(organisation=desk.centre, assigned_to=colleague, team=other_team)
    return type("Cases", (), {"team": team, "mine": mine, "theirs": theirs})


def _intake_form(desk, cases, **overrides):
    data = {
        "given_name": "Grace",
        "family_name": "Achieng",
        "other_names": "",
        "gender": "Feminine",
        "estimated_age": "24",
        "disability": "unknown",
        "phone": "",
        "source": "public_report",
        "intake_date": "2025-01-15",
        "where_identified": "Pangani",
        "narrative": "Found after the public report.",
        "immediate_needs": "",
        "team": str(cases.team.public_id),
        "case_manager": str(desk.case_manager.public_id),
        "child_protection_officer": "",
        "decision": "new",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("persona", "offered"),
    [("case_manager", True), ("director", True), ("hotline", False), ("supervisor", False)],
)
def test_report_page_offers_case_linking_to_case_creators_only(client, desk, persona, offered):
    report = make_report()
    page = sign_in(client, getattr(desk, persona)).get(_detail(report)).content.decode()
    assert (f"{INTAKE}?report={report.public_id}" in page) == offered
    assert ('id="report-link"' in page) == offered
    assert "Three girls locked in a house" in page
    assert_no_inline_code(page)


def test_intake_from_report_is_prefilled_and_links_the_new_case(client, desk, cases):
    report = make_report(sub_county=desk.sub_county)
    sign_in(client, desk.case_manager)
    page = client.get(f"{INTAKE}?report={report.public_id}").content.decode()
    assert f"From public report {report.display_reference}" in page
    assert '<option value="public_report" selected>' in page
    assert f"Public report {report.display_reference}" in page

    response = client.post(f"{INTAKE}?report={report.public_id}", _intake_form(desk, cases))
    assert response.status_code == 302
    case = Case.objects.exclude(pk__in=[cases.mine.pk, cases.theirs.pk]).get()
    assert Intake.objects.get(case=case).source == IntakeSource.PUBLIC_REPORT
    report.refresh_from_db()
    assert report.status == ReportStatus.LINKED_TO_CASE
    assert report.linked_case == case
    assert report.linked_by == desk.case_manager
    assert report.triaged_at is not None
    assert AuditEvent.objects.filter(
        object_id=str(case.public_id), detail__linked_report=str(report.public_id)
    ).exists()


@pytest.mark.parametrize("persona", ["hotline", "supervisor", "police", "admin"])
def test_intake_from_report_refused_to_users_who_may_not_link(client, desk, persona):
    report = make_report()
    response = sign_in(client, getattr(desk, persona)).get(f"{INTAKE}?report={report.public_id}")
    assert response.status_code == 404
    assert report.display_reference not in response.content.decode()


def test_intake_from_report_of_another_organisation_is_404(client, desk, cases):
    from tests.factories import OrganisationFactory

    elsewhere = OrganisationFactory()
    report = make_report(organisation=elsewhere)
    response = sign_in(client, desk.case_manager).get(f"{INTAKE}?report={report.public_id}")
    assert response.status_code == 404


def test_intake_from_a_report_already_linked_is_refused_and_opens_nothing(client, desk, cases):
    report = make_report()
    sign_in(client, desk.case_manager)
    client.post(
        _detail(report) + "link-case/", {"version": 1, "case_number": cases.mine.case_number}
    )
    response = client.post(f"{INTAKE}?report={report.public_id}", _intake_form(desk, cases))
    assert response.status_code == 400
    assert "already linked to a case" in response.content.decode()
    assert Case.objects.count() == 2


def test_link_existing_case_by_number(client, desk, cases):
    report = make_report()
    sign_in(client, desk.case_manager)
    typed = cases.mine.case_number.lower().replace("-", " ")
    response = client.post(_detail(report) + "link-case/", {"version": 1, "case_number": typed})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.linked_case) == (ReportStatus.LINKED_TO_CASE, cases.mine)
    page = client.get(_detail(report)).content.decode()
    assert cases.mine.case_number in page
    updates = AuditEvent.objects.filter(object_id=str(report.public_id), action="update")
    assert any("linked_case" in event.fields_changed for event in updates)


def test_link_case_outside_scope_is_not_found(client, desk, cases):
    report = make_report()
    sign_in(client, desk.case_manager)
    for number in (cases.theirs.case_number, "TUM-26-XXXX-XX", "nonsense"):
        response = client.post(
            _detail(report) + "link-case/", {"version": 1, "case_number": number}
        )
        assert response.status_code == 400
        assert "No case of yours has that number." in response.content.decode()
    report.refresh_from_db()
    assert report.linked_case is None and report.status == ReportStatus.NEW


def test_link_case_stale_version_is_refused(client, desk, cases):
    report = make_report()
    sign_in(client, desk.case_manager)
    client.post(
        _detail(report) + "link-case/", {"version": 7, "case_number": cases.mine.case_number}
    )
    report.refresh_from_db()
    assert report.linked_case is None


@pytest.mark.parametrize("persona", ["hotline", "supervisor", "police", "admin"])
def test_link_case_refused_to_other_roles(client, desk, cases, persona):
    report = make_report()
    response = sign_in(client, getattr(desk, persona)).post(
        _detail(report) + "link-case/", {"version": 1, "case_number": cases.mine.case_number}
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.linked_case is None


def test_report_page_names_the_case_only_to_who_may_see_it(client, desk, cases):
    report = make_report()
    sign_in(client, desk.director)
    client.post(
        _detail(report) + "link-case/", {"version": 1, "case_number": cases.theirs.case_number}
    )
    report.refresh_from_db()
    assert report.linked_case == cases.theirs
    client.logout()
    number = cases.theirs.case_number
    for persona, shows in (("director", True), ("case_manager", False), ("hotline", False)):
        page = sign_in(client, getattr(desk, persona)).get(_detail(report)).content.decode()
        assert (number in page) == shows
        assert 'id="report-case"' in page
        assert "Linked to a case" in page
        client.logout()


def test_case_page_lists_linked_reports(client, desk, cases):
    report = make_report()
    Report.objects.filter(pk=report.pk).update(
        linked_case=cases.mine, status=ReportStatus.LINKED_TO_CASE
    )
    unlinked = make_report()
    page = (
        sign_in(client, desk.case_manager).get(case_section(cases.mine, "person")).content.decode()
    )
    part = page[page.index('id="part-public-reports"') :]
    part = part[: part.index("</section>")]
    assert report.display_reference in part
    assert f"{QUEUE}{report.public_id}/" in part
    assert unlinked.display_reference not in part
    other = (
        sign_in(client, desk.director).get(case_section(cases.theirs, "person")).content.decode()
    )
    assert report.display_reference not in other
    assert "No public report is linked to this case." in other


def test_case_page_queries_do_not_grow_with_linked_reports(client, desk, cases):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def link():
        r = make_report()
        Report.objects.filter(pk=r.pk).update(linked_case=cases.mine)

    link()
    sign_in(client, desk.case_manager)
    with CaptureQueriesContext(connection) as one:
        client.get(case_section(cases.mine, "person"))
    link()
    link()
    with CaptureQueriesContext(connection) as three:
        client.get(case_section(cases.mine, "person"))
    assert len(three) == len(one)
