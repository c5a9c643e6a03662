"""The case page: header, sections (tabs), access history; reassignment (director) and flags."""

import pytest

from tests.cases.builders_casefile import owned_case
from tests.cases.builders_workflow import add_assessments, add_care_plan, screened_case
from tests.factories import UserFactory
from tests.testapp.helpers import case_section, sign_in
from tumaini.accounts.enums import Role
from tumaini.cases import parts
from tumaini.cases.enums import CaseFlag, CaseStage, RiskLevel
from tumaini.cases.models import Case
from tumaini.cases.views.detail import ACCESS_HISTORY_LIMIT
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent
from tumaini.people.models import Person

pytestmark = pytest.mark.django_db


def _url(case, suffix=""):
    return f"/staff/cases/{case.public_id}/{suffix}"


def _org_a_user(personas, role, username):
    return UserFactory(username=username, organisation=personas.org_a, roles=[role])


@pytest.fixture
def case(personas):
    return owned_case(
        personas,
        stage=CaseStage.PROTECTION,
        risk_level=RiskLevel.HIGH,
        flags=[CaseFlag.WITNESS],
        case_number="TUM-26-K7QX-M3",
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 200),
        ("teammate", 200),
        ("director", 200),
        ("outsider", 404),
        ("admin_user", 404),
        (Role.COUNSELLOR, 404),
        (Role.SHELTER_MANAGER, 404),
        (Role.COUNTY_ANALYST, 404),
    ],
)
def test_case_page_access_matrix(client, personas, case, persona, status):
    user = getattr(personas, persona, None) or _org_a_user(personas, persona, f"u-{persona}")
    response = sign_in(client, user).get(_url(case))
    assert response.status_code == status
    if status == 200:
        assert "TUM-26-K7QX-M3" in response.content.decode()
    else:
        assert "TUM-26-K7QX-M3" not in response.content.decode()


SECTIONS = ["overview", "person", "assessments", "care", "shelter", "referrals", "file", "history"]


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize(
    ("persona", "status"), [("owner", 200), ("director", 200), ("outsider", 404)]
)
def test_case_page_every_section_follows_the_access_policy(
    client, personas, case, section, persona, status
):
    response = sign_in(client, getattr(personas, persona)).get(case_section(case, section))
    assert response.status_code == status
    assert ("TUM-26-K7QX-M3" in response.content.decode()) == (status == 200)


def test_case_page_unknown_section_is_not_found(client, personas, case):
    response = sign_in(client, personas.owner).get(case_section(case, "everything"))
    assert response.status_code == 404


def test_case_page_every_part_is_in_exactly_one_section(client, personas, case):
    """Each registered part shows in one tab and no other; no tab is empty."""
    sign_in(client, personas.owner)
    shown = {}
    for section in SECTIONS:
        page = client.get(case_section(case, section)).content.decode()
        shown[section] = {key for key in parts.PARTS if f'id="part-{key}"' in page}
        assert shown[section], f"section {section} shows no part"
    for key in parts.PARTS:
        holders = [section for section, keys in shown.items() if key in keys]
        assert holders == [parts.PARTS[key].section], key
    assert set(SECTIONS) == set(parts.SECTIONS)


def test_case_page_tabs_link_every_section_and_mark_the_current_one(client, personas, case):
    page = sign_in(client, personas.owner).get(case_section(case, "care")).content.decode()
    assert f'<a href="/staff/cases/{case.public_id}/">Overview</a>' in page
    assert (
        f'<a href="/staff/cases/{case.public_id}/?section=care" aria-current="page">Care</a>'
        in page
    )
    for section in SECTIONS[1:]:
        assert f'href="/staff/cases/{case.public_id}/?section={section}"' in page


@pytest.mark.parametrize("section", SECTIONS)
def test_case_page_each_section_view_is_audited(client, personas, case, section):
    sign_in(client, personas.teammate).get(case_section(case, section))
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_id=str(case.public_id), actor_username="teammate"
    ).exists()


def test_case_page_anonymous_goes_to_login(client, case):
    response = client.get(_url(case))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_case_page_header_shows_case_at_a_glance(client, personas, case):
    page = sign_in(client, personas.owner).get(_url(case)).content.decode()
    assert '<h1 id="case-number" class="case-number"><code>TUM-26-K7QX-M3</code></h1>' in page
    assert "Immediate protection" in page
    assert "Risk: High" in page
    assert "Witness in a prosecution" in page
    assert "County Rescue Centre" in page
    assert "Team A" in page
    # The plain URL opens the overview; the contents of a section link to its parts.
    assert 'id="part-workflow"' in page and 'id="part-notes"' not in page
    page = client.get(case_section(case, "file")).content.decode()
    assert "TUM-26-K7QX-M3" in page and "Risk: High" in page
    for key in ("notes", "documents", "summary"):
        assert f'href="#part-{key}"' in page
        assert f'id="part-{key}"' in page


