"""Synthetic survivors at scale, for benchmarks: `manage.py seed_scale --survivors N`
(bench/README.md, shared design notes: benchmarks).

Deterministic for a seed (on a given day: dates count back from today). Names follow a flattened Zipf
curve so that searches can be measured at three result sizes: the commonest surname held by about 5 %
of survivors, a middle one by about 1 %, a full first + last name by about 0.1 %. The command prints
which names those are.

Rows are written with bulk_create in batches, kept consistent the way the services keep them (blind
indexes, name tokens, is_child, risk level, next action). Encrypting each value with Fernet costs about
6 microseconds; the inserts cost far more.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from datetime import date, datetime, time, timedelta

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from tumaini.accounts.enums import Role
from tumaini.accounts.models import Organisation, User
from tumaini.cases.demo import demo_question_set
from tumaini.cases.demo_case import make_person
from tumaini.cases.demo_data import (
    FEMALE_FIRST_NAMES,
    GULF,
    MALE_FIRST_NAMES,
    NAIROBI,
    NAIROBI_SUB_COUNTIES,
    NEIGHBOURS,
    RECRUITMENT_COUNTIES,
    SURNAMES,
)
from tumaini.cases.enums import (
    CaseFlag,
    CaseStage,
    ClosureReason,
    ConsentGiver,
    ConsentPurpose,
    ExploitationType,
    IntakeSource,
    LabourSector,
    NoteKind,
    RiskLevel,
    TraffickingDecision,
    TraffickingEventType,
)
from tumaini.cases.models import (
    Case,
    CaseNote,
    Consent,
    ExploitationProfile,
    Intake,
    Screening,
    TraffickingEvent,
)
from tumaini.cases.models.case import CASE_NUMBER_ALPHABET
from tumaini.core.models import Country, County, SubCounty
from tumaini.people.models import Person, PersonNameToken

YEARS = 10
MIDDLE_NAME_SHARE = 0.7
CHILD_SHARE = 0.3
FEMALE_SHARE = 0.62
# Flattened Zipf: weight of the name at rank r (from 1) is 1 / (r + offset). With 160 surnames an
# offset of 5 gives the first about 5 % and ranks around 25 about 1 %; first names are drawn per sex.
SURNAME_OFFSET = 5
FIRST_NAME_OFFSET = 3
OPEN_STAGES = [s for s in CaseStage.values if s != CaseStage.CLOSED]
EXPLOITATION = [
    # (types, sector, abroad?)
    (["Servitude", "ForcedLabour"], "DomesticWork", True),
    (["SexualExploitation"], "", False),
    (["ForcedLabour"], "Agriculture", False),
    (["ForcedLabour", "ChildLabour"], "Aquafarming", False),
    (["ChildLabour"], "DomesticWork", False),
    (["ForcedBegging"], "Begging", False),
    (["ForcedLabour"], "Construction", True),
    (["SexualExploitation"], "", True),
]
NOTE_BODIES = (
    "Phoned the survivor; doing well, attending the tailoring course.",
    "Home visit with the family; no sign of the recruiter.",
    "Accompanied to the clinic for a review.",
    "Met at the centre; discussed school fees and documents.",
    "Called the receiving agency about the travel documents.",
)


def zipf_weights(count: int, offset: int) -> list[float]:
    return [1 / (rank + offset) for rank in range(1, count + 1)]


class ScalePlan:
    """Draws survivors in a fixed order from one generator, and writes them in batches."""

    def __init__(self, *, organisation: Organisation, seed: int):
        self.organisation = organisation
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - invented data, not security
        # Case numbers come from their own generator, so redrawing one never shifts the data.
        self.number_rng = random.Random(f"case-numbers-{seed}")  # noqa: S311
        self.today = timezone.localdate()
        self.surname_weights = zipf_weights(len(SURNAMES), SURNAME_OFFSET)
        self.female_weights = zipf_weights(len(FEMALE_FIRST_NAMES), FIRST_NAME_OFFSET)
        self.male_weights = zipf_weights(len(MALE_FIRST_NAMES), FIRST_NAME_OFFSET)
        self.question_set = demo_question_set()
        self.countries = {
            c.code: c for c in Country.objects.filter(code__in=("KE", *GULF, *NEIGHBOURS))
        }
        if "KE" not in self.countries:
            raise CommandError("Load the reference data first: manage.py load_reference_data")
        self.counties = list(County.objects.filter(code__in=(NAIROBI, *RECRUITMENT_COUNTIES)))
        self.sub_counties = list(SubCounty.objects.filter(code__in=NAIROBI_SUB_COUNTIES))
        self.assignments = self._assignments()
        self.numbers: set[str] = set()
        # What the report prints: how many hold each surname and each exact full name.
        self.surnames: Counter[str] = Counter()
        self.exact_first_last: Counter[str] = Counter()
        self.first_last: Counter[str] = Counter()

    def _assignments(self) -> list[tuple]:
        """(team, case manager) pairs to spread cases over: teams with case managers first."""
        staff = list(User.objects.filter(organisation=self.organisation, is_active=True))
        if not staff:
            raise CommandError(f"{self.organisation} has no staff accounts to record the cases.")
        self.any_staff = staff[0]
        managers = (
            User.objects.filter(
                organisation=self.organisation,
                is_active=True,
                role_assignments__role=Role.CASE_MANAGER,
            )
            .prefetch_related("teams")
            .order_by("username")
        )
        pairs = [
            (team, manager)
            for manager in managers
            for team in manager.teams.all()
            if team.organisation_id == self.organisation.pk
        ]
        if pairs:
            return pairs
        teams = list(self.organisation.teams.order_by("name"))
        return [(team, None) for team in teams] or [(None, None)]

    def _case_number(self, year: int) -> str:
        while True:
            body = "".join(self.number_rng.choice(CASE_NUMBER_ALPHABET) for _ in range(6))
            number = f"TUM-{year % 100:02d}-{body[:4]}-{body[4:]}"
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def write_batch(self, size: int, *, first: bool) -> None:
        drawn = [self._draw() for _ in range(size)]
        numbers = [d["number"] for d in drawn]
        taken = set(
            Case.objects.filter(case_number__in=numbers).values_list("case_number", flat=True)
        )
        if first and numbers[0] in taken:
            raise CommandError(
                f"Survivors of seed {self.seed} are already in this database (case {numbers[0]}). "
                "Use another --seed, or a fresh database."
            )
        for d in drawn:
            # A clash with an existing case (another seed, a real case): draw another number.
            while d["number"] in taken:
                d["number"] = self._case_number(d["opened"].year)
        with transaction.atomic():
            self._write(drawn)

    def _draw(self) -> dict:
        rng = self.rng
        female = rng.random() < FEMALE_SHARE
        names, weights = (
            (FEMALE_FIRST_NAMES, self.female_weights)
            if female
            else (MALE_FIRST_NAMES, self.male_weights)
        )
        first = rng.choices(names, weights)[0]
        middle = rng.choices(names, weights)[0] if rng.random() < MIDDLE_NAME_SHARE else ""
        if middle == first:
            middle = ""
        family = rng.choices(SURNAMES, self.surname_weights)[0]
        opened = self.today - timedelta(days=rng.randint(0, YEARS * 365))
        child_at_opening = rng.random() < CHILD_SHARE
        age_at_opening = rng.randint(8, 17) if child_at_opening else rng.randint(18, 45)
        dob = opened - timedelta(days=age_at_opening * 365 + rng.randint(0, 360))
        age_days = (self.today - opened).days
        # Old cases are mostly closed; recent ones anywhere on the journey.
        if age_days > 730 and rng.random() < 0.85 or age_days > 180 and rng.random() < 0.3:
            stage = CaseStage.CLOSED
        else:
            stage = rng.choice(OPEN_STAGES)
        types, sector, abroad = rng.choice(EXPLOITATION)
        if child_at_opening and rng.random() < 0.5:
            types = [t if t != "ForcedLabour" else "ChildLabour" for t in types]
        team, manager = rng.choice(self.assignments)
        notes = rng.randint(2, 4)
        return {
            "female": female,
            "first": first,
            "middle": middle,
            "family": family,
            "dob": dob,
            "opened": opened,
            "stage": stage,
            "types": types,
            "sector": sector,
            "abroad": abroad,
            "destination": rng.choice(GULF) if abroad else "KE",
            "citizenship": "KE" if abroad or rng.random() < 0.85 else rng.choice(NEIGHBOURS),
            "county": rng.choice(self.counties) if self.counties else None,
            "sub_county": rng.choice(self.sub_counties) if self.sub_counties else None,
            "source": rng.choice(IntakeSource.values),
            "risk": rng.choices(RiskLevel.values, weights=(5, 3, 2))[0],
            "decision": rng.choices(
                [
                    TraffickingDecision.ACTUAL,
                    TraffickingDecision.POSSIBLE,
                    TraffickingDecision.NOT_A_VICTIM,
                ],
                weights=(6, 3, 1),
            )[0],
            "team": team,
            "manager": manager,
            "notes": [rng.choice(NOTE_BODIES) for _ in range(notes)],
            "overdue": rng.random() < 0.2,
            "events": rng.randint(1, 3),
            "public_ids": (
                uuid.UUID(int=rng.getrandbits(128), version=4),
                uuid.UUID(int=rng.getrandbits(128), version=4),
            ),
            "number": self._case_number(opened.year),
        }

    def _at(self, day: date, hour: int = 10) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, 0)))

    def _write(self, drawn: list[dict]) -> None:
        people, tokens_of = [], []
        for d in drawn:
            person, tokens = make_person(
                organisation=self.organisation,
                team=d["team"],
                assigned_to=d["manager"],
                given_name=d["first"],
                other_names=d["middle"],
                family_name=d["family"],
                gender="Feminine" if d["female"] else "Masculine",
                date_of_birth=d["dob"],
                citizenship_id=d["citizenship"] if d["citizenship"] in self.countries else None,
                public_id=d["public_ids"][0],
                today=self.today,
            )
            people.append(person)
            tokens_of.append(tokens)
            self.surnames[d["family"]] += 1
            if not d["middle"]:
                self.exact_first_last[person.full_name] += 1
            self.first_last[f"{d['first']} {d['family']}"] += 1
        Person.objects.bulk_create(people)
        PersonNameToken.objects.bulk_create(
            [
                PersonNameToken(person=p, token=t)
                for p, tokens in zip(people, tokens_of, strict=True)
                for t in sorted(tokens)
            ]
        )

        cases = []
        for d, person in zip(drawn, people, strict=True):
            closed = d["stage"] == CaseStage.CLOSED
            case = Case(
                public_id=d["public_ids"][1],
                organisation=self.organisation,
                team=d["team"],
                assigned_to=d["manager"],
                person=person,
                case_number=d["number"],
                stage=d["stage"],
                opened_at=self._at(d["opened"], 9),
                closed_at=self._at(min(d["opened"] + timedelta(days=240), self.today), 16)
                if closed
                else None,
                closure_reason=(
                    ClosureReason.NOT_A_VICTIM
                    if d["decision"] == TraffickingDecision.NOT_A_VICTIM
                    else ClosureReason.REINTEGRATED
                )
                if closed
                else "",
                risk_level=""
                if d["stage"] in (CaseStage.SCREENING, CaseStage.PROTECTION)
                else d["risk"],
                flags=[CaseFlag.CHILD] if person.is_child else [],
            )
            if not closed:
                follow_up = (
                    self.today - timedelta(days=9)
                    if d["overdue"]
                    else self.today + timedelta(days=14)
                )
                case.next_action_due = follow_up
            cases.append(case)
        Case.objects.bulk_create(cases)

        intakes, profiles, screenings, events, notes, consents = [], [], [], [], [], []
        for d, case in zip(drawn, cases, strict=True):
            author = d["manager"] or self.any_staff
            intakes.append(
                Intake(
                    case=case,
                    source=d["source"],
                    intake_date=d["opened"],
                    sub_county=d["sub_county"],
                    narrative="Promised a job, then kept without pay; escaped and came to the centre.",
                    recorded_by=author,
                )
            )
            profiles.append(
                ExploitationProfile(
                    case=case,
                    exploitation_types=[t for t in d["types"] if t in ExploitationType.values],
                    labour_sectors=[d["sector"]] if d["sector"] in LabourSector.values else [],
                )
            )
            if d["stage"] != CaseStage.SCREENING:
                screenings.append(
                    Screening(
                        case=case,
                        question_set=self.question_set,
                        conducted_by=author,
                        conducted_on=d["opened"] + timedelta(days=1),
                        decision=d["decision"],
                        decided_by=author,
                        decided_on=d["opened"] + timedelta(days=2),
                        acts=["recruitment", "transportation"],
                        means=[] if case.person.is_child else ["deception"],
                        purposes=d["types"],
                    )
                )
            start = d["opened"] - timedelta(days=300)
            kinds = [
                TraffickingEventType.RECRUITMENT,
                TraffickingEventType.TRANSIT,
                TraffickingEventType.EXPLOITATION,
            ]
            for kind in kinds[3 - d["events"] :]:
                exploitation = kind == TraffickingEventType.EXPLOITATION
                country = self.countries.get(
                    d["destination"] if exploitation else d["citizenship"], self.countries["KE"]
                )
                events.append(
                    TraffickingEvent(
                        case=case,
                        type=kind,
                        country=country,
                        county=d["county"] if country.code == "KE" else None,
                        place_details="Bus stage"
                        if kind == TraffickingEventType.RECRUITMENT
                        else "",
                        started_on=start + timedelta(days=30 * kinds.index(kind)),
                    )
                )
            for i, body in enumerate(d["notes"]):
                last = i == len(d["notes"]) - 1
                notes.append(
                    CaseNote(
                        case=case,
                        kind=NoteKind.CONTACT if i == 0 else NoteKind.FOLLOW_UP,
                        body=body,
                        author=author,
                        follow_up_on=case.next_action_due if last else None,
                    )
                )
            consents.append(
                Consent(
                    person=case.person,
                    case=case,
                    purpose=ConsentPurpose.SERVICES,
                    given_by=ConsentGiver.GUARDIAN if case.person.is_child else ConsentGiver.SELF,
                    given_at=self._at(d["opened"], 11),
                    recorded_by=author,
                )
            )
        Intake.objects.bulk_create(intakes)
        ExploitationProfile.objects.bulk_create(profiles)
        Screening.objects.bulk_create(screenings)
        TraffickingEvent.objects.bulk_create(events)
        CaseNote.objects.bulk_create(notes)
        Consent.objects.bulk_create(consents)

    def report(self, count: int) -> list[str]:
        def closest(counter: Counter, share: float) -> tuple[str, int]:
            target = share * count
            name, held = min(counter.items(), key=lambda item: (abs(item[1] - target), item[0]))
            return name, held

        lines = ["Search sizes (names of this run; the bench uses them):"]
        surname_5, held_5 = self.surnames.most_common(1)[0]
        surname_1, held_1 = closest(self.surnames, 0.01)
        # The list search matches a full name exactly (given, middle and family names): pick the
        # first + last name held, without a middle name, by the nearest to 0.1 % of survivors.
        full, held_full = closest(self.exact_first_last, 0.001)
        for label, name, held in (
            ("surname ~5%", surname_5, held_5),
            ("surname ~1%", surname_1, held_1),
            ("full name ~0.1%", full, held_full),
        ):
            lines.append(f"  {label:<16} {name!r}: {held} survivors ({100 * held / count:.2f} %)")
        lines.append(
            f"  (survivors named {full!r} with any middle name: {self.first_last.get(full, 0)})"
        )
        lines.append(
            f'  bench arguments: --surname-5 "{surname_5}" --surname-1 "{surname_1}" '
            f'--full-name "{full}"'
        )
        return lines
