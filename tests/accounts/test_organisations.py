"""Organisations, their sites and teams: the system administrator's pages and the director's view."""

import re
import uuid

import pytest

from tests.factories import OrganisationFactory, UserFactory
from tumaini.accounts.enums import OrganisationType, SiteType
from tumaini.accounts.models import Organisation, Site, Team
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent, County, SubCounty

LOGIN_URL = "/accounts/login/"


@pytest.fixture
def nairobi(db):
    county, _ = County.objects.get_or_create(code=47, defaults={"name": "Nairobi"})
    westlands, _ = SubCounty.objects.get_or_create(
        code=274, defaults={"name": "Westlands", "county": county}
    )
    return county, westlands


def signed_in(client, user):
    client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


def org_url(organisation, suffix=""):
    return f"/staff/admin/organisations/{organisation.public_id}/{suffix}"


def hidden_state(html: str) -> str:
    return re.search(r'name="state" value="([0-9a-f]+)"', html)[1]


def audit_events(action, obj):
    return AuditEvent.objects.filter(action=action, object_id=str(obj.public_id)).order_by("id")


# --- The list -----------------------------------------------------------------------------------


def test_organisation_list_shows_type_label_county_and_active_staff_count(
    client, personas_with_mfa, nairobi
):
    county, _ = nairobi
    personas_with_mfa.org_b.county = county
    personas_with_mfa.org_b.type = OrganisationType.LAW_ENFORCEMENT
    personas_with_mfa.org_b.save()
    UserFactory(organisation=personas_with_mfa.org_b, is_active=False)

    html = page(signed_in(client, personas_with_mfa.admin_user).get("/staff/admin/organisations/"))

    row_b = re.search(r"<tr>\s*<td><a[^>]*>Other NGO</a>.*?</tr>", html, re.S)[0]
    assert "Law enforcement" in row_b
    assert "Nairobi" in row_b
    # outsider only: the deactivated account is not counted.
    assert "<td>1</td>" in row_b
    row_a = re.search(r"<tr>\s*<td><a[^>]*>County Rescue Centre</a>.*?</tr>", html, re.S)[0]
    assert "Non-governmental organisation" in row_a
    assert "<td>4</td>" in row_a
    assert str(personas_with_mfa.org_a.public_id) in html
    assert f"/organisations/{personas_with_mfa.org_a.pk}/" not in html


def test_organisation_list_has_a_fixed_number_of_queries(
    client, personas_with_mfa, django_assert_max_num_queries
):
    signed_in(client, personas_with_mfa.admin_user)
    client.get("/staff/admin/organisations/")  # warm the session
    with django_assert_max_num_queries(8) as captured:
        client.get("/staff/admin/organisations/")
    few = len(captured.captured_queries)
    for n in range(15):
        OrganisationFactory(name=f"Partner {n}")
    with django_assert_max_num_queries(few):
        response = client.get("/staff/admin/organisations/")
    assert "Partner 14" in page(response)


# --- Create, edit, deactivate -------------------------------------------------------------------


def test_admin_creates_an_organisation_and_it_is_audited(client, personas_with_mfa, nairobi):
    county, _ = nairobi
    response = signed_in(client, personas_with_mfa.admin_user).post(
        "/staff/admin/organisations/new/",
        {
            "name": "Mama Fatuma Legal Aid",
            "short_name": "MFLA",
            "type": "LegalService",
            "county": 47,
        },
    )
    organisation = Organisation.objects.get(name="Mama Fatuma Legal Aid")
    assert response["Location"] == org_url(organisation)
    assert organisation.county == county and organisation.type == OrganisationType.LEGAL_SERVICE
    event = audit_events(AuditAction.CREATE, organisation).get()
    assert event.actor == personas_with_mfa.admin_user
    assert event.fields_changed == ["county", "name", "short_name", "type"]
    assert event.object_organisation_id == organisation.pk
    assert "Legal service" in page(client.get(org_url(organisation)))


