"""Staff pages for the parts of a directory entry: locations, hours, phones and contact persons."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tumaini.core.editing import submit_or_show
from tumaini.directory import selectors, services
from tumaini.directory.forms import ContactForm, LocationForm, PhoneForm, ScheduleForm
from tumaini.directory.models import PartnerService


def _entry_url(organisation, anchor: str = "") -> str:
    url = reverse("directory:organisation_detail", kwargs={"public_id": organisation.public_id})
    return f"{url}#{anchor}" if anchor else url


def _page(request, *, organisation, form, title, conflict=None):
    return render(
        request,
        "directory/part_form.html",
        {"organisation": organisation, "form": form, "title": title, "conflict": conflict},
        status=409 if conflict else (400 if form.is_bound else 200),
    )


def _location_initial(location) -> dict:
    initial = {name: getattr(location, name) for name in services.LOCATION_FIELDS}
    initial["services"] = [link.service for link in location.services_here.all()]
    initial["version"] = location.version
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def location_new(request, public_id):
    organisation = selectors.organisation_for_edit(user=request.user, public_id=public_id)
    form = LocationForm(
        request.POST or None, organisation=organisation, initial={"city": "Nairobi"}
    )
    return submit_or_show(
        request,
        form,
        lambda values: services.location_save(
            actor=request.user,
            organisation=organisation,
            values=values,
            services=values["services"],
            request=request,
        ),
        saved_message=_("The location was added."),
        saved_url=_entry_url(organisation, "locations"),
        show=lambda conflict: _page(
            request,
            organisation=organisation,
            form=form,
            title=_("New location"),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def location_edit(request, public_id):
    location = selectors.location_for_edit(user=request.user, public_id=public_id)
    organisation = location.organisation
    if request.method == "POST":
        form = LocationForm(request.POST, organisation=organisation)
    else:
        form = LocationForm(initial=_location_initial(location), organisation=organisation)
    return submit_or_show(
        request,
        form,
        lambda values: services.location_save(
            actor=request.user,
            organisation=organisation,
            location=location,
            expected_version=values["version"],
            values=values,
            services=values["services"],
            request=request,
        ),
        saved_message=_("The location was saved."),
        saved_url=_entry_url(organisation, "locations"),
        show=lambda conflict: _page(
            request,
            organisation=organisation,
            form=form,
            title=_("Edit %(name)s") % {"name": location.name},
            conflict=conflict,
        ),
    )


@login_required
@require_POST
def location_delete(request, public_id):
    location = selectors.location_for_edit(user=request.user, public_id=public_id)
    organisation = location.organisation
    services.location_delete(actor=request.user, location=location, request=request)
    messages.success(request, _("The location was removed."))
    return redirect(_entry_url(organisation, "locations"))


@login_required
@require_http_methods(["GET", "POST"])
def schedule_new(request, public_id):
    service = selectors.service_for_edit(user=request.user, public_id=public_id)
    form = ScheduleForm(request.POST or None)
    return submit_or_show(
        request,
        form,
        lambda values: services.schedule_add(
            actor=request.user, service=service, values=values, request=request
        ),
        saved_message=_("The hours were added."),
        saved_url=_entry_url(service.organisation, f"service-{service.public_id}"),
        show=lambda conflict: _page(
            request,
            organisation=service.organisation,
            form=form,
            title=_("Opening hours of %(name)s") % {"name": service.name},
        ),
    )


@login_required
@require_POST
def schedule_delete(request, public_id):
    schedule = selectors.schedule_for_edit(user=request.user, public_id=public_id)
    organisation = (schedule.service or schedule.location).organisation
    services.schedule_delete(actor=request.user, schedule=schedule, request=request)
    messages.success(request, _("The hours were removed."))
    return redirect(_entry_url(organisation))


@login_required
@require_http_methods(["GET", "POST"])
def phone_new(request, public_id):
    organisation = selectors.organisation_for_edit(user=request.user, public_id=public_id)
    # A phone of one service when the link names it; otherwise the organisation's own line.
    service = (
        PartnerService.objects.filter(
            organisation=organisation, public_id=request.GET.get("service")
        ).first()
        if _is_uuid(request.GET.get("service"))
        else None
    )
    form = PhoneForm(request.POST or None)
    title = (
        _("New phone number of %(name)s") % {"name": service.name}
        if service
        else _("New phone number")
    )
    return submit_or_show(
        request,
        form,
        lambda values: services.phone_add(
            actor=request.user,
            organisation=organisation,
            service=service,
            values=values,
            request=request,
        ),
        saved_message=_("The phone number was added."),
        saved_url=_entry_url(organisation),
        show=lambda conflict: _page(
            request,
            organisation=organisation,
            form=form,
            title=title,
        ),
    )


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@login_required
@require_POST
def phone_delete(request, public_id):
    phone = selectors.phone_for_edit(user=request.user, public_id=public_id)
    organisation = phone.organisation
    services.phone_delete(actor=request.user, phone=phone, request=request)
    messages.success(request, _("The phone number was removed."))
    return redirect(_entry_url(organisation))


@login_required
@require_http_methods(["GET", "POST"])
def contact_new(request, public_id):
    organisation = selectors.organisation_for_new_contact(user=request.user, public_id=public_id)
    form = ContactForm(request.POST or None, organisation=organisation)
    return submit_or_show(
        request,
        form,
        lambda values: services.contact_save(
            actor=request.user, organisation=organisation, values=values, request=request
        ),
        saved_message=_("The contact person was added."),
        saved_url=_entry_url(organisation, "contacts"),
        show=lambda conflict: _page(
            request,
            organisation=organisation,
            form=form,
            title=_("New contact person"),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, public_id):
    contact = selectors.contact_for_edit(user=request.user, public_id=public_id)
    organisation = contact.organisation
    if request.method == "POST":
        form = ContactForm(request.POST, organisation=organisation)
    else:
        initial = {name: getattr(contact, name) for name in services.CONTACT_FIELDS}
        initial["version"] = contact.version
        form = ContactForm(initial=initial, organisation=organisation)
    return submit_or_show(
        request,
        form,
        lambda values: services.contact_save(
            actor=request.user,
            organisation=organisation,
            contact=contact,
            expected_version=values["version"],
            values=values,
            request=request,
        ),
        saved_message=_("The contact person was saved."),
        saved_url=_entry_url(organisation, "contacts"),
        show=lambda conflict: _page(
            request,
            organisation=organisation,
            form=form,
            title=_("Edit contact person"),
            conflict=conflict,
        ),
    )


@login_required
@require_POST
def contact_delete(request, public_id):
    contact = selectors.contact_for_edit(user=request.user, public_id=public_id)
    organisation = contact.organisation
    services.contact_delete(actor=request.user, contact=contact, request=request)
    messages.success(request, _("The contact person was removed."))
    return redirect(_entry_url(organisation, "contacts"))


urlpatterns = [
    path("organisations/<uuid:public_id>/locations/new/", location_new, name="location_new"),
    path("locations/<uuid:public_id>/edit/", location_edit, name="location_edit"),
    path("locations/<uuid:public_id>/delete/", location_delete, name="location_delete"),
    path("services/<uuid:public_id>/hours/new/", schedule_new, name="schedule_new"),
    path("hours/<uuid:public_id>/delete/", schedule_delete, name="schedule_delete"),
    path("organisations/<uuid:public_id>/phones/new/", phone_new, name="phone_new"),
    path("phones/<uuid:public_id>/delete/", phone_delete, name="phone_delete"),
    path("organisations/<uuid:public_id>/contacts/new/", contact_new, name="contact_new"),
    path("contacts/<uuid:public_id>/edit/", contact_edit, name="contact_edit"),
    path("contacts/<uuid:public_id>/delete/", contact_delete, name="contact_delete"),
]
