"""Public reports on the dashboard: reports by channel during each awareness campaign against the
same length of time before it, time to triage and to escalation, and the share that led to a case.

Each figure is a function of (reports queryset, filters), plus the campaigns for the comparison,
returning plain dicts and `Distribution`s; each costs a fixed number of queries whatever the number
of reports. The times and the triage target are counted by `tips.selectors.figures` (in whole
minutes, in SQL), the same functions as the hotline's figures page and the pre-computed counts.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tumaini.insights.figures import Cell, Distribution, Filters, filtered_reports
from tumaini.tips.enums import Channel
from tumaini.tips.selectors.figures import report_timings

# The most recent campaigns compared when the period holds more (each adds two columns to the query).
MAX_CAMPAIGNS = 12


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, timezone.get_current_timezone())


def campaigns_in_period(campaigns: QuerySet, filters: Filters, *, today: date) -> list[dict]:
    """Campaigns (already scoped to the viewer) that overlap the filter period and have started,
    of the filter's organisation: the most recent first."""
    campaigns = campaigns.filter(starts_on__lte=today)
    if filters.date_to:
        campaigns = campaigns.filter(starts_on__lte=filters.date_to)
    if filters.date_from:
        campaigns = campaigns.filter(ends_on__gte=filters.date_from)
    if filters.organisation_id:
        campaigns = campaigns.filter(organisation_id=filters.organisation_id)
    return list(
        campaigns.order_by("-starts_on", "name").values("name", "starts_on", "ends_on", "channels")[
            :MAX_CAMPAIGNS
        ]
    )


def campaign_windows(campaigns: list[dict], *, today: date) -> list[dict]:
    """Each campaign's two windows, in days (both ends included): from its first day to its last
    (or to today, while it runs), and as many days just before it."""
    windows = []
    for campaign in campaigns:
        counted_to = min(campaign["ends_on"], today)
        days = (counted_to - campaign["starts_on"]).days + 1
        windows.append(
            {
                "during": (campaign["starts_on"], counted_to),
                "before": (
                    campaign["starts_on"] - timedelta(days=days),
                    campaign["starts_on"] - timedelta(days=1),
                ),
                "days": days,
            }
        )
    return windows


def campaign_figures(
    reports: QuerySet, filters: Filters, campaigns: list[dict], *, today: date
) -> list[dict]:
    """For each campaign: reports by channel during it and in as many days just before it, counted
    live in one query. Organisation and sub-county filters apply; the period filter chose the
    campaigns, and the windows reach outside it on purpose."""
    windows = campaign_windows(campaigns, today=today)
    if not windows:
        return []
    counted, anywhere = {}, Q()
    for index, window in enumerate(windows):
        for kind in ("during", "before"):
            first, last = window[kind]
            received = Q(
                received_at__gte=_midnight(first),
                received_at__lt=_midnight(last + timedelta(days=1)),
            )
            counted[f"{kind}_{index}"] = Count("id", filter=received)
            anywhere |= received
    by_channel = {
        row["channel"]: row
        for row in filtered_reports(reports, filters, by_date=False)
        .filter(anywhere)
        .order_by()
        .values("channel")
        .annotate(**counted)
    }
    return campaign_result(campaigns, windows, by_channel)


def campaign_result(campaigns: list[dict], windows: list[dict], by_channel: dict) -> list[dict]:
    """The comparisons from {channel: {"during_<i>": n, "before_<i>": n}} of the campaigns'
    windows, counted live or summed from the pre-computed day counts."""
    labels = dict(Channel.choices)
    figures = []
    for index, (campaign, window) in enumerate(zip(campaigns, windows, strict=True)):
        promoted = [c for c in campaign["channels"] or [] if c in labels]
        keys = [
            channel
            for channel in Channel.values
            if channel in promoted
            or by_channel.get(channel, {}).get(f"during_{index}")
            or by_channel.get(channel, {}).get(f"before_{index}")
        ]

        def cells(kind: str, index=index, keys=keys) -> list[Cell]:
            return [
                Cell(key, str(labels[key]), by_channel.get(key, {}).get(f"{kind}_{index}") or 0)
                for key in keys
            ]

        counted_to = window["during"][1]
        figures.append(
            {
                "name": campaign["name"],
                "starts_on": campaign["starts_on"],
                "ends_on": campaign["ends_on"],
                "counted_to": counted_to,
                "running": counted_to < campaign["ends_on"],
                "days": window["days"],
                "before_from": window["before"][0],
                "before_to": window["before"][1],
                "promoted": promoted,
                "promoted_labels": [str(labels[c]) for c in promoted],
                "during": Distribution(f"campaign-{index}-during", cells("during")),
                "before": Distribution(f"campaign-{index}-before", cells("before")),
            }
        )
    return figures