def test_organisation_create_keeps_what_was_typed_on_error(client, personas_with_mfa):
    response = signed_in(client, personas_with_mfa.admin_user).post(
        "/staff/admin/organisations/new/",
        {"name": "Other NGO", "short_name": "ONGO-2", "type": "NGO"},
    )
    html = page(response)
    assert response.status_code == 200
    assert 'value="ONGO-2"' in html
    assert "already exists" in html
    assert Organisation.objects.filter(name="Other NGO").count() == 1


def test_admin_edits_an_organisation_and_the_audit_names_the_fields(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.admin_user)
    state = hidden_state(page(client.get(org_url(personas_with_mfa.org_b, "edit/"))))
    response = client.post(
        org_url(personas_with_mfa.org_b, "edit/"),
        {"name": "Other NGO Kenya", "short_name": "", "type": "NGO", "state": state},
    )
    assert response["Location"] == org_url(personas_with_mfa.org_b)
    personas_with_mfa.org_b.refresh_from_db()
    assert personas_with_mfa.org_b.name == "Other NGO Kenya"
    event = audit_events(AuditAction.UPDATE, personas_with_mfa.org_b).get()
    assert event.fields_changed == ["name"]


def test_organisation_edit_with_a_stale_form_is_refused(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.admin_user)
    state = hidden_state(page(client.get(org_url(personas_with_mfa.org_b, "edit/"))))
    # Someone else saves first.
    client.post(
        org_url(personas_with_mfa.org_b, "edit/"),
        {"name": "Renamed first", "short_name": "", "type": "NGO", "state": state},
    )
    response = client.post(
        org_url(personas_with_mfa.org_b, "edit/"),
        {"name": "Renamed second", "short_name": "", "type": "NGO", "state": state},
    )
    html = page(response)
    assert response.status_code == 200
    assert "Someone else changed this record" in html
    assert 'value="Renamed second"' in html
    personas_with_mfa.org_b.refresh_from_db()
    assert personas_with_mfa.org_b.name == "Renamed first"
    assert audit_events(AuditAction.UPDATE, personas_with_mfa.org_b).count() == 1


def test_admin_deactivates_and_reactivates_an_organisation(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.admin_user)
    client.post(org_url(personas_with_mfa.org_b, "deactivate/"))
    personas_with_mfa.org_b.refresh_from_db()
    assert personas_with_mfa.org_b.is_active is False
    assert "Deactivated" in page(client.get("/staff/admin/organisations/"))
    # A deactivated organisation is not offered for new accounts.
    form_html = page(client.get("/staff/admin/staff/new/"))
    organisation_select = re.search(r'<select name="organisation".*?</select>', form_html, re.S)[0]
    assert "Other NGO" not in organisation_select
    assert "County Rescue Centre" in organisation_select

    client.post(org_url(personas_with_mfa.org_b, "reactivate/"))
    personas_with_mfa.org_b.refresh_from_db()
    assert personas_with_mfa.org_b.is_active is True
    events = audit_events(AuditAction.UPDATE, personas_with_mfa.org_b)
    assert [e.fields_changed for e in events] == [["is_active"], ["is_active"]]


def test_admin_cannot_deactivate_their_own_organisation(client, personas_with_mfa):
    response = signed_in(client, personas_with_mfa.admin_user).post(
        org_url(personas_with_mfa.org_a, "deactivate/"), follow=True
    )
    assert "You cannot deactivate your own organisation." in page(response)
    personas_with_mfa.org_a.refresh_from_db()
    assert personas_with_mfa.org_a.is_active is True


def test_deactivate_by_get_changes_nothing(client, personas_with_mfa):
    response = signed_in(client, personas_with_mfa.admin_user).get(
        org_url(personas_with_mfa.org_b, "deactivate/")
    )
    assert response.status_code == 405
    personas_with_mfa.org_b.refresh_from_db()
    assert personas_with_mfa.org_b.is_active is True


# --- Sites and teams ----------------------------------------------------------------------------


