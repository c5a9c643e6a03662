"""Shared fixtures: the personas every access-matrix test uses.

- `owner`: a case manager in team A of organisation A (records assigned to them are "own");
- `teammate`: another case manager in team A;
- `director`: the director of organisation A;
- `outsider`: a director of organisation B (other organisation);
- `admin_user`: the system administrator (organisation A), who reads no survivor data.
"""

from types import SimpleNamespace

import pytest

from tests.factories import PASSWORD, OrganisationFactory, TeamFactory, UserFactory
from tests.testapp.helpers import give_totp
from tumaini.accounts.enums import Role


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Test databases are emptied between transactional tests with DELETE/TRUNCATE, which the
    # audit table's append-only triggers refuse. Tests that check the triggers install them.
    from django.db import connection

    from tumaini.core.audit import remove_append_only_guard

    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        remove_append_only_guard(editor)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def personas(db):
    org_a = OrganisationFactory(name="County Rescue Centre")
    org_b = OrganisationFactory(name="Other NGO")
    team_a = TeamFactory(organisation=org_a, name="Team A")
    team_b = TeamFactory(organisation=org_b, name="Team B")
    return SimpleNamespace(
        org_a=org_a,
        org_b=org_b,
        team_a=team_a,
        team_b=team_b,
        owner=UserFactory(
            username="owner", organisation=org_a, roles=[Role.CASE_MANAGER], teams=[team_a]
        ),
        teammate=UserFactory(
            username="teammate", organisation=org_a, roles=[Role.CASE_MANAGER], teams=[team_a]
        ),
        director=UserFactory(username="director_a", organisation=org_a, roles=[Role.DIRECTOR]),
        outsider=UserFactory(username="outsider", organisation=org_b, roles=[Role.DIRECTOR]),
        admin_user=UserFactory(username="sysadmin", organisation=org_a, roles=[Role.SYSTEM_ADMIN]),
    )


@pytest.fixture
def personas_with_mfa(personas):
    """The personas, each with TOTP set up, for tests that sign them in with force_login."""
    for user in (
        personas.owner,
        personas.teammate,
        personas.director,
        personas.outsider,
        personas.admin_user,
    ):
        give_totp(user)
    return personas


@pytest.fixture(autouse=True)
def _default_language():
    # A request in Kiswahili leaves the language active in this thread (LocaleMiddleware does not
    # reset it): every test starts, and ends, in the default language.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _plain_http(settings):
    # Tests run with production settings, except that the test client speaks plain http.
    settings.SECURE_SSL_REDIRECT = False
    # A deliberately fast hasher: the real one (PBKDF2, a million rounds) would make every persona
    # cost half a second. Tests of password rules do not depend on the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
