"""The service catalogue: directors keep it; care staff read it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _t

from tumaini.care.forms import OfferingForm
from tumaini.care.models import ServiceOffering
from tumaini.care.policies import SERVICE_CATALOGUE
from tumaini.care.selectors.deliveries import catalogue_of
from tumaini.care.services import catalogue as catalogue_services
from tumaini.core import access
from tumaini.core.access import CREATE, UPDATE, VIEW
from tumaini.core.services import VersionConflict


@login_required
def catalogue(request):
    access.require(request.user, SERVICE_CATALOGUE, VIEW)
    return render(
        request,
        "care/catalogue.html",
        {
            "offerings": catalogue_of(user=request.user),
            "may_edit": access.can(request.user, SERVICE_CATALOGUE, UPDATE),
            "may_add": access.can(request.user, SERVICE_CATALOGUE, CREATE),
        },
    )


def _save(request, form, offering):
    data = form.cleaned_data
    values = {
        "service_type": data["service_type"],
        "name": data["name"],
        "provider": data["provider"],
        "is_active": data["is_active"],
    }
    if offering is None:
        return catalogue_services.offering_create(actor=request.user, request=request, **values)
    return catalogue_services.offering_update(
        actor=request.user,
        offering=offering,
        expected_version=data["version"] or 0,
        changes=values,
        request=request,
    )


@login_required
def offering_form(request, offering_id=None):
    offering = None
    if offering_id is None:
        access.require(request.user, SERVICE_CATALOGUE, CREATE)
        initial = {"provider": getattr(request.user.organisation, "public_id", None)}
    else:
        offering = access.get_scoped_or_404(
            request.user,
            SERVICE_CATALOGUE,
            UPDATE,
            ServiceOffering.objects.select_related("provider"),
            public_id=offering_id,
        )
        if offering.organisation_id != request.user.organisation_id:
            raise Http404
        initial = {
            "service_type": offering.service_type,
            "name": offering.name,
            "provider": offering.provider.public_id,
            "is_active": offering.is_active,
            "version": offering.version,
        }
    form = OfferingForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _save(request, form, offering)
            except VersionConflict as conflict:
                form.add_error(None, str(conflict))
            except catalogue_services.CatalogueRefused as refused:
                form.add_error("name", str(refused))
            else:
                messages.success(request, _t("Catalogue saved."))
                return redirect(reverse("care:catalogue"))
        status = 400
    return render(
        request, "care/offering_form.html", {"form": form, "offering": offering}, status=status
    )


urlpatterns = [
    path("catalogue/", catalogue, name="catalogue"),
    path("catalogue/new/", offering_form, name="offering_new"),
    path("catalogue/<uuid:offering_id>/edit/", offering_form, name="offering_edit"),
]
