"""Possible duplicate reports: the same suspect phone (blind index), or the same ward (sub-county
when no ward was given) within a few days and similar words.

Only the few reports that share the place and window are decrypted and compared (rapidfuzz
`token_set_ratio`); the candidate search itself runs on indexes ((ward, received_at),
(sub_county, received_at), (suspect_phone_index, received_at)). The report page lists the suggestions; the queue
shows only how many each row has (`duplicate_counts`), which it learns without loading every report
that shares a suspect's phone (a number reported thousands of times made the page slow).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import IntegerField, OuterRef, Q, Subquery
from rapidfuzz import fuzz

from tumaini.core import access
from tumaini.core.access import VIEW
from tumaini.tips.models import DuplicateDismissal, Report
from tumaini.tips.policies import PUBLIC_REPORT

WINDOW = timedelta(days=7)
SIMILARITY_THRESHOLD = 60
# Upper bounds on what one look-up reads: a campaign spike in one ward must not decrypt thousands.
PLACE_CANDIDATES_LIMIT = 200
SUGGESTIONS_PER_REPORT = 10

PHONE = "phone"
PLACE = "place"

CANDIDATE_FIELDS = (
    "pk",
    "public_id",
    "reference_code",
    "received_at",
    "status",
    "urgency",
    "channel",
    "ward_id",
    "sub_county_id",
    "suspect_phone_index",
    "incident_primary_id",
)


@dataclass
class Suggestion:
    report: Report
    reason: str  # PHONE or PLACE
    score: int  # 100 for the same phone; the text similarity for the same place


def _head(report: Report) -> int:
    return report.incident_primary_id or report.pk


def duplicate_suggestions(*, user, reports: list[Report]) -> dict[int, list[Suggestion]]:
    """For each given report (loaded with `what_happened`), the reports that may be about the same
    thing, that the user may see, not dismissed and not already in its incident group."""
    found: dict[int, list[Suggestion]] = {r.pk: [] for r in reports}
    if not reports:
        return found
    visible = access.scoped(user, PUBLIC_REPORT, VIEW, Report.objects.all())
    ids = {r.pk for r in reports}
    dismissed = set(
        DuplicateDismissal.objects.filter(Q(first_id__in=ids) | Q(second_id__in=ids)).values_list(
            "first_id", "second_id"
        )
    )

    # Same phone: the earliest reports not already set aside, at most as many as are shown (all
    # score 100, so these are the ones the list would keep). The database leaves out the report's
    # group and dismissed partners itself, and reads the (phone, received) index in order, so a
    # number reported thousands of times costs no more than one reported twice.
    by_phone: dict[int, list[Report]] = {}
    for r in reports:
        if not r.suspect_phone_index:
            continue
        head = _head(r)
        partners = {pk for pair in dismissed if r.pk in pair for pk in pair}
        by_phone[r.pk] = list(
            visible.filter(suspect_phone_index=r.suspect_phone_index)
            .exclude(pk__in=partners | {r.pk, head})
            .exclude(incident_primary_id=head)
            .only(*CANDIDATE_FIELDS)
            .order_by("received_at", "pk")[:SUGGESTIONS_PER_REPORT]
        )

    places = Q()
    for r in reports:
        window = Q(received_at__gte=r.received_at - WINDOW, received_at__lte=r.received_at + WINDOW)
        if r.ward_id:
            places |= Q(ward_id=r.ward_id) & window
        elif r.sub_county_id:
            places |= Q(sub_county_id=r.sub_county_id, ward__isnull=True) & window
    nearby: list[Report] = []
    if places:
        nearby = list(
            visible.filter(places)
            .only(*CANDIDATE_FIELDS, "what_happened")
            .order_by("-received_at")[:PLACE_CANDIDATES_LIMIT]
        )

    for r in reports:
        seen: set[int] = set()

        def keep(other: Report, reason: str, score: int, r=r, seen=seen) -> None:
            pair = (min(r.pk, other.pk), max(r.pk, other.pk))
            if other.pk == r.pk or other.pk in seen or pair in dismissed:
                return
            if _head(other) == _head(r):
                return  # already grouped as one incident
            seen.add(other.pk)
            found[r.pk].append(Suggestion(report=other, reason=reason, score=score))

        for other in by_phone.get(r.pk, ()):
            keep(other, PHONE, 100)
        for other in nearby:
            same_place = (
                other.ward_id == r.ward_id
                if r.ward_id
                else (other.sub_county_id == r.sub_county_id and other.ward_id is None)
            )
            if not same_place or abs(other.received_at - r.received_at) > WINDOW:
                continue
            if other.pk == r.pk or other.pk in seen:
                continue
            score = int(fuzz.token_set_ratio(r.what_happened, other.what_happened))
            if score >= SIMILARITY_THRESHOLD:
                keep(other, PLACE, score)
        found[r.pk].sort(key=lambda s: (-s.score, s.report.received_at))
        del found[r.pk][SUGGESTIONS_PER_REPORT:]
    return found


class _CountOf(Subquery):
    """How many rows a (sliced) subquery returns: the database stops reading at the slice."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def _near(r, ward_id, sub_county_id, received_at) -> bool:
    """Whether a candidate is at the same place as `r` and within the window."""
    same_place = (
        ward_id == r.ward_id
        if r.ward_id
        else (sub_county_id == r.sub_county_id and ward_id is None)
    )
    return same_place and abs(received_at - r.received_at) <= WINDOW


