"""Service gaps on the dashboard: needs identified and met, days to the first service of each type,
shelter occupancy and the waiting list, referrals by partner. Counts only, like the rest of
`insights.figures`."""

from __future__ import annotations

import statistics

from django.db.models import QuerySet
from django.utils import timezone

from tumaini.insights.figures import Filters, filtered_cases


def gap_figures(cases: QuerySet, filters: Filters, organisation_ids: QuerySet) -> dict:
    """Service gaps: needs identified and met, days from identification to the first service of
    each type, shelter occupancy and waiting list, referrals accepted and completed by partner."""
    from django.db.models import Count, Min

    from tumaini.care.enums import DELIVERED_OUTCOMES, ServiceType
    from tumaini.care.models import ServiceDelivery
    from tumaini.care.selectors.needs import needs_met_counts
    from tumaini.referrals.enums import ReferralStatus
    from tumaini.referrals.models import Referral

    identified = filtered_cases(cases, filters)
    opened = {
        pk: timezone.localtime(at).date() for pk, at in identified.values_list("pk", "opened_at")
    }
    waits: dict[str, list[int]] = {}
    for case_id, service_type, first in (
        ServiceDelivery.objects.filter(case__in=identified, outcome__in=DELIVERED_OUTCOMES)
        .values_list("case_id", "service_type")
        .annotate(first=Min("delivered_on"))
        .values_list("case_id", "service_type", "first")
        .order_by()
    ):
        waits.setdefault(service_type, []).append(max((first - opened[case_id]).days, 0))
    labels = dict(ServiceType.choices)
    first_service = [
        {
            "label": str(labels.get(kind, kind)),
            "cases": len(days),
            "median_days": statistics.median(days),
        }
        for kind, days in sorted(waits.items(), key=lambda item: str(labels.get(item[0])))
    ]

    sent = Referral.objects.filter(case__in=identified).exclude(
        status__in=[ReferralStatus.DRAFT, ReferralStatus.CANCELLED]
    )
    by_partner: dict[str, dict] = {}
    for name, status, n in (
        sent.values_list("recipient__name", "status").annotate(n=Count("id")).order_by()
    ):
        row = by_partner.setdefault(name, {"partner": name, "sent": 0, "accepted": 0})
        row["sent"] += n
        row.setdefault("completed", 0)
        row.setdefault("declined", 0)
        if status in (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED):
            row["accepted"] += n
        if status == ReferralStatus.COMPLETED:
            row["completed"] += n
        if status == ReferralStatus.DECLINED:
            row["declined"] += n
    return {
        "needs": needs_met_counts(identified),
        "first_service": first_service,
        "shelter": shelter_figures(organisation_ids),
        "referrals": sorted(by_partner.values(), key=lambda row: row["partner"]),
    }


def shelter_figures(organisation_ids: QuerySet) -> dict:
    """Beds, occupied beds and the waiting list now (not of a period): three counts."""
    from tumaini.shelter.enums import WaitingStatus
    from tumaini.shelter.models import Bed, Stay, WaitingEntry

    beds = Bed.objects.filter(
        in_service=True,
        room__facility__is_active=True,
        room__facility__organisation_id__in=organisation_ids,
    ).count()
    occupied = Stay.objects.filter(
        ended_on__isnull=True, bed__room__facility__organisation_id__in=organisation_ids
    ).count()
    waiting = WaitingEntry.objects.filter(
        status=WaitingStatus.WAITING, facility__organisation_id__in=organisation_ids
    ).count()
    return {"beds": beds, "occupied": occupied, "waiting": waiting}
