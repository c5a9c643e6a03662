"""Who may do what with care delivery.

Deliveries and appointments belong to a case. Case managers reach them on their own and their team's
cases, directors on their organisation's. Counsellors, nurses and legal officers have scope `own`:
the cases whose care team they are on — they are responsible for a goal of the case's care plan, or
they hold an appointment with the survivor (see `care.selectors.scope`). Follow-ups after leaving are
case management: case managers and directors only. Shelter managers, partners, analysts, the system
administrator and other organisations get nothing (404).
"""

from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import Role
from tumaini.core.access import CREATE, UPDATE, VIEW, Scope, declare

CARE_TEAM_ROLES = (Role.COUNSELLOR, Role.MEDICAL_OFFICER, Role.LEGAL_OFFICER)

CARE_DELIVERY = declare(
    "care_delivery",
    label=_("Services delivered"),
    survivor_data=True,
    description=_("Services given to a survivor: what, when, by whom, outcome and cost"),
    grants={
        Role.CASE_MANAGER: {VIEW: Scope.TEAM, CREATE: Scope.TEAM},
        Role.DIRECTOR: {VIEW: Scope.ORGANISATION, CREATE: Scope.ORGANISATION},
        **{role: {VIEW: Scope.OWN, CREATE: Scope.OWN} for role in CARE_TEAM_ROLES},
    },
)

APPOINTMENT = declare(
    "appointment",
    label=_("Appointments"),
    survivor_data=True,
    description=_("Appointments of survivors with staff, and their SMS reminders"),
    grants={
        Role.CASE_MANAGER: {VIEW: Scope.TEAM, CREATE: Scope.TEAM, UPDATE: Scope.TEAM},
        Role.DIRECTOR: {
            VIEW: Scope.ORGANISATION,
            CREATE: Scope.ORGANISATION,
            UPDATE: Scope.ORGANISATION,
        },
        **{
            role: {VIEW: Scope.OWN, CREATE: Scope.OWN, UPDATE: Scope.OWN}
            for role in CARE_TEAM_ROLES
        },
    },
)

FOLLOW_UP = declare(
    "follow_up",
    label=_("Follow-ups after leaving"),
    survivor_data=True,
    description=_("Contacts at 1, 3, 6 and 12 months after a survivor left"),
    grants={
        Role.CASE_MANAGER: {VIEW: Scope.TEAM, UPDATE: Scope.TEAM},
        Role.DIRECTOR: {VIEW: Scope.ORGANISATION, UPDATE: Scope.ORGANISATION},
    },
)

SERVICE_CATALOGUE = declare(
    "service_catalogue",
    label=_("Service catalogue"),
    survivor_data=False,
    description=_("The services the organisation offers, in-house or through partners"),
    grants={
        Role.DIRECTOR: {
            VIEW: Scope.ORGANISATION,
            CREATE: Scope.ORGANISATION,
            UPDATE: Scope.ORGANISATION,
        },
        Role.CASE_MANAGER: {VIEW: Scope.ORGANISATION},
        **{role: {VIEW: Scope.ORGANISATION} for role in CARE_TEAM_ROLES},
    },
)
