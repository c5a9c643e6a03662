"""Reads of counselling: the counsellor's clients and notes (content for the author only), and the
count-and-date summary the case page shows everyone else who may see the case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from tumaini.accounts.enums import Role
from tumaini.accounts.models import User
from tumaini.cases.models import Case
from tumaini.cases.selectors.lists import initials
from tumaini.clinical.models import CounsellingClient, SessionNote
from tumaini.clinical.policies import COUNSELLING_CLIENT, SESSION_NOTE
from tumaini.core import access
from tumaini.core.access import BREAK_GLASS, CREATE, UPDATE, VIEW
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.selectors import record_for_view


def list_name(person) -> str:
    """The name as case lists show it: a child's initials only."""
    return initials(person) if person.is_child else person.full_name


@dataclass
class ClientRow:
    client: CounsellingClient
    display_name: str
    is_child: bool
    case_number: str
    sessions: int
    last_session_on: date | None
    next_session_on: date | None


def _my_notes(user) -> Q:
    return Q(session_notes__author=user)


def clients_of(*, user, request=None) -> dict:
    """The counsellor's clients (open ones, then ended), counted from their own notes only.

    One audit event for the look, naming no survivor.
    """
    access.require(user, COUNSELLING_CLIENT, VIEW)
    clients = (
        access.scoped(user, COUNSELLING_CLIENT, VIEW, CounsellingClient.objects.all())
        .select_related("case__person")
        .annotate(
            sessions=Count("session_notes", filter=_my_notes(user)),
            last_session_on=Max("session_notes__held_on", filter=_my_notes(user)),
        )
        .order_by("-created_at", "-id")
    )
    with transaction.atomic():
        rows = []
        for client in clients:
            person = client.case.person
            rows.append(
                ClientRow(
                    client=client,
                    display_name=list_name(person),
                    is_child=bool(person.is_child),
                    case_number=client.case.case_number,
                    sessions=client.sessions,
                    last_session_on=client.last_session_on,
                    next_session_on=None,
                )
            )
        _fill_next_sessions(user=user, rows=rows)
        audit_record(
            action=AuditAction.VIEW,
            actor=user,
            request=request,
            object_type=CounsellingClient._meta.label_lower,
            detail={"list": "my_clients", "count": len(rows)},
        )
    return {
        "open_clients": [row for row in rows if row.client.ended_at is None],
        "ended_clients": [row for row in rows if row.client.ended_at is not None],
    }


def _fill_next_sessions(*, user, rows: list[ClientRow]) -> None:
    latest = _next_sessions_by_client(user=user, clients=[row.client for row in rows])
    for row in rows:
        row.next_session_on = latest.get(row.client.pk)


def _next_sessions_by_client(*, user, clients) -> dict[int, date | None]:
    """The next session the user planned in their latest note of each client (one query)."""
    latest: dict[int, date | None] = {}
    if not clients:
        return latest
    notes = (
        SessionNote.objects.filter(author=user, client__in=clients)
        .order_by("client_id", "-held_on", "-id")
        .values_list("client_id", "next_session_on")
    )
    for client_id, next_on in notes:
        latest.setdefault(client_id, next_on)
    return latest


def client_for_view(*, user, public_id, request=None) -> CounsellingClient:
    """One of the counsellor's clients (404 otherwise), with its `view` event."""
    return record_for_view(
        user=user,
        resource=COUNSELLING_CLIENT.name,
        queryset=CounsellingClient.objects.select_related("case__person"),
        public_id=public_id,
        request=request,
    )


def audit_form_read(*, user, record, request, detail: dict | None = None) -> None:
    """A form page shows the record (or its client's name): a `view` event, on GET only (a POST
    writes its own create or update event)."""
    if request is not None and request.method == "GET":
        audit_record(
            action=AuditAction.VIEW,
            actor=user,
            request=request,
            obj=record,
            detail={"form": True, **(detail or {})},
        )


