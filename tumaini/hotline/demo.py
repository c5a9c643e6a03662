"""Demo hotline desk: the demo agent `hotline` on duty now and tomorrow, and a dozen invented calls.

Idempotent: each demo call has a fixed public id and a call that exists is left alone; a shift is
added only where the demo agent has none. Times are relative to when the seed first runs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from tumaini.accounts.models import User
from tumaini.hotline.enums import CallCategory, CallerType, CallLanguage
from tumaini.hotline.models import Call, Shift
from tumaini.tips.enums import Channel, Urgency, VictimAges
from tumaini.tips.services import report_receive

DEMO_AGENT = "hotline"
# Invented numbers in Safaricom's range, used only by the demo.
DEMO_AGENT_PHONE = "+254700100201"
_NAMESPACE = uuid.UUID("5d6f2a3e-3f43-4c55-9a8e-6b1f0c2d7e10")


@dataclass(frozen=True)
class DemoCall:
    hours_ago: float
    minutes: int
    caller_type: str
    language: str
    category: str
    urgency: str
    summary: str
    advice: str = ""
    caller_phone: str = ""
    # Days from the seed's day; None: no follow-up.
    follow_up_in_days: int | None = None
    follow_up_done: bool = False
    # The call already became a public report (children among the possible victims).
    make_report: bool = False


DEMO_CALLS: tuple[DemoCall, ...] = (
    DemoCall(
        1.5,
        9,
        CallerType.COMMUNITY,
        CallLanguage.KISWAHILI,
        CallCategory.TRAFFICKING_REPORT,
        Urgency.HIGH,
        "Mpigaji anasema wasichana wanne wadogo wanafanya kazi usiku katika baa moja Kawangware; "
        "mwenye baa anashika vitambulisho vyao.",
        "Tumemshauri asiwakabili wenye baa; tutapeleka taarifa kwa polisi.",
        follow_up_in_days=1,
        make_report=True,
    ),
    DemoCall(
        3,
        14,
        CallerType.FAMILY,
        CallLanguage.ENGLISH,
        CallCategory.TRAFFICKING_REPORT,
        Urgency.CRITICAL,
        "Sister of a woman working as a house help in Jeddah: the employer took her passport, she "
        "has not been paid for five months and was locked in today.",
        "Asked for the employer's address and the agency's name; explained the embassy's role.",
        caller_phone="+254722400311",
        follow_up_in_days=0,
    ),
    DemoCall(
        5,
        4,
        CallerType.ANONYMOUS,
        CallLanguage.ENGLISH,
        CallCategory.INFORMATION,
        Urgency.LOW,
        "Asked how to check whether a recruitment agency offering jobs in Qatar is licensed.",
        "Gave the National Employment Authority's list of registered agencies and warning signs.",
    ),
    DemoCall(
        8,
        7,
        CallerType.SURVIVOR,
        CallLanguage.KISWAHILI,
        CallCategory.REFERRAL,
        Urgency.HIGH,
        "Manusura aliyerudi kutoka Oman anahitaji mahali pa kulala na matibabu.",
        "Amepewa rufaa kwa kituo cha uokoaji; mhudumu wa kesi atampigia.",
        caller_phone="+254733500412",
        follow_up_in_days=-1,
    ),
    DemoCall(
        20,
        1,
        CallerType.ANONYMOUS,
        CallLanguage.OTHER,
        CallCategory.SILENT,
        Urgency.LOW,
        "Silent call, about one minute, then the caller hung up.",
    ),
    DemoCall(
        26,
        11,
        CallerType.PARTNER,
        CallLanguage.ENGLISH,
        CallCategory.FOLLOW_UP,
        Urgency.NORMAL,
        "Partner NGO asked about a report they made last week on boys begging in the CBD.",
        "Told them the report is with the police unit; will call back when there is news.",
        follow_up_in_days=-3,
    ),
    DemoCall(
        30,
        6,
        CallerType.POLICE,
        CallLanguage.ENGLISH,
        CallCategory.REFERRAL,
        Urgency.HIGH,
        "Police officer at Kilimani has two girls from Uganda found at a bus stage and asks for "
        "a shelter place tonight.",
        "Connected the officer with the centre's duty case manager.",
        follow_up_in_days=-2,
        follow_up_done=True,
    ),
    DemoCall(
        48,
        5,
        CallerType.COMMUNITY,
        CallLanguage.KISWAHILI,
        CallCategory.TRAFFICKING_REPORT,
        Urgency.NORMAL,
        "Jirani anaona watoto wadogo wakipakiwa kwenye matatu kila asubuhi kwenda shambani "
        "Kiambu na kurudishwa usiku.",
        "Tumemwomba aandike namba ya gari.",
        make_report=True,
    ),
    DemoCall(
        52,
        2,
        CallerType.OTHER,
        CallLanguage.ENGLISH,
        CallCategory.NOT_RELATED,
        Urgency.LOW,
        "Caller wanted the number of the county's land office.",
        "Gave the county's switchboard number.",
    ),
    DemoCall(
        70,
        13,
        CallerType.FAMILY,
        CallLanguage.KISWAHILI,
        CallCategory.INFORMATION,
        Urgency.NORMAL,
        "Mama anauliza kama kazi ya ndani Lebanon aliyoahidiwa binti yake ni salama.",
        "Tumeeleza dalili za udanganyifu na jinsi ya kuthibitisha mkataba.",
    ),
    DemoCall(
        96,
        3,
        CallerType.ANONYMOUS,
        CallLanguage.ENGLISH,
        CallCategory.SILENT,
        Urgency.LOW,
        "Prank call: laughter, then the line went dead.",
    ),
    DemoCall(
        120,
        18,
        CallerType.SURVIVOR,
        CallLanguage.ENGLISH,
        CallCategory.FOLLOW_UP,
        Urgency.NORMAL,
        "Survivor followed up on her request for help to get her documents replaced.",
        "Explained the steps at the registration office; the legal officer will support her.",
        follow_up_in_days=3,
    ),
)


def demo_call_id(index: int) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"demo-call-{index}")


def _ensure_shift(*, agent: User, starts_at: datetime, ends_at: datetime) -> bool:
    overlapping = Shift.objects.filter(agent=agent, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if overlapping.exists():
        return False
    Shift.objects.create(
        organisation_id=agent.organisation_id,
        agent=agent,
        phone=DEMO_AGENT_PHONE,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    return True


def seed_demo_hotline(*, now: datetime | None = None) -> int:
    """Create what is missing of the demo hotline desk; returns how many rows were created."""
    agent = User.objects.filter(username=DEMO_AGENT, is_demo=True).first()
    if agent is None or agent.organisation_id is None:
        return 0
    now = now or timezone.now()
    local = timezone.localtime(now)
    created = 0
    with transaction.atomic():
        # On duty now (from two hours ago, for ten hours), unless a shift already covers now...
        if not Shift.objects.filter(agent=agent, starts_at__lte=now, ends_at__gt=now).exists():
            start = local.replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
            created += _ensure_shift(
                agent=agent, starts_at=start, ends_at=start + timedelta(hours=10)
            )
        # ...and tomorrow's day shift.
        tomorrow = (local + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
        created += _ensure_shift(
            agent=agent, starts_at=tomorrow, ends_at=tomorrow + timedelta(hours=8)
        )

    existing = set(
        Call.objects.filter(
            public_id__in=[demo_call_id(i) for i in range(len(DEMO_CALLS))]
        ).values_list("public_id", flat=True)
    )
    today = local.date()
    for index, spec in enumerate(DEMO_CALLS):
        public_id = demo_call_id(index)
        if public_id in existing:
            continue
        started_at = now - timedelta(hours=spec.hours_ago)
        needed = spec.follow_up_in_days is not None
        with transaction.atomic():
            report = None
            if spec.make_report:
                report = report_receive(
                    channel=Channel.HOTLINE,
                    what_happened=spec.summary,
                    victim_ages=VictimAges.CHILD,
                    language="sw" if spec.language == CallLanguage.KISWAHILI else "en",
                    organisation=agent.organisation,
                    actor=agent,
                    received_at=started_at,
                )
            Call.objects.create(
                public_id=public_id,
                organisation_id=agent.organisation_id,
                assigned_to=agent,
                started_at=started_at,
                duration_seconds=spec.minutes * 60,
                caller_type=spec.caller_type,
                language=spec.language,
                category=spec.category,
                urgency=spec.urgency,
                summary=spec.summary,
                advice=spec.advice,
                caller_phone=spec.caller_phone,
                follow_up_needed=needed,
                follow_up_due=today + timedelta(days=spec.follow_up_in_days) if needed else None,
                follow_up_done_at=now - timedelta(hours=1) if spec.follow_up_done else None,
                follow_up_done_by=agent if spec.follow_up_done else None,
                report=report,
            )
        created += 1
    return created
