"""Reads of the access-to-justice area, always for an acting user and through the access policy."""

from __future__ import annotations

from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from tumaini.cases.selectors.lists import initials
from tumaini.core import access
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.selectors import record_for_view
from tumaini.justice.enums import HearingStatus
from tumaini.justice.models import Hearing, JusticeMatter, PoliceReport, Prosecution
from tumaini.justice.policies import JUSTICE_MATTER

PAGE_SIZE = 25


def _matters() -> QuerySet:
    return JusticeMatter.objects.select_related(
        "case__person", "case__organisation", "case__assigned_to", "legal_officer"
    )


def survivor_label(person) -> str:
    """How a list names the survivor: a child by initials only."""
    return initials(person) if person.is_child else person.full_name


def matter_for_view(*, user, public_id, request=None) -> JusticeMatter:
    return record_for_view(
        user=user,
        resource=JUSTICE_MATTER,
        queryset=_matters(),
        public_id=public_id,
        request=request,
    )


def matter_for_action(*, user, public_id, action: str) -> JusticeMatter:
    return access.get_scoped_or_404(user, JUSTICE_MATTER, action, _matters(), public_id=public_id)


def matter_allows(*, user, matter: JusticeMatter, action: str) -> bool:
    if not access.can(user, JUSTICE_MATTER, action):
        return False
    return access.scoped(
        user,
        JUSTICE_MATTER,
        action,
        JusticeMatter.objects.filter(pk=matter.pk),
        include_break_glass=False,
    ).exists()


def _with_contents(queryset: QuerySet) -> QuerySet:
    prosecutions = Prosecution.objects.annotate(
        paid_total=Sum("payments__amount")
    ).prefetch_related("hearings", "payments")
    return queryset.prefetch_related(
        "police_reports", Prefetch("prosecutions", queryset=prosecutions)
    )


def matter_contents(*, matter: JusticeMatter) -> dict:
    """Everything under one matter the caller already may see (police reports, prosecutions with
    their hearings and payments)."""
    loaded = _with_contents(JusticeMatter.objects.filter(pk=matter.pk)).get()
    prosecutions = list(loaded.prosecutions.all())
    for prosecution in prosecutions:
        prosecution.__dict__["_restitution_paid"] = prosecution.paid_total or 0
    now = timezone.now()
    upcoming = sorted(
        (
            h
            for p in prosecutions
            for h in p.hearings.all()
            if h.status == HearingStatus.SCHEDULED and h.starts_at >= now
        ),
        key=lambda h: h.starts_at,
    )
    return {
        "police_reports": list(loaded.police_reports.all()),
        "prosecutions": prosecutions,
        "next_hearing": upcoming[0] if upcoming else None,
    }


def matters_page(*, user, page: int = 1, request=None):
    """The matters the user may see, newest first, one page; one audit event for the list."""
    queryset = access.scoped(user, JUSTICE_MATTER, access.VIEW, _matters()).order_by(
        "-opened_at", "-id"
    )
    paginator = Paginator(queryset, PAGE_SIZE)
    page_obj = paginator.get_page(page)
    rows = list(page_obj.object_list)
    for matter in rows:
        matter.survivor_label = survivor_label(matter.case.person)
    audit_record(
        action=AuditAction.VIEW,
        actor=user,
        request=request,
        object_type="justice.matterlist",
        detail={"page": page_obj.number, "rows": len(rows)},
    )
    return page_obj, rows


def hearings_calendar(*, user, days_back: int = 7, days_ahead: int = 60, request=None) -> list:
    """Hearings of the matters in the user's scope, from a week ago to two months ahead."""
    now = timezone.now()
    matters = access.scoped(user, JUSTICE_MATTER, access.VIEW, JusticeMatter.objects.all())
    hearings = list(
        Hearing.objects.filter(
            prosecution__matter__in=matters.values("pk"),
            starts_at__gte=now - timedelta(days=days_back),
            starts_at__lte=now + timedelta(days=days_ahead),
        )
        .select_related("prosecution__matter__case__person")
        .order_by("starts_at", "id")
    )
    for hearing in hearings:
        hearing.survivor_label = survivor_label(hearing.prosecution.matter.case.person)
    audit_record(
        action=AuditAction.VIEW,
        actor=user,
        request=request,
        object_type="justice.hearingcalendar",
        detail={"rows": len(hearings)},
    )
    return hearings


def upcoming_hearings_for(*, user, days: int = 14) -> list:
    """The next fortnight's hearings of the matters assigned to this legal officer (home page)."""
    now = timezone.now()
    return list(
        Hearing.objects.filter(
            prosecution__matter__legal_officer=user,
            status=HearingStatus.SCHEDULED,
            starts_at__gte=now,
            starts_at__lte=now + timedelta(days=days),
        )
        .select_related("prosecution__matter__case")
        .order_by("starts_at")[:10]
    )


def matter_of_case(*, case) -> JusticeMatter | None:
    return _matters().filter(case=case).first()


def police_report_in(*, matter: JusticeMatter, public_id) -> PoliceReport:
    from django.http import Http404

    report = PoliceReport.objects.filter(matter=matter, public_id=public_id).first()
    if report is None:
        raise Http404
    return report


def prosecution_in(*, matter: JusticeMatter, public_id) -> Prosecution:
    from django.http import Http404

    prosecution = (
        Prosecution.objects.filter(matter=matter, public_id=public_id)
        .select_related("matter__case")
        .first()
    )
    if prosecution is None:
        raise Http404
    return prosecution


def hearing_in(*, matter: JusticeMatter, public_id) -> Hearing:
    from django.http import Http404

    hearing = (
        Hearing.objects.filter(prosecution__matter=matter, public_id=public_id)
        .select_related("prosecution")
        .first()
    )
    if hearing is None:
        raise Http404
    return hearing


def legal_officers_of(organisation_id) -> QuerySet:
    from tumaini.accounts.enums import Role
    from tumaini.accounts.models import User

    return (
        User.objects.filter(
            organisation_id=organisation_id,
            is_active=True,
            role_assignments__role=Role.LEGAL_OFFICER,
        )
        .distinct()
        .order_by("username")
    )
