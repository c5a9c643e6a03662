"""Staff accounts: the system administrator creates, edits, deactivates accounts and sets roles;
a director sees their own organisation's staff, read-only."""

import re
import uuid
from html import unescape

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.db import connection

from tests.factories import PASSWORD, OrganisationFactory, TeamFactory, UserFactory
from tumaini.accounts.enums import Role
from tumaini.accounts.models import RoleAssignment, User
from tumaini.core.crypto import blind_index
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent

LIST_URL = "/staff/admin/staff/"
NEW_URL = "/staff/admin/staff/new/"


@pytest.fixture(autouse=True)
def _empty_cache(db):
    # Sign-in rate limits live in the cache.
    cache.clear()


def signed_in(client, user):
    client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


def staff_url(user, suffix=""):
    return f"/staff/admin/staff/{user.public_id}/{suffix}"


def hidden_state(html: str) -> str:
    return re.search(r'name="state" value="([0-9a-f]+)"', html)[1]


def edit_data(user, html, **changes):
    """The edit form as shown for `user`, with some values changed."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": user.phone,
        "organisation": str(user.organisation.public_id),
        "teams": [str(t.public_id) for t in user.teams.all()],
        "roles": sorted(user.role_assignments.values_list("role", flat=True)),
        "state": hidden_state(html),
    }
    data.update(changes)
    return data


def listed(html: str) -> set[str]:
    """The usernames in the staff table."""
    return set(re.findall(r'href="/staff/admin/staff/[0-9a-f-]{36}/">([^<]+)</a>', html))


def events(action, user):
    return AuditEvent.objects.filter(action=action, object_id=str(user.public_id)).order_by("id")


# --- The list -----------------------------------------------------------------------------------


def test_staff_list_shows_roles_teams_organisation_and_demo_badge(client, personas_with_mfa):
    UserFactory(username="demo_nurse", organisation=personas_with_mfa.org_a, is_demo=True)
    html = page(signed_in(client, personas_with_mfa.admin_user).get(LIST_URL))
    owner_row = re.search(r"<tr>\s*<td><a[^>]*>owner</a>.*?</tr>", html, re.S)[0]
    assert "Case manager" in owner_row
    assert "Team A" in owner_row
    assert "County Rescue Centre" in owner_row
    demo_row = re.search(r"<tr>\s*<td><a[^>]*>demo_nurse</a>.*?</tr>", html, re.S)[0]
    assert "Demo" in demo_row
    assert "Demo" not in owner_row
    assert "outsider" in listed(html)  # the administrator sees every organisation


def test_staff_list_searches_username_and_names(client, personas_with_mfa):
    UserFactory(
        username="wanjiku",
        first_name="Grace",
        last_name="Wanjiku",
        organisation=personas_with_mfa.org_a,
    )
    UserFactory(
        username="otieno",
        first_name="Paul",
        last_name="Otieno",
        organisation=personas_with_mfa.org_b,
    )
    signed_in(client, personas_with_mfa.admin_user)
    assert listed(page(client.get(LIST_URL, {"q": "grace"}))) == {"wanjiku"}
    assert listed(page(client.get(LIST_URL, {"q": "OTIE"}))) == {"otieno"}
    assert listed(page(client.get(LIST_URL, {"q": "Paul Otieno"}))) == {"otieno"}
    assert listed(page(client.get(LIST_URL, {"q": "mate"}))) == {"teammate"}


def test_staff_list_filters_by_organisation_and_role(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.admin_user)
    by_org = page(client.get(LIST_URL, {"organisation": str(personas_with_mfa.org_b.public_id)}))
    assert listed(by_org) == {"outsider"}
    by_role = page(client.get(LIST_URL, {"role": Role.CASE_MANAGER}))
    assert listed(by_role) == {"owner", "teammate"}
    both = page(
        client.get(
            LIST_URL,
            {"role": Role.DIRECTOR, "organisation": str(personas_with_mfa.org_a.public_id)},
        )
    )
    assert listed(both) == {"director_a"}


def test_staff_list_is_paginated_and_keeps_the_filters(client, personas_with_mfa):
    for n in range(30):
        UserFactory(username=f"volunteer{n:02d}", organisation=personas_with_mfa.org_b)
    signed_in(client, personas_with_mfa.admin_user)
    first = page(client.get(LIST_URL, {"q": "volunteer"}))
    assert "30 accounts" in first
    assert "volunteer00" in first and "volunteer29" not in first
    assert "Page 1 of 2" in first
    next_link = unescape(re.search(r'href="([^"]+)" rel="next"', first)[1])
    assert "q=volunteer" in next_link and "page=2" in next_link
    second = page(client.get(LIST_URL + next_link))
    assert "volunteer29" in second and "volunteer00" not in second


def test_staff_list_query_count_does_not_grow_with_users(
    client, personas_with_mfa, django_assert_max_num_queries
):
    org = OrganisationFactory(name="Counted")
    team = TeamFactory(organisation=org, name="Counted team")
    UserFactory(username="counted00", organisation=org, roles=[Role.COUNSELLOR], teams=[team])
    signed_in(client, personas_with_mfa.admin_user)
    client.get(LIST_URL)
    with django_assert_max_num_queries(20) as captured:
        response = client.get(LIST_URL, {"organisation": str(org.public_id)})
    assert "1 account" in page(response)
    with_one = len(captured.captured_queries)

    for n in range(1, 20):
        UserFactory(
            username=f"counted{n:02d}",
            organisation=org,
            roles=[Role.COUNSELLOR, Role.TRAINER],
            teams=[team],
        )
    with django_assert_max_num_queries(with_one):
        response = client.get(LIST_URL, {"organisation": str(org.public_id)})
    html = page(response)
    assert "20 accounts" in html
    assert html.count("Counted team") == 20
    assert html.count("Trainer") >= 19


# --- Creating an account ------------------------------------------------------------------------


def test_admin_creates_an_account_and_sees_the_generated_password_once(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.admin_user)
    response = client.post(
        NEW_URL,
        {
            "username": "akinyi",
            "first_name": "Akinyi",
            "last_name": "Odhiambo",
            "email": "akinyi@example.org",
            "phone": "0712 345678",
            "organisation": str(personas_with_mfa.org_a.public_id),
            "teams": [str(personas_with_mfa.team_a.public_id)],
            "roles": [Role.CASE_MANAGER, Role.COUNSELLOR],
            "password": "",
        },
    )
    html = page(response)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    password = unescape(re.search(r'<p class="one-time-secret"><code>([^<]+)</code>', html)[1])
    user = User.objects.get(username="akinyi")
    assert user.check_password(password)
    assert user.must_change_password
    assert user.phone == "+254712345678"
    assert user.organisation == personas_with_mfa.org_a
    assert list(user.teams.all()) == [personas_with_mfa.team_a]
    assert user.role_codes == {Role.CASE_MANAGER, Role.COUNSELLOR}
    assert not Authenticator.objects.filter(user=user).exists()

    # The detail page never shows it again.
    detail = page(client.get(staff_url(user)))
    assert password not in detail
    assert "Not set up yet" in detail

    # The password appears nowhere in the audit trail.
    created = events(AuditAction.CREATE, user).get()
    assert created.fields_changed == [
        "email",
        "first_name",
        "last_name",
        "organisation",
        "phone",
        "teams",
        "username",
    ]
    permission = events(AuditAction.PERMISSION, user).get()
    assert permission.detail == {"added": ["case_manager", "counsellor"], "removed": []}
    for event in AuditEvent.objects.all():
        row = f"{event.fields_changed} {event.detail} {event.reason}"
        assert password not in row
        assert "712345678" not in row


def test_new_account_must_change_its_password_at_first_sign_in(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.admin_user).post(
        NEW_URL,
        {
            "username": "baraka",
            "organisation": str(personas_with_mfa.org_a.public_id),
            "password": "kahawa-chungu-2026-njia",
        },
    )
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": "baraka", "password": "kahawa-chungu-2026-njia"}
    )
    assert response.status_code == 302
    # The password first, then the second factor (see tests/accounts/test_password_admin.py).
    assert client.get("/staff/")["Location"] == "/accounts/password/change/?next=%2Fstaff%2F"


def test_typed_password_must_pass_the_validators_and_the_form_keeps_the_rest(
    client, personas_with_mfa
):
    response = signed_in(client, personas_with_mfa.admin_user).post(
        NEW_URL,
        {
            "username": "chebet",
            "first_name": "Chebet",
            "organisation": str(personas_with_mfa.org_a.public_id),
            "roles": [Role.TRAINER],
            "password": "12345678",
        },
    )
    html = page(response)
    assert response.status_code == 200
    assert "too short" in html
    assert "entirely numeric" in html
    assert 'value="chebet"' in html and 'value="Chebet"' in html
    assert re.search(r'value="trainer"[^>]*checked', html)
    assert "12345678" not in html
    assert not User.objects.filter(username="chebet").exists()


def test_teams_must_belong_to_the_account_organisation(client, personas_with_mfa):
    response = signed_in(client, personas_with_mfa.admin_user).post(
        NEW_URL,
        {
            "username": "dalmas",
            "organisation": str(personas_with_mfa.org_a.public_id),
            "teams": [str(personas_with_mfa.team_b.public_id)],
        },
    )
    html = page(response)
    assert "Teams must belong to the person&#x27;s organisation: Team B" in html
    assert not User.objects.filter(username="dalmas").exists()


def test_duplicate_username_is_refused_next_to_the_field(client, personas_with_mfa):
    response = signed_in(client, personas_with_mfa.admin_user).post(
        NEW_URL, {"username": "owner", "organisation": str(personas_with_mfa.org_a.public_id)}
    )
    assert "A user with that username already exists." in page(response)
    assert User.objects.filter(username="owner").count() == 1


def test_invalid_phone_is_refused(client, personas_with_mfa):
    response = signed_in(client, personas_with_mfa.admin_user).post(
        NEW_URL,
        {
            "username": "esther",
            "organisation": str(personas_with_mfa.org_a.public_id),
            "phone": "12",
        },
    )
    assert "Enter a valid phone number." in page(response)
    assert not User.objects.filter(username="esther").exists()


# --- Editing ------------------------------------------------------------------------------------


def test_role_change_is_a_permission_event_with_added_and_removed(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.admin_user)
    html = page(client.get(staff_url(personas_with_mfa.owner, "edit/")))
    response = client.post(
        staff_url(personas_with_mfa.owner, "edit/"),
        edit_data(personas_with_mfa.owner, html, roles=[Role.COUNSELLOR, Role.TRAINER]),
    )
    assert response["Location"] == staff_url(personas_with_mfa.owner)
    personas_with_mfa.owner.__dict__.pop("_role_codes", None)
    assert personas_with_mfa.owner.role_codes == {Role.COUNSELLOR, Role.TRAINER}
    event = events(AuditAction.PERMISSION, personas_with_mfa.owner).get()
    assert event.detail == {"added": ["counsellor", "trainer"], "removed": ["case_manager"]}
    assert event.actor == personas_with_mfa.admin_user
    assert (
        RoleAssignment.objects.get(user=personas_with_mfa.owner, role=Role.TRAINER).granted_by
        == personas_with_mfa.admin_user
    )
    # Nothing else changed: no update event.
    assert not events(AuditAction.UPDATE, personas_with_mfa.owner).exists()


def test_user_edit_writes_an_update_with_field_names_and_never_the_phone(client, personas_with_mfa):
    personas_with_mfa.owner.phone = "+254700111222"
    personas_with_mfa.owner.save()
    signed_in(client, personas_with_mfa.admin_user)
    html = page(client.get(staff_url(personas_with_mfa.owner, "edit/")))
    assert 'value="+254700111222"' in html
    response = client.post(
        staff_url(personas_with_mfa.owner, "edit/"),
        edit_data(personas_with_mfa.owner, html, last_name="Mwangi", phone="0733 999888", teams=[]),
    )
    assert response.status_code == 302
    personas_with_mfa.owner.refresh_from_db()
    assert personas_with_mfa.owner.last_name == "Mwangi"
    assert personas_with_mfa.owner.phone == "+254733999888"
    # Exact search by phone still finds the person (the blind index followed the change).
    assert (
        User.objects.get(phone_index=blind_index("+254733999888", purpose="staff-phone"))
        == personas_with_mfa.owner
    )
    assert not personas_with_mfa.owner.teams.exists()
    event = events(AuditAction.UPDATE, personas_with_mfa.owner).get()
    assert event.fields_changed == ["last_name", "phone", "teams"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_auditevent")
        raw = repr(cursor.fetchall())
    assert "733999888" not in raw and "700111222" not in raw


def test_moving_an_account_to_another_organisation_requires_its_teams_to_follow(
    client, personas_with_mfa
):
    signed_in(client, personas_with_mfa.admin_user)
    html = page(client.get(staff_url(personas_with_mfa.owner, "edit/")))
    response = client.post(
        staff_url(personas_with_mfa.owner, "edit/"),
        edit_data(
            personas_with_mfa.owner, html, organisation=str(personas_with_mfa.org_b.public_id)
        ),
    )
    assert "Teams must belong to the person&#x27;s organisation: Team A" in page(response)
    personas_with_mfa.owner.refresh_from_db()
    assert personas_with_mfa.owner.organisation == personas_with_mfa.org_a

    response = client.post(
        staff_url(personas_with_mfa.owner, "edit/"),
        edit_data(
            personas_with_mfa.owner,
            html,
            organisation=str(personas_with_mfa.org_b.public_id),
            teams=[str(personas_with_mfa.team_b.public_id)],
        ),
    )
    assert response.status_code == 302
    personas_with_mfa.owner.refresh_from_db()
    assert personas_with_mfa.owner.organisation == personas_with_mfa.org_b
    assert list(personas_with_mfa.owner.teams.all()) == [personas_with_mfa.team_b]


def test_stale_edit_form_is_refused_with_a_message(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.admin_user)
    html = page(client.get(staff_url(personas_with_mfa.owner, "edit/")))
    # Another administrator changes the roles meanwhile.
    RoleAssignment.objects.create(user=personas_with_mfa.owner, role=Role.TRAINER)
    response = client.post(
        staff_url(personas_with_mfa.owner, "edit/"),
        edit_data(personas_with_mfa.owner, html, first_name="Stale"),
    )
    page_html = page(response)
    assert response.status_code == 200
    assert "Someone else changed this record" in page_html
    assert 'value="Stale"' in page_html
    personas_with_mfa.owner.refresh_from_db()
    assert personas_with_mfa.owner.first_name == "Test"
    assert not events(AuditAction.UPDATE, personas_with_mfa.owner).exists()


def test_admin_cannot_remove_their_own_system_admin_role(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.admin_user)
    html = page(client.get(staff_url(personas_with_mfa.admin_user, "edit/")))
    response = client.post(
        staff_url(personas_with_mfa.admin_user, "edit/"),
        edit_data(personas_with_mfa.admin_user, html, roles=[Role.DIRECTOR]),
    )
    assert "You cannot remove your own system administrator role." in page(response)
    assert set(personas_with_mfa.admin_user.role_assignments.values_list("role", flat=True)) == {
        Role.SYSTEM_ADMIN
    }
    assert not events(AuditAction.PERMISSION, personas_with_mfa.admin_user).exists()


def test_only_a_system_admin_may_grant_the_system_admin_role(personas_with_mfa):
    from django.core.exceptions import ValidationError

    from tumaini.accounts import services

    with pytest.raises(ValidationError, match="Only a system administrator"):
        services.user_set_roles(
            actor=personas_with_mfa.director,
            user=personas_with_mfa.owner,
            roles=[Role.SYSTEM_ADMIN],
        )
    assert not personas_with_mfa.owner.role_assignments.filter(role=Role.SYSTEM_ADMIN).exists()
    services.user_set_roles(
        actor=personas_with_mfa.admin_user, user=personas_with_mfa.owner, roles=[Role.SYSTEM_ADMIN]
    )
    assert personas_with_mfa.owner.role_assignments.filter(role=Role.SYSTEM_ADMIN).exists()


# --- Deactivation and MFA reset -----------------------------------------------------------------


def test_deactivated_account_cannot_sign_in_and_can_be_reactivated(client, personas_with_mfa):
    admin = signed_in(client, personas_with_mfa.admin_user)
    response = admin.post(staff_url(personas_with_mfa.owner, "deactivate/"), follow=True)
    assert "this person can no longer sign in" in page(response)
    personas_with_mfa.owner.refresh_from_db()
    assert personas_with_mfa.owner.is_active is False
    assert events(AuditAction.UPDATE, personas_with_mfa.owner).get().fields_changed == ["is_active"]

    other = client.__class__()
    refused = other.post("/accounts/login/", {"login": "owner", "password": PASSWORD})
    assert refused["Location"] == "/accounts/inactive/"
    assert "_auth_user_id" not in other.session

    admin.post(staff_url(personas_with_mfa.owner, "reactivate/"))
    personas_with_mfa.owner.refresh_from_db()
    assert personas_with_mfa.owner.is_active is True
    # The password is accepted again; the second factor comes next.
    accepted = other.post("/accounts/login/", {"login": "owner", "password": PASSWORD})
    assert accepted["Location"] == "/accounts/2fa/authenticate/"


def test_deactivation_ends_the_persons_current_session(client, personas_with_mfa):
    owner_client = client.__class__()
    owner_client.force_login(personas_with_mfa.owner)
    assert owner_client.get("/staff/").status_code == 200
    signed_in(client, personas_with_mfa.admin_user).post(
        staff_url(personas_with_mfa.owner, "deactivate/")
    )
    response = owner_client.get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_admin_cannot_deactivate_themself(client, personas_with_mfa):
    response = signed_in(client, personas_with_mfa.admin_user).post(
        staff_url(personas_with_mfa.admin_user, "deactivate/"), follow=True
    )
    assert "You cannot deactivate your own account." in page(response)
    personas_with_mfa.admin_user.refresh_from_db()
    assert personas_with_mfa.admin_user.is_active
    assert "Deactivate account" not in page(client.get(staff_url(personas_with_mfa.admin_user)))


def test_reset_mfa_removes_authenticators_and_records_the_reason(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.admin_user)
    form = client.get(staff_url(personas_with_mfa.owner, "reset-mfa/"))
    assert "Reason" in page(form)
    refused = client.post(staff_url(personas_with_mfa.owner, "reset-mfa/"), {"reason": "  "})
    assert "This field is required." in page(refused)
    assert Authenticator.objects.filter(user=personas_with_mfa.owner).exists()

    response = client.post(
        staff_url(personas_with_mfa.owner, "reset-mfa/"),
        {"reason": "Phone stolen, confirmed by call back"},
    )
    assert response["Location"] == staff_url(personas_with_mfa.owner)
    assert not Authenticator.objects.filter(user=personas_with_mfa.owner).exists()
    event = events(AuditAction.MFA, personas_with_mfa.owner).get()
    assert event.reason == "Phone stolen, confirmed by call back"
    assert event.detail == {"removed": ["totp"]}
    assert event.actor == personas_with_mfa.admin_user

    owner_client = client.__class__()
    owner_client.force_login(personas_with_mfa.owner)
    assert owner_client.get("/staff/")["Location"] == "/accounts/2fa/totp/activate/"


# --- Who may see what ---------------------------------------------------------------------------


def test_director_sees_own_organisation_staff_read_only(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.director)
    html = page(client.get(LIST_URL))
    assert listed(html) == {"owner", "teammate", "director_a", "sysadmin"}
    assert "New staff account" not in html
    # Filtering on another organisation shows nothing of it.
    response = client.get(LIST_URL, {"organisation": str(personas_with_mfa.org_b.public_id)})
    assert "outsider" not in listed(page(response))

    detail = client.get(staff_url(personas_with_mfa.owner))
    assert detail.status_code == 200
    assert "Case manager" in page(detail)
    assert "/edit/" not in page(detail) and "deactivate" not in page(detail)
    assert "reset-mfa" not in page(detail)
    assert "reset-password" not in page(detail)
    assert client.get(staff_url(personas_with_mfa.outsider)).status_code == 404


def test_director_cannot_open_or_post_any_staff_edit_page(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.director)
    for path in [
        NEW_URL,
        staff_url(personas_with_mfa.owner, "edit/"),
        staff_url(personas_with_mfa.owner, "reset-mfa/"),
        staff_url(personas_with_mfa.owner, "reset-password/"),
        staff_url(personas_with_mfa.owner, "deactivate/"),
        staff_url(personas_with_mfa.owner, "reactivate/"),
    ]:
        assert client.get(path).status_code == 404, path
        assert client.post(path, {"username": "hijack", "reason": "x"}).status_code == 404, path
    personas_with_mfa.owner.refresh_from_db()
    assert personas_with_mfa.owner.is_active and personas_with_mfa.owner.username == "owner"
    assert Authenticator.objects.filter(user=personas_with_mfa.owner).exists()
    assert personas_with_mfa.owner.check_password(PASSWORD)
    assert not User.objects.filter(username="hijack").exists()


def test_outsider_sees_only_their_organisation_staff(client, personas_with_mfa):
    UserFactory(username="ngo_worker", organisation=personas_with_mfa.org_b)
    signed_in(client, personas_with_mfa.outsider)
    html = page(client.get(LIST_URL))
    assert listed(html) == {"ngo_worker", "outsider"}
    assert client.get(staff_url(personas_with_mfa.owner)).status_code == 404
    assert client.get(staff_url(personas_with_mfa.outsider)).status_code == 200


def test_case_manager_gets_404_on_every_staff_page(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.owner)
    for path in [
        LIST_URL,
        NEW_URL,
        staff_url(personas_with_mfa.owner),
        staff_url(personas_with_mfa.teammate, "edit/"),
    ]:
        assert client.get(path).status_code == 404, path
    assert "/staff/admin/staff/" not in page(client.get("/staff/"))


def test_admin_gets_every_staff_page(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.admin_user)
    expectations = {
        LIST_URL: "outsider",
        NEW_URL: "Initial password",
        staff_url(personas_with_mfa.outsider): "Other NGO",
        staff_url(personas_with_mfa.outsider, "edit/"): 'value="outsider"',
        staff_url(personas_with_mfa.outsider, "reset-mfa/"): "Reason",
        staff_url(personas_with_mfa.outsider, "reset-password/"): "Reason",
    }
    for path, expected in expectations.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert expected in page(response), path


def test_anonymous_is_sent_to_sign_in_from_staff_pages(client, personas_with_mfa):
    for path in [
        LIST_URL,
        NEW_URL,
        staff_url(personas_with_mfa.owner),
        staff_url(personas_with_mfa.owner, "edit/"),
    ]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_unknown_or_malformed_staff_id_is_404(client, personas_with_mfa):
    signed_in(client, personas_with_mfa.admin_user)
    assert client.get(f"/staff/admin/staff/{uuid.uuid4()}/").status_code == 404
    assert client.get(f"/staff/admin/staff/{personas_with_mfa.owner.pk}/").status_code == 404
