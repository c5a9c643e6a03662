"""Case views: the exploitation profile, trafficking events and suspected perpetrators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tumaini.cases import parts
from tumaini.cases.forms.profile import PerpetratorForm, ProfileForm, TraffickingEventForm
from tumaini.cases.selectors.profile import (
    SCOPE_LABELS,
    case_for_edit,
    case_trafficking_scope,
    event_for_update,
    events_of,
    perpetrator_for_update,
    perpetrators_of,
    profile_of,
    profile_part_context,
)
from tumaini.cases.services import profile as services
from tumaini.core.editing import submit


def _profile_url(case) -> str:
    return reverse("cases:profile_edit", kwargs={"public_id": case.public_id})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, public_id):
    case = case_for_edit(user=request.user, public_id=public_id, request=request, part="profile")
    profile = profile_of(case)
    if request.method == "POST":
        form = ProfileForm(request.POST)
    else:
        initial = {"version": profile.version if profile else 1}
        if profile is not None:
            initial.update({name: getattr(profile, name) for name in services.PROFILE_FIELDS})
        form = ProfileForm(initial=initial)
    outcome = submit(
        request,
        form,
        lambda values: services.profile_update(
            user=request.user,
            case=case,
            expected_version=values["version"],
            values=values,
            request=request,
        ),
    )
    if outcome.saved:
        messages.success(request, _("The exploitation profile was saved."))
        return redirect(_profile_url(case))
    conflict = outcome.conflict
    scope = case_trafficking_scope(case)
    return render(
        request,
        "cases/profile_form.html",
        {
            "case": case,
            "form": form,
            "conflict": conflict,
            "events": events_of(case),
            "perpetrators": perpetrators_of(case),
            "scope": scope,
            "scope_label": SCOPE_LABELS[scope],
        },
        status=409 if conflict else (400 if form.is_bound else 200),
    )


def _item_page(request, *, case, form, kind: str, item=None, status=200):
    return render(
        request,
        "cases/profile_item_form.html",
        {"case": case, "form": form, "kind": kind, "item": item},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request, public_id):
    case = case_for_edit(user=request.user, public_id=public_id, request=request, part="profile")
    form = TraffickingEventForm(request.POST or None, initial={"country": "KE"})
    if request.method == "POST" and form.is_valid():
        services.event_create(
            user=request.user, case=case, values=form.cleaned_data, request=request
        )
        messages.success(request, _("The event was added."))
        return redirect(_profile_url(case))
    return _item_page(
        request, case=case, form=form, kind="event", status=400 if form.is_bound else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, public_id, event_id):
    case, event = event_for_update(
        user=request.user, public_id=public_id, event_id=event_id, request=request
    )
    form = TraffickingEventForm(
        request.POST or None, initial=TraffickingEventForm.initial_from(event)
    )
    if request.method == "POST" and form.is_valid():
        services.event_update(
            user=request.user, event=event, values=form.cleaned_data, request=request
        )
        messages.success(request, _("The event was saved."))
        return redirect(_profile_url(case))
    return _item_page(
        request,
        case=case,
        form=form,
        kind="event",
        item=event,
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_delete(request, public_id, event_id):
    case, event = event_for_update(
        user=request.user, public_id=public_id, event_id=event_id, request=request
    )
    if request.method == "POST":
        services.event_delete(user=request.user, event=event, request=request)
        messages.success(request, _("The event was deleted."))
        return redirect(_profile_url(case))
    return render(
        request, "cases/profile_delete.html", {"case": case, "kind": "event", "item": event}
    )


@login_required
@require_http_methods(["GET", "POST"])
def perpetrator_new(request, public_id):
    case = case_for_edit(user=request.user, public_id=public_id, request=request, part="profile")
    form = PerpetratorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.perpetrator_create(
            user=request.user, case=case, values=form.cleaned_data, request=request
        )
        messages.success(request, _("The suspected perpetrator was added."))
        return redirect(_profile_url(case))
    return _item_page(
        request, case=case, form=form, kind="perpetrator", status=400 if form.is_bound else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def perpetrator_edit(request, public_id, perpetrator_id):
    case, perpetrator = perpetrator_for_update(
        user=request.user, public_id=public_id, perpetrator_id=perpetrator_id, request=request
    )
    form = PerpetratorForm(request.POST or None, initial=PerpetratorForm.initial_from(perpetrator))
    if request.method == "POST" and form.is_valid():
        services.perpetrator_update(
            user=request.user, perpetrator=perpetrator, values=form.cleaned_data, request=request
        )
        messages.success(request, _("The suspected perpetrator was saved."))
        return redirect(_profile_url(case))
    return _item_page(
        request,
        case=case,
        form=form,
        kind="perpetrator",
        item=perpetrator,
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def perpetrator_delete(request, public_id, perpetrator_id):
    case, perpetrator = perpetrator_for_update(
        user=request.user, public_id=public_id, perpetrator_id=perpetrator_id, request=request
    )
    if request.method == "POST":
        services.perpetrator_delete(user=request.user, perpetrator=perpetrator, request=request)
        messages.success(request, _("The suspected perpetrator was deleted."))
        return redirect(_profile_url(case))
    return render(
        request,
        "cases/profile_delete.html",
        {"case": case, "kind": "perpetrator", "item": perpetrator},
    )


parts.register(
    parts.CasePart(
        key="profile",
        section="person",
        title=gettext_lazy("Exploitation profile"),
        template="cases/parts/profile.html",
        context=profile_part_context,
        order=40,
    )
)

urlpatterns = [
    path("<uuid:public_id>/profile/", profile_edit, name="profile_edit"),
    path("<uuid:public_id>/profile/events/new/", event_new, name="event_new"),
    path("<uuid:public_id>/profile/events/<uuid:event_id>/", event_edit, name="event_edit"),
    path(
        "<uuid:public_id>/profile/events/<uuid:event_id>/delete/",
        event_delete,
        name="event_delete",
    ),
    path("<uuid:public_id>/profile/perpetrators/new/", perpetrator_new, name="perpetrator_new"),
    path(
        "<uuid:public_id>/profile/perpetrators/<uuid:perpetrator_id>/",
        perpetrator_edit,
        name="perpetrator_edit",
    ),
    path(
        "<uuid:public_id>/profile/perpetrators/<uuid:perpetrator_id>/delete/",
        perpetrator_delete,
        name="perpetrator_delete",
    ),
]
