"""Case views: the case page (its sections and their parts come from cases.parts), its header, and
the case's own settings: who carries it (director) and its flags (case manager). Registers the part
"access-history" (section "history")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tumaini.cases import parts
from tumaini.cases.enums import CaseFlag
from tumaini.cases.forms.file import AssignmentForm, FlagsForm
from tumaini.cases.policies import ASSIGN
from tumaini.cases.selectors.case import case_allows, case_for_action, case_for_view
from tumaini.cases.services import assignment as assignment_services
from tumaini.core.access import UPDATE
from tumaini.core.selectors import record_access_history_recent
from tumaini.core.services import VersionConflict

# The newest events only: every view of a case adds one, and the page read and rendered them all.
# The full trail stays in the audit log.
ACCESS_HISTORY_LIMIT = 25


HEADER_BADGE_FLAGS = {CaseFlag.CHILD, CaseFlag.HIGH_RISK}


def _access_history_part(*, user, case) -> dict:
    try:
        history, history_count = record_access_history_recent(
            user=user, obj=case, limit=ACCESS_HISTORY_LIMIT
        )
    except Http404:
        return {"hidden": True}
    return {"events": history, "count": history_count}


parts.register(
    parts.CasePart(
        key="access-history",
        section="history",
        title=_("Who looked at this record"),
        template="cases/parts/access_history.html",
        context=_access_history_part,
        order=10,
    )
)


def _section(value, *, strict: bool) -> str:
    """The section a request asks for. A link to a section that does not exist is a 404; a form
    that posts an unknown one comes back to the overview."""
    if not value:
        return parts.DEFAULT_SECTION
    if value in parts.SECTIONS:
        return value
    if strict:
        raise Http404
    return parts.DEFAULT_SECTION


def _back_to(case, section: str):
    return redirect(parts.section_url(case, section))


def _page(request, case, *, section, assign_form=None, flags_form=None, status=200):
    user = request.user
    may_assign = case_allows(user=user, case=case, action=ASSIGN)
    may_update = case_allows(user=user, case=case, action=UPDATE)
    flag_labels = dict(CaseFlag.choices)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "section": parts.SECTIONS[section],
            "section_links": [
                {
                    "key": each.key,
                    "title": each.title,
                    "url": parts.section_url(case, each.key),
                    "current": each.key == section,
                }
                for each in parts.sections()
            ],
            "parts": parts.parts_for(user=user, case=case, section=section),
            # "Child" and "High risk" already show as the child and risk badges.
            "flags": [
                flag_labels.get(code, code)
                for code in case.flags or []
                if code not in HEADER_BADGE_FLAGS
            ],
            "assign_form": (assign_form or AssignmentForm(case=case)) if may_assign else None,
            "flags_form": (flags_form or FlagsForm(case=case)) if may_update else None,
        },
        status=status,
    )


@login_required
def case_detail(request, public_id):
    section = _section(request.GET.get("section"), strict=True)
    case = case_for_view(user=request.user, public_id=public_id, request=request)
    return _page(request, case, section=section)


@login_required
@require_POST
def case_assign(request, public_id):
    case = case_for_action(user=request.user, public_id=public_id, action=ASSIGN)
    section = _section(request.POST.get("section"), strict=False)
    form = AssignmentForm(request.POST, case=case)
    if form.is_valid():
        try:
            assignment_services.case_assign(
                actor=request.user,
                case=case,
                assigned_to=form.cleaned_data["assigned_to"],
                team=form.cleaned_data["team"],
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except VersionConflict as conflict:
            messages.error(request, str(conflict))
        except assignment_services.AssignmentRefused as refused:
            form.add_error("assigned_to", str(refused))
        else:
            messages.success(request, _t("Case reassigned."))
            return _back_to(case, section)
        if not form.errors:
            return _back_to(case, section)
    case = case_for_view(user=request.user, public_id=public_id, request=request)
    return _page(request, case, section=section, assign_form=form, status=400)


@login_required
@require_POST
def case_flags(request, public_id):
    case = case_for_action(user=request.user, public_id=public_id, action=UPDATE)
    section = _section(request.POST.get("section"), strict=False)
    form = FlagsForm(request.POST, case=case)
    if form.is_valid():
        try:
            assignment_services.case_flags_set(
                actor=request.user,
                case=case,
                flags=form.cleaned_data["flags"],
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except VersionConflict as conflict:
            messages.error(request, str(conflict))
        else:
            messages.success(request, _t("Flags saved."))
        return _back_to(case, section)
    case = case_for_view(user=request.user, public_id=public_id, request=request)
    return _page(request, case, section=section, flags_form=form, status=400)


urlpatterns = [
    path("<uuid:public_id>/", case_detail, name="case_detail"),
    path("<uuid:public_id>/assign/", case_assign, name="case_assign"),
    path("<uuid:public_id>/flags/", case_flags, name="case_flags"),
]
