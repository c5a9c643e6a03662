from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tumaini.core import selectors


def home(request):
    """The public page: what trafficking is, the help lines, how to report."""
    return render(request, "core/home.html")


@require_GET
@never_cache
def healthz(request):
    """For monitoring: 200 while the database answers and a worker takes the queued tasks.

    Says nothing a stranger could use: no settings, no error texts (they can name hosts and users),
    no counts of survivor data; only counts of queued tasks.
    """
    database = {"ok": True, "vendor": connection.vendor}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        database = {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__}
    task_queue: dict = {"ok": False}
    if database["ok"]:
        try:
            task_queue = selectors.task_queue_health()
        except DatabaseError as exc:
            task_queue = {"ok": False, "error": type(exc).__name__}
    healthy = database["ok"] and task_queue["ok"]
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database, "task_queue": task_queue},
        status=200 if healthy else 503,
    )


@login_required
def staff_home(request):
    return render(request, "core/staff_home.html", selectors.staff_home(user=request.user))
