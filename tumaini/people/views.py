"""People views: identity edits, duplicates and merges."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tumaini.core import access
from tumaini.core.services import VersionConflict
from tumaini.people import forms, selectors, services
from tumaini.people.policies import MERGE, PERSON

EDIT_FIELDS = (
    "given_name",
    "other_names",
    "family_name",
    "gender",
    "date_of_birth",
    "date_of_birth_is_estimated",
    "estimated_age",
    "assessed_as_child",
    "citizenship",
    "disability",
    "disability_notes",
)


def _edit_url(person) -> str:
    return reverse("people:person_edit", args=[person.public_id])


def _edit_page(request, person, form, *, status=200, conflict=None, part_forms=None):
    part_forms = part_forms or {}
    return render(
        request,
        "people/person_edit.html",
        {
            "person": person,
            "form": form,
            "conflict": conflict,
            "alias_form": part_forms.get("aliases") or forms.PersonAliasForm(),
            "contact_form": part_forms.get("contacts") or forms.PersonContactForm(),
            "document_form": part_forms.get("identity_documents") or forms.PersonDocumentForm(),
            "cases": list(person.cases.order_by("-opened_at").values("case_number", "public_id")),
            **selectors.person_parts(person=person),
        },
        status=status,
    )


@login_required
@never_cache
def person_edit(request, public_id):
    if request.method == "POST":
        person = selectors.person_for_update(user=request.user, public_id=public_id)
    else:
        person = selectors.person_for_edit_page(
            user=request.user, public_id=public_id, request=request
        )
    initial = {name: getattr(person, name) for name in EDIT_FIELDS}
    initial["languages"] = list(person.languages.all())
    initial["version"] = person.version
    form = forms.PersonEditForm(request.POST or None, initial=initial)
    if request.method != "POST":
        return _edit_page(request, person, form)
    conflict = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_update(
                actor=request.user,
                person=person,
                expected_version=data["version"],
                changes={name: data[name] for name in EDIT_FIELDS},
                languages=data["languages"],
                request=request,
            )
        except VersionConflict as error:
            conflict = error
            person = error.current
            # Saving again now is a deliberate choice made against the current version.
            form.data = form.data.copy()
            form.data["version"] = person.version
        except ValidationError as error:
            forms.show_service_errors(form, error)
        else:
            messages.success(request, _("The identity was saved."))
            return redirect(_edit_url(person))
    return _edit_page(request, person, form, conflict=conflict, status=409 if conflict else 400)


PART_FORMS = {
    "aliases": (forms.PersonAliasForm, services.person_add_alias),
    "contacts": (forms.PersonContactForm, services.person_add_contact),
    "identity_documents": (forms.PersonDocumentForm, services.person_add_identity_document),
}


@login_required
@require_POST
def person_part_add(request, public_id, part):
    person = selectors.person_for_update(user=request.user, public_id=public_id)
    if part not in PART_FORMS:
        raise Http404
    form_class, add = PART_FORMS[part]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            add(actor=request.user, person=person, request=request, **form.cleaned_data)
        except ValidationError as error:
            forms.show_service_errors(form, error)
        else:
            messages.success(request, _("Added."))
            return redirect(_edit_url(person))
    initial = {name: getattr(person, name) for name in EDIT_FIELDS}
    initial["languages"] = list(person.languages.all())
    initial["version"] = person.version
    return _edit_page(
        request,
        person,
        forms.PersonEditForm(initial=initial),
        part_forms={part: form},
        status=400,
    )


@login_required
@require_POST
def person_part_remove(request, public_id, part, pk):
    person = selectors.person_for_update(user=request.user, public_id=public_id)
    if part not in PART_FORMS:
        raise Http404
    if services.person_remove_part(
        actor=request.user, person=person, part=part, pk=pk, request=request
    ):
        messages.success(request, _("Removed."))
    return redirect(_edit_url(person))


# --- Merge ---------------------------------------------------------------------------------------


@login_required
@never_cache
def merge_start(request):
    """Choose two people by case number, preview them side by side, merge with a reason."""
    access.require(request.user, PERSON, MERGE)
    if request.method == "POST":
        return _merge_submit(request)
    search = forms.MergeSearchForm(request.GET or None)
    columns = None
    merge_form = None
    if search.is_bound and search.is_valid():
        kept = selectors.person_by_case_number_for_merge(
            user=request.user, case_number=search.cleaned_data["kept_case"]
        )
        duplicate = selectors.person_by_case_number_for_merge(
            user=request.user, case_number=search.cleaned_data["duplicate_case"]
        )
        if kept is None:
            search.add_error("kept_case", _("No person you may merge has a case with this number."))
        if duplicate is None:
            search.add_error(
                "duplicate_case", _("No person you may merge has a case with this number.")
            )
        if kept and duplicate and kept.pk == duplicate.pk:
            search.add_error("duplicate_case", _("Both cases belong to the same person already."))
        if not search.errors:
            columns = selectors.merge_preview(
                user=request.user, people=[kept, duplicate], request=request
            )
            merge_form = forms.MergeForm(
                initial={"kept": kept.public_id, "duplicate": duplicate.public_id}
            )
    return render(
        request,
        "people/merge_start.html",
        {"search": search, "columns": columns, "merge_form": merge_form},
        status=400 if search.errors else 200,
    )


def _merge_submit(request):
    form = forms.MergeForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "people/merge_start.html",
            {"search": forms.MergeSearchForm(), "merge_form": form},
            status=400,
        )
    kept = selectors.person_for_merge(user=request.user, public_id=form.cleaned_data["kept"])
    duplicate = selectors.person_for_merge(
        user=request.user, public_id=form.cleaned_data["duplicate"]
    )
    try:
        merge = services.person_merge(
            actor=request.user,
            kept=kept,
            duplicate=duplicate,
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except (services.MergeRefused, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("people:merge_start")
    messages.success(request, _("Merged. You can still undo this merge until you confirm it."))
    return redirect("people:merge_detail", public_id=merge.public_id)


@login_required
def merge_detail(request, public_id):
    merge = selectors.merge_for_user(user=request.user, public_id=public_id)
    return render(request, "people/merge_detail.html", {"merge": merge})


@login_required
@require_POST
def merge_undo(request, public_id):
    merge = selectors.merge_for_user(user=request.user, public_id=public_id)
    try:
        services.person_merge_undo(actor=request.user, merge=merge, request=request)
    except services.MergeRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The merge was undone: every record is back where it was."))
    return redirect("people:merge_detail", public_id=merge.public_id)


@login_required
@require_POST
def merge_confirm(request, public_id):
    merge = selectors.merge_for_user(user=request.user, public_id=public_id)
    try:
        services.person_merge_confirm(actor=request.user, merge=merge, request=request)
    except services.MergeRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The merge is confirmed."))
    return redirect("people:merge_detail", public_id=merge.public_id)


urlpatterns = [
    path("merge/", merge_start, name="merge_start"),
    path("merges/<uuid:public_id>/", merge_detail, name="merge_detail"),
    path("merges/<uuid:public_id>/undo/", merge_undo, name="merge_undo"),
    path("merges/<uuid:public_id>/confirm/", merge_confirm, name="merge_confirm"),
    path("<uuid:public_id>/edit/", person_edit, name="person_edit"),
    path(
        "<uuid:public_id>/<slug:part>/add/",
        person_part_add,
        name="person_part_add",
    ),
    path(
        "<uuid:public_id>/<slug:part>/<int:pk>/remove/",
        person_part_remove,
        name="person_part_remove",
    ),
]