def _per_week(count: int | None, days: int) -> float | None:
    return None if count is None else round(7 * count / days, 1)


def _change(during: int | None, before: int | None) -> float | None:
    if during is None or not before:
        return None
    return round(100 * (during - before) / before, 1)


def campaign_table(campaign: dict) -> dict:
    """Rows of one campaign's comparison, from its (possibly suppressed) distributions: counts and
    reports per week during and before, and the change in per cent. A suppressed count gives no
    rate and no change."""
    days = campaign["days"]
    rows = []
    for during, before in zip(campaign["during"].cells, campaign["before"].cells, strict=True):
        rows.append(
            {
                "key": during.key,
                "label": during.label,
                "promoted": during.key in campaign["promoted"],
                "during": during.count,
                "before": before.count,
                "during_per_week": _per_week(during.count, days),
                "before_per_week": _per_week(before.count, days),
                "change": _change(during.count, before.count),
            }
        )
    during_total, before_total = campaign["during"].total, campaign["before"].total
    return {
        "rows": rows,
        "total": {
            "during": during_total,
            "before": before_total,
            "during_per_week": _per_week(during_total, days),
            "before_per_week": _per_week(before_total, days),
            "change": _change(during_total, before_total),
        },
    }


def _hours(summary: dict) -> dict:
    def hours(minutes):
        return None if minutes is None else round(minutes / 60, 2)

    return {
        "count": summary["count"],
        "median_hours": hours(summary["median"]),
        "p90_hours": hours(summary["p90"]),
    }


def _share(distribution: Distribution, key: str) -> float | None:
    """Per cent of the distribution's total in the cell `key`; None if any cell is suppressed."""
    total = distribution.total
    if not total:
        return None
    return round(100 * next(c.count for c in distribution.cells if c.key == key) / total, 1)


def report_time_figures(reports: QuerySet, filters: Filters, *, now: datetime) -> dict:
    """Reports received in the period: hours from receipt to triage and to escalation (median and
    90th percentile), triage within its target (tips/sla.py, reports still waiting judged at
    `now`), and how many led to a case. Counted live, in SQL."""
    return report_time_result(report_timings(filtered_reports(reports, filters), now=now))


def report_time_result(timings: dict) -> dict:
    """The figures from `tips.selectors.figures` timings, counted live or summed from the
    pre-computed counts (the same histograms and counts, so the same answer)."""
    target = timings["triage_target"]
    figures = {
        "total": timings["total"],
        "triage": _hours(timings["triage"]),
        "escalation": _hours(timings["escalation"]),
        "triage_target": Distribution(
            "triage_target",
            [
                Cell("within", _("Triaged within the target"), target["within"]),
                Cell("late", _("Late, or still waiting past the target"), target["late"]),
            ],
        ),
        "triage_pending": target["pending"],
        "cases": Distribution(
            "led_to_case",
            [
                Cell("linked", _("Led to a case"), timings["linked"]),
                Cell("not_linked", _("No case"), timings["total"] - timings["linked"]),
            ],
        ),
    }
    _add_shares(figures)
    return figures


def _add_shares(figures: dict) -> None:
    figures["triage_share"] = _share(figures["triage_target"], "within")
    figures["case_share"] = _share(figures["cases"], "linked")


def suppress_report_times(figures: dict, threshold: int) -> None:
    """Small cells hidden; a median or percentile of fewer reports than the threshold is hidden
    too (with two or three reports it is nearly one report's own time)."""
    for key in ("triage", "escalation"):
        summary = figures[key]
        if 0 < summary["count"] < threshold:
            figures[key] = {"count": None, "median_hours": None, "p90_hours": None}
    figures["triage_target"].suppress(threshold)
    figures["cases"].suppress(threshold)
    if 0 < figures["triage_pending"] < threshold:
        figures["triage_pending"] = None
    _add_shares(figures)


def suppress_campaigns(campaigns: list[dict], threshold: int) -> None:
    for campaign in campaigns:
        campaign["during"].suppress(threshold)
        campaign["before"].suppress(threshold)