def test_case_page_child_badge_for_a_child(client, personas):
    child_case = owned_case(personas, child=True)
    page = sign_in(client, personas.owner).get(_url(child_case)).content.decode()
    assert '<span class="badge badge-warning">Child</span>' in page


def test_case_page_view_is_audited(client, personas, case):
    sign_in(client, personas.teammate).get(_url(case))
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW,
        object_type="cases.case",
        object_id=str(case.public_id),
        actor_username="teammate",
    ).exists()


def test_case_page_access_history_shown_to_owner_and_director(client, personas, case):
    sign_in(client, personas.teammate).get(_url(case))
    client.logout()
    for user in (personas.owner, personas.director):
        page = sign_in(client, user).get(case_section(case, "history")).content.decode()
        assert "Who looked at this record" in page
        assert "<td>teammate</td>" in page
        client.logout()


def test_case_page_access_history_hidden_from_teammate(client, personas, case):
    sign_in(client, personas.owner).get(_url(case))
    client.logout()
    page = sign_in(client, personas.teammate).get(case_section(case, "history")).content.decode()
    assert "TUM-26-K7QX-M3" in page
    assert "Only the case manager carrying this case" in page
    assert "<td>owner</td>" not in page and "<table" not in page


def test_case_page_access_history_shows_the_newest_events_and_counts_all(client, personas, case):
    sign_in(client, personas.teammate)
    for _ in range(ACCESS_HISTORY_LIMIT + 2):
        client.get(_url(case))
    client.logout()
    page = sign_in(client, personas.owner).get(case_section(case, "history")).content.decode()
    # The teammate's views and the owner's own, newest first, ACCESS_HISTORY_LIMIT of them.
    total = ACCESS_HISTORY_LIMIT + 3
    assert f"<p>{total} events</p>" in page
    assert page.count('<td><time datetime="') == ACCESS_HISTORY_LIMIT
    assert page.count("<td>teammate</td>") == ACCESS_HISTORY_LIMIT - 1
    assert "Only the most recent events are shown" in page


# A section reads each of its parts once: what it costs must not grow with the case's history, and
# must not creep back up unnoticed (the whole page ran 83). About 20 of each count are the request's own (session, the
# user's roles and teams, the case and its scope, the audited view); the rest are the parts'.
SECTION_MAX_QUERIES = {
    "overview": 26,
    "person": 36,
    "assessments": 27,
    "care": 32,
    "shelter": 25,
    "referrals": 25,
    "file": 24,
    "history": 22,
}


def test_case_page_section_queries_are_bounded_and_do_not_grow_with_the_file(
    client, personas, django_assert_max_num_queries
):
    case = screened_case(personas, stage=CaseStage.CARE_PLANNING)
    sign_in(client, personas.owner)

    def grow(n):
        client.post(_url(case, "notes/add/"), {"kind": "general", "body": f"Visit {n}"})
        add_assessments(case, by=personas.owner)
        add_care_plan(case, by=personas.owner)
        for section in SECTIONS:
            client.get(case_section(case, section))

    grow(0)
    first = {}
    for section in SECTIONS:
        with django_assert_max_num_queries(SECTION_MAX_QUERIES[section]) as captured:
            client.get(case_section(case, section))
        first[section] = len(captured)
    for n in range(1, 6):
        grow(n)
    for section in SECTIONS:
        with django_assert_max_num_queries(first[section]):
            page = client.get(case_section(case, section)).content.decode()
        if section == "assessments":
            assert "A safe place to live" in page
        if section == "file":
            assert "Visit 5" in page


# --- Reassignment ----------------------------------------------------------------------------------


def test_assign_director_reassigns_case_and_person(client, personas, case):
    sign_in(client, personas.director)
    response = client.post(
        _url(case, "assign/"),
        {"assigned_to": personas.teammate.pk, "team": personas.team_a.pk, "version": case.version},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == personas.teammate
    assert Person.objects.get(pk=case.person_id).assigned_to == personas.teammate
    event = AuditEvent.objects.filter(object_id=str(case.public_id), action="update").first()
    assert event.fields_changed == ["assigned_to"]


def test_assign_form_shown_only_to_directors(client, personas, case):
    page = sign_in(client, personas.owner).get(_url(case)).content.decode()
    assert "Reassign the case" not in page
    client.logout()
    page = sign_in(client, personas.director).get(_url(case)).content.decode()
    assert "Reassign the case" in page


@pytest.mark.parametrize("persona", ["owner", "teammate", "outsider", "admin_user"])
def test_assign_refused_to_non_directors(client, personas, case, persona):
    sign_in(client, getattr(personas, persona))
    response = client.post(
        _url(case, "assign/"),
        {"assigned_to": personas.teammate.pk, "version": case.version},
    )
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).assigned_to == personas.owner


