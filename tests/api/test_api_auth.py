from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tumaini.api.models import ApiToken
from tumaini.api.services import api_token_issue, api_token_revoke
from tumaini.core.models import AuditEvent


def _bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.mark.django_db
def test_me_with_a_token_answers_as_the_tokens_user(client, personas):
    _, plain = api_token_issue(user=personas.director, name="county BI")
    response = client.get("/api/me", **_bearer(plain))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "director_a"
    assert body["organisation"] == "County Rescue Centre"
    assert body["roles"] == ["director"]
    assert body["permissions"]["audit_event"]["view"] == "organisation"


@pytest.mark.django_db
def test_me_without_credentials_is_refused(client):
    response = client.get("/api/me")
    assert response.status_code == 401


@pytest.mark.django_db
def test_a_revoked_or_expired_or_unknown_token_is_refused(client, personas):
    token, plain = api_token_issue(user=personas.owner, name="old")
    api_token_revoke(token=token)
    assert client.get("/api/me", **_bearer(plain)).status_code == 401

    token, plain = api_token_issue(user=personas.owner, name="expired")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/me", **_bearer(plain)).status_code == 401

    assert client.get("/api/me", **_bearer("tum_not-a-real-token")).status_code == 401


@pytest.mark.django_db
def test_a_deactivated_users_token_is_refused(client, personas):
    _, plain = api_token_issue(user=personas.owner, name="x")
    personas.owner.is_active = False
    personas.owner.save()
    assert client.get("/api/me", **_bearer(plain)).status_code == 401


@pytest.mark.django_db
def test_only_a_hash_of_the_token_is_stored_and_issuing_is_audited(personas):
    token, plain = api_token_issue(user=personas.owner, name="x", actor=personas.admin_user)
    stored = ApiToken.objects.values_list("token_hash", "prefix").get(pk=token.pk)
    assert plain not in stored[0]
    assert plain.startswith(stored[1])
    event = AuditEvent.objects.get(object_type="api.apitoken", object_id=str(token.public_id))
    assert event.action == "create"
    assert event.actor_username == "sysadmin"
    assert plain not in str(event.detail)


@pytest.mark.django_db
def test_system_administrator_token_grants_no_survivor_data(client, personas):
    _, plain = api_token_issue(user=personas.admin_user, name="ops")
    permissions = client.get("/api/me", **_bearer(plain)).json()["permissions"]
    from tumaini.core.access import REGISTRY

    survivor_resources = {name for name, res in REGISTRY.items() if res.survivor_data}
    assert survivor_resources, "the test app declares at least one survivor-data resource"
    assert not survivor_resources & set(permissions)


@pytest.mark.django_db
def test_openapi_document_lists_the_routes(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/me" in response.json()["paths"]


@pytest.mark.django_db
def test_api_token_command_prints_a_working_token(client, personas, capsys):
    call_command("api_token", "director_a", "--name", "cli")
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("tum_")]
    assert len(printed) == 1
    assert client.get("/api/me", **_bearer(printed[0])).json()["username"] == "director_a"
