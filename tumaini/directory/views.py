"""Staff pages of the partner directory: search by need and place, an organisation's entry, edits."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tumaini.core.access import CREATE, VIEW, require, scoped
from tumaini.core.editing import submit_or_show
from tumaini.directory import selectors, services
from tumaini.directory.export import data_package_filename, data_package_zip
from tumaini.directory.forms import DirectoryProfileForm, DirectorySearchForm, PartnerServiceForm
from tumaini.directory.policies import DIRECTORY


def _entry_url(organisation) -> str:
    return reverse("directory:organisation_detail", kwargs={"public_id": organisation.public_id})


def _form_page(request, template, context, *, conflict=None):
    return render(
        request,
        template,
        {**context, "conflict": conflict},
        status=409 if conflict else (400 if context["form"].is_bound else 200),
    )


@login_required
def directory_list(request):
    require(request.user, DIRECTORY, VIEW)
    form = DirectorySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    result = selectors.service_search(
        user=request.user, filters=filters, page_number=request.GET.get("page") or 1
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **result,
        "form": form,
        "query": query.urlencode(),
        "new_entries": selectors.organisations_without_profile(user=request.user),
    }
    template = "directory/directory_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@login_required
def organisation_detail(request, public_id):
    context = selectors.organisation_entry(user=request.user, public_id=public_id)
    return render(request, "directory/organisation_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, public_id):
    organisation = selectors.organisation_for_edit(user=request.user, public_id=public_id)
    profile = getattr(organisation, "directory_profile", None)
    if profile is None and not scoped(
        request.user, DIRECTORY, CREATE, type(organisation).objects.filter(pk=organisation.pk)
    ):
        raise Http404
    may_edit_mou = selectors.may_edit_mou(user=request.user, organisation=organisation)
    if request.method == "POST":
        form = DirectoryProfileForm(request.POST, may_edit_mou=may_edit_mou)
    else:
        initial = {"version": profile.version if profile else 1, "is_listed": True}
        if profile is not None:
            for name in services.PROFILE_FIELDS + services.MOU_FIELDS:
                initial[name] = getattr(profile, name)
        form = DirectoryProfileForm(initial=initial, may_edit_mou=may_edit_mou)
    return submit_or_show(
        request,
        form,
        lambda values: services.directory_profile_save(
            actor=request.user,
            organisation=organisation,
            expected_version=values["version"],
            values=values,
            may_edit_mou=may_edit_mou,
            request=request,
        ),
        saved_message=_("The directory entry was saved."),
        saved_url=_entry_url(organisation),
        show=lambda conflict: _form_page(
            request,
            "directory/profile_form.html",
            {"organisation": organisation, "profile": profile, "form": form},
            conflict=conflict,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_new(request, public_id):
    organisation = selectors.organisation_for_edit(user=request.user, public_id=public_id)
    form = PartnerServiceForm(request.POST or None, organisation=organisation)
    return submit_or_show(
        request,
        form,
        lambda values: services.partner_service_create(
            actor=request.user, organisation=organisation, values=values, request=request
        ),
        saved_message=_("The service was added."),
        saved_url=_entry_url(organisation),
        show=lambda conflict: _form_page(
            request,
            "directory/service_form.html",
            {"organisation": organisation, "form": form, "service": None},
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request, public_id):
    service = selectors.service_for_edit(user=request.user, public_id=public_id)
    organisation = service.organisation
    if request.method == "POST":
        form = PartnerServiceForm(request.POST, organisation=organisation, service=service)
    else:
        initial = {name: getattr(service, name) for name in services.SERVICE_FIELDS}
        initial["version"] = service.version
        initial["service_types"] = [tag.service_type for tag in service.service_types.all()]
        for name in services.SERVICE_SETS:
            initial[name] = list(getattr(service, name).all())
        form = PartnerServiceForm(initial=initial, organisation=organisation, service=service)
    return submit_or_show(
        request,
        form,
        lambda values: services.partner_service_update(
            actor=request.user,
            service=service,
            expected_version=values["version"] or 0,
            values=values,
            request=request,
        ),
        saved_message=_("The service was saved."),
        saved_url=_entry_url(organisation),
        show=lambda conflict: _form_page(
            request,
            "directory/service_form.html",
            {"organisation": organisation, "form": form, "service": service},
            conflict=conflict,
        ),
    )


@login_required
def data_package(request):
    require(request.user, DIRECTORY, VIEW)
    response = HttpResponse(data_package_zip(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{data_package_filename()}"'
    return response


urlpatterns = [
    path("", directory_list, name="directory_list"),
    path("datapackage.zip", data_package, name="data_package"),
    path("organisations/<uuid:public_id>/", organisation_detail, name="organisation_detail"),
    path("organisations/<uuid:public_id>/edit/", profile_edit, name="profile_edit"),
    path("organisations/<uuid:public_id>/services/new/", service_new, name="service_new"),
    path("services/<uuid:public_id>/edit/", service_edit, name="service_edit"),
]
