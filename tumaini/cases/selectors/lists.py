"""Case lists (my cases, my team's, the centre's) and the overdue follow-ups on the home page.

Rows come only from the user's normal scope (break-glass openings are single records, not lists).
A child's name never leaves this module: rows carry initials for children.
"""

import re
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import models, transaction
from django.db.models import Q, QuerySet, Window
from django.db.models.functions import Cast
from django.utils import timezone

from tumaini.accounts.enums import Role
from tumaini.cases.models import Case, ExploitationProfile
from tumaini.cases.policies import CASE
from tumaini.core import access, crypto
from tumaini.core.access import VIEW, Scope
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.queries import ids_in
from tumaini.people.models import Person, PersonAlias

PAGE_SIZE = 25
TAB_MINE, TAB_TEAM, TAB_CENTRE = "mine", "team", "centre"
OVERDUE_PANEL_LIMIT = 20

# "TUM-26-K7QX-M3", "tum26k7qxm3" or "26K7QXM3": the same case number.
_CASE_NUMBER = re.compile(r"^(?:TUM)?(\d{2})([0-9A-Z]{4})([0-9A-Z]{2})$")


def normalise_case_number(text: str) -> str | None:
    compact = re.sub(r"[^0-9A-Za-z]", "", text).upper()
    match = _CASE_NUMBER.match(compact)
    if not match:
        return None
    return "TUM-{}-{}-{}".format(*match.groups())


def case_list_tabs(*, user) -> list[str]:
    tabs = [TAB_MINE]
    if user.team_ids:
        tabs.append(TAB_TEAM)
    if access.scope_for(user, CASE, VIEW) in (Scope.ORGANISATION, Scope.ALL):
        tabs.append(TAB_CENTRE)
    return tabs


LIST_JOINS = ("person", "assigned_to", "team")


def cases_visible_to(*, user) -> QuerySet:
    """Every case the user may view in their normal scope (no break-glass)."""
    return access.scoped(
        user,
        CASE,
        VIEW,
        Case.objects.select_related(*LIST_JOINS),
        include_break_glass=False,
    )


def _exploitation_filter(code: str) -> Q:
    # JSON containment (`__contains` on a JSONField) does not exist on SQLite: compare the JSON
    # text instead. Codes are quoted in the stored list, so "Other" never matches "OtherThing".
    profiles = (
        ExploitationProfile.objects.annotate(
            types_text=Cast("exploitation_types", models.TextField())
        )
        .filter(types_text__contains=f'"{code}"')
        .values("case_id")
    )
    return Q(pk__in=profiles)


def _name_filter(text: str) -> Q:
    full = crypto.blind_index(text, purpose="person-full-name")
    family = crypto.blind_index(text, purpose="person-family-name")
    given = crypto.blind_index(text, purpose="person-given-name")
    # The matching people on the person table alone (PostgreSQL combines its three indexes); an OR
    # across the case-person join would stop it from using any of them.
    # order_by(): no sort of the ids by the person's default ordering.
    people = (
        Person.objects.filter(
            Q(full_name_index=full) | Q(family_name_index=family) | Q(given_name_index=given)
        )
        .order_by()
        .values("pk")
    )
    aliases = PersonAlias.objects.filter(name_index=full).order_by().values("person_id")
    # Subqueries, not ids read here: a common name is held by thousands, and thousands of ids in
    # the SQL of every query of the page cost more in Python than the search does in PostgreSQL.
    return ids_in("person_id", people) | ids_in("person_id", aliases)


