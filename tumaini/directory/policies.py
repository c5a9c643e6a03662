"""Who sees and edits the partner directory.

The directory itself (organisations, services, locations, published phones, hours, eligibility) is not
survivor data and is meant to be published: every staff role reads it, and with
`TUMAINI_DIRECTORY_PUBLIC` so does anyone through the HSDS API. Contact persons and the MoU are
internal: contacts go to the people who make referrals, the MoU to those who manage partnerships. A
partner's own staff may keep their organisation's entry up to date and see its MoU.
"""

from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import Role
from tumaini.core.access import CREATE, UPDATE, VIEW, Scope, declare

_EVERY_ROLE = list(Role)
# Roles whose work is referring survivors to partners: they need the named person to call.
_REFERRERS = [
    Role.DIRECTOR,
    Role.DIRECTORY_EDITOR,
    Role.CASE_MANAGER,
    Role.HOTLINE_AGENT,
    Role.HOTLINE_SUPERVISOR,
    Role.COUNSELLOR,
    Role.MEDICAL_OFFICER,
    Role.LEGAL_OFFICER,
    Role.SHELTER_MANAGER,
    Role.LAW_ENFORCEMENT_LIAISON,
]
_EDITORS = {Role.DIRECTOR, Role.DIRECTORY_EDITOR}

DIRECTORY = declare(
    "directory",
    label=_("Partner directory"),
    survivor_data=False,
    description=_(
        "Partner organisations, their services, locations, published phones, hours, eligibility "
        "and catchment (what the HSDS API and the data package publish)"
    ),
    # Reading covers the HSDS data package too: it holds only what the API publishes.
    grants={
        **{role: {VIEW: Scope.ALL} for role in _EVERY_ROLE},
        **{role: {VIEW: Scope.ALL, CREATE: Scope.ALL, UPDATE: Scope.ALL} for role in _EDITORS},
        Role.PARTNER_USER: {VIEW: Scope.ALL, UPDATE: Scope.ORGANISATION},
    },
)

DIRECTORY_CONTACT = declare(
    "directory_contact",
    label=_("Partner contact persons"),
    survivor_data=False,
    description=_("Named people at partner organisations: internal, never published"),
    grants={
        **{role: {VIEW: Scope.ALL} for role in _REFERRERS},
        **{role: {VIEW: Scope.ALL, CREATE: Scope.ALL, UPDATE: Scope.ALL} for role in _EDITORS},
        Role.PARTNER_USER: {
            VIEW: Scope.ORGANISATION,
            CREATE: Scope.ORGANISATION,
            UPDATE: Scope.ORGANISATION,
        },
    },
)

DIRECTORY_MOU = declare(
    "directory_mou",
    label=_("Partner memoranda of understanding"),
    survivor_data=False,
    description=_("MoU status, dates and notes: internal, never published"),
    grants={
        **{role: {VIEW: Scope.ALL, UPDATE: Scope.ALL} for role in _EDITORS},
        Role.PARTNER_USER: {VIEW: Scope.ORGANISATION},
    },
)
