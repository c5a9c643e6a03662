from tumaini.accounts.enums import Role
from tumaini.core.access import BREAK_GLASS, UPDATE, VIEW, Scope, declare

DOSSIER = declare(
    "test_dossier",
    label="Test dossier",
    survivor_data=True,
    grants={
        Role.CASE_MANAGER: {VIEW: Scope.TEAM, UPDATE: Scope.OWN},
        Role.DIRECTOR: {
            VIEW: Scope.ORGANISATION,
            UPDATE: Scope.ORGANISATION,
            BREAK_GLASS: Scope.ALL,
        },
    },
)
