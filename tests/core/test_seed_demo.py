import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from tumaini.accounts.enums import Role
from tumaini.accounts.models import Organisation, RoleAssignment, Site, Team, User

DEMO_ROLES = {
    "admin": Role.SYSTEM_ADMIN,
    "director": Role.DIRECTOR,
    "caseworker": Role.CASE_MANAGER,
    "caseworker2": Role.CASE_MANAGER,
    "hotline": Role.HOTLINE_AGENT,
    "counsellor": Role.COUNSELLOR,
    "nurse": Role.MEDICAL_OFFICER,
    "legal": Role.LEGAL_OFFICER,
    "shelter": Role.SHELTER_MANAGER,
    "partner": Role.PARTNER_USER,
    "police": Role.LAW_ENFORCEMENT_LIAISON,
    "analyst": Role.COUNTY_ANALYST,
    "trainer": Role.TRAINER,
    "fundraiser": Role.FUNDRAISER,
    "comms": Role.COMMUNICATIONS,
}


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True
    settings.TUMAINI_DEMO_PASSWORD = "a-demo-password-for-tests"
    return settings


@pytest.mark.django_db
def test_seed_demo_outside_demo_and_debug_is_refused(settings):
    settings.DEMO_MODE = False
    settings.DEBUG = False

    with pytest.raises(CommandError, match="TUMAINI_DEMO=1"):
        _seed()

    assert not User.objects.exists()
    assert not Organisation.objects.exists()


def test_seed_demo_refusal_exits_non_zero(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"TUMAINI_DEMO", "TUMAINI_DEBUG", "DATABASE_URL"}
    }
    env["TUMAINI_DATA_DIR"] = str(tmp_path)

    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "only runs in demo mode" in result.stderr
    assert "Password" not in result.stdout


@pytest.mark.django_db
def test_seed_demo_in_debug_creates_the_demo_accounts(settings):
    settings.DEMO_MODE = False
    settings.DEBUG = True

    output = _seed()

    assert set(User.objects.values_list("username", flat=True)) == set(DEMO_ROLES)
    # Debug alone seeds, but warns that demo accounts cannot sign in without demo mode.
    assert "TUMAINI_DEMO is off" in output


@pytest.mark.django_db
def test_seed_demo_creates_every_demo_account_with_its_role(demo_mode):
    output = _seed()

    users = {user.username: user for user in User.objects.select_related("organisation")}
    assert set(users) == set(DEMO_ROLES)
    for username, role in DEMO_ROLES.items():
        assert users[username].role_codes == {role}, username
        assert users[username].is_demo is True
        assert users[username].get_full_name()
        assert username in output
    organisation = {name: user.organisation for name, user in users.items()}
    centre = organisation["director"]
    assert centre.county.name == "Nairobi City"
    assert "(demo)" in centre.name
    assert organisation["caseworker"] == centre
    assert organisation["caseworker2"].type == "NGO"
    assert organisation["caseworker2"] != centre
    assert organisation["partner"].type == "HealthServiceOrganisation"
    assert organisation["police"].type == "LawEnforcement"
    # The five organisations of the demo accounts; the partner directory adds about 25 more.
    from tumaini.core.demo import LEGAL_CLINIC, ORGANISATIONS

    assert Organisation.objects.get(name=LEGAL_CLINIC).type == "LegalService"
    assert Organisation.objects.filter(name__in=ORGANISATIONS).count() == 5
    assert all("(demo)" in name for name in Organisation.objects.values_list("name", flat=True))
    # The case managers belong to case-management teams of their own organisation.
    assert users["caseworker"].teams.get().organisation == centre
    assert users["caseworker2"].teams.get().organisation == organisation["caseworker2"]
    assert Team.objects.filter(organisation=centre).count() == 2
    shelter = Site.objects.get(type="shelter")
    assert shelter.is_confidential is True
    assert shelter.organisation == centre
    assert Site.objects.filter(type="rescue_centre", organisation=centre).exists()
    # The table of logins, the password and where to sign in.
    assert "Centre director / supervisor" in output
    assert "a-demo-password-for-tests" in output
    assert "/accounts/login/" in output


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing(demo_mode):
    _seed()
    snapshot = {
        "users": sorted(User.objects.values_list("username", "password", "organisation_id")),
        "roles": sorted(RoleAssignment.objects.values_list("user__username", "role", "id")),
        "organisations": sorted(Organisation.objects.values_list("id", "name")),
        "sites": sorted(Site.objects.values_list("id", "name")),
        "teams": sorted(Team.objects.values_list("id", "name")),
        "members": sorted(User.teams.through.objects.values_list("user_id", "team_id")),
    }

    _seed()

    assert snapshot == {
        "users": sorted(User.objects.values_list("username", "password", "organisation_id")),
        "roles": sorted(RoleAssignment.objects.values_list("user__username", "role", "id")),
        "organisations": sorted(Organisation.objects.values_list("id", "name")),
        "sites": sorted(Site.objects.values_list("id", "name")),
        "teams": sorted(Team.objects.values_list("id", "name")),
        "members": sorted(User.teams.through.objects.values_list("user_id", "team_id")),
    }


@pytest.mark.django_db
def test_seed_demo_again_resets_changed_demo_accounts(demo_mode):
    _seed()
    nurse = User.objects.get(username="nurse")
    nurse.set_password("something-else-entirely")
    nurse.is_active = False
    nurse.save()
    RoleAssignment.objects.create(user=nurse, role=Role.DIRECTOR)

    _seed()

    nurse.refresh_from_db()
    assert nurse.check_password("a-demo-password-for-tests")
    assert nurse.is_active
    assert nurse.role_codes == {Role.MEDICAL_OFFICER}


@pytest.mark.django_db
def test_seed_demo_never_takes_over_a_real_account(demo_mode):
    real = User.objects.create_user(username="director", password="a-real-secret-9876")

    with pytest.raises(CommandError, match="real account"):
        _seed()

    real.refresh_from_db()
    assert real.is_demo is False
    assert real.check_password("a-real-secret-9876")
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_demo_login_with_the_printed_password_works_in_demo_mode(demo_mode, client):
    output = _seed()
    password = output.split("Password for every demo account:")[1].split()[0]

    response = client.post(
        "/accounts/login/", {"login": "director", "password": password}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/staff/"
    page = response.content.decode()
    assert "Grace Wanjiku" in page
    assert "Nairobi County Rescue Centre (demo)" in page


@pytest.mark.django_db
def test_demo_login_outside_demo_mode_is_refused(settings, client):
    settings.DEBUG = True
    settings.DEMO_MODE = False
    output = _seed()
    password = output.split("Password for every demo account:")[1].split()[0]

    client.post("/accounts/login/", {"login": "director", "password": password})

    assert "Grace Wanjiku" not in client.get("/staff/", follow=True).content.decode()
