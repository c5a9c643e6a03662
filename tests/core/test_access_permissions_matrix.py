"""`manage.py permissions_matrix` renders the access policy into docs/permissions.md."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tumaini.accounts.enums import Role
from tumaini.core import access
from tumaini.core.access import Scope

REGENERATE = ".venv/bin/python manage.py permissions_matrix"


def test_committed_permissions_matrix_is_up_to_date():
    try:
        call_command("permissions_matrix", "--check", stdout=StringIO())
    except CommandError as error:
        pytest.fail(
            f"docs/permissions.md does not match the declared policy: run `{REGENERATE}` ({error})"
        )


def test_permissions_matrix_renders_roles_actions_and_scopes(tmp_path):
    output = tmp_path / "permissions.md"
    call_command("permissions_matrix", "--output", str(output), stdout=StringIO())
    text = output.read_text()
    assert "## Audit trail (`audit_event`)" in text
    assert "| role | view | export |" in text
    assert "| Centre director / supervisor | my organisation | my organisation |" in text
    assert "| Hotline supervisor | my organisation | — |" in text
    # The test suite's own resources never reach the docs.
    assert "test_dossier" not in text


def test_permissions_matrix_marks_survivor_data_resources(tmp_path):
    resource = access.declare(
        "case_probe",
        label="Case probe",
        survivor_data=True,
        grants={Role.CASE_MANAGER: {"view": Scope.TEAM, "update": Scope.OWN}},
    )
    try:
        output = tmp_path / "permissions.md"
        call_command("permissions_matrix", "--output", str(output), stdout=StringIO())
        text = output.read_text()
    finally:
        access.REGISTRY.pop(resource.name)
    assert "| Case probe | `case_probe` | **yes** |" in text
    assert "*Survivor data: reads are audited; no system administrator access.*" in text
    assert "| Case manager | my team | own (assigned to me) |" in text


def test_permissions_matrix_check_fails_on_outdated_file(tmp_path):
    output = tmp_path / "permissions.md"
    output.write_text("# Permissions matrix\n\nold\n")
    with pytest.raises(CommandError, match="permissions_matrix"):
        call_command("permissions_matrix", "--check", "--output", str(output), stdout=StringIO())
    call_command("permissions_matrix", "--output", str(output), stdout=StringIO())
    call_command("permissions_matrix", "--check", "--output", str(output), stdout=StringIO())
