"""Pages of the audit trail and break-glass: the oversight side of the access policy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tumaini.core import access, selectors, services
from tumaini.core.forms import AuditSearchForm, BreakGlassForm
from tumaini.core.policies import AUDIT_EVENT


@login_required
@require_http_methods(["GET"])
def audit_search(request):
    access.require(request.user, AUDIT_EVENT, access.VIEW)
    form = AuditSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    context = {"form": form}
    if not form.is_bound or form.is_valid():
        context.update(
            selectors.audit_search(
                user=request.user,
                filters=filters,
                page_number=request.GET.get("page", 1),
                request=request,
            )
        )
        query = request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
    template = "core/audit_search.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request, resource, public_id):
    declared, record = selectors.break_glass_target(
        user=request.user, resource=resource, public_id=public_id
    )
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.break_glass_open(
                user=request.user,
                resource=declared.name,
                record=record,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except services.BreakGlassRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.warning(
                request,
                _(
                    "Break-glass access is open until %(time)s. It is recorded and shown to the "
                    "record's case worker."
                )
                % {"time": date_format(timezone.localtime(grant.expires_at), "H:i")},
            )
            if hasattr(record, "get_absolute_url"):
                return redirect(record.get_absolute_url())
            return redirect("core:staff_home")
    return render(
        request,
        "core/break_glass.html",
        {
            "form": form,
            "resource": declared,
            "public_id": record.public_id,
            "hours": services.break_glass_hours(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
