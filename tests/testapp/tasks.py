"""Tasks used by tests/core/test_tasks.py; the worker imports them by their module path.

Their state lives in the database (the cache table), so a real worker run can be observed.
Arguments are test labels, never survivor data.
"""

from django.core.cache import cache

from tumaini.core.tasks import tumaini_task


def calls(label: str) -> int:
    return cache.get(f"task-probe:{label}", 0)


def _count_call(label: str) -> int:
    key = f"task-probe:{label}"
    cache.add(key, 0, timeout=None)
    return cache.incr(key)


class ProbeFailure(Exception):
    pass


@tumaini_task(max_attempts=3, backoff_seconds=30)
def flaky_probe(label: str, failures: int) -> dict:
    """Fails `failures` times, then succeeds."""
    call = _count_call(label)
    if call <= failures:
        raise ProbeFailure(f"probe failed on call {call}")
    return {"calls": call}


@tumaini_task(max_attempts=2, backoff_seconds=5, takes_context=True)
def doomed_probe(context, label: str) -> None:
    """Always fails; says which attempt it was, so the message proves the attempt number."""
    _count_call(label)
    raise ProbeFailure(f"probe failed on attempt {context.attempt} of {context.max_attempts}")
