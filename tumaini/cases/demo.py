"""Demo caseload: about forty invented survivors' cases for the demo organisations.

Every person here is invented (Kenyan names put together at random). Cases cover every stage, adults
and children, both sexes, domestic and transnational trafficking, and the kinds of exploitation a
Nairobi centre sees: domestic servitude in the Gulf, sexual exploitation in Nairobi, forced labour on
farms and boats, child labour, forced begging. Rows are written with the models directly, kept
consistent the way the services keep them (blind indexes, name tokens, `is_child`, the case's risk
level and next action). Idempotent: each demo case has a fixed case number, and a case that exists is
left alone. Deterministic: one random.Random seeded with DEMO_SEED.

The name lists are shared with `manage.py seed_scale`.
"""

from __future__ import annotations

import logging
import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from tumaini.accounts.models import Organisation, Team, User
from tumaini.cases.demo_case import DemoStaff, write_demo_case
from tumaini.cases.demo_data import (
    DEMO_CASE_COUNT,
    DEMO_NUMBER_PREFIX,
    DEMO_SEED,
    FEMALE_FIRST_NAMES,
    GULF,
    MALE_FIRST_NAMES,
    NAIROBI,
    NAIROBI_SUB_COUNTIES,
    NEIGHBOURS,
    NOTES,
    RECRUITMENT_COUNTIES,
    STAGE_ORDER,
    STAGE_PLAN,
    STORIES,
    SURNAMES,
)
from tumaini.cases.enums import (
    CaseStage,
    RiskLevel,
    TraffickingDecision,
)
from tumaini.cases.models import (
    Case,
    ScreeningQuestionSet,
)
from tumaini.cases.models.case import CASE_NUMBER_ALPHABET
from tumaini.core.models import Country, County, Language, SubCounty

logger = logging.getLogger(__name__)


def demo_case_numbers() -> list[str]:
    alphabet = CASE_NUMBER_ALPHABET
    return [
        f"{DEMO_NUMBER_PREFIX}{alphabet[i // len(alphabet)]}{alphabet[i % len(alphabet)]}"
        for i in range(DEMO_CASE_COUNT)
    ]


def demo_question_set() -> ScreeningQuestionSet:
    """The default screening tool (loading the shipped sets first), else a minimal demo one."""
    try:
        from tumaini.cases.services.screening import ScreeningSetError, screening_sets_load
    except ImportError:  # the screening area is not there: the minimal set below will do
        pass
    else:
        try:
            screening_sets_load()
        except ScreeningSetError as exc:
            logger.warning("Demo caseload: the shipped screening sets did not load: %s", exc)
    found = (
        ScreeningQuestionSet.objects.filter(is_default=True).first()
        or ScreeningQuestionSet.objects.filter(retired_at__isnull=True).first()
    )
    if found is not None:
        return found
    found, _ = ScreeningQuestionSet.objects.get_or_create(
        code="demo-screening",
        version=1,
        defaults={
            "title_en": "Demo screening (no questions)",
            "title_sw": "Uchunguzi wa majaribio (bila maswali)",
            "published_at": timezone.now(),
        },
    )
    return found


def _staff() -> DemoStaff | None:
    from tumaini.core import demo as core_demo

    def org(name):
        return Organisation.objects.filter(name=name).first()

    centre, partner = org(core_demo.CENTRE), org(core_demo.PARTNER_NGO)
    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    if not centre or not partner or not {"caseworker", "caseworker2", "director"} <= set(users):
        return None
    teams = {(t.organisation_id, t.name): t for t in Team.objects.all()}
    return DemoStaff(
        centre=centre,
        partner=partner,
        legal_clinic=org(core_demo.LEGAL_CLINIC),
        police=org(core_demo.POLICE_UNIT),
        team_1=teams[(centre.pk, core_demo.TEAM_1)],
        team_2=teams[(centre.pk, core_demo.TEAM_2)],
        ngo_team=teams[(partner.pk, core_demo.NGO_TEAM)],
        caseworker=users["caseworker"],
        caseworker2=users["caseworker2"],
        director=users["director"],
    )


