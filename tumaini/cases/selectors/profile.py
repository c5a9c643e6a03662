"""Reads of the exploitation profile. Everything is reached through its case, so the case's scope
applies; pages that show it either come through the audited case read or audit their own read."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from tumaini.cases.enums import (
    ExploitationType,
    LabourSector,
    MeansOfControl,
    SexualExploitationType,
)
from tumaini.cases.models import Case, ExploitationProfile, SuspectedPerpetrator, TraffickingEvent
from tumaini.cases.selectors.case import case_for_action
from tumaini.core import access
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction

KENYA = "KE"

DOMESTIC, TRANSNATIONAL, UNKNOWN = "domestic", "transnational", "unknown"
SCOPE_LABELS = {
    DOMESTIC: _("Domestic (every event in Kenya)"),
    TRANSNATIONAL: _("Transnational (an event outside Kenya)"),
    UNKNOWN: _("Unknown (no events recorded)"),
}


def case_for_edit(*, user, public_id, request=None, part: str) -> Case:
    """The case if the user may update it (404 otherwise). A GET of an edit page shows survivor
    data, so it is audited as a view of that part of the case."""
    case = case_for_action(user=user, public_id=public_id, action=access.UPDATE)
    if request is not None and request.method == "GET":
        audit_record(
            action=AuditAction.VIEW, actor=user, request=request, obj=case, detail={"part": part}
        )
    return case


def profile_of(case: Case) -> ExploitationProfile | None:
    return ExploitationProfile.objects.filter(case=case).first()


def events_of(case: Case) -> list[TraffickingEvent]:
    """The timeline: dated events in order, undated ones last."""
    events = TraffickingEvent.objects.filter(case=case).select_related(
        "country", "county", "sub_county", "ward"
    )
    return sorted(events, key=lambda e: (e.started_on is None, e.started_on or date.min, e.pk))


def perpetrators_of(case: Case) -> list[SuspectedPerpetrator]:
    return list(
        SuspectedPerpetrator.objects.filter(case=case).select_related("nationality").order_by("id")
    )


def case_trafficking_scope(case: Case) -> str:
    """ "domestic" when every event is in Kenya, "transnational" when any is outside, "unknown"
    without events."""
    countries = set(TraffickingEvent.objects.filter(case=case).values_list("country_id", flat=True))
    if not countries:
        return UNKNOWN
    return DOMESTIC if countries == {KENYA} else TRANSNATIONAL


def event_for_update(*, user, public_id, event_id, request=None) -> tuple[Case, TraffickingEvent]:
    case = case_for_edit(user=user, public_id=public_id, request=request, part="profile")
    event = (
        TraffickingEvent.objects.filter(case=case, public_id=event_id)
        .select_related("case", "country", "county", "sub_county", "ward")
        .first()
    )
    if event is None:
        raise Http404
    return case, event


def perpetrator_for_update(
    *, user, public_id, perpetrator_id, request=None
) -> tuple[Case, SuspectedPerpetrator]:
    case = case_for_edit(user=user, public_id=public_id, request=request, part="profile")
    perpetrator = (
        SuspectedPerpetrator.objects.filter(case=case, public_id=perpetrator_id)
        .select_related("case", "nationality")
        .first()
    )
    if perpetrator is None:
        raise Http404
    return case, perpetrator


def _labels(choices, codes) -> list:
    labels = dict(choices.choices)
    return [labels.get(code, code) for code in codes or []]


def profile_summary(profile: ExploitationProfile | None) -> dict:
    if profile is None:
        return {}
    return {
        "exploitation_types": _labels(ExploitationType, profile.exploitation_types),
        "labour_sectors": _labels(LabourSector, profile.labour_sectors),
        "sexual_exploitation_types": _labels(
            SexualExploitationType, profile.sexual_exploitation_types
        ),
        "means_of_control": _labels(MeansOfControl, profile.means_of_control),
        "recruiter_relation": profile.get_recruiter_relation_display()
        if profile.recruiter_relation
        else "",
    }


def profile_part_context(*, user, case: Case) -> dict:
    """The case page's profile part. The case page already audited the case view."""
    scope = case_trafficking_scope(case)
    return {
        "summary": profile_summary(profile_of(case)),
        "events": events_of(case),
        "perpetrators": perpetrators_of(case),
        "scope": scope,
        "scope_label": SCOPE_LABELS[scope],
        "can_update": access.can(user, "case", access.UPDATE),
    }