class _OverdueFirst:
    """Overdue cases first, then the others, each newest first.

    Two queries that can walk an (owner|team|organisation, opened_at) index, instead of one that
    sorts the whole caseload on a computed "is overdue" value at every page. Each joins only the 25
    rows it returns.
    """

    ORDER = ("-opened_at", "-id")

    def __init__(self, cases: QuerySet, today) -> None:
        self.cases = cases
        self.today = today
        self.overdue = cases.filter(next_action_due__lt=today).order_by(*self.ORDER)
        # exclude() keeps the cases with no next action (NULL), as it should.
        self.rest = cases.exclude(next_action_due__lt=today).order_by(*self.ORDER)
        self._counts: tuple[int, int] | None = None

    def _count_both(self) -> tuple[int, int]:
        if self._counts is None:
            # COUNT(*) and a count of the due date, not of the id: a plain list's count then
            # reads only columns of a (owner|team|organisation, next_action_due, ...) index, an
            # index-only scan instead of a pass over the whole case table. The due date is never
            # NULL where it is before today, so counting it counts the overdue cases.
            counts = self.cases.order_by().aggregate(
                total=models.Count("*"),
                overdue=models.Count("next_action_due", filter=Q(next_action_due__lt=self.today)),
            )
            self._counts = (counts["overdue"], counts["total"] - counts["overdue"])
        return self._counts

    def count(self) -> int:
        overdue, rest = self._count_both()
        return overdue + rest

    def __getitem__(self, window: slice) -> list[Case]:
        start, stop = window.start or 0, window.stop
        split, rest_count = self._count_both()
        picked: list = []
        if start < split:
            picked += list(self.overdue[start : min(stop, split)])
        if stop > split:
            picked += self._rest_window(
                max(start - split, 0), min(stop - split, rest_count), rest_count
            )
        return picked

    def _rest_window(self, start: int, stop: int, total: int) -> list:
        if start >= stop:
            return []
        if start <= total - stop:
            return list(self.rest[start:stop])
        # Nearer the end: walk the index from the other side, so the last page costs what the first does.
        reverse = self.rest.reverse()
        return list(reverse[total - stop : total - start])[::-1]


class _SearchMatches:
    """A name search's matches in the same order (overdue first, then newest), counted and paged
    by ONE query, then the page's rows (with person, case manager and team) read by id.

    The matches come through the person index in no useful order, so any query over them reads
    every match: a count, then the overdue and the other matches apart, read them two or three
    times. One query that sorts them on "is overdue" and counts them in a window reads them once.
    It is asked first for the page the user asked for; the paginator's slice is then served from
    it (another page, e.g. past the end, costs one more query).
    """

    def __init__(self, cases: QuerySet, today, *, rows: QuerySet, page_number) -> None:
        overdue = Q(next_action_due__lt=today)
        self.ranked = cases.annotate(
            total=Window(models.Count("*")),
            later=models.Case(models.When(overdue, then=models.Value(0)), default=models.Value(1)),
        ).order_by("later", "-opened_at", "-id")
        self.cases = cases
        self.rows = rows
        try:
            number = max(int(page_number), 1)
        except (TypeError, ValueError):
            number = 1
        self._asked = ((number - 1) * PAGE_SIZE, number * PAGE_SIZE)
        self._picked: dict[int, list] = {}
        self._count: int | None = None

    def _pick(self, start: int, stop: int) -> list:
        found = list(self.ranked.values_list("pk", "total")[start:stop])
        if found:
            self._count = found[0][1]
        self._picked[start] = [pk for pk, _total in found]
        return self._picked[start]

    def count(self) -> int:
        if self._count is None:
            start, stop = self._asked
            if not self._pick(start, stop):
                # No match, or a page past the end: the window said nothing, count them.
                self._count = 0 if start == 0 else self.cases.order_by().count()
        return self._count

    def __getitem__(self, window: slice) -> list[Case]:
        start, stop = window.start or 0, window.stop
        if start in self._picked and len(self._picked[start]) >= min(stop - start, PAGE_SIZE):
            picked = self._picked[start][: stop - start]
        else:
            picked = self._pick(start, stop)
        if not picked:
            return []
        by_id = self.rows.in_bulk(picked)
        return [by_id[pk] for pk in picked if pk in by_id]


@dataclass
class CaseRow:
    case: Case
    display_name: str
    is_child: bool
    is_overdue: bool


def initials(person) -> str:
    parts = [p for p in (person.given_name, person.family_name) if p]
    return " ".join(f"{p.strip()[:1].upper()}." for p in parts if p.strip()) or "—"


