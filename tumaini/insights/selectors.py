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