def seed_demo_caseload(*, today: date | None = None) -> int:
    """Create the demo cases that do not exist yet; returns how many were created."""
    staff = _staff()
    if staff is None:
        return 0
    numbers = demo_case_numbers()
    existing = set(
        Case.objects.filter(case_number__in=numbers).values_list("case_number", flat=True)
    )
    if len(existing) == len(numbers):
        return 0
    today = today or timezone.localdate()
    question_set = demo_question_set()
    countries = {c.code: c for c in Country.objects.filter(code__in=("KE", *GULF, *NEIGHBOURS))}
    counties = {c.code: c for c in County.objects.filter(code__in=(NAIROBI, *RECRUITMENT_COUNTIES))}
    sub_counties = {s.code: s for s in SubCounty.objects.filter(code__in=NAIROBI_SUB_COUNTIES)}
    languages = {
        lang.code: lang
        for lang in Language.objects.filter(
            code__in=("sw", "en", "luo", "luy", "ki", "kam", "kln", "ar")
        )
    }
    # One generator for the whole caseload, drawn in the same order every time: case i is always
    # the same case, whichever of them already exist.
    rng = random.Random(DEMO_SEED)  # noqa: S311 - invented data, not security
    created = 0
    for index, number in enumerate(numbers):
        spec = _draw_case(rng, index, today)
        if number in existing:
            continue
        with transaction.atomic():
            write_demo_case(
                spec=spec,
                number=number,
                staff=staff,
                question_set=question_set,
                countries=countries,
                counties=counties,
                sub_counties=sub_counties,
                languages=languages,
                today=today,
            )
        created += 1
    return created


def _draw_case(rng: random.Random, index: int, today: date) -> dict:
    """Everything random about demo case `index`, drawn in a fixed order."""
    stage = STAGE_PLAN[index]
    story = STORIES[index % len(STORIES)]
    female = rng.random() < story.female
    first = rng.choice(FEMALE_FIRST_NAMES if female else MALE_FIRST_NAMES)
    middle = (
        rng.choice(FEMALE_FIRST_NAMES if female else MALE_FIRST_NAMES) if rng.random() < 0.7 else ""
    )
    if middle == first:
        middle = ""
    family = rng.choice(SURNAMES)
    age = rng.randint(12, 17) if story.child else rng.randint(19, 41)
    # Later stages began longer ago.
    stage_rank = STAGE_ORDER.index(stage)
    opened_days_ago = 3 + stage_rank * 40 + rng.randint(0, 35)
    exploitation_country = rng.choice(story.exploitation_countries)
    citizenship = rng.choice(story.citizenships)
    if exploitation_country != "KE":
        citizenship = "KE"  # Kenyans exploited abroad
    at_partner = index % 5 == 4  # every fifth case is the partner NGO's
    return {
        "stage": stage,
        "story": story,
        "female": female,
        "first": first,
        "middle": middle,
        "family": family,
        "dob": today - timedelta(days=age * 365 + rng.randint(30, 330)),
        "estimated": rng.random() < 0.25,
        "opened": today - timedelta(days=opened_days_ago),
        "source": rng.choice(story.sources),
        "exploitation_country": exploitation_country,
        "citizenship": citizenship,
        "recruitment_county": rng.choice(RECRUITMENT_COUNTIES),
        "nairobi_sub_county": rng.choice(NAIROBI_SUB_COUNTIES),
        "exploitation_types": list(story.exploitation_types),
        "means_of_control": rng.sample(
            story.means_of_control, k=min(3, len(story.means_of_control))
        ),
        # Mostly low and medium: one high of the four makes the whole case high risk.
        "risks": rng.choices(RiskLevel.values, weights=(6, 3, 1), k=4),
        "decision": (
            TraffickingDecision.NOT_A_VICTIM
            if stage == CaseStage.CLOSED and index % 4 == 0
            else rng.choice([TraffickingDecision.ACTUAL, TraffickingDecision.POSSIBLE])
        ),
        "screening_pending": stage == CaseStage.SCREENING and rng.random() < 0.5,
        "at_partner": at_partner,
        "team_2": not at_partner and rng.random() < 0.2,
        "summary_consent": rng.random() < 0.3,
        "pending_plan": stage == CaseStage.CARE_PLANNING and index % 2 == 0,
        "notes": rng.sample(NOTES, k=rng.randint(1, 3)),
        "overdue": rng.random() < 0.35,
        "language": "sw" if rng.random() < 0.7 else rng.choice(["en", "luo", "luy", "ki", "kam"]),
    }
