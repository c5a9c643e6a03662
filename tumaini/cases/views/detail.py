"""Case views: the case page (its sections come from cases.parts)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from tumaini.cases import parts
from tumaini.cases.selectors.case import case_for_view


@login_required
def case_detail(request, public_id):
    case = case_for_view(user=request.user, public_id=public_id, request=request)
    return render(
        request,
        "cases/case_detail.html",
        {"case": case, "parts": parts.parts_for(user=request.user, case=case)},
    )


urlpatterns = [path("<uuid:public_id>/", case_detail, name="case_detail")]