def _row(case: Case, today) -> CaseRow:
    person = case.person
    child = bool(person.is_child)
    return CaseRow(
        case=case,
        display_name=initials(person) if child else person.full_name,
        is_child=child,
        is_overdue=bool(case.next_action_due and case.next_action_due < today),
    )


def case_list(*, user, tab: str, filters: dict, page_number=1, request=None) -> dict:
    """One page of cases for a tab, filtered; the look is audited (one event, no names)."""
    access.require(user, CASE, VIEW)
    tabs = case_list_tabs(user=user)
    if tab not in tabs:
        # Case managers start with their own caseload; directors with the centre's.
        tab = TAB_MINE if Role.CASE_MANAGER in user.role_codes else tabs[-1]
    today = timezone.localdate()
    cases = cases_visible_to(user=user)
    if tab == TAB_MINE:
        cases = cases.filter(assigned_to=user)
    elif tab == TAB_TEAM:
        cases = cases.filter(team_id__in=user.team_ids)
    else:
        cases = cases.filter(organisation_id=user.organisation_id)

    audit_filters: dict = {"tab": tab}
    for name in ("stage", "risk"):
        if filters.get(name):
            cases = cases.filter(**{"stage" if name == "stage" else "risk_level": filters[name]})
            audit_filters[name] = filters[name]
    if filters.get("child") in ("yes", "no"):
        cases = cases.filter(person__is_child=filters["child"] == "yes")
        audit_filters["child"] = filters["child"]
    if filters.get("exploitation"):
        cases = cases.filter(_exploitation_filter(filters["exploitation"]))
        audit_filters["exploitation"] = filters["exploitation"]
    if filters.get("overdue"):
        cases = cases.filter(next_action_due__lt=today)
        audit_filters["overdue"] = True
    query = (filters.get("q") or "").strip()
    if query:
        number = normalise_case_number(query)
        if number:
            cases = cases.filter(case_number=number)
            audit_filters["case_number"] = number
        else:
            cases = cases.filter(_name_filter(query))
            # The name itself is never written to the audit trail.
            audit_filters["name_search"] = True

    with transaction.atomic():
        if audit_filters.get("name_search"):
            by_id = Case.objects.select_related(*LIST_JOINS)
            ordered = _SearchMatches(cases, today, rows=by_id, page_number=page_number)
        else:
            ordered = _OverdueFirst(cases, today)
        page: Page = Paginator(ordered, PAGE_SIZE).get_page(page_number)
        rows = [_row(case, today) for case in page.object_list]
        audit_record(
            action=AuditAction.VIEW,
            actor=user,
            request=request,
            object_type="cases.caselist",
            object_organisation_id=user.organisation_id,
            detail={"filters": audit_filters, "page": page.number, "rows": len(rows)},
        )
    return {"tab": tab, "tabs": tabs, "page": page, "rows": rows}


def overdue_follow_ups_for(*, user) -> dict | None:
    """For the home panel: case numbers whose next action is overdue (no names).

    Directors see their organisation's; case managers the cases assigned to them. None for users
    who see no cases.
    """
    scope = access.scope_for(user, CASE, VIEW)
    if scope == Scope.NONE:
        return None
    today = timezone.localdate()
    cases = access.scoped(user, CASE, VIEW, Case.objects.all(), include_break_glass=False).filter(
        next_action_due__lt=today
    )
    organisation_wide = scope in (Scope.ORGANISATION, Scope.ALL)
    if organisation_wide:
        cases = cases.filter(organisation_id=user.organisation_id)
    else:
        cases = cases.filter(assigned_to=user)
    overdue = list(
        cases.order_by("next_action_due", "id").values(
            "public_id", "case_number", "next_action_due"
        )[: OVERDUE_PANEL_LIMIT + 1]
    )
    count = cases.count() if len(overdue) > OVERDUE_PANEL_LIMIT else len(overdue)
    return {
        "overdue_count": count,
        "overdue_cases": overdue[:OVERDUE_PANEL_LIMIT],
        "organisation_wide": organisation_wide,
    }
