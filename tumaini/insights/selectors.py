"""Reads for statistics: the survivors a CTDC export may include, without any identifying field."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone

from tumaini.cases.enums import ConsentPurpose
from tumaini.cases.models import Case, Consent, ExploitationProfile, Screening, TraffickingEvent
from tumaini.core import access
from tumaini.insights.ctdc import VICTIM_DECISIONS, Survivor
from tumaini.insights.policies import CTDC_EXPORT


def _statistics_consent():
    return Exists(
        Consent.objects.active().filter(
            person_id=OuterRef("person_id"), purpose=ConsentPurpose.STATISTICS
        )
    )


def ctdc_cases(*, user=None, organisation_id=None):
    """Cases in the export: for a user, those their export grant reaches; for the command (no user),
    every organisation or the one named. Merged-away duplicates are never counted twice."""
    cases = Case.objects.filter(person__merged_into__isnull=True)
    if user is not None:
        cases = access.scoped(user, CTDC_EXPORT, access.EXPORT, cases)
    if organisation_id is not None:
        cases = cases.filter(organisation_id=organisation_id)
    return cases


def ctdc_survivors(cases) -> tuple[list[Survivor], dict[str, int]]:
    """The survivors of `cases` that may be exported, and how many were left out and why.

    Five queries whatever the number of cases: cases with people, profiles, events, screenings.
    """
    rows = list(
        cases.annotate(statistics_ok=_statistics_consent()).values(
            "id",
            "opened_at",
            "statistics_ok",
            "person__gender",
            "person__date_of_birth",
            "person__estimated_age",
            "person__age_estimated_on",
            "person__assessed_as_child",
            "person__citizenship_id",
        )
    )
    ids = [row["id"] for row in rows]
    decisions: dict[int, tuple] = {}
    for screening in (
        Screening.objects.filter(case_id__in=ids)
        .order_by("case_id", "-conducted_on", "-created_at")
        .values("case_id", "decision", "means")
    ):
        decisions.setdefault(screening["case_id"], (screening["decision"], screening["means"]))
    profiles = {
        p["case_id"]: p
        for p in ExploitationProfile.objects.filter(case_id__in=ids).values(
            "case_id",
            "exploitation_types",
            "labour_sectors",
            "sexual_exploitation_types",
            "means_of_control",
            "recruiter_relation",
        )
    }
    events: dict[int, list] = {}
    for event in TraffickingEvent.objects.filter(case_id__in=ids).values(
        "case_id", "type", "country_id", "started_on"
    ):
        events.setdefault(event["case_id"], []).append(
            (event["type"], event["country_id"], event["started_on"])
        )

    excluded = {"no_statistics_consent": 0, "not_identified_as_victim": 0}
    survivors = []
    for row in rows:
        decision, means = decisions.get(row["id"], (None, None))
        if not row["statistics_ok"]:
            excluded["no_statistics_consent"] += 1
            continue
        if decision not in VICTIM_DECISIONS:
            excluded["not_identified_as_victim"] += 1
            continue
        profile = profiles.get(row["id"], {})
        survivors.append(
            Survivor(
                registered_on=timezone.localtime(row["opened_at"]).date(),
                gender=row["person__gender"],
                date_of_birth=row["person__date_of_birth"],
                estimated_age=row["person__estimated_age"],
                age_estimated_on=row["person__age_estimated_on"],
                assessed_as_child=row["person__assessed_as_child"],
                citizenship=row["person__citizenship_id"],
                exploitation_types=profile.get("exploitation_types") or [],
                labour_sectors=profile.get("labour_sectors") or [],
                sexual_types=profile.get("sexual_exploitation_types") or [],
                means_of_control=profile.get("means_of_control") or [],
                recruiter_relation=profile.get("recruiter_relation") or "",
                screening_means=means,
                events=events.get(row["id"], []),
            )
        )
    return survivors, excluded


# --- The dashboard ------------------------------------------------------------------------------


def dashboard_figures(*, user, filters, request=None, use_aggregates=True) -> dict:
    """Every figure of the dashboard for this viewer: counts over the records their grant reaches,
    small cells suppressed unless they may see exact counts. The look is audited (no names).

    From the pre-computed counts when they can answer exactly (insights/aggregates.py), then
    `as_of` says when they were computed; else live, `as_of` None."""
    from django.conf import settings

    from tumaini.core.audit import audit_record
    from tumaini.core.enums import AuditAction
    from tumaini.insights import aggregates, figures
    from tumaini.insights.figures import from_counts
    from tumaini.insights.figures.public_reports import suppress_campaigns, suppress_report_times
    from tumaini.insights.policies import INSIGHTS_DASHBOARD, VIEW_EXACT
    from tumaini.justice.models import JusticeMatter
    from tumaini.tips.models import Campaign, Report
    from tumaini.tips.selectors.figures import timings_from

    counted = _organisations_counted(user, filters)
    refreshed = aggregates.latest() if use_aggregates else None
    organisations = aggregates.organisations_for(user, INSIGHTS_DASHBOARD)
    reports = access.scoped(user, INSIGHTS_DASHBOARD, access.VIEW, Report.objects.all())
    # Campaigns are staff-entered, a few rows: always read live; their reports are counted.
    campaigns = access.scoped(user, INSIGHTS_DASHBOARD, access.VIEW, Campaign.objects.all())
    if refreshed and organisations is not False:
        counts = aggregates.counted(filters, organisations, as_of=refreshed.as_of)
        scope = from_counts.scope_from(counts)
        public = from_counts.reports_from(counts)
        # Reports still waiting for triage are judged at the refresh, and a running campaign is
        # counted to the refresh's day: the page gives the figures as of then.
        public["times"] = figures.report_time_result(timings_from(counts))
        as_of_day = timezone.localtime(refreshed.as_of).date()
        public["campaigns"] = aggregates.campaigns_from(
            filters,
            organisations,
            figures.campaigns_in_period(campaigns, filters, today=as_of_day),
            today=as_of_day,
        )
        justice = from_counts.justice_from(counts)
        gaps = from_counts.gaps_from(counts, figures.shelter_figures(counted))
        as_of = refreshed.as_of
    else:
        cases = access.scoped(user, INSIGHTS_DASHBOARD, access.VIEW, Case.objects.all())
        matters = JusticeMatter.objects.filter(case__in=cases)
        scope = figures.scope_figures(cases, filters)
        public = figures.report_figures(reports, filters)
        public["times"] = figures.report_time_figures(reports, filters, now=timezone.now())
        today = timezone.localdate()
        public["campaigns"] = figures.campaign_figures(
            reports,
            filters,
            figures.campaigns_in_period(campaigns, filters, today=today),
            today=today,
        )
        justice = figures.justice_figures(matters, filters)
        gaps = figures.gap_figures(cases, filters, counted)
        as_of = None
    exact = access.can(user, INSIGHTS_DASHBOARD, VIEW_EXACT)
    threshold = 1 if exact else settings.TUMAINI_SUPPRESSION_THRESHOLD
    for key in (
        "months",
        "exploitation",
        "sectors",
        "children",
        "citizenship",
        "reach",
        "recruitment_places",
        "exploitation_places",
    ):
        scope[key].suppress(threshold)
    for row in scope["age_sex"]["rows"]:
        row.suppress(threshold)
    public["channels"].suppress(threshold)
    suppress_report_times(public["times"], threshold)
    suppress_campaigns(public["campaigns"], threshold)
    for key in (
        "survivors_by_sub_county",
        "recruitment_by_sub_county",
        "survivors_by_ward",
        "recruitment_by_ward",
    ):
        scope[key] = _suppress_map(scope[key], threshold)
    for key in ("reports_by_sub_county", "reports_by_ward"):
        public[key] = _suppress_map(public[key], threshold)
    _suppress_gaps(gaps, threshold)
    totals = {
        "survivors": _suppress_count(scope["total"], threshold),
        "reports": _suppress_count(public["total"], threshold),
        **{name: _suppress_count(value, threshold) for name, value in justice.items()},
    }
    audit_record(
        action=AuditAction.VIEW,
        actor=user,
        request=request,
        object_type="insights.dashboard",
        detail={"exact": exact, "sub_county": filters.sub_county_code},
    )
    return {
        "as_of": as_of,
        "scope": scope,
        "public": public,
        "totals": totals,
        "gaps": gaps,
        "exact": exact,
        "threshold": threshold,
    }


def _organisations_counted(user, filters):
    """Whose shelters and referrals the figures count: the filter's organisation, every one for a
    county-wide grant, else the viewer's own."""
    from tumaini.accounts.models import Organisation
    from tumaini.insights.policies import INSIGHTS_DASHBOARD

    if filters.organisation_id:
        return Organisation.objects.filter(pk=filters.organisation_id).values("pk")
    if access.scope_for(user, INSIGHTS_DASHBOARD, access.VIEW) == access.Scope.ALL:
        return Organisation.objects.values("pk")
    return Organisation.objects.filter(pk=user.organisation_id).values("pk")


