"""Who may see and handle the hotline desk's records.

A call log says who rang, about whom and what they were told: survivor data, never the system
administrator's. The caller's phone number is a resource of its own (hotline supervisors only), like a
report's reporter contact. The on-duty roster holds staff phone numbers, not survivor data; agents see
who is on duty, supervisors and directors manage it.
"""

from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import Role
from tumaini.core.access import CREATE, DELETE, UPDATE, VIEW, Scope, declare

HOTLINE_CALL = declare(
    "hotline_call",
    label=_("Hotline calls"),
    survivor_data=True,
    description=_(
        "The hotline's call log: who called, what about, the advice given and follow-ups. An "
        "agent edits the calls they logged; a supervisor any call of the organisation."
    ),
    grants={
        Role.HOTLINE_AGENT: {
            VIEW: Scope.ORGANISATION,
            CREATE: Scope.ORGANISATION,
            UPDATE: Scope.OWN,
        },
        Role.HOTLINE_SUPERVISOR: {
            VIEW: Scope.ORGANISATION,
            CREATE: Scope.ORGANISATION,
            UPDATE: Scope.ORGANISATION,
        },
        Role.DIRECTOR: {VIEW: Scope.ORGANISATION},
    },
)

CALLER_PHONE = declare(
    "hotline_caller_phone",
    label=_("Callers' phone numbers"),
    survivor_data=True,
    description=_("The phone number a caller gave the hotline"),
    grants={Role.HOTLINE_SUPERVISOR: {VIEW: Scope.ORGANISATION}},
)

HOTLINE_ROSTER = declare(
    "hotline_roster",
    label=_("Hotline on-duty roster"),
    survivor_data=False,
    description=_(
        "Who answers the voice line when, and the number it dials for them (shown to those who "
        "manage the roster)"
    ),
    grants={
        Role.HOTLINE_AGENT: {VIEW: Scope.ORGANISATION},
        Role.HOTLINE_SUPERVISOR: {
            VIEW: Scope.ORGANISATION,
            CREATE: Scope.ORGANISATION,
            DELETE: Scope.ORGANISATION,
        },
        Role.DIRECTOR: {
            VIEW: Scope.ORGANISATION,
            CREATE: Scope.ORGANISATION,
            DELETE: Scope.ORGANISATION,
        },
    },
)
