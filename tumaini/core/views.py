from django.contrib.auth.decorators import login_required
from django.db import connection
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
    database_ok = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 — any failure means "not healthy", reported below
        database_ok = False
    queue = selectors.task_queue_health() if database_ok else {"ok": False}
    healthy = database_ok and queue["ok"]
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "database": {"ok": database_ok, "vendor": connection.vendor},
            "task_queue": queue,
        },
        status=200 if healthy else 503,
    )


@login_required
def staff_home(request):
    return render(request, "core/staff_home.html", selectors.staff_home(user=request.user))