def test_admin_adds_a_confidential_site_with_a_sub_county(client, personas_with_mfa, nairobi):
    _, westlands = nairobi
    signed_in(client, personas_with_mfa.admin_user)
    response = client.post(
        org_url(personas_with_mfa.org_a, "sites/new/"),
        {"name": "Safe House 1", "type": "shelter", "sub_county": 274, "is_confidential": "on"},
    )
    assert response["Location"] == org_url(personas_with_mfa.org_a)
    site = Site.objects.get(name="Safe House 1")
    assert site.organisation == personas_with_mfa.org_a
    assert site.type == SiteType.SHELTER and site.sub_county == westlands and site.is_confidential
    html = page(client.get(org_url(personas_with_mfa.org_a)))
    row = re.search(r"<tr>\s*<td>Safe House 1</td>.*?</tr>", html, re.S)[0]
    assert "Shelter" in row and "Westlands (Nairobi)" in row and "Confidential" in row
    assert (
        audit_events(AuditAction.CREATE, site).get().object_organisation_id
        == personas_with_mfa.org_a.pk
    )


def test_admin_edits_a_site(client, personas_with_mfa):
    site = Site.objects.create(
        organisation=personas_with_mfa.org_a, name="Office", type=SiteType.OFFICE
    )
    signed_in(client, personas_with_mfa.admin_user)
    url = f"/staff/admin/sites/{site.public_id}/edit/"
    state = hidden_state(page(client.get(url)))
    client.post(url, {"name": "Main office", "type": "office", "state": state})
    site.refresh_from_db()
    assert site.name == "Main office" and site.is_confidential is False
    assert audit_events(AuditAction.UPDATE, site).get().fields_changed == ["name"]


def test_admin_creates_a_team_with_a_site_and_members(client, personas_with_mfa):
    site = Site.objects.create(
        organisation=personas_with_mfa.org_a, name="Centre", type=SiteType.RESCUE_CENTRE
    )
    signed_in(client, personas_with_mfa.admin_user)
    response = client.post(
        org_url(personas_with_mfa.org_a, "teams/new/"),
        {
            "name": "Night shift",
            "site": str(site.public_id),
            "members": [
                str(personas_with_mfa.owner.public_id),
                str(personas_with_mfa.director.public_id),
            ],
        },
    )
    assert response["Location"] == org_url(personas_with_mfa.org_a)
    team = Team.objects.get(name="Night shift")
    assert team.site == site
    assert set(team.members.all()) == {personas_with_mfa.owner, personas_with_mfa.director}
    event = audit_events(AuditAction.CREATE, team).get()
    assert event.detail == {"added": ["director_a", "owner"], "removed": []}
    html = page(client.get(org_url(personas_with_mfa.org_a)))
    row = re.search(r"<tr>\s*<td>Night shift</td>.*?</tr>", html, re.S)[0]
    assert "Centre" in row and "owner" in row and "director_a" in row


