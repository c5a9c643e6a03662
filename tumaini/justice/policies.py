"""Who may see and change a survivor's access to justice.

The legal officer assigned to a matter works on it; the case's manager and team see it beside the
case and may open it (with the survivor's consent to cooperate with law enforcement); directors
see and assign every matter of the centre. Police liaisons do not read it: what the police receive
goes through escalated reports and consented referrals only.
"""

from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import Role
from tumaini.core.access import BREAK_GLASS, CREATE, UPDATE, VIEW, Scope, declare

ASSIGN = "assign"

JUSTICE_MATTER = declare(
    "justice_matter",
    label=_("Access to justice"),
    survivor_data=True,
    description=_(
        "Police reports, prosecutions, hearings, victim impact statements, protective measures "
        "and restitution of a survivor's case"
    ),
    grants={
        Role.LEGAL_OFFICER: {VIEW: Scope.OWN, UPDATE: Scope.OWN},
        Role.CASE_MANAGER: {VIEW: Scope.TEAM, CREATE: Scope.TEAM},
        Role.DIRECTOR: {
            VIEW: Scope.ORGANISATION,
            CREATE: Scope.ORGANISATION,
            UPDATE: Scope.ORGANISATION,
            ASSIGN: Scope.ORGANISATION,
            BREAK_GLASS: Scope.ALL,
        },
    },
)
