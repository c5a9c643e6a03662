"""Background tasks with retries, and the tasks of the core app.

Tasks run on django-tasks with the database backend (`manage.py db_worker`). django-tasks does not
retry a task that raises, so `tumaini_task` adds that: when an attempt raises, the attempt stays
recorded as FAILED (with its error) and a new attempt is enqueued to run after an exponential backoff
(`backoff_seconds`, then twice that, ...), carrying its attempt number in the keyword argument
`tumaini_attempt`, until `max_attempts`. The last failure is logged at ERROR and is shown as "gave up"
on the administrator's page (/staff/tasks/), which reads the same DBTaskResult rows.

Task arguments are stored in the database in plain JSON and copied into every retry: pass ids only
(public ids or primary keys), NEVER survivor data (names, phone numbers, narratives, addresses), and
raise exceptions whose messages carry no survivor data either — the page shows error messages.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from inspect import iscoroutinefunction
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import DEFAULT_TASK_QUEUE_NAME, TaskContext, task
from django_tasks.base import DEFAULT_TASK_PRIORITY, Task

logger = logging.getLogger("tumaini.tasks")

# The keyword argument that carries the attempt number from one attempt to the next.
ATTEMPT_KWARG = "tumaini_attempt"


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    backoff_seconds: float
    # Exceptions that retrying cannot cure: the first one is final.
    give_up_on: tuple[type[BaseException], ...] = ()

    def delay_before(self, attempt: int) -> timedelta:
        """How long to wait before `attempt` (2, 3, ...): backoff, 2 x backoff, 4 x backoff..."""
        return timedelta(seconds=self.backoff_seconds * 2 ** (attempt - 2))

    def gives_up(self, attempt: int, exception_class_path: str) -> bool:
        if attempt >= self.max_attempts:
            return True
        return exception_class_path in {_class_path(kind) for kind in self.give_up_on}


@dataclass(frozen=True)
class AttemptContext:
    """What a task that asks for `takes_context=True` receives as its first argument."""

    task_result: Any
    attempt: int
    max_attempts: int


def _class_path(kind: type[BaseException]) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


def tumaini_task(
    *,
    max_attempts: int = 3,
    backoff_seconds: float = 60,
    give_up_on: tuple[type[BaseException], ...] = (),
    takes_context: bool = False,
    priority: int = DEFAULT_TASK_PRIORITY,
    queue_name: str = DEFAULT_TASK_QUEUE_NAME,
) -> Callable[[Callable[..., Any]], Task]:
    """Make a module-level function a django-tasks Task that retries when it raises."""
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    policy = RetryPolicy(max_attempts, backoff_seconds, tuple(give_up_on))

    def decorate(func: Callable[..., Any]) -> Task:
        if iscoroutinefunction(func):
            raise TypeError("tumaini_task wraps synchronous functions only")

        def run(context: TaskContext, *args: Any, **kwargs: Any) -> Any:
            attempt = int(kwargs.pop(ATTEMPT_KWARG, 1))
            try:
                if takes_context:
                    return func(
                        AttemptContext(context.task_result, attempt, max_attempts),
                        *args,
                        **kwargs,
                    )
                return func(*args, **kwargs)
            except Exception as exc:
                _after_failure(context, policy, attempt, exc, args, kwargs)
                raise  # the worker records this attempt as FAILED, with its traceback

        # The worker finds a task again by its module path, so the wrapper takes the function's
        # name; no __wrapped__, or django-tasks would read the wrapped signature (no `context`).
        for attribute in ("__module__", "__name__", "__qualname__", "__doc__"):
            setattr(run, attribute, getattr(func, attribute))
        run.tumaini_retry_policy = policy  # type: ignore[attr-defined]
        return task(takes_context=True, priority=priority, queue_name=queue_name)(run)

    return decorate


def _after_failure(
    context: TaskContext,
    policy: RetryPolicy,
    attempt: int,
    exc: Exception,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    current = context.task_result.task
    name = current.name
    if policy.gives_up(attempt, _class_path(type(exc))):
        # Class and message only: the traceback is in the task result, and arguments stay out.
        logger.error(
            "Task %s (result %s) gave up after attempt %d of %d: %s: %s",
            name,
            context.task_result.id,
            attempt,
            policy.max_attempts,
            type(exc).__name__,
            str(exc)[:300],
        )
        return
    next_attempt = attempt + 1
    run_after = timezone.now() + policy.delay_before(next_attempt)
    try:
        retry = current.using(run_after=run_after).enqueue(
            *args, **{**kwargs, ATTEMPT_KWARG: next_attempt}
        )
    except Exception:
        logger.exception("Task %s failed and its retry could not be enqueued", name)
        return
    logger.warning(
        "Task %s failed on attempt %d of %d (%s); attempt %d is queued as %s for %s",
        name,
        attempt,
        policy.max_attempts,
        type(exc).__name__,
        next_attempt,
        retry.id,
        run_after.isoformat(),
    )


@functools.cache
def retry_policy_for(task_path: str) -> RetryPolicy | None:
    """The retry policy of the task stored at `task_path`; None for a plain (non-retrying) task."""
    try:
        found = import_string(task_path)
    except ImportError:
        return None
    return getattr(getattr(found, "func", None), "tumaini_retry_policy", None)


def attempt_gave_up(*, task_path: str, attempt: int, exception_class_path: str) -> bool:
    """Whether a FAILED attempt was the last one (no retry follows it)."""
    policy = retry_policy_for(task_path)
    if policy is None:
        return True
    return policy.gives_up(attempt, exception_class_path)


# --- Tasks of the core app ----------------------------------------------------------------------


class AuditChainBroken(Exception):
    """The audit trail was changed, cut or extended outside the application."""


@tumaini_task(max_attempts=3, backoff_seconds=60, give_up_on=(AuditChainBroken,))
def audit_chain_check() -> dict[str, Any]:
    """Walk the audit chain; a broken chain fails the task (shown to the administrator) at once."""
    from tumaini.core.audit import verify_chain
    from tumaini.core.models import AuditChainHead

    problems = [problem.message for problem in verify_chain()]
    if problems:
        # The messages name event ids only, never what the events were about.
        for message in problems:
            logger.error("Audit chain check: %s", message)
        raise AuditChainBroken(
            f"the audit chain is broken in {len(problems)} place(s); first: {problems[0]}"
        )
    head = AuditChainHead.objects.filter(pk=1).first()
    return {"ok": True, "events": head.length if head else 0}
