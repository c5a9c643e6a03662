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
from tumaini.core.editing import submit


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
        section="care",
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
    outcome = submit(
        request,
        form,
        lambda values: services.counselling_client_assign(
            actor=request.user, case=case, counsellor=values["counsellor"], request=request
        ),
        refusals=services.CounsellingRefused,
        refusal_field="counsellor",
    )
    if outcome.saved:
        messages.success(request, gettext("The counsellor now has this case as a client."))
        return redirect(parts.part_url(case, "counselling"))
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
    return redirect(parts.part_url(case, "counselling"))


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


def _note_values(values: dict) -> dict:
    return {name: values[name] for name in services.NOTE_FIELDS}


def _note_page(request, *, client, form, note=None, conflict=None):
    return render(
        request,
        "clinical/note_form.html",
        {
            "client": client,
            "display_name": selectors.list_name(client.case.person),
            "form": form,
            "note": note,
            "conflict": conflict,
        },
        status=409 if conflict else (400 if form.is_bound and form.errors else 200),
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_write(request, public_id):
    client = selectors.client_for_note(user=request.user, public_id=public_id, request=request)
    form = SessionNoteForm(request.POST or None, initial={"held_on": timezone.localdate()})
    outcome = submit(
        request,
        form,
        lambda values: services.session_note_write(
            actor=request.user, client=client, request=request, **_note_values(values)
        ),
        refusals=services.CounsellingRefused,
    )
    if outcome.saved:
        messages.success(request, gettext("Session note saved."))
        return redirect(outcome.result.get_absolute_url())
    return _note_page(request, client=client, form=form)


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
    if request.method == "POST":
        form = SessionNoteForm(request.POST)
    else:
        form = SessionNoteForm(
            initial={
                **{name: getattr(note, name) for name in services.NOTE_FIELDS},
                "version": note.version,
            }
        )
    outcome = submit(
        request,
        form,
        lambda values: services.session_note_update(
            actor=request.user,
            note=note,
            expected_version=values["version"] or 0,
            values=_note_values(values),
            request=request,
        ),
    )
    if outcome.saved:
        messages.success(request, gettext("Session note saved."))
        return redirect(note.get_absolute_url())
    return _note_page(request, client=note.client, form=form, note=note, conflict=outcome.conflict)


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
