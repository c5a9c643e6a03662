"""Pages over the test Dossier, built the way survivor-record pages are: the scoped, audited read
helper for GET, and a versioned service for updates."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from tests.testapp.forms import DossierForm
from tests.testapp.models import Dossier
from tests.testapp.services import dossier_update
from tumaini.core import access, selectors
from tumaini.core.services import VersionConflict

RESOURCE = "test_dossier"


@login_required
@require_GET
def dossier_detail(request, public_id):
    dossier = selectors.record_for_view(
        user=request.user,
        resource=RESOURCE,
        queryset=Dossier.objects.all(),
        public_id=public_id,
        request=request,
    )
    form = DossierForm(
        initial={
            "subject_name": dossier.subject_name,
            "label": dossier.label,
            "version": dossier.version,
        }
    )
    try:
        history = list(selectors.record_access_history(user=request.user, obj=dossier)[:20])
    except Http404:
        history = None
    return render(
        request,
        "testapp/dossier_detail.html",
        {"dossier": dossier, "form": form, "history": history},
    )


@login_required
@require_POST
def dossier_update_view(request, public_id):
    dossier = access.get_scoped_or_404(
        request.user, RESOURCE, access.UPDATE, Dossier.objects.all(), public_id=public_id
    )
    form = DossierForm(request.POST)
    conflict = None
    if form.is_valid():
        changes = {k: form.cleaned_data[k] for k in ("subject_name", "label")}
        try:
            dossier_update(
                user=request.user,
                dossier=dossier,
                expected_version=form.cleaned_data["version"],
                changes=changes,
                request=request,
            )
        except VersionConflict as error:
            conflict = error
            dossier = error.current
            # Saving again now is a deliberate choice made against the current version.
            form.data = form.data.copy()
            form.data["version"] = dossier.version
        else:
            return redirect(dossier.get_absolute_url())
    # What the user typed stays in the form; on a conflict the current values are shown beside it.
    return render(
        request,
        "testapp/dossier_detail.html",
        {"dossier": dossier, "form": form, "conflict": conflict},
        status=409 if conflict else 400,
    )
