"""The access policy applied to a survivor-like record (tests/testapp Dossier), through pages."""

import pytest

from tests.testapp.helpers import sign_in
from tests.testapp.models import Dossier
from tumaini.accounts.enums import Role
from tumaini.core import access
from tumaini.core.access import Scope
from tumaini.core.models import AuditEvent

pytestmark = pytest.mark.urls("tests.testapp.urls")

SUBJECT = "Wanjiru Kamau"


@pytest.fixture
def dossier(personas):
    return Dossier.objects.create(
        organisation=personas.org_a,
        team=personas.team_a,
        assigned_to=personas.owner,
        subject_name=SUBJECT,
        label="intake",
    )


def _detail(dossier):
    return f"/test/dossiers/{dossier.public_id}/"


def _update(dossier):
    return f"/test/dossiers/{dossier.public_id}/update/"


def _views_of(dossier):
    return AuditEvent.objects.filter(action="view", object_id=str(dossier.public_id))


@pytest.mark.parametrize("persona", ["owner", "teammate", "director"])
def test_dossier_detail_in_scope_shows_decrypted_name_and_audits_one_view(
    client, personas, dossier, persona
):
    user = getattr(personas, persona)
    response = sign_in(client, user).get(_detail(dossier))
    assert response.status_code == 200
    assert SUBJECT in response.content.decode()
    events = list(_views_of(dossier))
    assert len(events) == 1
    assert events[0].actor_id == user.pk
    assert events[0].object_type == "testapp.dossier"
    assert events[0].object_organisation_id == personas.org_a.pk
    assert events[0].reason == ""
    assert events[0].detail == {}


@pytest.mark.parametrize("persona", ["outsider", "admin_user"])
def test_dossier_detail_out_of_scope_is_404_without_view_event(client, personas, dossier, persona):
    response = sign_in(client, getattr(personas, persona)).get(_detail(dossier))
    assert response.status_code == 404
    assert SUBJECT not in response.content.decode()
    assert not _views_of(dossier).exists()


def test_dossier_detail_unknown_id_is_the_same_404(client, personas, dossier):
    response = sign_in(client, personas.owner).get(
        "/test/dossiers/00000000-0000-4000-8000-000000000000/"
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="view").exists()


def test_dossier_detail_anonymous_redirects_to_login(client, dossier):
    response = client.get(_detail(dossier))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not _views_of(dossier).exists()


def _post_update(client, dossier, *, name, version):
    return client.post(
        _update(dossier), {"subject_name": name, "label": "updated", "version": version}
    )


def test_dossier_update_by_owner_saves_and_audits_fields_changed(client, personas, dossier):
    response = _post_update(
        sign_in(client, personas.owner), dossier, name="Achieng Otieno", version=1
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.subject_name == "Achieng Otieno"
    assert dossier.version == 2
    event = AuditEvent.objects.get(action="update", object_id=str(dossier.public_id))
    assert event.fields_changed == ["label", "subject_name"]
    # Names of fields only: never the values.
    assert "Achieng" not in str(event.detail) and "Achieng" not in event.reason


@pytest.mark.parametrize("persona", ["teammate", "admin_user", "outsider"])
def test_dossier_update_out_of_update_scope_is_404_and_changes_nothing(
    client, personas, dossier, persona
):
    response = _post_update(
        sign_in(client, getattr(personas, persona)), dossier, name="Someone Else", version=1
    )
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.subject_name == SUBJECT
    assert dossier.version == 1
    assert not AuditEvent.objects.filter(action="update").exists()


def test_dossier_update_with_stale_version_is_refused_and_keeps_both_edits_visible(
    client, personas, dossier
):
    sign_in(client, personas.owner)
    first = _post_update(client, dossier, name="First Edit", version=1)
    assert first.status_code == 302
    second = _post_update(client, dossier, name="Second Edit", version=1)
    assert second.status_code == 409
    page = second.content.decode()
    assert "Someone else changed this record" in page
    # What the second user typed is still in the form, and the current value is shown.
    assert 'value="Second Edit"' in page
    assert "First Edit" in page
    dossier.refresh_from_db()
    assert dossier.subject_name == "First Edit"
    assert dossier.version == 2
    assert AuditEvent.objects.filter(action="update").count() == 1


def test_dossier_update_after_conflict_can_be_resubmitted_against_current_version(
    client, personas, dossier
):
    sign_in(client, personas.owner)
    _post_update(client, dossier, name="First Edit", version=1)
    conflict = _post_update(client, dossier, name="Second Edit", version=1)
    assert 'name="version" value="2"' in conflict.content.decode()
    again = _post_update(client, dossier, name="Second Edit", version=2)
    assert again.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.subject_name, dossier.version) == ("Second Edit", 3)


