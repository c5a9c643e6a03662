"""Monthly and quarterly situation reports for the county: the dashboard's figures for one period,
as a PDF (charts and the Nairobi map) and an Excel workbook, prepared by a background task."""

from __future__ import annotations

import base64
import io
from calendar import monthrange
from datetime import date

from django.contrib.staticfiles import finders
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.insights.enums import ReportPeriod, ReportStatus
from tumaini.insights.figures import Filters
from tumaini.insights.models import SituationReport

STYLESHEETS = ["tumaini/css/report.css", "tumaini/css/charts.css"]


class ReportRefused(Exception):
    pass


def period_bounds(period: str, start: date) -> tuple[date, date]:
    """The month, or the calendar quarter, that contains `start`."""
    if period == ReportPeriod.MONTHLY:
        first = start.replace(day=1)
    else:
        first = date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
    last_month = first.month + (0 if period == ReportPeriod.MONTHLY else 2)
    return first, date(first.year, last_month, monthrange(first.year, last_month)[1])


def situation_report_request(*, actor, period: str, start: date, request=None) -> SituationReport:
    """Queue the preparation of a report; the task does the work and shows its progress."""
    from tumaini.insights.tasks import build_situation_report

    first, last = period_bounds(period, start)
    if first > timezone.localdate():
        raise ReportRefused(_("That period has not started yet."))
    with transaction.atomic():
        report = SituationReport.objects.create(
            organisation_id=actor.organisation_id,
            period=period,
            period_start=first,
            period_end=last,
            requested_by=actor,
            language=translation.get_language() or "en",
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=report,
            detail={"period": period, "from": first.isoformat(), "to": last.isoformat()},
        )
        build_situation_report.enqueue(report.pk)
    return report


def _progress(report: SituationReport, percent: int, **changes) -> None:
    SituationReport.objects.filter(pk=report.pk).update(progress=percent, **changes)


def situation_report_build(*, report_id: int) -> dict:
    """The task's work: figures, then the PDF, then the workbook. A failure is recorded on the
    report (and the task retries); nothing half-made is offered for download."""
    from tumaini.insights.selectors import dashboard_figures

    report = SituationReport.objects.select_related("requested_by", "organisation").get(
        pk=report_id
    )
    if report.status == ReportStatus.READY:
        return {"report": str(report.public_id), "already": True}
    _progress(report, 5, status=ReportStatus.RUNNING, failure="")
    try:
        with translation.override(report.language):
            filters = Filters(date_from=report.period_start, date_to=report.period_end)
            # Counted live: a report in the background can take the time, and is exact at once.
            data = dashboard_figures(
                user=report.requested_by, filters=filters, use_aggregates=False
            )
            _progress(report, 35)
            pdf = _pdf(report, data)
            _progress(report, 75)
            xlsx = _workbook(report, data)
    except Exception as error:
        _progress(report, 0, status=ReportStatus.FAILED, failure=type(error).__name__[:200])
        raise
    with transaction.atomic():
        report.pdf = base64.b64encode(pdf).decode("ascii")
        report.xlsx = base64.b64encode(xlsx).decode("ascii")
        report.status = ReportStatus.READY
        report.progress = 100
        report.finished_at = timezone.now()
        report.save(update_fields=["pdf", "xlsx", "status", "progress", "finished_at"])
    return {"report": str(report.public_id), "pdf_bytes": len(pdf), "xlsx_bytes": len(xlsx)}


def _charts(data: dict) -> list[dict]:
    from tumaini.insights.charts import bar_chart

    scope, public = data["scope"], data["public"]
    titles = [
        ("months", _("Survivors identified per month"), scope),
        ("exploitation", _("Type of exploitation"), scope),
        ("sectors", _("Labour sector"), scope),
        ("children", _("Children and adults"), scope),
        ("citizenship", _("Citizenship"), scope),
        ("reach", _("Domestic or transnational"), scope),
        ("recruitment_places", _("Places of recruitment"), scope),
        ("exploitation_places", _("Places of exploitation"), scope),
        ("channels", _("Public reports by channel"), public),
    ]
    suppressed = f"<{data['threshold']}"
    return [
        {
            "key": key,
            "title": title,
            "distribution": source[key],
            "svg": bar_chart(source[key], title=title, suppressed=suppressed),
        }
        for key, title, source in titles
    ]


def _pdf(report: SituationReport, data: dict) -> bytes:
    from weasyprint import CSS, HTML

    from tumaini.insights.charts import campaign_charts, nairobi_map

    suppressed = f"<{data['threshold']}"
    html = render_to_string(
        "insights/situation_report_pdf.html",
        {
            "report": report,
            "data": data,
            "charts": _charts(data),
            "times": data["public"]["times"],
            "campaigns": campaign_charts(data["public"]["campaigns"], suppressed=suppressed),
            "suppressed": suppressed,
            "map_svg": nairobi_map(
                data["scope"]["survivors_by_sub_county"],
                title=_("Identified survivors by sub-county"),
            ),
            "generated_at": timezone.localtime(),
        },
    )
    stylesheets = [CSS(filename=path) for path in map(finders.find, STYLESHEETS) if path]
    return HTML(string=html).write_pdf(stylesheets=stylesheets)


