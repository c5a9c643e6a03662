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


@login_required
def dashboard(request):
    from django.utils.http import urlencode
    from django.utils.translation import gettext as _t

    from tumaini.insights.charts import bar_chart, campaign_charts, map_names, nairobi_map
    from tumaini.insights.forms import MAPS, DashboardFilterForm
    from tumaini.insights.policies import INSIGHTS_DASHBOARD
    from tumaini.insights.selectors import dashboard_figures, dashboard_organisations
    from tumaini.tips.policies import CAMPAIGN

    access.require(request.user, INSIGHTS_DASHBOARD, access.VIEW)
    form = DashboardFilterForm(
        request.GET or None, organisations=dashboard_organisations(user=request.user)
    )
    filters = form.filters()
    data = dashboard_figures(user=request.user, filters=filters, request=request)
    suppressed = f"<{data['threshold']}"
    scope, public = data["scope"], data["public"]
    titles = {
        "months": _t("Survivors identified per month"),
        "exploitation": _t("Type of exploitation"),
        "sectors": _t("Labour sector"),
        "children": _t("Children and adults"),
        "citizenship": _t("Citizenship"),
        "reach": _t("Domestic or transnational"),
        "recruitment_places": _t("Places of recruitment"),
        "exploitation_places": _t("Places of exploitation"),
    }
    charts = [
        {
            "key": key,
            "title": title,
            "distribution": scope[key],
            "svg": bar_chart(scope[key], title=title, suppressed=suppressed),
        }
        for key, title in titles.items()
    ]
    channel_title = _t("Public reports by channel")
    charts.append(
        {
            "key": "channels",
            "title": channel_title,
            "distribution": public["channels"],
            "svg": bar_chart(public["channels"], title=channel_title, suppressed=suppressed),
        }
    )
    valid = form.is_valid() if form.is_bound else True
    chosen_map = (form.cleaned_data.get("map") if form.is_bound and valid else "") or "survivors"
    level = (form.cleaned_data.get("level") if form.is_bound and valid else "") or "sub_county"
    counts = {
        "survivors": scope[f"survivors_by_{level}"],
        "reports": public[f"reports_by_{level}"],
        "recruitment": scope[f"recruitment_by_{level}"],
    }[chosen_map]
    query = {k: v for k, v in request.GET.items() if k not in ("sub_county", "page") and v}
    link = (
        "?" + urlencode({**query, "sub_county": "CODE"}).replace("CODE", "{code}")
        if level == "sub_county"
        else None
    )
    names = map_names(level)
    map_title = f"{dict(MAPS)[chosen_map]} — Nairobi"
    return render(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            "data": data,
            "charts": charts,
            "map_svg": nairobi_map(
                counts,
                title=map_title,
                kind=level,
                link=link,
                selected=filters.sub_county_code,
                suppressed=suppressed,
            ),
            "map_title": map_title,
            "map_rows": sorted(
                ((names.get(code, code), n) for code, n in counts.items()),
                key=lambda row: str(row[0]),
            ),
            "age_sex": scope["age_sex"],
            "suppressed": suppressed,
            "times": public["times"],
            "campaigns": campaign_charts(public["campaigns"], suppressed=suppressed),
            "may_see_campaigns": access.can(request.user, CAMPAIGN, access.VIEW),
        },
    )


# --- Situation reports ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def situation_reports(request):
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _t

    from tumaini.insights.forms import SituationReportForm
    from tumaini.insights.models import SituationReport
    from tumaini.insights.policies import SITUATION_REPORT
    from tumaini.insights.reports import ReportRefused, situation_report_request

    access.require(request.user, SITUATION_REPORT, access.VIEW)
    may_create = access.can(request.user, SITUATION_REPORT, access.CREATE)
    form = SituationReportForm(request.POST or None)
    if request.method == "POST" and may_create and form.is_valid():
        try:
            situation_report_request(
                actor=request.user,
                period=form.cleaned_data["period"],
                start=form.cleaned_data["month"],
                request=request,
            )
        except ReportRefused as refused:
            form.add_error("month", str(refused))
        else:
            messages.success(
                request, _t("The report is being prepared. This page shows its progress.")
            )
            return redirect("insights:situation_reports")
    reports = list(
        access.scoped(
            request.user, SITUATION_REPORT, access.VIEW, SituationReport.objects.all()
        ).defer("pdf", "xlsx")[:24]
    )
    polling = any(r.status in ("queued", "running") for r in reports)
    context = {"form": form, "reports": reports, "may_create": may_create, "polling": polling}
    if request.htmx:
        return render(request, "insights/situation_reports.html#report-list", context)
    return render(
        request, "insights/situation_reports.html", context, status=400 if form.errors else 200
    )


@login_required
def situation_report_download(request, public_id, kind):
    from django.http import Http404

    from tumaini.insights.models import SituationReport
    from tumaini.insights.policies import SITUATION_REPORT
    from tumaini.insights.reports import ReportRefused, situation_report_file

    if kind not in ("pdf", "xlsx"):
        raise Http404
    report = access.get_scoped_or_404(
        request.user,
        SITUATION_REPORT,
        access.EXPORT,
        SituationReport.objects.all(),
        public_id=public_id,
    )
    try:
        content = situation_report_file(
            actor=request.user, report=report, kind=kind, request=request
        )
    except ReportRefused:
        raise Http404 from None
    types = {
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    response = HttpResponse(content, content_type=types[kind])
    name = f"tumaini-{report.period}-{report.period_start:%Y-%m}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def public_statistics(request):
    """Optional per deployment (TUMAINI_PUBLIC_STATISTICS): off, the page does not exist."""
    from django.conf import settings
    from django.http import Http404

    from tumaini.insights.selectors import public_headlines

    if not settings.TUMAINI_PUBLIC_STATISTICS:
        raise Http404
    return render(request, "insights/public_statistics.html", public_headlines())
