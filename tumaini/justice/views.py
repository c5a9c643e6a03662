"""Pages of the access-to-justice area. Thin: parse, call one service or selector, render.

Registers the case-page part "justice" and the legal officer's home panel of coming hearings.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from tumaini.accounts.enums import Role
from tumaini.cases import parts
from tumaini.cases.selectors.case import case_for_action
from tumaini.core import access, home
from tumaini.core.services import VersionConflict
from tumaini.justice import selectors, services
from tumaini.justice.enums import Charge, ProtectiveMeasure
from tumaini.justice.forms import (
    HearingForm,
    HearingOutcomeForm,
    MatterAssignForm,
    MatterOpenForm,
    PaymentForm,
    PoliceReportForm,
    ProsecutionForm,
)
from tumaini.justice.policies import ASSIGN, JUSTICE_MATTER

POLICE_FIELDS = ["station", "ob_number", "reported_on", "investigating_officer", "status", "notes"]
PROSECUTION_FIELDS = [
    "court",
    "court_case_number",
    "prosecutor",
    "charges",
    "other_charges",
    "charged_on",
    "status",
    "outcome",
    "outcome_on",
    "sentence",
    "protective_measures",
    "victim_impact_statement",
    "impact_statement_submitted_on",
    "restitution_ordered",
    "restitution_ordered_on",
]


# --- The case page part and the home panel ------------------------------------------------------


def _justice_part(*, user, case) -> dict:
    matter = selectors.matter_of_case(case=case)
    if matter is not None and not selectors.matter_allows(user=user, matter=matter, action="view"):
        matter = None
    context = {
        "matter": matter,
        "may_open": matter is None
        and access.can(user, JUSTICE_MATTER, access.CREATE)
        and not hasattr(case, "justice"),
        "has_consent": services.law_enforcement_consent(case) is not None,
    }
    if matter is not None:
        context.update(selectors.matter_contents(matter=matter))
    return context


parts.register(
    parts.CasePart(
        key="justice",
        section="referrals",
        title=_("Access to justice"),
        template="justice/parts/justice.html",
        context=_justice_part,
        order=85,
    )
)


def _hearings_panel(*, user) -> dict | None:
    if not access.can(user, JUSTICE_MATTER, access.UPDATE):
        return None
    hearings = selectors.upcoming_hearings_for(user=user)
    if not hearings and Role.LEGAL_OFFICER not in user.role_codes:
        return None
    return {"hearings": hearings}


home.register(
    home.HomePanel(
        key="justice-hearings",
        template="justice/home_hearings.html",
        context=_hearings_panel,
        order=40,
    )
)


# --- Lists ------------------------------------------------------------------------------------


@login_required
def matter_list(request):
    access.require(request.user, JUSTICE_MATTER, access.VIEW)
    try:
        page_number = int(request.GET.get("page") or 1)
    except ValueError:
        page_number = 1
    page, rows = selectors.matters_page(user=request.user, page=page_number, request=request)
    return render(request, "justice/matter_list.html", {"page": page, "rows": rows})


@login_required
def hearing_calendar(request):
    access.require(request.user, JUSTICE_MATTER, access.VIEW)
    hearings = selectors.hearings_calendar(user=request.user, request=request)
    return render(request, "justice/hearings.html", {"hearings": hearings})


# --- One matter -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def matter_open(request, case_id):
    access.require(request.user, JUSTICE_MATTER, access.CREATE)
    case = case_for_action(user=request.user, public_id=case_id, action=access.VIEW)
    form = MatterOpenForm(
        request.POST or None, legal_officers=selectors.legal_officers_of(case.organisation_id)
    )
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            services.matter_open(
                actor=request.user,
                case=case,
                legal_officer=form.cleaned_data["legal_officer"],
                request=request,
            )
        except services.JusticeRefused as refused:
            refusal = str(refused)
        else:
            messages.success(request, _t("Justice matter opened."))
            return redirect(parts.part_url(case, "justice"))
    return render(
        request,
        "justice/matter_open.html",
        {
            "case": case,
            "form": form,
            "refusal": refusal,
            "has_consent": services.law_enforcement_consent(case) is not None,
        },
        status=400 if refusal or form.errors else 200,
    )


def _labels(codes, choices) -> list:
    names = dict(choices)
    return [names.get(code, code) for code in codes or []]


@login_required
def matter_detail(request, public_id):
    matter = selectors.matter_for_view(user=request.user, public_id=public_id, request=request)
    contents = selectors.matter_contents(matter=matter)
    for prosecution in contents["prosecutions"]:
        prosecution.charge_labels = _labels(prosecution.charges, Charge.choices)
        prosecution.measure_labels = _labels(
            prosecution.protective_measures, ProtectiveMeasure.choices
        )
    may_update = selectors.matter_allows(user=request.user, matter=matter, action=access.UPDATE)
    may_assign = selectors.matter_allows(user=request.user, matter=matter, action=ASSIGN)
    assign_form = (
        MatterAssignForm(
            initial={"legal_officer": matter.legal_officer, "version": matter.version},
            legal_officers=selectors.legal_officers_of(matter.case.organisation_id),
        )
        if may_assign
        else None
    )
    return render(
        request,
        "justice/matter_detail.html",
        {
            "matter": matter,
            "case": matter.case,
            "survivor_label": selectors.survivor_label(matter.case.person),
            "may_update": may_update,
            "assign_form": assign_form,
            "has_consent": services.law_enforcement_consent(matter.case) is not None,
            **contents,
        },
    )


@login_required
@require_http_methods(["POST"])
def matter_assign(request, public_id):
    matter = selectors.matter_for_action(user=request.user, public_id=public_id, action=ASSIGN)
    form = MatterAssignForm(
        request.POST, legal_officers=selectors.legal_officers_of(matter.case.organisation_id)
    )
    if form.is_valid():
        try:
            services.matter_assign(
                actor=request.user,
                matter=matter,
                legal_officer=form.cleaned_data["legal_officer"],
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except VersionConflict as conflict:
            messages.error(request, str(conflict))
        else:
            messages.success(request, _t("Legal officer assigned."))
    else:
        messages.error(request, _t("Choose a legal officer of the centre."))
    return redirect(matter.get_absolute_url())


def _record_page(request, *, matter, form, title, conflict=None, status=200):
    return render(
        request,
        "justice/record_form.html",
        {"matter": matter, "case": matter.case, "form": form, "title": title, "conflict": conflict},
        status=status,
    )


def _edit(
    request,
    *,
    matter,
    record,
    form_class,
    fields,
    title,
    create,
    update,
    form_kwargs=None,
    extra_initial=None,
):
    """Create (record is None) or edit one record of the matter, with the optimistic lock."""
    form_kwargs = form_kwargs or {}
    conflict = None
    if request.method == "POST":
        form = form_class(request.POST, **form_kwargs)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in fields}
            for name, value in values.items():
                if isinstance(value, str):
                    values[name] = value.strip()
            try:
                if record is None:
                    create(values)
                else:
                    update(values, form.cleaned_data["version"] or 0)
            except VersionConflict as error:
                conflict = error
                form.data = form.data.copy()
                form.data["version"] = error.current.version
            else:
                messages.success(request, _t("Saved."))
                return redirect(matter.get_absolute_url())
        status = 409 if conflict else 400
    else:
        initial = {"version": record.version} if record else {}
        if record is not None:
            initial.update({name: getattr(record, name) for name in fields})
        initial.update(extra_initial or {})
        form = form_class(initial=initial, **form_kwargs)
        status = 200
    return _record_page(
        request, matter=matter, form=form, title=title, conflict=conflict, status=status
    )


def _matter_to_update(request, public_id):
    return selectors.matter_for_action(user=request.user, public_id=public_id, action=access.UPDATE)


@login_required
@require_http_methods(["GET", "POST"])
def police_report_edit(request, public_id, report_id=None):
    matter = _matter_to_update(request, public_id)
    report = selectors.police_report_in(matter=matter, public_id=report_id) if report_id else None
    return _edit(
        request,
        matter=matter,
        record=report,
        form_class=PoliceReportForm,
        fields=POLICE_FIELDS,
        title=_t("Police report"),
        create=lambda values: services.police_report_record(
            actor=request.user, matter=matter, values=values, request=request
        ),
        update=lambda values, version: services.police_report_update(
            actor=request.user,
            report=report,
            values=values,
            expected_version=version,
            request=request,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def prosecution_edit(request, public_id, prosecution_id=None):
    matter = _matter_to_update(request, public_id)
    prosecution = (
        selectors.prosecution_in(matter=matter, public_id=prosecution_id)
        if prosecution_id
        else None
    )
    reports = list(matter.police_reports.all())
    by_id = {str(report.public_id): report for report in reports}

    def values_with_report(values):
        chosen = request.POST.get("police_report") or ""
        return {**values, "police_report": by_id.get(chosen)}

    response = _edit(
        request,
        matter=matter,
        record=prosecution,
        form_class=ProsecutionForm,
        fields=PROSECUTION_FIELDS,
        title=_t("Prosecution"),
        create=lambda values: services.prosecution_record(
            actor=request.user, matter=matter, values=values_with_report(values), request=request
        ),
        update=lambda values, version: services.prosecution_update(
            actor=request.user,
            prosecution=prosecution,
            values=values_with_report(values),
            expected_version=version,
            request=request,
        ),
        form_kwargs={"police_reports": reports},
        extra_initial={
            "police_report": str(prosecution.police_report.public_id)
            if prosecution and prosecution.police_report
            else ""
        },
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def hearing_add(request, public_id, prosecution_id):
    matter = _matter_to_update(request, public_id)
    prosecution = selectors.prosecution_in(matter=matter, public_id=prosecution_id)
    form = HearingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.hearing_schedule(
            actor=request.user,
            prosecution=prosecution,
            starts_at=data["starts_at"],
            kind=data["kind"],
            survivor_attends=data["survivor_attends"],
            notes=data["notes"].strip(),
            request=request,
        )
        messages.success(request, _t("Hearing scheduled."))
        return redirect(matter.get_absolute_url())
    return _record_page(
        request,
        matter=matter,
        form=form,
        title=_t("Schedule a hearing in %(court)s") % {"court": prosecution.court},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def hearing_outcome(request, public_id, hearing_id):
    matter = _matter_to_update(request, public_id)
    hearing = selectors.hearing_in(matter=matter, public_id=hearing_id)
    form = HearingOutcomeForm(
        request.POST or None, initial={"status": hearing.status, "notes": hearing.notes}
    )
    if request.method == "POST" and form.is_valid():
        services.hearing_record_outcome(
            actor=request.user,
            hearing=hearing,
            status=form.cleaned_data["status"],
            notes=form.cleaned_data["notes"].strip(),
            request=request,
        )
        messages.success(request, _t("Hearing updated."))
        return redirect(matter.get_absolute_url())
    return _record_page(
        request,
        matter=matter,
        form=form,
        title=_t("What happened at the hearing of %(day)s")
        % {"day": f"{hearing.starts_at:%Y-%m-%d}"},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def payment_add(request, public_id, prosecution_id):
    matter = _matter_to_update(request, public_id)
    prosecution = selectors.prosecution_in(matter=matter, public_id=prosecution_id)
    outstanding = (
        None
        if prosecution.restitution_ordered is None
        else prosecution.restitution_ordered - prosecution.restitution_paid
    )
    form = PaymentForm(request.POST or None, outstanding=outstanding)
    if request.method == "POST" and form.is_valid():
        services.restitution_payment_record(
            actor=request.user,
            prosecution=prosecution,
            amount=form.cleaned_data["amount"],
            paid_on=form.cleaned_data["paid_on"],
            request=request,
        )
        messages.success(request, _t("Payment recorded."))
        return redirect(matter.get_absolute_url())
    return _record_page(
        request,
        matter=matter,
        form=form,
        title=_t("Restitution paid"),
        status=400 if form.errors else 200,
    )