def _workbook(report: SituationReport, data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    summary.append(["Tumaini situation report", report.period_label])
    summary.append(["Organisation", report.organisation.name])
    summary.append(["From", report.period_start.isoformat()])
    summary.append(["To", report.period_end.isoformat()])
    summary.append([])
    labels = {
        "survivors": "Survivors identified",
        "reports": "Public reports",
        "reported": "Cases reported to the police",
        "prosecuted": "Cases prosecuted",
        "convicted": "Cases with a conviction",
    }
    for key, label in labels.items():
        summary.append([label, data["totals"][key]])
    for chart in _charts(data):
        sheet = book.create_sheet(chart["key"][:31])
        sheet.append([str(chart["title"]), "Count"])
        for cell in chart["distribution"].cells:
            sheet.append([cell.label, cell.count if cell.count is not None else "suppressed"])
        rows = len(chart["distribution"].cells)
        if rows:
            bars = BarChart()
            bars.type = "bar"
            bars.title = str(chart["title"])
            bars.legend = None
            bars.add_data(
                Reference(sheet, min_col=2, min_row=1, max_row=rows + 1), titles_from_data=True
            )
            bars.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows + 1))
            sheet.add_chart(bars, "D2")
    age = book.create_sheet("age_sex")
    age.append(["Age", *data["scope"]["age_sex"]["sexes"]])
    for row in data["scope"]["age_sex"]["rows"]:
        age.append(
            [row.title, *[c.count if c.count is not None else "suppressed" for c in row.cells]]
        )
    _public_report_sheets(book, data)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _shown(value):
    return "suppressed" if value is None else value


def _public_report_sheets(book, data: dict) -> None:
    """Times to triage and escalation, triage within target and reports that led to a case; then
    each campaign's channels before and during it."""
    from tumaini.insights.figures import campaign_table

    times = data["public"]["times"]
    sheet = book.create_sheet("report_times")
    sheet.append(
        [_("From receipt to"), _("Reports"), _("Median (hours)"), _("90th percentile (hours)")]
    )
    for label, key in ((_("Triage"), "triage"), (_("Escalation to law enforcement"), "escalation")):
        summary = times[key]
        values = [summary["count"], summary["median_hours"], summary["p90_hours"]]
        # Fewer reports than the threshold: the count and its times are all hidden.
        sheet.append([label, *(values if summary["count"] is not None else ["suppressed"] * 3)])
    sheet.append([])
    for cell in times["triage_target"].cells:
        sheet.append([cell.label, _shown(cell.count)])
    sheet.append([_("Waiting, still within the target"), _shown(times["triage_pending"])])
    sheet.append([_("Triaged within the target (%)"), _shown(times["triage_share"])])
    sheet.append([])
    for cell in times["cases"].cells:
        sheet.append([cell.label, _shown(cell.count)])
    sheet.append([_("Led to a case (%)"), _shown(times["case_share"])])

    sheet = book.create_sheet("campaigns")
    sheet.append(
        [
            _("Campaign"),
            _("First day"),
            _("Last day"),
            _("Counted to"),
            _("Days"),
            _("Channel"),
            _("Promoted"),
            _("Before"),
            _("Before, per week"),
            _("During"),
            _("During, per week"),
            _("Change (%)"),
        ]
    )
    for campaign in data["public"]["campaigns"]:
        table = campaign_table(campaign)
        first = [
            campaign["name"],
            campaign["starts_on"].isoformat(),
            campaign["ends_on"].isoformat(),
            campaign["counted_to"].isoformat(),
            campaign["days"],
        ]
        rows = [
            (row["label"], _("yes") if row["promoted"] else "", row) for row in table["rows"]
        ] + [(_("All channels"), "", table["total"])]
        for label, promoted, row in rows:
            sheet.append(
                [
                    *first,
                    label,
                    promoted,
                    _shown(row["before"]),
                    row["before_per_week"],
                    _shown(row["during"]),
                    row["during_per_week"],
                    row["change"],
                ]
            )


def situation_report_file(*, actor, report: SituationReport, kind: str, request=None) -> bytes:
    """The decrypted file, for a download that is audited as an export."""
    if report.status != ReportStatus.READY:
        raise ReportRefused(_("This report is not ready yet."))
    with transaction.atomic():
        audit_record(
            action=AuditAction.EXPORT,
            actor=actor,
            request=request,
            obj=report,
            detail={"file": kind},
        )
    return base64.b64decode(report.pdf if kind == "pdf" else report.xlsx)