def _suppress_gaps(gaps: dict, threshold: int) -> None:
    for row in gaps["needs"]:
        for key in ("identified", "delivered", "planned", "missing"):
            row[key] = _suppress_count(row[key], threshold)
        if row["identified"] is None:
            row["median_days_to_service"] = None
    for row in gaps["first_service"]:
        row["cases"] = _suppress_count(row["cases"], threshold)
        if row["cases"] is None:
            row["median_days"] = None
    gaps["shelter"] = {k: _suppress_count(v, threshold) for k, v in gaps["shelter"].items()}
    for row in gaps["referrals"]:
        for key in ("sent", "accepted", "completed", "declined"):
            row[key] = _suppress_count(row[key], threshold)


def _suppress_count(value: int, threshold: int) -> int | None:
    return None if 0 < value < threshold else value


def _suppress_map(counts, threshold: int) -> dict:
    return {code: _suppress_count(n, threshold) for code, n in counts.items()}


def dashboard_organisations(*, user):
    """Organisations the viewer may filter by: all for a county-wide grant, else none to choose."""
    from tumaini.accounts.models import Organisation
    from tumaini.insights.policies import INSIGHTS_DASHBOARD

    if access.scope_for(user, INSIGHTS_DASHBOARD, access.VIEW) != access.Scope.ALL:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=Case.objects.values("organisation_id")).order_by(
        "name"
    )