def test_assign_refuses_user_of_another_organisation(client, personas, case):
    stranger = UserFactory(organisation=personas.org_b, roles=[Role.CASE_MANAGER])
    sign_in(client, personas.director)
    response = client.post(
        _url(case, "assign/"), {"assigned_to": stranger.pk, "version": case.version}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Case.objects.get(pk=case.pk).assigned_to == personas.owner


def test_assign_stale_version_refused_with_message(client, personas, case):
    Case.objects.filter(pk=case.pk).update(version=case.version + 1)
    sign_in(client, personas.director)
    response = client.post(
        _url(case, "assign/"),
        {"assigned_to": personas.teammate.pk, "version": case.version},
        follow=True,
    )
    assert "Someone else changed this record" in response.content.decode()
    assert Case.objects.get(pk=case.pk).assigned_to == personas.owner


# --- Flags ---------------------------------------------------------------------------------------


def test_flags_case_manager_sets_flags(client, personas, case):
    sign_in(client, personas.owner)
    response = client.post(
        _url(case, "flags/"),
        {"flags": [CaseFlag.NEEDS_INTERPRETER, CaseFlag.WITNESS], "version": case.version},
        follow=True,
    )
    assert "Needs an interpreter" in response.content.decode()
    case.refresh_from_db()
    assert case.flags == [CaseFlag.NEEDS_INTERPRETER, CaseFlag.WITNESS]
    assert AuditEvent.objects.filter(
        object_id=str(case.public_id), action="update", fields_changed=["flags"]
    ).exists()


def test_flags_unknown_flag_is_an_error_next_to_the_field(client, personas, case):
    sign_in(client, personas.owner)
    response = client.post(_url(case, "flags/"), {"flags": ["nonsense"], "version": case.version})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Case.objects.get(pk=case.pk).flags == [CaseFlag.WITNESS]


def test_flags_posted_from_a_section_come_back_to_it(client, personas, case):
    page = sign_in(client, personas.owner).get(case_section(case, "care")).content.decode()
    assert '<input type="hidden" name="section" value="care">' in page
    response = client.post(
        _url(case, "flags/"),
        {"flags": [CaseFlag.WITNESS], "version": case.version, "section": "care"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/staff/cases/{case.public_id}/?section=care"


def test_flags_error_shows_the_section_it_came_from(client, personas, case):
    sign_in(client, personas.owner)
    response = client.post(
        _url(case, "flags/"), {"flags": ["nonsense"], "version": case.version, "section": "care"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert 'aria-current="page">Care</a>' in page
    assert 'id="part-care-services"' in page


def test_assign_from_a_section_comes_back_to_it(client, personas, case):
    sign_in(client, personas.director)
    response = client.post(
        _url(case, "assign/"),
        {
            "assigned_to": personas.teammate.pk,
            "team": personas.team_a.pk,
            "version": case.version,
            "section": "referrals",
        },
    )
    assert response["Location"] == f"/staff/cases/{case.public_id}/?section=referrals"


@pytest.mark.parametrize("persona", ["outsider", "admin_user"])
def test_flags_refused_outside_scope(client, personas, case, persona):
    sign_in(client, getattr(personas, persona))
    response = client.post(_url(case, "flags/"), {"flags": [], "version": case.version})
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).flags == [CaseFlag.WITNESS]


def test_case_page_forms_have_distinct_element_ids(client, personas, case):
    import re

    page = sign_in(client, personas.director).get(case_section(case, "file")).content.decode()
    ids = re.findall(r'id="((?:note|document|assign|flags)-[^"]+)"', page)
    assert {"note-kind", "document-kind", "assign-assigned_to", "flags-version"} <= set(ids)
    assert len(ids) == len(set(ids))


def test_break_glass_view_of_a_case_is_marked_in_the_audit_trail(client, personas, case):
    # A director of another organisation opens the case through break-glass; the read says so.
    sign_in(client, personas.outsider)
    assert client.get(_url(case)).status_code == 404
    reason = "Hospital called at night: survivor admitted, guardian contact needed now"
    response = client.post(f"/staff/break-glass/case/{case.public_id}/", {"reason": reason})
    assert response.status_code == 302
    assert "TUM-26-K7QX-M3" in client.get(_url(case)).content.decode()
    event = AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_id=str(case.public_id), actor=personas.outsider
    ).latest("id")
    assert event.reason == "break-glass access"
    assert event.detail["break_glass"] is True
