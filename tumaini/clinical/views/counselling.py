"""Counselling pages: the counsellor's clients and session notes; on the case page, the count of
sessions and the "assign a counsellor" form. Registers the case part "counselling" (84) and the
home panel "next_sessions"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tumaini.cases import parts
from tumaini.cases.selectors.case import case_allows, case_for_action
from tumaini.clinical.forms import CounsellorAssignForm, SessionNoteForm
from tumaini.clinical.policies import COUNSELLING_CLIENT
from tumaini.clinical.selectors import counselling as selectors
from tumaini.clinical.services import counselling as services
from tumaini.core import access, home
from tumaini.core.access import CREATE, UPDATE
from tumaini.core.services import VersionConflict


def _may_assign(user, case) -> bool:
    return access.can(user, COUNSELLING_CLIENT, CREATE) and case_allows(
        user=user, case=case, action=UPDATE
    )


def _counselling_context(*, user, case, assign_form=None) -> dict:
    may_assign = _may_assign(user, case)
    summary = selectors.counselling_summary(user=user, case=case)
    if may_assign and assign_form is None:
        assign_form = CounsellorAssignForm(counsellors=selectors.counsellor_choices(case=case))
    return {**summary, "may_assign": may_assign, "assign_form": assign_form}


parts.register(
    parts.CasePart(
        key="counselling",
        title=gettext_lazy("Counselling"),
        template="clinical/parts/counselling.html",
        context=_counselling_context,
        order=84,
    )
)


def _next_sessions_panel(*, user):
    coming = selectors.next_sessions_of(user=user)
    if coming is None:
        return None
    return {"coming": coming}


home.register(
    home.HomePanel(
        key="next_sessions",
        template="clinical/home/next_sessions.html",
        context=_next_sessions_panel,
    )
)


# --- On the case page (case manager, director) ------------------------------------------------


@login_required
@require_POST
def counsellor_assign(request, public_id):
    case = case_for_action(user=request.user, public_id=public_id, action=UPDATE)
    if not access.can(request.user, COUNSELLING_CLIENT, CREATE):
        raise Http404
    form = CounsellorAssignForm(request.POST, counsellors=selectors.counsellor_choices(case=case))
    if form.is_valid():
        try:
            services.counselling_client_assign(
                actor=request.user,
                case=case,
                counsellor=form.cleaned_data["counsellor"],
                request=request,
            )
        except services.CounsellingRefused as refused:
            form.add_error("counsellor", str(refused))
        else:
            messages.success(request, gettext("The counsellor now has this case as a client."))
            return redirect(f"{case.get_absolute_url()}#part-counselling")
    return render(
        request,
        "clinical/counsellor_assign.html",
        {"case": case, "form": form},
        status=400,
    )


@login_required
@require_POST
def counselling_end(request, public_id, client_id):
    case = case_for_action(user=request.user, public_id=public_id, action=UPDATE)
    if not access.can(request.user, COUNSELLING_CLIENT, UPDATE):
        raise Http404
    client = selectors.client_of_case(case=case, public_id=client_id)
    if client is None:
        raise Http404
    try:
        services.counselling_client_end(actor=request.user, client=client, request=request)
    except services.CounsellingRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, gettext("Counselling ended for this counsellor."))
    return redirect(f"{case.get_absolute_url()}#part-counselling")


# --- The counsellor's pages --------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def client_list(request):
    context = selectors.clients_of(user=request.user, request=request)
    return render(request, "clinical/client_list.html", context)


@login_required
@require_http_methods(["GET"])
def client_detail(request, public_id):
    client = selectors.client_for_view(user=request.user, public_id=public_id, request=request)
    return render(
        request,
        "clinical/client_detail.html",
        {
            "client": client,
            "display_name": selectors.list_name(client.case.person),
            "notes": selectors.notes_of_client(user=request.user, client=client),
        },
    )


def _note_values(form) -> dict:
    return {name: form.cleaned_data[name] for name in services.NOTE_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def note_write(request, public_id):
    client = selectors.client_for_note(user=request.user, public_id=public_id, request=request)
    form = SessionNoteForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            note = services.session_note_write(
                actor=request.user, client=client, request=request, **_note_values(form)
            )
        except services.CounsellingRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, gettext("Session note saved."))
            return redirect(note.get_absolute_url())
    return render(
        request,
        "clinical/note_form.html",
        {
            "client": client,
            "display_name": selectors.list_name(client.case.person),
            "form": form,
            "note": None,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET"])
def note_detail(request, public_id):
    note = selectors.note_for_view(user=request.user, public_id=public_id, request=request)
    return render(
        request,
        "clinical/note_detail.html",
        {
            "note": note,
            "client": note.client,
            "display_name": selectors.list_name(note.client.case.person),
            "is_author": note.author_id == request.user.pk,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_edit(request, public_id):
    note = selectors.note_for_edit(user=request.user, public_id=public_id, request=request)
    conflict = None
    if request.method == "POST":
        form = SessionNoteForm(request.POST)
        if form.is_valid():
            try:
                services.session_note_update(
                    actor=request.user,
                    note=note,
                    expected_version=form.cleaned_data["version"] or 0,
                    values=_note_values(form),
                    request=request,
                )
            except VersionConflict as error:
                conflict = error
                # Saving again is then a deliberate choice against the current version.
                form.data = form.data.copy()
                form.data["version"] = error.current.version
            else:
                messages.success(request, gettext("Session note saved."))
                return redirect(note.get_absolute_url())
    else:
        form = SessionNoteForm(
            initial={
                **{name: getattr(note, name) for name in services.NOTE_FIELDS},
                "version": note.version,
            }
        )
    return render(
        request,
        "clinical/note_form.html",
        {
            "client": note.client,
            "display_name": selectors.list_name(note.client.case.person),
            "form": form,
            "note": note,
            "conflict": conflict,
        },
        status=409 if conflict else (400 if form.is_bound and form.errors else 200),
    )


urlpatterns = [
    path("cases/<uuid:public_id>/counsellor/", counsellor_assign, name="counsellor_assign"),
    path(
        "cases/<uuid:public_id>/counselling/<uuid:client_id>/end/",
        counselling_end,
        name="counselling_end",
    ),
    path("clients/", client_list, name="client_list"),
    path("clients/<uuid:public_id>/", client_detail, name="client_detail"),
    path("clients/<uuid:public_id>/notes/new/", note_write, name="note_write"),
    path("notes/<uuid:public_id>/", note_detail, name="note_detail"),
    path("notes/<uuid:public_id>/edit/", note_edit, name="note_edit"),
]
