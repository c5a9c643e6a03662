"""Reads of the core app; each takes the acting user where it returns anyone's data."""

from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.apps import apps
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tumaini.accounts.models import Organisation
from tumaini.core import access, home
from tumaini.core.access import BREAK_GLASS, VIEW, ScopeFields
from tumaini.core.audit import audit_record, object_identity
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent, BreakGlassGrant
from tumaini.core.policies import AUDIT_EVENT

# --- Background tasks ----------------------------------------------------------------------------

# A task due this long ago that no worker has taken means no worker runs.
TASK_QUEUE_STALE_AFTER = timedelta(minutes=10)
TASK_PAGE_SIZE = 50


def task_queue_health() -> dict:
    """The task queue as /healthz reports it: counts of tasks only, no arguments, no names."""
    from django.db.models import Count
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    cutoff = now - TASK_QUEUE_STALE_AFTER
    never = get_date_max()  # django-tasks-db's "run as soon as possible"
    ready = Q(status=TaskResultStatus.READY)
    # A retry waiting for its backoff is not late: lateness counts from when a task became due.
    due = ready & (Q(run_after=never) | Q(run_after__lte=now))
    overdue = ready & (Q(run_after=never, enqueued_at__lt=cutoff) | Q(run_after__lt=cutoff))
    counts = DBTaskResult.objects.aggregate(
        waiting=Count("id", filter=due),
        overdue=Count("id", filter=overdue),
        scheduled=Count("id", filter=ready & Q(run_after__gt=now) & ~Q(run_after=never)),
        running=Count("id", filter=Q(status=TaskResultStatus.RUNNING)),
        failed_last_day=Count(
            "id",
            filter=Q(status=TaskResultStatus.FAILED, finished_at__gte=now - timedelta(days=1)),
        ),
    )
    return {"ok": counts["overdue"] == 0, **counts}


