"""The figures of the needs-assessment dashboard, computed from rows the viewer's grant reaches.

Public reports' campaign, triage and case figures are in `public_reports`, service gaps and shelter
in `gaps` (both re-exported here).

Everything here is a count. Reads use `values()` (no encrypted field is ever read, nothing is
decrypted) and a fixed number of queries whatever the size of the caseload. Small cells are
suppressed for viewers who see aggregates only (`Distribution.suppress`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from tumaini.cases.enums import (
    ExploitationType,
    LabourSector,
    TraffickingDecision,
    TraffickingEventType,
)
from tumaini.cases.models import Case, ExploitationProfile, Screening, TraffickingEvent
from tumaini.core.models import Country, County, SubCounty
from tumaini.insights.ctdc import AGE_BANDS, GENDERS

KENYA = "KE"
NAIROBI_COUNTY = 47
VICTIM_DECISIONS = (TraffickingDecision.POSSIBLE, TraffickingDecision.ACTUAL)


@dataclass
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    organisation_id: int | None = None
    sub_county_code: int | None = None


@dataclass
class Cell:
    key: str
    label: str
    count: int | None  # None: suppressed


@dataclass
class Distribution:
    title: str
    cells: list[Cell] = field(default_factory=list)

    @property
    def total(self) -> int | None:
        if any(cell.count is None for cell in self.cells):
            return None
        return sum(cell.count for cell in self.cells)

    @property
    def largest(self) -> int:
        return max((cell.count or 0 for cell in self.cells), default=0)

    def suppress(self, threshold: int) -> None:
        """Hide counts from 1 to threshold - 1. If only one cell is hidden, the next smallest goes
        too: otherwise the total minus the shown cells would give it back."""
        if threshold <= 1:
            return
        small = [c for c in self.cells if c.count and c.count < threshold]
        for cell in small:
            cell.count = None
        if len(small) == 1:
            shown = sorted((c for c in self.cells if c.count), key=lambda c: c.count)
            if shown:
                shown[0].count = None


def _counter_to_cells(counter: Counter, labels: dict, *, keep_order: bool = False) -> list[Cell]:
    # Equal counts in key order: the same page whether counted live or summed from aggregates.
    keys = (
        list(labels)
        if keep_order
        else [k for k, _ in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))]
    )
    return [
        Cell(key=str(key), label=str(labels.get(key, key)), count=counter.get(key, 0))
        for key in keys
        if keep_order or counter.get(key, 0)
    ]


def _age(row: dict, when: date) -> int | None:
    born = row["person__date_of_birth"]
    if born:
        return when.year - born.year - ((when.month, when.day) < (born.month, born.day))
    if row["person__estimated_age"] is not None and row["person__age_estimated_on"]:
        return row["person__estimated_age"] + (when - row["person__age_estimated_on"]).days // 365
    return None


def _band(age: int | None) -> str:
    if age is None:
        return "unknown"
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "unknown"


def filtered_cases(cases: QuerySet, filters: Filters) -> QuerySet:
    """Identified survivors: cases with a possible or actual victim decision, in the period."""
    cases = cases.filter(
        person__merged_into__isnull=True,
        pk__in=Screening.objects.filter(decision__in=VICTIM_DECISIONS).values("case_id"),
    )
    tz = timezone.get_current_timezone()
    if filters.date_from:
        cases = cases.filter(opened_at__gte=datetime.combine(filters.date_from, time.min, tz))
    if filters.date_to:
        cases = cases.filter(opened_at__lte=datetime.combine(filters.date_to, time.max, tz))
    if filters.organisation_id:
        cases = cases.filter(organisation_id=filters.organisation_id)
    if filters.sub_county_code:
        # A survivor belongs to a sub-county where they were identified or where something of
        # their trafficking happened (the same rule as the map).
        cases = cases.filter(
            Q(intake__sub_county_id=filters.sub_county_code)
            | Q(
                pk__in=TraffickingEvent.objects.filter(
                    sub_county_id=filters.sub_county_code
                ).values("case_id")
            )
        )
    return cases


def scope_figures(cases: QuerySet, filters: Filters) -> dict:
    """Scope of trafficking: who was identified, exploited how and where."""
    rows = list(
        filtered_cases(cases, filters).values(
            "id",
            "opened_at",
            "person__gender",
            "person__date_of_birth",
            "person__estimated_age",
            "person__age_estimated_on",
            "person__is_child",
            "person__citizenship_id",
            "intake__sub_county_id",
        )
    )
    ids = [row["id"] for row in rows]
    profiles = {
        p["case_id"]: p
        for p in ExploitationProfile.objects.filter(case_id__in=ids).values(
            "case_id", "exploitation_types", "labour_sectors"
        )
    }
    events: dict[int, list[dict]] = {}
    for event in TraffickingEvent.objects.filter(case_id__in=ids).values(
        "case_id", "type", "country_id", "county_id", "sub_county_id", "ward_id"
    ):
        events.setdefault(event["case_id"], []).append(event)

    months: Counter = Counter()
    exploitation: Counter = Counter()
    sectors: Counter = Counter()
    age_sex: Counter = Counter()
    children: Counter = Counter()
    citizenship: Counter = Counter()
    reach: Counter = Counter()
    recruitment: Counter = Counter()
    exploitation_places: Counter = Counter()
    by_sub_county: Counter = Counter()
    recruited_in_sub_county: Counter = Counter()
    by_ward: Counter = Counter()
    recruited_in_ward: Counter = Counter()
    for row in rows:
        opened = timezone.localtime(row["opened_at"]).date()
        months[opened.strftime("%Y-%m")] += 1
        profile = profiles.get(row["id"], {})
        exploitation.update(set(profile.get("exploitation_types") or []))
        sectors.update(set(profile.get("labour_sectors") or []))
        sex = GENDERS.get(row["person__gender"], "Unknown")
        age_sex[(_band(_age(row, opened)), sex)] += 1
        children["child" if row["person__is_child"] else "adult"] += 1
        citizenship[row["person__citizenship_id"] or "unknown"] += 1
        case_events = events.get(row["id"], [])
        countries = {e["country_id"] for e in case_events}
        reach[
            "unknown" if not countries else "domestic" if countries == {KENYA} else "transnational"
        ] += 1
        for event in case_events:
            if event["type"] == TraffickingEventType.RECRUITMENT:
                recruitment[_place_key(event)] += 1
                if event["sub_county_id"]:
                    recruited_in_sub_county[event["sub_county_id"]] += 1
                if event["ward_id"]:
                    recruited_in_ward[event["ward_id"]] += 1
            elif event["type"] == TraffickingEventType.EXPLOITATION:
                exploitation_places[_place_key(event)] += 1
        places = {e["sub_county_id"] for e in case_events} | {row["intake__sub_county_id"]}
        for code in places - {None}:
            by_sub_county[code] += 1
        for code in {e["ward_id"] for e in case_events if e["ward_id"]}:
            by_ward[code] += 1

    return scope_result(
        len(rows),
        {
            "months": months,
            "exploitation": exploitation,
            "sectors": sectors,
            "age_sex": age_sex,
            "children": children,
            "citizenship": citizenship,
            "reach": reach,
            "recruitment_places": recruitment,
            "exploitation_places": exploitation_places,
            "survivors_by_sub_county": by_sub_county,
            "recruitment_by_sub_county": recruited_in_sub_county,
            "survivors_by_ward": by_ward,
            "recruitment_by_ward": recruited_in_ward,
        },
    )


def scope_result(total: int, counters: dict[str, Counter]) -> dict:
    """The scope figures from their counters (counted live above, or summed from aggregates)."""
    c = {name: counters.get(name, Counter()) for name in SCOPE_COUNTERS}
    place_labels = _place_labels(set(c["recruitment_places"]) | set(c["exploitation_places"]))
    months = c["months"]
    return {
        "total": total,
        "months": Distribution(
            "months", _counter_to_cells(months, {m: m for m in sorted(months)}, keep_order=True)
        ),
        "exploitation": Distribution(
            "exploitation", _counter_to_cells(c["exploitation"], dict(ExploitationType.choices))
        ),
        "sectors": Distribution(
            "sectors", _counter_to_cells(c["sectors"], dict(LabourSector.choices))
        ),
        "age_sex": _age_sex_table(c["age_sex"]),
        "children": Distribution(
            "children",
            _counter_to_cells(c["children"], {"adult": _adult_label(), "child": _child_label()}),
        ),
        "citizenship": Distribution(
            "citizenship",
            _counter_to_cells(c["citizenship"], _country_labels(set(c["citizenship"]))),
        ),
        "reach": Distribution("reach", _counter_to_cells(c["reach"], _reach_labels())),
        "recruitment_places": Distribution(
            "recruitment", _counter_to_cells(c["recruitment_places"], place_labels)
        ),
        "exploitation_places": Distribution(
            "exploitation_places", _counter_to_cells(c["exploitation_places"], place_labels)
        ),
        "survivors_by_sub_county": c["survivors_by_sub_county"],
        "recruitment_by_sub_county": c["recruitment_by_sub_county"],
        "survivors_by_ward": c["survivors_by_ward"],
        "recruitment_by_ward": c["recruitment_by_ward"],
    }


SCOPE_COUNTERS = (
    "months",
    "exploitation",
    "sectors",
    "age_sex",
    "children",
    "citizenship",
    "reach",
    "recruitment_places",
    "exploitation_places",
    "survivors_by_sub_county",
    "recruitment_by_sub_county",
    "survivors_by_ward",
    "recruitment_by_ward",
)


def _place_key(event: dict) -> str:
    if event["country_id"] == KENYA and event["county_id"]:
        return f"county:{event['county_id']}"
    return f"country:{event['country_id']}"


def _place_labels(keys: set[str]) -> dict:
    counties = {c.code: c.name for c in County.objects.all()}
    countries = _country_labels({k.split(":", 1)[1] for k in keys if k.startswith("country:")})
    labels = {}
    for key in keys:
        kind, code = key.split(":", 1)
        if kind == "county":
            labels[key] = f"{counties.get(int(code), code)} (Kenya)"
        else:
            labels[key] = countries.get(code, code)
    return labels


def _country_labels(codes: set[str]) -> dict:
    from django.utils.translation import gettext as _

    labels = dict(Country.objects.filter(code__in=codes).values_list("code", "name"))
    labels["unknown"] = _("Not known")
    return labels


def _reach_labels() -> dict:
    from django.utils.translation import gettext as _

    return {
        "domestic": _("Domestic (within Kenya)"),
        "transnational": _("Transnational"),
        "unknown": _("Not known yet"),
    }


def _adult_label():
    from django.utils.translation import gettext as _

    return _("Adults")


def _child_label():
    from django.utils.translation import gettext as _

    return _("Children")


SEXES = ["Female", "Male", "Transgender/NonConforming", "Unknown"]


def _age_sex_table(counter: Counter) -> dict:
    """Rows per age band (CTDC's bands), one column per sex."""
    bands = [label for _, _, label in AGE_BANDS] + ["unknown"]
    return {
        "sexes": SEXES,
        "rows": [
            Distribution(band, [Cell(sex, sex, counter.get((band, sex), 0)) for sex in SEXES])
            for band in bands
            if any(counter.get((band, sex)) for sex in SEXES)
        ],
    }


def filtered_reports(reports: QuerySet, filters: Filters, *, by_date: bool = True) -> QuerySet:
    """Public reports the filters select: received in the period (unless `by_date` is false, for
    comparisons that reach outside it), of the organisation, in the sub-county."""
    tz = timezone.get_current_timezone()
    if by_date and filters.date_from:
        reports = reports.filter(received_at__gte=datetime.combine(filters.date_from, time.min, tz))
    if by_date and filters.date_to:
        reports = reports.filter(received_at__lte=datetime.combine(filters.date_to, time.max, tz))
    if filters.organisation_id:
        reports = reports.filter(organisation_id=filters.organisation_id)
    if filters.sub_county_code:
        reports = reports.filter(sub_county_id=filters.sub_county_code)
    return reports


def report_figures(reports: QuerySet, filters: Filters) -> dict:
    """Public reports in the period: by channel and by sub-county."""
    reports = filtered_reports(reports, filters)
    channels = Counter(dict(_grouped(reports, "channel")))
    by_sub_county = Counter(dict(_grouped(reports.exclude(sub_county=None), "sub_county_id")))
    by_ward = Counter(dict(_grouped(reports.exclude(ward=None), "ward_id")))
    return report_result(channels, by_sub_county, by_ward)


def report_result(channels: Counter, by_sub_county: Counter, by_ward: Counter) -> dict:
    from tumaini.tips.enums import Channel

    return {
        "channels": Distribution("channels", _counter_to_cells(channels, dict(Channel.choices))),
        "reports_by_sub_county": by_sub_county,
        "reports_by_ward": by_ward,
        "total": sum(channels.values()),
    }


def _grouped(queryset: QuerySet, column: str):
    from django.db.models import Count

    return queryset.order_by().values_list(column).annotate(n=Count("id")).values_list(column, "n")


def justice_figures(matters: QuerySet, filters: Filters) -> dict:
    """Cases reported to the police, prosecuted, and ending in a conviction."""
    from tumaini.justice.enums import Outcome
    from tumaini.justice.models import PoliceReport, Prosecution

    matters = matters.filter(case__in=filtered_cases(Case.objects.all(), filters))
    return {
        "reported": PoliceReport.objects.filter(matter__in=matters)
        .values("matter_id")
        .distinct()
        .count(),
        "prosecuted": Prosecution.objects.filter(matter__in=matters)
        .values("matter_id")
        .distinct()
        .count(),
        "convicted": Prosecution.objects.filter(matter__in=matters, outcome=Outcome.CONVICTED)
        .values("matter_id")
        .distinct()
        .count(),
    }


def nairobi_sub_counties() -> list[SubCounty]:
    return list(SubCounty.objects.filter(county_id=NAIROBI_COUNTY).order_by("name"))


# At the end: these modules build on the helpers above.
from tumaini.insights.figures.gaps import gap_figures, shelter_figures  # noqa: E402
from tumaini.insights.figures.public_reports import (  # noqa: E402
    campaign_figures,
    campaign_result,
    campaign_table,
    campaign_windows,
    campaigns_in_period,
    report_time_figures,
    report_time_result,
)

__all__ = [
    "Cell",
    "Distribution",
    "Filters",
    "campaign_figures",
    "campaign_result",
    "campaign_table",
    "campaign_windows",
    "campaigns_in_period",
    "filtered_reports",
    "gap_figures",
    "justice_figures",
    "report_figures",
    "report_time_figures",
    "report_time_result",
    "scope_figures",
    "shelter_figures",
]