def client_for_note(*, user, public_id, request=None) -> CounsellingClient:
    """An open client of this counsellor, to write a note for (404 otherwise)."""
    access.require(user, SESSION_NOTE, CREATE)
    clients = CounsellingClient.objects.filter(ended_at__isnull=True, counsellor=user)
    client = access.get_scoped_or_404(
        user,
        COUNSELLING_CLIENT,
        VIEW,
        clients.select_related("case__person"),
        public_id=public_id,
    )
    audit_form_read(user=user, record=client, request=request)
    return client


def notes_of_client(*, user, client: CounsellingClient) -> list[SessionNote]:
    """The user's own notes of this client, newest first (never a colleague's)."""
    return list(
        access.scoped(
            user, SESSION_NOTE, VIEW, SessionNote.objects.all(), include_break_glass=False
        )
        .filter(client=client)
        .order_by("-held_on", "-id")
    )


def note_for_view(*, user, public_id, request=None) -> SessionNote:
    """A note its author (or a director through break-glass) opens, with its `view` event."""
    return record_for_view(
        user=user,
        resource=SESSION_NOTE.name,
        queryset=SessionNote.objects.select_related("client__case__person", "author"),
        public_id=public_id,
        request=request,
    )


def note_for_edit(*, user, public_id, request=None) -> SessionNote:
    """A note the user wrote (404 otherwise; break-glass never lets anyone edit)."""
    note = access.get_scoped_or_404(
        user,
        SESSION_NOTE,
        UPDATE,
        SessionNote.objects.select_related("client__case__person"),
        public_id=public_id,
    )
    audit_form_read(user=user, record=note, request=request)
    return note


# --- The case page -------------------------------------------------------------------------------


def counselling_summary(*, user, case: Case) -> dict:
    """What the case page says about counselling: counsellors, a count and the last date.

    Directors who may break glass also get the notes' dates and ids, to open one with a reason.
    """
    clients = list(
        CounsellingClient.objects.filter(case=case, ended_at__isnull=True)
        .select_related("counsellor")
        .order_by("created_at", "id")
    )
    totals = SessionNote.objects.filter(case=case).aggregate(count=Count("id"), last=Max("held_on"))
    break_glass_notes = []
    if access.can(user, SESSION_NOTE, BREAK_GLASS):
        break_glass_notes = list(
            access.scoped(user, SESSION_NOTE, BREAK_GLASS, SessionNote.objects.filter(case=case))
            .select_related("author")
            .only("public_id", "held_on", "author__first_name", "author__last_name")
            .order_by("-held_on", "-id")[:20]
        )
    return {
        "clients": clients,
        "session_count": totals["count"],
        "last_session_on": totals["last"],
        "break_glass_notes": break_glass_notes,
    }


def counsellor_choices(*, case: Case):
    """Active counsellors of the case's organisation who do not yet have this client."""
    taken = CounsellingClient.objects.filter(case=case, ended_at__isnull=True).values(
        "counsellor_id"
    )
    return (
        User.objects.filter(
            organisation_id=case.organisation_id,
            is_active=True,
            role_assignments__role=Role.COUNSELLOR,
        )
        .exclude(pk__in=taken)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def client_of_case(*, case: Case, public_id) -> CounsellingClient | None:
    return (
        CounsellingClient.objects.filter(case=case, public_id=public_id, ended_at__isnull=True)
        .select_related("case")
        .first()
    )


# --- Home ----------------------------------------------------------------------------------------


def next_sessions_of(*, user, limit: int = 10) -> list[dict] | None:
    """The counsellor's coming sessions (from each open client's latest note), soonest first."""
    if not access.can(user, SESSION_NOTE, CREATE):
        return None
    clients = list(
        CounsellingClient.objects.filter(counsellor=user, ended_at__isnull=True).select_related(
            "case__person"
        )
    )
    latest = _next_sessions_by_client(user=user, clients=clients)
    today = timezone.localdate()
    coming = [
        {
            "client": client,
            "display_name": list_name(client.case.person),
            "case_number": client.case.case_number,
            "next_session_on": latest[client.pk],
        }
        for client in clients
        if latest.get(client.pk) and latest[client.pk] >= today
    ]
    coming.sort(key=lambda row: row["next_session_on"])
    return coming[:limit]
