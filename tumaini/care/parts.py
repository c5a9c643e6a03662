"""The care parts of the case page and the care panels of the staff home page."""

from django.utils.translation import gettext_lazy as _

from tumaini.care.policies import APPOINTMENT, CARE_DELIVERY, FOLLOW_UP
from tumaini.care.selectors.appointments import appointments_home_panel, appointments_of_case
from tumaini.care.selectors.deliveries import recent_deliveries_of_case
from tumaini.care.selectors.follow_ups import follow_ups_home_panel, follow_ups_of_case
from tumaini.care.selectors.needs import needs_met_for_case
from tumaini.care.selectors.scope import case_in_care_scope
from tumaini.cases import parts
from tumaini.core import home
from tumaini.core.access import CREATE, UPDATE, VIEW


def _allowed(user, resource, action, case) -> bool:
    return case_in_care_scope(user=user, resource=resource.name, action=action, case=case)


def _deliveries_part(*, user, case) -> dict:
    if not _allowed(user, CARE_DELIVERY, VIEW, case):
        return {"hidden": True}
    return {
        **recent_deliveries_of_case(user=user, case=case),
        "may_record": _allowed(user, CARE_DELIVERY, CREATE, case),
    }


def _appointments_part(*, user, case) -> dict:
    if not _allowed(user, APPOINTMENT, VIEW, case):
        return {"hidden": True}
    return {
        **appointments_of_case(user=user, case=case),
        "may_book": _allowed(user, APPOINTMENT, CREATE, case),
    }


def _follow_ups_part(*, user, case) -> dict:
    if not _allowed(user, FOLLOW_UP, VIEW, case):
        return {"hidden": True}
    return {
        "follow_ups": follow_ups_of_case(user=user, case=case),
        "may_record": _allowed(user, FOLLOW_UP, UPDATE, case),
    }


def _needs_met_part(*, user, case) -> dict:
    if not _allowed(user, CARE_DELIVERY, VIEW, case):
        return {"hidden": True}
    return {"needs": needs_met_for_case(user=user, case=case)}


# The next appointments are what a case manager opening the case wants first: the overview.
for key, title, template, context, section, order in (
    (
        "care-services",
        _("Services delivered"),
        "care/parts/services.html",
        _deliveries_part,
        "care",
        75,
    ),
    (
        "care-appointments",
        _("Appointments"),
        "care/parts/appointments.html",
        _appointments_part,
        "overview",
        76,
    ),
    ("care-needs-met", _("Needs met"), "care/parts/needs_met.html", _needs_met_part, "care", 77),
    (
        "care-follow-ups",
        _("Follow-ups"),
        "care/parts/follow_ups.html",
        _follow_ups_part,
        "care",
        78,
    ),
):
    parts.register(
        parts.CasePart(
            key=key,
            title=title,
            template=template,
            context=context,
            section=section,
            order=order,
        )
    )

home.register(
    home.HomePanel(
        key="care-appointments",
        template="care/home_appointments.html",
        context=appointments_home_panel,
        order=15,
    )
)
home.register(
    home.HomePanel(
        key="care-follow-ups",
        template="care/home_follow_ups.html",
        context=follow_ups_home_panel,
        order=25,
    )
)