def test_dossier_update_keeps_blind_index_in_step(client, personas, dossier):
    from tumaini.core.crypto import blind_index

    _post_update(sign_in(client, personas.owner), dossier, name="Achieng Otieno", version=1)
    assert Dossier.objects.filter(
        subject_name_index=blind_index("achieng otieno", purpose="dossier-name")
    ).exists()


# --- access.scoped, unit level -------------------------------------------------------------------


@pytest.fixture
def dossiers(personas):
    """One dossier per relation to `owner`: own, team, organisation, other organisation."""
    from tests.factories import UserFactory

    colleague = UserFactory(username="colleague", organisation=personas.org_a, roles=[])
    return {
        "own": Dossier.objects.create(
            organisation=personas.org_a,
            team=personas.team_a,
            assigned_to=personas.owner,
            subject_name="Own",
        ),
        "team": Dossier.objects.create(
            organisation=personas.org_a,
            team=personas.team_a,
            assigned_to=personas.teammate,
            subject_name="Team",
        ),
        "organisation": Dossier.objects.create(
            organisation=personas.org_a,
            team=None,
            assigned_to=colleague,
            subject_name="Org",
        ),
        "other": Dossier.objects.create(
            organisation=personas.org_b,
            team=personas.team_b,
            assigned_to=None,
            subject_name="Other",
        ),
    }


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (Scope.NONE, set()),
        (Scope.OWN, {"own"}),
        (Scope.TEAM, {"own", "team"}),
        (Scope.ORGANISATION, {"own", "team", "organisation"}),
        (Scope.ALL, {"own", "team", "organisation", "other"}),
    ],
)
def test_scoped_returns_exactly_the_rows_of_each_scope(personas, dossiers, scope, expected):
    resource = access.declare(
        f"test_scope_{scope.value}",
        label="scope probe",
        survivor_data=True,
        grants={Role.CASE_MANAGER: {"view": scope}},
    )
    try:
        rows = access.scoped(personas.owner, resource, "view", Dossier.objects.all())
        names = {name for name, row in dossiers.items() if row in rows}
        assert names == expected
    finally:
        access.REGISTRY.pop(resource.name)


def test_scoped_gives_nothing_to_an_inactive_user(personas, dossiers):
    personas.director.is_active = False
    assert not access.scoped(personas.director, "test_dossier", "view", Dossier.objects.all())


@pytest.mark.parametrize("scope", [Scope.OWN, Scope.TEAM, Scope.ORGANISATION, Scope.ALL])
def test_declare_survivor_data_with_system_admin_grant_raises(scope):
    with pytest.raises(access.PolicyError, match="system administrator"):
        access.declare(
            "test_forbidden",
            label="forbidden",
            survivor_data=True,
            grants={Role.SYSTEM_ADMIN: {"export": scope}},
        )
    assert "test_forbidden" not in access.REGISTRY


def test_declare_non_survivor_data_may_grant_system_admin():
    resource = access.declare(
        "test_allowed",
        label="allowed",
        survivor_data=False,
        grants={Role.SYSTEM_ADMIN: {"view": Scope.ALL}},
    )
    access.REGISTRY.pop(resource.name)
    assert resource.grants[Role.SYSTEM_ADMIN]["view"] == Scope.ALL
