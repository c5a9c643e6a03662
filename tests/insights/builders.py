"""Survivors for the CTDC export tests, built straight with the models: a case with a person, a
screening decision, an exploitation profile, trafficking events and a consent to statistics."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from tests.cases.builders_casefile import make_case
from tumaini.cases.enums import ConsentGiver, ConsentPurpose, TraffickingDecision
from tumaini.cases.models import (
    Consent,
    ExploitationProfile,
    Screening,
    ScreeningQuestionSet,
    TraffickingEvent,
)
from tumaini.core.models import Country


def survivor(
    personas,
    *,
    organisation=None,
    given_name="Amina",
    gender="Feminine",
    born=date(2000, 3, 1),
    opened=date(2026, 2, 10),
    citizenship="KE",
    exploited_in="KE",
    exploited_from=date(2025, 6, 1),
    recruited_on=date(2025, 5, 1),
    types=("SexualExploitation",),
    labour=(),
    sexual=("Prostitution",),
    means=("Threats", "DebtBondage"),
    relation="Friend",
    screening_means=("deception",),
    decision=TraffickingDecision.ACTUAL,
    statistics_consent=True,
    recruited_in=None,
):
    """`recruited_in`: (county code, sub-county code) of the recruitment in Kenya, if known."""
    organisation = organisation or personas.org_a
    case = make_case(
        organisation=organisation,
        assigned_to=personas.owner if organisation == personas.org_a else None,
        given_name=given_name,
        family_name="Ndungu",
    )
    case.opened_at = timezone.make_aware(datetime.combine(opened, datetime.min.time())) + timedelta(
        hours=10
    )
    case.save(update_fields=["opened_at"])
    person = case.person
    if citizenship:
        Country.objects.get_or_create(code=citizenship, defaults={"name": citizenship})
    person.gender = gender
    person.date_of_birth = born
    person.citizenship_id = citizenship
    person.is_child = born is not None and (opened - born).days < 18 * 365
    person.save()
    question_set, _ = ScreeningQuestionSet.objects.get_or_create(
        code="ctdc-tests", version=1, defaults={"title_en": "Test", "title_sw": "Jaribio"}
    )
    Screening.objects.create(
        case=case,
        question_set=question_set,
        conducted_by=personas.owner,
        conducted_on=opened,
        decision=decision,
        means=list(screening_means),
    )
    ExploitationProfile.objects.create(
        case=case,
        exploitation_types=list(types),
        labour_sectors=list(labour),
        sexual_exploitation_types=list(sexual),
        means_of_control=list(means),
        recruiter_relation=relation,
    )
    for kind, country, started in (
        ("Recruitment", "KE", recruited_on),
        ("Exploitation", exploited_in, exploited_from),
    ):
        if country:
            Country.objects.get_or_create(code=country, defaults={"name": country})
            place = {}
            if kind == "Recruitment" and recruited_in:
                place = {"county_id": recruited_in[0], "sub_county_id": recruited_in[1]}
            TraffickingEvent.objects.create(
                case=case, type=kind, country_id=country, started_on=started, **place
            )
    if statistics_consent:
        Consent.objects.create(
            person=person,
            case=case,
            purpose=ConsentPurpose.STATISTICS,
            given_by=ConsentGiver.SELF,
            given_at=timezone.now() - timedelta(days=1),
            recorded_by=personas.owner,
        )
    return case
