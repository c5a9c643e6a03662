"""Statistics pages. The CTDC export page shows what an export would hold (counts only) and
downloads it; both are audited as exports."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tumaini.core import access
from tumaini.insights import ctdc
from tumaini.insights.policies import CTDC_EXPORT
from tumaini.insights.services import ctdc_export


@login_required
@require_http_methods(["GET", "POST"])
def ctdc_page(request):
    access.require(request.user, CTDC_EXPORT, access.EXPORT)
    export = ctdc_export(actor=request.user, request=request)
    if request.method == "POST":
        response = HttpResponse(export.csv_text, content_type="text/csv; charset=utf-8")
        day = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="tumaini-ctdc-{day}.csv"'
        return response
    return render(
        request,
        "insights/ctdc.html",
        {
            "summary": export.summary,
            "suppressed": [
                (column, count) for column, count in export.summary["values_suppressed"].items()
            ],
            "quasi_identifiers": ctdc.QUASI_IDENTIFIERS,
        },
    )
