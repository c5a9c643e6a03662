"""Who may do what in the shelter.

- Shelter managers and directors of the organisation run its facilities: the board, admissions,
  transfers, discharges, the waiting list, the house log and the figures. Only they see a facility's
  address.
- Case managers see the shelter part of the cases they carry (scope team, through the case): the
  bed and facility name, never the address, and the stay history; they ask for a bed (waiting list).
- A shelter manager sees residents' shelter data (name as the case list shows it, case number, sex,
  age band, bed, dates) but not the case file: the `case` resource grants them nothing.
- Counsellors, partners, analysts and the system administrator get nothing here.
"""

from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import Role
from tumaini.core.access import CREATE, UPDATE, VIEW, Scope, declare

VIEW_ADDRESS = "view_address"
ADMIT = "admit"

SHELTER_FACILITY = declare(
    "shelter_facility",
    label=_("Shelter facilities"),
    survivor_data=False,
    description=_(
        "Facilities, rooms and beds, capacity and occupancy figures; the confidential address"
    ),
    grants={
        # Setting up facilities, rooms and beds: the people who run them.
        Role.SHELTER_MANAGER: {
            VIEW: Scope.ORGANISATION,
            VIEW_ADDRESS: Scope.ORGANISATION,
            CREATE: Scope.ORGANISATION,
            UPDATE: Scope.ORGANISATION,
        },
        Role.DIRECTOR: {
            VIEW: Scope.ORGANISATION,
            VIEW_ADDRESS: Scope.ORGANISATION,
            CREATE: Scope.ORGANISATION,
            UPDATE: Scope.ORGANISATION,
        },
    },
)

SHELTER_STAY = declare(
    "shelter_stay",
    label=_("Shelter stays"),
    survivor_data=True,
    description=_("Who is in which bed, since when; admissions, transfers and discharges"),
    grants={
        Role.SHELTER_MANAGER: {
            VIEW: Scope.ORGANISATION,
            ADMIT: Scope.ORGANISATION,
            UPDATE: Scope.ORGANISATION,
        },
        Role.DIRECTOR: {
            VIEW: Scope.ORGANISATION,
            ADMIT: Scope.ORGANISATION,
            UPDATE: Scope.ORGANISATION,
        },
        Role.CASE_MANAGER: {VIEW: Scope.TEAM},
    },
)

SHELTER_WAITING = declare(
    "shelter_waiting",
    label=_("Shelter waiting list"),
    survivor_data=True,
    description=_("Requests for a bed, made from a case"),
    grants={
        Role.SHELTER_MANAGER: {VIEW: Scope.ORGANISATION, UPDATE: Scope.ORGANISATION},
        Role.DIRECTOR: {
            VIEW: Scope.ORGANISATION,
            CREATE: Scope.ORGANISATION,
            UPDATE: Scope.ORGANISATION,
        },
        Role.CASE_MANAGER: {VIEW: Scope.TEAM, CREATE: Scope.TEAM, UPDATE: Scope.TEAM},
    },
)

SHELTER_INCIDENT = declare(
    "shelter_incident",
    label=_("Shelter house log"),
    survivor_data=True,
    description=_("Incidents in a facility and the action taken"),
    grants={
        Role.SHELTER_MANAGER: {VIEW: Scope.ORGANISATION, CREATE: Scope.ORGANISATION},
        Role.DIRECTOR: {VIEW: Scope.ORGANISATION, CREATE: Scope.ORGANISATION},
    },
)