def test_team_members_from_another_organisation_are_not_offered(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.admin_user)
    response = client.post(
        org_url(personas_with_mfa.org_a, "teams/new/"),
        {"name": "Mixed", "members": [str(personas_with_mfa.outsider.public_id)]},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in page(response)
    assert not Team.objects.filter(name="Mixed").exists()


def test_team_edit_records_who_joined_and_left(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.admin_user)
    url = f"/staff/admin/teams/{personas_with_mfa.team_a.public_id}/edit/"
    html = page(client.get(url))
    response = client.post(
        url,
        {
            "name": "Team A",
            "members": [
                str(personas_with_mfa.owner.public_id),
                str(personas_with_mfa.director.public_id),
            ],
            "state": hidden_state(html),
        },
    )
    assert response.status_code == 302
    assert set(personas_with_mfa.team_a.members.all()) == {
        personas_with_mfa.owner,
        personas_with_mfa.director,
    }
    event = audit_events(AuditAction.UPDATE, personas_with_mfa.team_a).get()
    assert event.fields_changed == ["members"]
    assert event.detail == {"added": ["director_a"], "removed": ["teammate"]}


# --- Who may see what ---------------------------------------------------------------------------


def test_director_sees_own_organisation_only_and_without_edit_links(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.director)
    listing = page(client.get("/staff/admin/organisations/"))
    assert "County Rescue Centre" in listing
    assert "Other NGO" not in listing
    assert "New organisation" not in listing

    detail = client.get(org_url(personas_with_mfa.org_a))
    assert detail.status_code == 200
    assert "Team A" in page(detail)
    assert "/edit/" not in page(detail)
    assert "deactivate" not in page(detail)
    assert client.get(org_url(personas_with_mfa.org_b)).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/staff/admin/organisations/new/",
        "ORG_A/edit/",
        "ORG_A/sites/new/",
        "ORG_A/teams/new/",
        "TEAM_A",
    ],
)
def test_director_cannot_open_or_post_edit_pages(client, personas_with_mfa, path):
    path = path.replace("ORG_A/", org_url(personas_with_mfa.org_a)).replace(
        "TEAM_A", f"/staff/admin/teams/{personas_with_mfa.team_a.public_id}/edit/"
    )
    signed_in(client, personas_with_mfa.director)
    assert client.get(path).status_code == 404
    assert client.post(path, {"name": "Hijacked", "type": "NGO"}).status_code == 404
    assert not Organisation.objects.filter(name="Hijacked").exists()
    assert not Team.objects.filter(name="Hijacked").exists()


def test_director_cannot_deactivate_their_organisation(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.director)
    assert client.post(org_url(personas_with_mfa.org_a, "deactivate/")).status_code == 404
    assert client.get(org_url(personas_with_mfa.org_a, "deactivate/")).status_code == 404
    personas_with_mfa.org_a.refresh_from_db()
    assert personas_with_mfa.org_a.is_active


def test_outsider_sees_only_their_own_organisation(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.outsider)
    listing = page(client.get("/staff/admin/organisations/"))
    assert "Other NGO" in listing and "County Rescue Centre" not in listing
    assert client.get(org_url(personas_with_mfa.org_b)).status_code == 200
    assert client.get(org_url(personas_with_mfa.org_a)).status_code == 404


def test_case_manager_gets_404_on_every_organisation_page(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.owner)
    for path in [
        "/staff/admin/organisations/",
        "/staff/admin/organisations/new/",
        org_url(personas_with_mfa.org_a),
        org_url(personas_with_mfa.org_a, "edit/"),
        org_url(personas_with_mfa.org_a, "teams/new/"),
    ]:
        assert client.get(path).status_code == 404, path
    assert "Organisations" not in page(client.get("/staff/"))


def test_admin_sees_every_organisation_page(client, personas_with_mfa):
    site = Site.objects.create(
        organisation=personas_with_mfa.org_b, name="Clinic", type=SiteType.HOSPITAL
    )
    signed_in(client, personas_with_mfa.admin_user)
    for path in [
        "/staff/admin/organisations/",
        "/staff/admin/organisations/new/",
        org_url(personas_with_mfa.org_b),
        org_url(personas_with_mfa.org_b, "edit/"),
        org_url(personas_with_mfa.org_b, "sites/new/"),
        org_url(personas_with_mfa.org_b, "teams/new/"),
        f"/staff/admin/sites/{site.public_id}/edit/",
        f"/staff/admin/teams/{personas_with_mfa.team_b.public_id}/edit/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "<form" in page(response) or "Other NGO" in page(response)


def test_anonymous_is_sent_to_sign_in(client, personas_with_mfa):
    response = client.get(org_url(personas_with_mfa.org_a))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_unknown_organisation_is_404(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.admin_user)
    assert client.get(f"/staff/admin/organisations/{uuid.uuid4()}/").status_code == 404


def test_admin_menu_links_to_organisations_and_staff(client, personas_with_mfa):
    html = page(signed_in(client, personas_with_mfa.admin_user).get("/staff/"))
    assert 'href="/staff/admin/organisations/"' in html
    assert 'href="/staff/admin/staff/"' in html
