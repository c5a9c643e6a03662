"""Who may see and change survivor identities: as for their cases, plus merging for supervisors."""

from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import Role
from tumaini.core.access import BREAK_GLASS, CREATE, UPDATE, VIEW, Scope, declare

MERGE = "merge"

PERSON = declare(
    "person",
    label=_("Survivor identities"),
    survivor_data=True,
    description=_("Names, aliases, contacts, identity documents; duplicate detection and merges"),
    grants={
        Role.CASE_MANAGER: {VIEW: Scope.TEAM, CREATE: Scope.ORGANISATION, UPDATE: Scope.TEAM},
        Role.DIRECTOR: {
            VIEW: Scope.ORGANISATION,
            CREATE: Scope.ORGANISATION,
            UPDATE: Scope.ORGANISATION,
            MERGE: Scope.ORGANISATION,
            BREAK_GLASS: Scope.ALL,
        },
    },
)
