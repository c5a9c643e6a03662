"""Who may do what with referrals.

Outgoing referrals are reached two ways: by the centre's staff through the case (case managers of
its team, directors of its organisation) and by the receiving partner's users through the recipient
organisation (`ReceivedReferral`, a proxy scoped by recipient), who see the shared snapshot only.
Incoming referrals likewise: the centre's intake staff see those sent to their organisation, the
sending partner's users those their organisation sent.
"""

from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import Role
from tumaini.core.access import CREATE, UPDATE, VIEW, Scope, declare

SEND = "send"
OVERRIDE_CONSENT = "override_consent"
RESPOND = "respond"

REFERRAL = declare(
    "referral",
    label=_("Referrals to partners"),
    survivor_data=True,
    description=_(
        "Referrals of a case to a partner's service: what is shared, status, outcome, one-time "
        "links. Reached through the case."
    ),
    grants={
        Role.CASE_MANAGER: {
            VIEW: Scope.TEAM,
            CREATE: Scope.TEAM,
            UPDATE: Scope.TEAM,
            SEND: Scope.TEAM,
        },
        Role.DIRECTOR: {
            VIEW: Scope.ORGANISATION,
            CREATE: Scope.ORGANISATION,
            UPDATE: Scope.ORGANISATION,
            SEND: Scope.ORGANISATION,
            OVERRIDE_CONSENT: Scope.ORGANISATION,
        },
    },
)

RECEIVED_REFERRAL = declare(
    "received_referral",
    label=_("Referrals received by a partner"),
    survivor_data=True,
    description=_(
        "A partner organisation's view of the referrals sent to it: only the shared snapshot. "
        "'My organisation' is the recipient."
    ),
    grants={
        Role.PARTNER_USER: {VIEW: Scope.ORGANISATION, RESPOND: Scope.ORGANISATION},
        Role.LAW_ENFORCEMENT_LIAISON: {VIEW: Scope.ORGANISATION, RESPOND: Scope.ORGANISATION},
    },
)

INCOMING_REFERRAL = declare(
    "incoming_referral",
    label=_("Incoming referrals from partners"),
    survivor_data=True,
    description=_(
        "People referred to the centre by the police, a hospital, an NGO or an embassy. "
        "'My organisation' is the receiving centre."
    ),
    grants={
        Role.CASE_MANAGER: {VIEW: Scope.ORGANISATION, UPDATE: Scope.ORGANISATION},
        Role.DIRECTOR: {VIEW: Scope.ORGANISATION, UPDATE: Scope.ORGANISATION},
    },
)

SENT_INCOMING_REFERRAL = declare(
    "sent_incoming_referral",
    label=_("Referrals a partner sent to the centre"),
    survivor_data=True,
    description=_(
        "What a partner organisation referred to a centre. 'My organisation' is the sender."
    ),
    grants={
        Role.PARTNER_USER: {VIEW: Scope.ORGANISATION, CREATE: Scope.ORGANISATION},
        Role.LAW_ENFORCEMENT_LIAISON: {VIEW: Scope.ORGANISATION, CREATE: Scope.ORGANISATION},
    },
)