def task_results_visible_to(*, user, status: str = "", page_number=1) -> dict:
    """One page of recent task results for the administrator, failures first.

    Arguments and return values are never read: they may name records. Only the attempt number is
    taken out of the stored keyword arguments, by the database.
    """
    from django.db.models import Case, Count, IntegerField, Value, When
    from django.db.models.fields.json import KT
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    from tumaini.core.policies import BACKGROUND_TASK
    from tumaini.core.tasks import ATTEMPT_KWARG, attempt_gave_up, retry_policy_for

    access.require(user, BACKGROUND_TASK, VIEW)
    results = (
        DBTaskResult.objects.only(
            "id",
            "status",
            "task_path",
            "enqueued_at",
            "started_at",
            "finished_at",
            "run_after",
            "exception_class_path",
            "traceback",
        )
        .annotate(
            attempt_number=KT(f"args_kwargs__kwargs__{ATTEMPT_KWARG}"),
            failures_first=Case(
                When(status=TaskResultStatus.FAILED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("failures_first", "-enqueued_at", "id")
    )
    if status in TaskResultStatus.values:
        results = results.filter(status=status)
    else:
        status = ""
    by_status = dict(
        DBTaskResult.objects.order_by().values_list("status").annotate(total=Count("id"))
    )
    page = Paginator(results, TASK_PAGE_SIZE).get_page(page_number)
    never = get_date_max()
    rows = []
    for result in page.object_list:
        attempt = int(result.attempt_number or 1)
        policy = retry_policy_for(result.task_path)
        failed = result.status == TaskResultStatus.FAILED
        rows.append(
            {
                "id": str(result.id),
                "name": result.task_path.rsplit(".", 1)[-1],
                "path": result.task_path,
                "status": result.status,
                "status_label": TaskResultStatus(result.status).label,
                "enqueued_at": result.enqueued_at,
                "run_after": None if result.run_after == never else result.run_after,
                "started_at": result.started_at,
                "finished_at": result.finished_at,
                "attempt": attempt,
                "max_attempts": policy.max_attempts if policy else 1,
                "gave_up": failed
                and attempt_gave_up(
                    task_path=result.task_path,
                    attempt=attempt,
                    exception_class_path=result.exception_class_path,
                ),
                "error_class": result.exception_class_path if failed else "",
                "error_message": _task_error_message(result) if failed else "",
            }
        )
    return {
        "page": page,
        "results": rows,
        "status": status,
        "counts": [
            {"status": value, "label": label, "total": by_status.get(value, 0)}
            for value, label in TaskResultStatus.choices
        ],
    }


def _task_error_message(result) -> str:
    """The message of the exception that failed the task: the end of its stored traceback."""
    path = result.exception_class_path or ""
    module, _dot, name = path.rpartition(".")
    # Python prints built-in exceptions without their module.
    headers = (path, name) if module in {"builtins", "__main__"} else (path,)
    lines = (result.traceback or "").rstrip().splitlines()
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        for header in headers:
            if line == header or line.startswith(header + ": "):
                message = "\n".join([line[len(header) + 2 :], *lines[index + 1 :]]).strip()
                return message[:500]
    return ""


def staff_home(*, user) -> dict:
    return {
        "roles": user.role_labels(),
        "organisation": user.organisation,
        "break_glass_openings": break_glass_openings_of(user=user),
        "panels": home.panels_for(user=user),
    }


# --- Survivor records: scoped reads that leave a trace -------------------------------------------
#
# A model whose rows a resource covers names it: `access_resource = "case"`. Break-glass and the
# "who looked at this record" history find the model through it.


def model_for_resource(resource: str) -> type[models.Model] | None:
    for model in apps.get_models():
        if getattr(model, "access_resource", None) == resource:
            return model
    return None


def _active_grant(*, user, resource: str, public_id) -> BreakGlassGrant | None:
    return (
        BreakGlassGrant.objects.filter(
            user=user, resource=resource, object_id=public_id, expires_at__gt=timezone.now()
        )
        .order_by("-expires_at")
        .first()
    )


def record_for_view(*, user, resource: str, queryset: QuerySet, public_id, request=None):
    """The record the user opens, inside their scope (404 otherwise), with its `view` event.

    Every page that shows one survivor record fetches it here. The event says when the record was
    visible only through a break-glass grant, so supervisors can tell those reads apart.
    """
    with transaction.atomic():
        record = access.get_scoped_or_404(user, resource, VIEW, queryset, public_id=public_id)
        reason = ""
        detail: dict = {}
        # Callers pass a declared Resource or its name; grants are stored by name.
        name = resource.name if isinstance(resource, access.Resource) else resource
        grant = _active_grant(user=user, resource=name, public_id=record.public_id)
        if grant is not None:
            in_scope = access.scoped(
                user, resource, VIEW, queryset.model.objects.all(), include_break_glass=False
            )
            if not in_scope.filter(pk=record.pk).exists():
                reason = BREAK_GLASS_VIEW_REASON
                detail = {"break_glass": True, "grant": str(grant.public_id)}
        audit_record(
            action=AuditAction.VIEW,
            actor=user,
            request=request,
            obj=record,
            reason=reason,
            detail=detail,
        )
    return record


# Stored in the audit trail (not translated: it is data, compared by tools and tests).
BREAK_GLASS_VIEW_REASON = "break-glass access"


def _owner_condition(model: type[models.Model], user) -> Q | None:
    fields: ScopeFields = getattr(model, "scope_fields", ScopeFields())
    paths = [path for path in (fields.owner, *fields.also_owners) if path]
    if not paths or not user.pk:
        return None
    condition = Q()
    for path in paths:
        condition |= Q(**{path: user.pk})
    return condition


def record_access_history(*, user, obj, resource: str | None = None) -> list[AuditEvent]:
    """Who looked at (or changed) this record, newest first.

    Break-glass events carry their reason from the (encrypted) grant: the audit table itself only
    holds its digest, because a reason often names the survivor.

    Shown to the record's owner (the survivor's own case worker sees its access history), and to
    users who may both view the record in their normal scope (break-glass does not count) and read
    the audit trail. Anyone else gets the same 404 as for the record itself.
    """
    return _with_break_glass_reasons(list(_access_events(user=user, obj=obj, resource=resource)))


def record_access_history_recent(
    *, user, obj, limit: int, resource: str | None = None
) -> tuple[list[AuditEvent], int]:
    """The `limit` newest events of `record_access_history` and how many there are in all.

    For a page that shows the history of a busy record: every view of it adds an event, so
    reading them all would make the page slower with each visit."""
    events = _access_events(user=user, obj=obj, resource=resource)
    recent = _with_break_glass_reasons(list(events[:limit]))
    return recent, events.count()


def _access_events(*, user, obj, resource: str | None):
    model = type(obj)
    resource = resource or getattr(model, "access_resource", None)
    if not resource:
        raise access.PolicyError(f"{model._meta.label} declares no access_resource")
    row = model.objects.filter(pk=obj.pk)
    owner = _owner_condition(model, user)
    is_owner = owner is not None and row.filter(owner).exists()
    if not is_owner:
        if not access.can(user, AUDIT_EVENT, VIEW):
            raise Http404
        if not access.scoped(user, resource, VIEW, row, include_break_glass=False).exists():
            raise Http404
    object_type, object_id, _organisation = object_identity(obj)
    return AuditEvent.objects.filter(object_type=object_type, object_id=object_id).order_by("-id")


def _with_break_glass_reasons(events: list[AuditEvent]) -> list[AuditEvent]:
    grant_ids = [e.detail.get("grant") for e in events if e.action == AuditAction.BREAK_GLASS]
    if not grant_ids:
        return events
    reasons = dict(
        BreakGlassGrant.objects.filter(public_id__in=[g for g in grant_ids if g]).values_list(
            "public_id", "reason"
        )
    )
    for event in events:
        if event.action == AuditAction.BREAK_GLASS and event.detail.get("grant"):
            # Shown only; AuditEvent rows are never saved again.
            event.reason = reasons.get(UUID(event.detail["grant"]), "")
    return events


# --- Break-glass ---------------------------------------------------------------------------------


def break_glass_target(*, user, resource: str, public_id):
    """The declared resource and the record a user asks to open by break-glass.

    Users whose roles grant no break-glass on the resource, unknown resources and records outside
    the break-glass scope all get the same 404, so the page reveals nothing about what exists.
    """
    declared = access.REGISTRY.get(resource)
    model = model_for_resource(resource)
    if declared is None or model is None or not declared.survivor_data:
        raise Http404
    if not access.can(user, declared, BREAK_GLASS):
        raise Http404
    record = access.get_scoped_or_404(
        user, declared, BREAK_GLASS, model.objects.all(), public_id=public_id
    )
    return declared, record


def break_glass_openings_of(*, user, limit: int = 20) -> list[dict]:
    """Break-glass grants other people took on records assigned to this user, newest first.

    One query for every resource (each grant's record looked up by its public id), not one query
    per resource: the staff home asks this on every visit."""
    if not getattr(user, "is_authenticated", False):
        return []
    declared: dict[str, access.Resource] = {}
    mine = Q()
    for resource in access.REGISTRY.values():
        model = model_for_resource(resource.name)
        owner = _owner_condition(model, user) if model is not None else None
        if owner is None:
            continue
        declared[resource.name] = resource
        record = model.objects.filter(owner, public_id=OuterRef("object_id"))
        mine |= Q(resource=resource.name) & Q(Exists(record))
    if not declared:
        return []
    grants = (
        BreakGlassGrant.objects.filter(mine)
        .exclude(user=user)
        .select_related("user")
        .order_by("-created_at")[:limit]
    )
    return [{"grant": grant, "resource": declared[grant.resource]} for grant in grants]


# --- The audit trail -----------------------------------------------------------------------------

AUDIT_PAGE_SIZE = 50


def audit_events_visible_to(*, user) -> QuerySet:
    """Events the user may read: their organisation's (as actor or as record owner), or all."""
    scope = access.scope_for(user, AUDIT_EVENT, VIEW)
    events = AuditEvent.objects.all()
    if scope == access.Scope.ALL:
        return events
    if scope == access.Scope.ORGANISATION and user.organisation_id:
        # An event belongs to an organisation through who acted or whose record it was.
        return events.filter(
            Q(organisation_id_at_time=user.organisation_id)
            | Q(object_organisation_id=user.organisation_id)
        )
    return events.none()


def audit_search(*, user, filters: dict, page_number=1, request=None):
    """One page of the audit trail, newest first; the search itself is audited.

    `filters` are the cleaned values of `AuditSearchForm` (user, action, object_type, object_id,
    date_from, date_to; each optional).
    """
    access.require(user, AUDIT_EVENT, VIEW)
    events = audit_events_visible_to(user=user)
    if filters.get("user"):
        events = events.filter(actor_username__iexact=filters["user"])
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    if filters.get("object_type"):
        events = events.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        events = events.filter(object_id=filters["object_id"])
    if filters.get("date_from"):
        events = events.filter(at__gte=_local_midnight(filters["date_from"]))
    if filters.get("date_to"):
        events = events.filter(at__lt=_local_midnight(filters["date_to"] + timedelta(days=1)))
    with transaction.atomic():
        page = Paginator(events.order_by("-id"), AUDIT_PAGE_SIZE).get_page(page_number)
        rows = list(page.object_list)
        organisation_ids = {
            org_id
            for event in rows
            for org_id in (event.organisation_id_at_time, event.object_organisation_id)
            if org_id
        }
        organisations = Organisation.objects.in_bulk(organisation_ids) if organisation_ids else {}
        audit_record(
            action=AuditAction.VIEW,
            actor=user,
            request=request,
            object_type=AuditEvent._meta.label_lower,
            detail={
                "search": {k: _json_value(v) for k, v in filters.items() if v not in (None, "")},
                "page": page.number,
            },
        )
    return {
        "page": page,
        "events": [
            {
                "event": event,
                "actor_organisation": organisations.get(event.organisation_id_at_time),
                "object_organisation": organisations.get(event.object_organisation_id),
                "break_glass": event.action == AuditAction.BREAK_GLASS
                or bool((event.detail or {}).get("break_glass")),
            }
            for event in rows
        ],
    }


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _json_value(value):
    return value.isoformat() if isinstance(value, date) else str(value)
