"""Case views: lists (my cases, team, centre) and the overdue follow-ups panel of the staff home."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from tumaini.cases.forms.lists import CaseFilterForm
from tumaini.cases.selectors import lists as list_selectors
from tumaini.core import home

TAB_LABELS = {
    list_selectors.TAB_MINE: _("My cases"),
    list_selectors.TAB_TEAM: _("Team"),
    list_selectors.TAB_CENTRE: _("Centre"),
}


@login_required
def case_list(request):
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    result = list_selectors.case_list(
        user=request.user,
        tab=request.GET.get("tab", ""),
        filters=filters,
        page_number=request.GET.get("page") or 1,
        request=request,
    )
    kept = {k: v for k, v in filters.items() if v not in (None, "", False)}
    query = urlencode({"tab": result["tab"], **kept})
    tabs = []
    for tab in result["tabs"]:
        tabs.append(
            {
                "key": tab,
                "label": TAB_LABELS[tab],
                "query": urlencode({"tab": tab, **kept}),
                "current": tab == result["tab"],
            }
        )
    return render(
        request,
        "cases/case_list.html",
        {**result, "form": form, "tab_links": tabs, "query": query},
    )


def _overdue_panel(*, user):
    return list_selectors.overdue_follow_ups_for(user=user)


home.register(
    home.HomePanel(
        key="cases-overdue", template="cases/home_overdue.html", context=_overdue_panel, order=20
    )
)

urlpatterns = [path("", case_list, name="case_list")]