# --- Public statistics --------------------------------------------------------------------------

PUBLIC_CACHE_SECONDS = 3600


def public_headlines(*, today=None) -> dict:
    """A few anonymised figures for awareness campaigns, over every organisation: this year and
    last year's identified survivors, children among them, public reports, the commonest types of
    exploitation. Small counts are suppressed; computed at most once an hour."""
    from django.conf import settings
    from django.core.cache import cache

    from tumaini.insights import aggregates, figures
    from tumaini.insights.figures import from_counts
    from tumaini.tips.models import Report

    today = today or timezone.localdate()
    key = f"insights:public:{today.isoformat()}:{translation_language()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    threshold = settings.TUMAINI_SUPPRESSION_THRESHOLD
    # Whole years: the pre-computed counts answer exactly once a refresh has run.
    refreshed = aggregates.latest()
    years = []
    for year in (today.year, today.year - 1):
        period = figures.Filters(
            date_from=today.replace(year=year, month=1, day=1),
            date_to=today.replace(year=year, month=12, day=31),
        )
        if refreshed:
            counts = aggregates.summed(period, None)
            scope, public = from_counts.scope_from(counts), from_counts.reports_from(counts)
        else:
            scope = figures.scope_figures(Case.objects.all(), period)
            public = figures.report_figures(Report.objects.all(), period)
        exploitation = scope["exploitation"]
        exploitation.suppress(threshold)
        years.append(
            {
                "year": year,
                "survivors": _suppress_count(scope["total"], threshold),
                "children": _suppress_count(
                    sum(c.count for c in scope["children"].cells if c.key == "child"), threshold
                ),
                "reports": _suppress_count(public["total"], threshold),
                "exploitation": [c for c in exploitation.cells if c.count is not None][:3],
            }
        )
    result = {
        "years": years,
        "threshold": threshold,
        "as_of": refreshed.as_of if refreshed else None,
    }
    cache.set(key, result, PUBLIC_CACHE_SECONDS)
    return result


def translation_language() -> str:
    from django.utils import translation

    return translation.get_language() or "en"
