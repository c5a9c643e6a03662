"""The administrator's view of the background task queue: what ran, what failed, what gave up."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tumaini.core import selectors


@login_required
@require_GET
def task_list(request):
    context = selectors.task_results_visible_to(
        user=request.user,
        status=request.GET.get("status", ""),
        page_number=request.GET.get("page", 1),
    )
    # The page links keep the status filter.
    context["query"] = urlencode({"status": context["status"]}) if context["status"] else ""
    return render(request, "core/task_list.html", context)
