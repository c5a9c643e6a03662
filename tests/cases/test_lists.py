"""Case lists: tabs, filters, search, ordering, children's names, audit, N+1, access; and the
overdue follow-ups panel on the staff home."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.cases.builders_casefile import make_case, owned_case
from tests.factories import TeamFactory, UserFactory
from tests.testapp.helpers import sign_in
from tumaini.accounts.enums import Role
from tumaini.cases.enums import CaseStage, ExploitationType, RiskLevel
from tumaini.core.models import AuditEvent

pytestmark = pytest.mark.django_db

LIST = "/staff/cases/"


def _page(client, query=""):
    response = client.get(LIST + query)
    assert response.status_code == 200
    return response.content.decode()


def _today():
    return timezone.localdate()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 200),
        ("teammate", 200),
        ("director", 200),
        ("outsider", 200),  # a director elsewhere: the page, with none of org A's cases
        ("admin_user", 404),
        (Role.COUNSELLOR, 404),
        (Role.SHELTER_MANAGER, 404),
        (Role.COUNTY_ANALYST, 404),
    ],
)
def test_case_list_access_matrix(client, personas, persona, status):
    case = owned_case(personas, case_number="TUM-26-AAAA-CC")
    user = getattr(personas, persona, None) or UserFactory(
        username=f"u-{persona}", organisation=personas.org_a, roles=[persona]
    )
    response = sign_in(client, user).get(LIST + "?tab=centre")
    assert response.status_code == status
    shown = case.case_number in response.content.decode()
    # A case manager asking for the centre gets their own cases (their scope stops at the team).
    assert shown == (persona in ("owner", "director"))


def test_case_list_anonymous_goes_to_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_case_list_tabs_mine_team_centre(client, personas):
    mine = owned_case(personas, case_number="TUM-26-MMMM-11")
    team = owned_case(personas, assigned_to=personas.teammate, case_number="TUM-26-TTTT-22")
    other_team = TeamFactory(organisation=personas.org_a, name="Team C")
    centre = make_case(organisation=personas.org_a, team=other_team, case_number="TUM-26-CCCC-33")
    sign_in(client, personas.owner)
    page = _page(client, "?tab=mine")
    assert mine.case_number in page
    assert team.case_number not in page
    page = _page(client, "?tab=team")
    assert mine.case_number in page and team.case_number in page
    assert centre.case_number not in page
    # A case manager's scope stops at the team: no Centre tab, and asking for it gives "mine".
    page = _page(client, "?tab=centre")
    assert ">Centre</a>" not in page
    assert centre.case_number not in page
    client.logout()
    sign_in(client, personas.director)
    page = _page(client, "?tab=centre")
    assert ">Centre</a>" in page
    assert all(c.case_number in page for c in (mine, team, centre))


def test_case_list_never_shows_other_organisations(client, personas):
    elsewhere = make_case(organisation=personas.org_b, case_number="TUM-26-XXXX-99")
    page = _page(sign_in(client, personas.director), "?tab=centre")
    assert elsewhere.case_number not in page


def test_case_list_child_shows_initials_only(client, personas):
    owned_case(personas, given_name="Zawadi", family_name="Otieno", child=True)
    owned_case(personas, given_name="Grace", family_name="Mutua")
    page = _page(sign_in(client, personas.owner))
    assert "Zawadi" not in page
    assert "Otieno" not in page
    assert "Z. O." in page
    assert "Grace Mutua" in page


def test_case_list_filters_stage_risk_child_overdue(client, personas):
    a = owned_case(personas, stage=CaseStage.ASSESSMENT, risk_level=RiskLevel.HIGH)
    b = owned_case(personas, stage=CaseStage.SCREENING, risk_level=RiskLevel.LOW, child=True)
    c = owned_case(personas, next_action_due=_today() - timedelta(days=1))
    d = owned_case(personas, next_action_due=_today())
    sign_in(client, personas.owner)
    page = _page(client, "?stage=assessment")
    assert a.case_number in page and b.case_number not in page
    page = _page(client, "?risk=low")
    assert b.case_number in page and a.case_number not in page
    page = _page(client, "?child=yes")
    assert b.case_number in page and a.case_number not in page
    page = _page(client, "?child=no")
    assert a.case_number in page and b.case_number not in page
    page = _page(client, "?overdue=on")
    assert c.case_number in page
    assert d.case_number not in page and a.case_number not in page


def test_case_list_filter_exploitation_type(client, personas):
    labour = owned_case(
        personas, exploitation_types=[ExploitationType.FORCED_LABOUR, ExploitationType.OTHER]
    )
    child_labour = owned_case(personas, exploitation_types=[ExploitationType.CHILD_LABOUR])
    none = owned_case(personas)
    page = _page(sign_in(client, personas.owner), "?exploitation=ForcedLabour")
    assert labour.case_number in page
    assert child_labour.case_number not in page
    assert none.case_number not in page
    page = _page(client, "?exploitation=ChildLabour")
    assert child_labour.case_number in page and labour.case_number not in page


def test_case_list_bad_filter_value_shows_error(client, personas):
    page = _page(sign_in(client, personas.owner), "?stage=nonsense")
    assert "Select a valid choice" in page


@pytest.mark.parametrize(
    "typed", ["TUM-26-K7QX-M3", "tum26k7qxm3", "26-k7qx-m3", " TUM 26 K7QX M3 "]
)
def test_case_list_search_case_number_any_form(client, personas, typed):
    wanted = owned_case(personas, case_number="TUM-26-K7QX-M3")
    other = owned_case(personas, case_number="TUM-26-K7QX-M4")
    page = _page(sign_in(client, personas.owner), "?" + f"q={typed}")
    assert wanted.case_number in page
    assert other.case_number not in page


def test_case_list_search_by_name_full_family_or_given(client, personas):
    wanted = owned_case(personas, given_name="Achieng", family_name="Odhiambo")
    other = owned_case(personas, given_name="Grace", family_name="Mutua")
    sign_in(client, personas.owner)
    for typed in ("achieng odhiambo", "Odhiambo", "ACHIENG"):
        page = _page(client, f"?q={typed}")
        assert wanted.case_number in page, typed
        assert other.case_number not in page, typed


def test_case_list_search_by_alias(client, personas):
    from tumaini.people.models import PersonAlias

    wanted = owned_case(personas, given_name="Njeri", family_name="Kamau")
    PersonAlias.objects.create(person=wanted.person, name="Mama Wanjiku")
    same_name = owned_case(personas, given_name="Mama", family_name="Wanjiku")
    other = owned_case(personas, given_name="Wanjiku", family_name="Kamau")
    page = _page(sign_in(client, personas.owner), "?q=mama+wanjiku")
    assert wanted.case_number in page
    assert same_name.case_number in page  # the alias is someone else's full name
    assert other.case_number not in page
    assert "2 cases" in page


def test_case_list_name_search_same_query_count_for_1_and_30_matches(
    client, personas, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def overdue_case():
        return owned_case(
            personas,
            given_name="Baraka",
            family_name="Odhiambo",
            next_action_due=_today() - timedelta(days=2),
        )

    # One overdue match and one other: the page reads both kinds, as with 30.
    first = owned_case(personas, given_name="Achieng", family_name="Odhiambo", opened_days_ago=90)
    overdue = [overdue_case()]
    owned_case(personas, given_name="Grace", family_name="Mutua")
    sign_in(client, personas.owner)
    client.get(LIST)  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        page = _page(client, "?q=Odhiambo")
    assert first.case_number in page and "2 cases" in page
    overdue += [overdue_case() for _ in range(2)]
    for _ in range(26):
        owned_case(personas, given_name="Otieno", family_name="Odhiambo")
    with django_assert_max_num_queries(len(one)):
        page = _page(client, "?q=Odhiambo")
    assert "30 cases" in page
    assert page.count('<tr>\n      <td><a href="/staff/cases/') == 25
    # Overdue matches first, then the newest.
    assert all(page.index(c.case_number) < page.index("Page 1 of 2") for c in overdue)
    assert "Mutua" not in page and "Grace" not in page
    with django_assert_max_num_queries(len(one)):
        last = _page(client, "?q=Odhiambo&page=2")
    assert last.count('<tr>\n      <td><a href="/staff/cases/') == 5
    assert first.case_number in last  # the oldest match, at the end


def test_case_list_orders_overdue_first_then_newest(client, personas):
    old = owned_case(personas, opened_days_ago=30, case_number="TUM-26-0LD0-00")
    new = owned_case(personas, opened_days_ago=1, case_number="TUM-26-NEW0-00")
    overdue = owned_case(
        personas,
        opened_days_ago=60,
        next_action_due=_today() - timedelta(days=3),
        case_number="TUM-26-0VER-00",
    )
    page = _page(sign_in(client, personas.owner))
    positions = [page.index(c.case_number) for c in (overdue, new, old)]
    assert positions == sorted(positions)
    assert "Overdue" in page


def test_case_list_paginates_by_25(client, personas):
    for _ in range(26):
        owned_case(personas)
    sign_in(client, personas.owner)
    page = _page(client)
    assert page.count('<tr>\n      <td><a href="/staff/cases/') == 25
    assert "Page 1 of 2" in page
    page = _page(client, "?tab=mine&page=2")
    assert page.count('<tr>\n      <td><a href="/staff/cases/') == 1


def test_case_list_writes_one_audit_event_without_names(client, personas):
    owned_case(personas, given_name="Achieng", family_name="Odhiambo")
    sign_in(client, personas.owner)
    before = AuditEvent.objects.count()
    _page(client, "?q=Achieng+Odhiambo&stage=screening")
    events = list(AuditEvent.objects.filter(id__gt=before))
    assert len(events) == 1
    event = events[0]
    assert event.action == "view"
    assert event.object_type == "cases.caselist"
    assert event.detail["filters"]["stage"] == "screening"
    assert event.detail["filters"]["name_search"] is True
    assert "Achieng" not in str(event.detail) and "Odhiambo" not in str(event.detail)


def test_case_list_same_query_count_for_1_and_25_rows(
    client, personas, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    owned_case(personas, exploitation_types=[ExploitationType.FORCED_LABOUR])
    sign_in(client, personas.owner)
    client.get(LIST)  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST + "?exploitation=ForcedLabour").status_code == 200
    for _ in range(24):
        owned_case(personas, exploitation_types=[ExploitationType.FORCED_LABOUR])
    with django_assert_max_num_queries(len(one)):
        page = _page(client, "?exploitation=ForcedLabour")
    assert page.count('<tr>\n      <td><a href="/staff/cases/') == 25


# --- Overdue follow-ups on the staff home -------------------------------------------------------


def test_home_overdue_panel_case_manager_sees_own_overdue_cases(client, personas):
    mine = owned_case(personas, next_action_due=_today() - timedelta(days=2))
    teammates = owned_case(
        personas, assigned_to=personas.teammate, next_action_due=_today() - timedelta(days=2)
    )
    not_yet = owned_case(personas, next_action_due=_today())
    page = sign_in(client, personas.owner).get("/staff/").content.decode()
    assert "Overdue follow-ups" in page
    assert mine.case_number in page
    assert teammates.case_number not in page
    assert not_yet.case_number not in page
    assert "1 of your cases has an overdue follow-up." in page
    assert "Amina" not in page and "Wanjiru" not in page


def test_home_overdue_panel_director_sees_organisation(client, personas):
    owned_case(personas, next_action_due=_today() - timedelta(days=2))
    owned_case(
        personas, assigned_to=personas.teammate, next_action_due=_today() - timedelta(days=5)
    )
    make_case(organisation=personas.org_b, next_action_due=_today() - timedelta(days=5))
    page = sign_in(client, personas.director).get("/staff/").content.decode()
    assert "2 cases in your organisation have an overdue follow-up." in page
    assert "Wanjiru" not in page


def test_home_overdue_panel_absent_for_users_without_cases(client, personas):
    page = sign_in(client, personas.admin_user).get("/staff/").content.decode()
    assert "Overdue follow-ups" not in page


# --- Counts and pages: the plain list's index walk and the search's single query ---------------

ROW_NUMBER = re.compile(r'<tr>\s*<td><a href="/staff/cases/[0-9a-f-]+/"><code>([^<]+)</code>')


def _numbers(page: str) -> list[str]:
    return ROW_NUMBER.findall(page)


def _mixed_caseload(personas, *, family_name="Odhiambo", count=28):
    """`owner`'s cases with every kind of due date (overdue, today, later, none), opened on
    different days: overdue ones must come first, then the newest."""
    dues = [-3, None, 0, -1, 5, None, -10]
    return [
        owned_case(
            personas,
            given_name=f"Given{n}",
            family_name=family_name,
            opened_days_ago=(n * 7) % 40 + 1,
            next_action_due=None if dues[n % 7] is None else _today() + timedelta(days=dues[n % 7]),
        )
        for n in range(count)
    ]


def _expected_order(cases):
    today = _today()

    def key(case):
        overdue = case.next_action_due is not None and case.next_action_due < today
        return (not overdue, -case.opened_at.timestamp(), -case.pk)

    return [c.case_number for c in sorted(cases, key=key)]


def test_case_list_pages_overdue_first_then_newest_across_pages(client, personas):
    cases = _mixed_caseload(personas)
    sign_in(client, personas.owner)
    first, second = _page(client), _page(client, "?tab=mine&page=2")
    assert "28 cases" in first and "Page 2 of 2" in second
    assert _numbers(first) + _numbers(second) == _expected_order(cases)


def test_case_list_search_pages_in_the_same_order_as_the_list(client, personas):
    cases = _mixed_caseload(personas)
    owned_case(personas, given_name="Grace", family_name="Mutua")  # not a match
    # Matches outside the tab or the scope are neither listed nor counted.
    owned_case(personas, assigned_to=personas.teammate, family_name="Odhiambo")
    make_case(organisation=personas.org_b, family_name="Odhiambo")
    sign_in(client, personas.owner)
    first = _page(client, "?q=Odhiambo")
    second = _page(client, "?tab=mine&q=Odhiambo&page=2")
    assert "28 cases" in first and "28 cases" in second
    assert _numbers(first) + _numbers(second) == _expected_order(cases)
    # A page past the end shows the last page, a page that is no number the first.
    assert _numbers(_page(client, "?q=Odhiambo&page=9")) == _numbers(second)
    assert _numbers(_page(client, "?q=Odhiambo&page=x")) == _numbers(first)


def test_case_list_search_without_match_counts_none(client, personas):
    owned_case(personas, given_name="Grace", family_name="Mutua")
    page = _page(sign_in(client, personas.owner), "?q=Nobody+Here&page=2")
    assert "<p>0 cases</p>" in page
    assert "No cases match." in page


def test_case_list_counts_each_tab_within_scope(client, personas):
    today = _today()
    owned_case(personas, next_action_due=today - timedelta(days=1))
    owned_case(personas, next_action_due=None)
    owned_case(personas, assigned_to=personas.teammate, next_action_due=today)
    other_team = TeamFactory(organisation=personas.org_a, name="Team C")
    make_case(organisation=personas.org_a, team=other_team, next_action_due=today)
    make_case(organisation=personas.org_b, next_action_due=today - timedelta(days=2))
    sign_in(client, personas.owner)
    assert "<p>2 cases</p>" in _page(client, "?tab=mine")
    assert "<p>3 cases</p>" in _page(client, "?tab=team")
    assert "<p>1 case</p>" in _page(client, "?tab=team&overdue=on")
    client.logout()
    sign_in(client, personas.director)
    assert "<p>4 cases</p>" in _page(client, "?tab=centre")
