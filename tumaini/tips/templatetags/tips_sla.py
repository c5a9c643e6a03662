"""How a service-level deadline reads on the queue and the report page."""

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _

from tumaini.tips import sla

register = template.Library()


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


@register.filter
def sla_text(deadline: sla.Deadline | None) -> str:
    if deadline is None:
        return ""
    if deadline.kind == sla.TRIAGE:
        if deadline.overdue:
            return _("Triage overdue by %(time)s") % {"time": _duration(deadline.late_by)}
        return _("Triage due in %(time)s") % {"time": _duration(deadline.remaining)}
    if deadline.overdue:
        return _("Escalation overdue by %(time)s") % {"time": _duration(deadline.late_by)}
    return _("Escalation due in %(time)s") % {"time": _duration(deadline.remaining)}
