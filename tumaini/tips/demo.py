"""Demo public reports (`seed_demo`) and public reports at scale (`seed_scale --reports N`).

Every report here is invented. Both draw reports from one `random.Random`, in a fixed order, so the
same seed gives the same reports; rows are written with `bulk_create` (encrypted fields are
encrypted on the way in, blind indexes computed by their fields), kept consistent the way the
services keep them (urgency from the same rules, triage and closure times in order).

Demo reports have fixed reference codes starting with DEM, so a second run finds them and writes
nothing. A few hundred of them cover every channel, urgency and status, places across Nairobi's
wards, some escalated to the demo police unit, some linked to demo cases, some grouped as one
incident, and a few fresh ones past their triage target so the overdue panel has something to show.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from statistics import NormalDist

from django.db import transaction
from django.utils import timezone

from tumaini.accounts.models import Organisation, User
from tumaini.core.models import Ward
from tumaini.tips.enums import (
    URGENCY_RANK,
    Channel,
    ClosureReason,
    ReportStatus,
    Urgency,
    VictimAges,
    VictimSex,
)
from tumaini.tips.models import REFERENCE_ALPHABET, REFERENCE_LENGTH, Report
from tumaini.tips.services import urgency_for

DEMO_REPORT_SEED = 6106
DEMO_REPORT_COUNT = 300
DEMO_REFERENCE_PREFIX = "DEM"
DEMO_WEEKS = 16

CHANNEL_WEIGHTS = {
    Channel.WEB: 25,
    Channel.SMS: 30,
    Channel.USSD: 25,
    Channel.VOICE: 5,
    Channel.HOTLINE: 10,
    Channel.WALK_IN: 3,
    Channel.PARTNER: 2,
}

# What reporters tell, in English and Kiswahili (as they would write it).
STORIES = (
    (
        "en",
        "Three girls are kept in a house near the market; a man takes their phones every night.",
    ),
    ("en", "Young women were promised hotel jobs in Dubai; an agent holds their passports."),
    ("en", "Boys sell sweets at the matatu stage until midnight; an older man collects the money."),
    ("en", "A house help of about 14 works all day and is not allowed to go to school."),
    ("en", "Men from Uganda work on a construction site and sleep there; they have not been paid."),
    ("en", "A bar owner keeps girls upstairs and customers go up to them."),
    ("en", "Children are begging at the roundabout every morning; a woman brings them in a car."),
    ("en", "An agency is recruiting girls for domestic work in Saudi Arabia for a big fee."),
    ("en", "My neighbour's daughter was taken to Mombasa for a job and we cannot reach her."),
    ("en", "A lorry brought about ten young men at night; they are locked in a warehouse."),
    ("sw", "Wasichana watatu wamefungiwa nyumba karibu na soko; mwanamume huchukua simu zao."),
    ("sw", "Watoto wanaombaomba kwenye mzunguko kila asubuhi; mama mmoja huwaleta kwa gari."),
    ("sw", "Msichana wa kazi wa miaka 14 anafanya kazi siku nzima na hapelekwi shule."),
    ("sw", "Wakala anaajiri wasichana kwenda kufanya kazi za nyumbani Saudi kwa ada kubwa."),
    ("sw", "Vijana kutoka Uganda wanafanya kazi ya ujenzi na hawajalipwa miezi mitatu."),
)
PLACES = (
    "near the market",
    "behind the petrol station",
    "the blue gate opposite the church",
    "second floor above the shops",
    "estate near the bus stage",
    "karibu na soko",
    "nyuma ya kanisa",
)
SUSPECTS = (
    "A tall man called Boss, drives a white Probox.",
    "A woman in her forties who says she runs an agency.",
    "Two men, one with a scar on the face.",
    "Mwanamume mfupi anayeitwa Mzee.",
    "",
)
NETWORK_PREFIXES = ("0712", "0722", "0733", "0741", "0757", "0790", "0110")

# Statuses of older reports, with weights; fresh ones are mostly new or being triaged.
SETTLED = (
    (ReportStatus.CLOSED, 45),
    (ReportStatus.ESCALATED, 15),
    (ReportStatus.REFERRED, 10),
    (ReportStatus.LINKED_TO_CASE, 10),
    (ReportStatus.TRIAGING, 12),
    (ReportStatus.NEW, 8),
)

# Times are log-normal, as waiting times are: most reports are dealt with soon, a few take days.
# Urgency -> (median, spread: the sigma of the log of the seconds). Urgent reports are faster.
TRIAGE_TIMES: dict[str, tuple[timedelta, float]] = {
    Urgency.CRITICAL: (timedelta(minutes=6), 0.9),
    Urgency.HIGH: (timedelta(minutes=25), 1.1),
    Urgency.NORMAL: (timedelta(hours=2), 1.3),
    Urgency.LOW: (timedelta(hours=8), 1.3),
}
# From triage to escalation: critical reports go to the police faster.
ESCALATION_TIMES: dict[str, tuple[timedelta, float]] = {
    Urgency.CRITICAL: (timedelta(minutes=20), 1.0),
    Urgency.HIGH: (timedelta(minutes=45), 1.2),
    Urgency.NORMAL: (timedelta(minutes=45), 1.2),
    Urgency.LOW: (timedelta(minutes=45), 1.2),
}
SHORTEST = timedelta(seconds=40)
LONGEST = timedelta(days=6)
_NORMAL = NormalDist()


def _waiting_time(rng: random.Random, spread: tuple[timedelta, float]) -> timedelta:
    """A log-normal time in whole seconds, from one draw (so the draws after it stay in step),
    kept between SHORTEST and LONGEST."""
    median, sigma = spread
    # 1 - random() lies in (0, 1], so never 0 (which inv_cdf refuses); 1 is clamped below.
    z = _NORMAL.inv_cdf(min(1 - rng.random(), 1 - 1e-12))
    seconds = round(median.total_seconds() * math.exp(sigma * z))
    return min(max(timedelta(seconds=seconds), SHORTEST), LONGEST)


def demo_reference(index: int) -> str:
    alphabet = REFERENCE_ALPHABET
    body = ""
    rest = index
    for _ in range(REFERENCE_LENGTH - len(DEMO_REFERENCE_PREFIX)):
        rest, digit = divmod(rest, len(alphabet))
        body = alphabet[digit] + body
    return DEMO_REFERENCE_PREFIX + body


def _phone(rng: random.Random) -> str:
    return f"{rng.choice(NETWORK_PREFIXES)}{rng.randint(0, 999999):06d}"


class ReportDraws:
    """Reports drawn one after another from one seeded generator."""

    def __init__(self, *, seed: int, now: datetime, span: timedelta):
        self.rng = random.Random(seed)  # noqa: S311 - invented data, not security
        self.now = now
        self.span = span
        self.wards = list(Ward.objects.select_related("sub_county").order_by("code"))
        self.channels = list(CHANNEL_WEIGHTS)
        self.channel_weights = list(CHANNEL_WEIGHTS.values())
        # A few suspect numbers come back in several reports (the same trafficker).
        self.repeat_phones = [_phone(self.rng) for _ in range(12)]

    def draw(self) -> dict:
        rng = self.rng
        channel = rng.choices(self.channels, self.channel_weights)[0]
        language, story = rng.choice(STORIES)
        if channel == Channel.USSD:
            story = f"USSD report: {rng.choice(('Forced work', 'Sexual exploitation', 'A child being taken', 'Something else'))}."
        ward = rng.choice(self.wards) if self.wards and rng.random() < 0.8 else None
        sub_county = ward.sub_county if ward else None
        if ward and channel in (Channel.USSD, Channel.SMS) and rng.random() < 0.6:
            ward, sub_county = None, None  # these channels rarely say the ward
        danger_now = rng.random() < 0.08
        ages = rng.choices(VictimAges.values, weights=(30, 40, 20, 10))[0]
        count = rng.choice((None, 1, 1, 2, 3, 4, 6, 10))
        urgency = urgency_for(danger_now=danger_now, victim_ages=ages, victims_count=count)
        if urgency == "normal" and rng.random() < 0.15:
            urgency = "low"
        received = self.now - timedelta(seconds=rng.randint(0, int(self.span.total_seconds())))
        phone = ""
        roll = rng.random()
        if roll < 0.12:
            phone = rng.choice(self.repeat_phones)
        elif roll < 0.4:
            phone = _phone(rng)
        age = self.now - received
        if age < timedelta(hours=12):
            status = rng.choice((ReportStatus.NEW, ReportStatus.NEW, ReportStatus.TRIAGING))
        else:
            statuses, weights = zip(*SETTLED, strict=True)
            status = rng.choices(statuses, weights)[0]
            if status == ReportStatus.NEW and age > timedelta(days=3):
                status = ReportStatus.TRIAGING  # nobody leaves a report untouched for days
            if urgency == "critical" and status in (ReportStatus.NEW, ReportStatus.TRIAGING):
                # Someone in danger: the police are called, or it turns out otherwise.
                status = rng.choice(
                    (ReportStatus.ESCALATED, ReportStatus.ESCALATED, ReportStatus.CLOSED)
                )
            # Old reports have mostly been dealt with: the queue holds the recent ones.
            if status != ReportStatus.CLOSED and age > timedelta(days=30):
                keep_open = 0.3 if status == ReportStatus.ESCALATED else 0.1
                if age > timedelta(days=365):
                    keep_open /= 10
                if rng.random() > keep_open:
                    status = ReportStatus.CLOSED
        triage_after = _waiting_time(rng, TRIAGE_TIMES[urgency])
        return {
            "channel": channel,
            "language": language if channel not in (Channel.USSD,) else rng.choice(("en", "sw")),
            "what_happened": story,
            "ward": ward,
            "sub_county": sub_county,
            "place_text": rng.choice(PLACES) if rng.random() < 0.7 else "",
            "victims_count": count,
            "victim_ages": ages,
            "victim_sex": rng.choice(VictimSex.values),
            "suspects_description": rng.choice(SUSPECTS),
            "suspect_phone": phone,
            "danger_now": danger_now,
            "reporter_phone": _phone(rng) if channel == Channel.SMS else "",
            "no_contact": rng.random() < 0.3,
            "urgency": urgency,
            "received_at": received,
            "status": status,
            "triage_after": triage_after,
            "escalation_after": triage_after + _waiting_time(rng, ESCALATION_TIMES[urgency]),
            "closure_reason": rng.choice(ClosureReason.values),
            "closed_after": timedelta(days=rng.randint(1, 20)),
            "public_id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "reference": "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH)),
        }

    def __iter__(self) -> Iterator[dict]:
        while True:
            yield self.draw()


def build_report(
    drawn: dict,
    *,
    organisation: Organisation,
    reference: str,
    police: Organisation | None,
    agent: User | None,
    now: datetime,
) -> Report:
    """An unsaved report with its triage history consistent with its status."""
    status = drawn["status"]
    received = drawn["received_at"]
    if status == ReportStatus.ESCALATED and police is None:
        status = ReportStatus.TRIAGING
    if status == ReportStatus.LINKED_TO_CASE:
        status = ReportStatus.TRIAGING  # linked afterwards, to a real demo case, if there is one
    report = Report(
        organisation=organisation,
        public_id=drawn["public_id"],
        reference_code=reference,
        channel=drawn["channel"],
        language=drawn["language"],
        what_happened=drawn["what_happened"],
        ward=drawn["ward"],
        sub_county=drawn["sub_county"],
        place_text=drawn["place_text"],
        victims_count=drawn["victims_count"],
        victim_ages=drawn["victim_ages"],
        victim_sex=drawn["victim_sex"],
        suspects_description=drawn["suspects_description"],
        suspect_phone=drawn["suspect_phone"],
        danger_now=drawn["danger_now"],
        reporter_phone=drawn["reporter_phone"],
        no_contact=drawn["no_contact"],
        urgency=drawn["urgency"],
        urgency_rank=URGENCY_RANK[drawn["urgency"]],
        received_at=received,
        status=status,
        status_changed_at=received,
    )
    if status != ReportStatus.NEW:
        triaged = min(received + drawn["triage_after"], now)
        if status == ReportStatus.CLOSED:  # a slow triage still ends by the closure
            triaged = min(triaged, received + drawn["closed_after"])
        report.triaged_at = triaged
        report.assigned_to = agent
        report.status_changed_at = triaged
    if status == ReportStatus.ESCALATED:
        report.escalated_to = police
        report.escalated_at = min(received + drawn["escalation_after"], now)
        report.escalated_by = agent
        report.escalation_officer = "Inspector Wafula (demo)"
        report.status_changed_at = report.escalated_at
    if status == ReportStatus.CLOSED:
        closed = min(received + drawn["closed_after"], now)
        report.closed_at = closed
        report.closure_reason = drawn["closure_reason"]
        report.status_changed_at = closed
        report.contact_purge_after = closed + timedelta(days=90)
    return report


def seed_demo_reports(*, now: datetime | None = None) -> int:
    """Create the demo reports not there yet; returns how many were created."""
    from tumaini.cases.demo import demo_case_numbers
    from tumaini.cases.models import Case
    from tumaini.core import demo as core_demo

    centre = Organisation.objects.filter(name=core_demo.CENTRE).first()
    if centre is None:
        return 0
    references = [demo_reference(i) for i in range(DEMO_REPORT_COUNT)]
    existing = set(
        Report.objects.filter(reference_code__in=references).values_list(
            "reference_code", flat=True
        )
    )
    if len(existing) == len(references):
        return 0
    now = now or timezone.now()
    police = Organisation.objects.filter(name=core_demo.POLICE_UNIT).first()
    agent = User.objects.filter(username="hotline", is_demo=True).first()
    director = User.objects.filter(username="director", is_demo=True).first()
    cases = list(
        Case.objects.filter(case_number__in=demo_case_numbers(), organisation=centre).order_by(
            "case_number"
        )
    )
    draws = ReportDraws(seed=DEMO_REPORT_SEED, now=now, span=timedelta(weeks=DEMO_WEEKS))
    rows: list[Report] = []
    wanted_links: list[tuple[str, int]] = []
    for index, reference in enumerate(references):
        drawn = draws.draw()
        # The last few are fresh and untriaged, some already past their target.
        if index >= DEMO_REPORT_COUNT - 6:
            drawn["status"] = ReportStatus.NEW
            drawn["received_at"] = now - timedelta(minutes=10 + 25 * (DEMO_REPORT_COUNT - index))
            if index % 2:
                drawn["danger_now"], drawn["urgency"] = True, "critical"
        if reference in existing:
            continue
        if drawn["status"] == ReportStatus.LINKED_TO_CASE and cases:
            wanted_links.append((reference, index % len(cases)))
        rows.append(
            build_report(
                drawn, organisation=centre, reference=reference, police=police, agent=agent, now=now
            )
        )
    with transaction.atomic():
        Report.objects.bulk_create(rows, batch_size=200)
        for reference, case_index in wanted_links:
            Report.objects.filter(reference_code=reference).update(
                status=ReportStatus.LINKED_TO_CASE,
                linked_case=cases[case_index],
                linked_at=now,
                linked_by=director,
            )
        _group_demo_incidents(references)
    return len(rows)


def _group_demo_incidents(references: list[str]) -> None:
    """Reports sharing a repeated suspect number: every other such number is confirmed as one
    incident (the earliest report primary); the rest stay suggestions for the demo triager."""
    phones: dict[str, list[Report]] = {}
    shared = (
        Report.objects.filter(reference_code__in=references)
        .exclude(suspect_phone_index="")
        .only("pk", "suspect_phone_index", "received_at", "incident_primary_id")
        .order_by("received_at", "pk")
    )
    for report in shared:
        phones.setdefault(report.suspect_phone_index, []).append(report)
    groups = sorted((g for g in phones.values() if len(g) > 1), key=lambda g: g[0].pk)
    for group in groups[::2]:
        primary, *members = group
        Report.objects.filter(pk__in=[m.pk for m in members]).update(incident_primary=primary)


# name -> (first day, last day as days before the seeding day, channels promoted, description).
# One finished campaign and one still running, both over the demo reports' sixteen weeks.
DEMO_CAMPAIGNS = {
    "Safe jobs, safe journeys (demo)": (
        70,
        57,
        [Channel.SMS, Channel.USSD],
        "Radio spots and matatu stickers about job offers abroad, with the SMS short code.",
    ),
    "Know the short code (demo)": (
        20,
        -7,
        [Channel.USSD, Channel.WEB],
        "Posters in markets and schools: report by USSD or on the website.",
    ),
}


def seed_demo_campaigns(*, today=None) -> int:
    """Create the demo awareness campaigns not there yet; returns how many were created."""
    from tumaini.core import demo as core_demo
    from tumaini.tips.models import Campaign

    centre = Organisation.objects.filter(name=core_demo.CENTRE).first()
    if centre is None:
        return 0
    today = today or timezone.localdate()
    created = 0
    for name, (first, last, channels, description) in DEMO_CAMPAIGNS.items():
        _campaign, made = Campaign.objects.get_or_create(
            organisation=centre,
            name=name,
            defaults={
                "starts_on": today - timedelta(days=first),
                "ends_on": today - timedelta(days=last),
                "channels": [str(c) for c in channels],
                "description": description,
            },
        )
        created += made
    return created