def duplicate_counts(*, user, reports: list[Report]) -> dict[int, int]:
    """For each report, how many suggestions `duplicate_suggestions` makes (at most
    SUGGESTIONS_PER_REPORT): the queue's badge.

    The same-phone reports are counted in the database instead of loaded, and only reports that
    share a place and window with a row are decrypted, so the page costs a fixed handful of queries
    and does not need the rows' own texts. The same rules apply: the user's scope, one incident group,
    dismissed pairs, a report counted once when it matches by phone and by place.
    """
    counts = {r.pk: 0 for r in reports}
    if not reports:
        return counts
    visible = access.scoped(user, PUBLIC_REPORT, VIEW, Report.objects.all()).order_by()
    ids = set(counts)
    dismissed = set(
        DuplicateDismissal.objects.filter(Q(first_id__in=ids) | Q(second_id__in=ids)).values_list(
            "first_id", "second_id"
        )
    )

    def pair(a: int, b: int) -> tuple[int, int]:
        return (a, b) if a < b else (b, a)

    with_phone = [r for r in reports if r.suspect_phone_index]
    phone_total: dict[int, int] = {}
    # Same-phone reports that are not suggested to a row: its group and the pairs dismissed.
    excluded: dict[int, set[int]] = defaultdict(set)
    if with_phone:
        heads = {_head(r) for r in with_phone}
        partners = {pk for p in dismissed for pk in p} - ids
        # Found by primary key and the group pointer (both indexed), not by phone: a phone shared
        # by thousands of reports would make the database read them all.
        related = visible.filter(
            Q(pk__in=heads | partners | ids) | Q(incident_primary_id__in=heads)
        ).values_list("pk", "suspect_phone_index", "incident_primary_id")
        related = list(related)
        for r in with_phone:
            for pk, phone, primary in related:
                if phone != r.suspect_phone_index or pk == r.pk:
                    continue
                if (primary or pk) == _head(r) or pair(r.pk, pk) in dismissed:
                    excluded[r.pk].add(pk)
        # Counting stops at what the badge can show: the row itself, the reports not suggested,
        # and one more than SUGGESTIONS_PER_REPORT.
        cap = SUGGESTIONS_PER_REPORT + 1 + max(len(excluded[r.pk]) for r in with_phone)
        same_phone = (
            visible.filter(suspect_phone_index=OuterRef("suspect_phone_index"))
            .order_by()
            .values("pk")[:cap]
        )
        phone_total = dict(
            Report.objects.filter(pk__in=[r.pk for r in with_phone])
            .order_by()
            .annotate(n=_CountOf(same_phone))
            .values_list("pk", "n")
        )

    places = Q()
    for r in reports:
        window = Q(received_at__gte=r.received_at - WINDOW, received_at__lte=r.received_at + WINDOW)
        if r.ward_id:
            places |= Q(ward_id=r.ward_id) & window
        elif r.sub_county_id:
            places |= Q(sub_county_id=r.sub_county_id, ward__isnull=True) & window
    to_compare: dict[int, list[int]] = defaultdict(list)
    if places:
        nearby = visible.filter(places).order_by("-received_at")[:PLACE_CANDIDATES_LIMIT]
        for pk, ward_id, sub_county_id, received_at, phone, primary in nearby.values_list(
            "pk",
            "ward_id",
            "sub_county_id",
            "received_at",
            "suspect_phone_index",
            "incident_primary_id",
        ):
            for r in reports:
                if pk == r.pk or not _near(r, ward_id, sub_county_id, received_at):
                    continue
                if r.suspect_phone_index and phone == r.suspect_phone_index:
                    continue  # counted with the phone matches
                if (primary or pk) == _head(r) or pair(r.pk, pk) in dismissed:
                    continue
                to_compare[r.pk].append(pk)
    texts: dict[int, str] = {}
    if to_compare:
        wanted = set(to_compare) | {pk for pks in to_compare.values() for pk in pks}
        texts = dict(Report.objects.filter(pk__in=wanted).values_list("pk", "what_happened"))

    for r in reports:
        by_phone = 0
        if r.suspect_phone_index:
            by_phone = phone_total.get(r.pk, 1) - 1 - len(excluded[r.pk])
        by_place = sum(
            1
            for pk in to_compare.get(r.pk, ())
            if fuzz.token_set_ratio(texts[r.pk], texts[pk]) >= SIMILARITY_THRESHOLD
        )
        counts[r.pk] = min(by_phone + by_place, SUGGESTIONS_PER_REPORT)
    return counts


def incident_group(*, user, report: Report) -> dict | None:
    """The reports confirmed as the same incident as this one (the user may see), primary first."""
    head = _head(report)
    members = list(
        access.scoped(user, PUBLIC_REPORT, VIEW, Report.objects.all())
        .filter(Q(pk=head) | Q(incident_primary_id=head))
        .exclude(pk=report.pk)
        .only(*CANDIDATE_FIELDS)
        .order_by("received_at", "pk")
    )
    if not members:
        return None
    return {"primary_id": head, "is_primary": head == report.pk, "members": members}
