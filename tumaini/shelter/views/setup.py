"""Set-up pages: add and edit a facility, its rooms (with their restrictions) and beds. Shelter
managers and directors of the organisation; everyone else gets 404 like any record out of scope."""

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from tumaini.accounts.enums import SiteType
from tumaini.accounts.models import Site
from tumaini.core import access
from tumaini.core.editing import submit_or_show
from tumaini.shelter import selectors, services
from tumaini.shelter.forms import BedAddForm, BedForm, FacilityForm, RoomForm
from tumaini.shelter.models import Bed, Facility, Room, Stay
from tumaini.shelter.policies import SHELTER_FACILITY

FORM_TEMPLATE = "shelter/setup_form.html"


def _rooms_url(facility) -> str:
    return reverse("shelter:rooms", kwargs={"facility_id": facility.public_id})


def _facility_for_update(user, public_id) -> Facility:
    return access.get_scoped_or_404(
        user,
        SHELTER_FACILITY,
        access.UPDATE,
        Facility.objects.select_related("site"),
        public_id=public_id,
    )


def _room_for_update(user, public_id) -> Room:
    return access.get_scoped_or_404(
        user,
        SHELTER_FACILITY,
        access.UPDATE,
        Room.objects.select_related("facility__site"),
        public_id=public_id,
    )


def _form_page(request, *, form, title, back_url, back_label, submit, facility=None, conflict=None):
    return render(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "title": title,
            "back_url": back_url,
            "back_label": back_label,
            "submit": submit,
            "facility": facility,
            "conflict": conflict,
        },
        status=400 if form.is_bound else 200,
    )


def _posted(request):
    # An all-unticked form posts nothing: it is still a submission (e.g. a bed out of service).
    return request.POST if request.method == "POST" else None


# --- Facilities ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def facility_add(request):
    access.require(request.user, SHELTER_FACILITY, access.CREATE)
    organisation = request.user.organisation
    if organisation is None:
        raise Http404
    sites = Site.objects.filter(
        organisation=organisation, type=SiteType.SHELTER, shelter_facility__isnull=True
    )
    form = FacilityForm(_posted(request), sites=sites)
    return submit_or_show(
        request,
        form,
        lambda data: services.facility_create(
            actor=request.user,
            site=data["site"],
            organisation=organisation,
            name=data["name"],
            address=data["address"].strip(),
            is_active=data["is_active"],
            request=request,
        ),
        refusals=services.ShelterRefused,
        saved_message=lambda facility: (
            gettext("%(name)s was added: now add its rooms and beds.") % {"name": facility.name}
        ),
        saved_url=_rooms_url,
        show=lambda conflict: _form_page(
            request,
            form=form,
            title=gettext("Add a facility"),
            back_url=reverse("shelter:facility_list"),
            back_label=gettext("All facilities"),
            submit=gettext("Add the facility"),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def facility_edit(request, facility_id):
    facility = _facility_for_update(request.user, facility_id)
    initial = {
        "name": facility.site.name,
        "address": facility.address,
        "is_active": facility.is_active,
        "version": facility.version,
    }
    form = FacilityForm(_posted(request), initial=initial)
    return submit_or_show(
        request,
        form,
        lambda data: services.facility_update(
            actor=request.user,
            facility=facility,
            expected_version=data["version"] or 0,
            name=data["name"],
            address=data["address"].strip(),
            is_active=data["is_active"],
            request=request,
        ),
        refusals=services.ShelterRefused,
        saved_message=gettext("The facility was saved."),
        saved_url=_rooms_url(facility),
        show=lambda conflict: _form_page(
            request,
            form=form,
            title=gettext("Edit %(name)s") % {"name": facility.name},
            back_url=_rooms_url(facility),
            back_label=gettext("Rooms and beds"),
            submit=gettext("Save"),
            facility=facility,
            conflict=conflict,
        ),
    )


# --- Rooms and beds --------------------------------------------------------------------------------


@login_required
def rooms(request, facility_id):
    facility = _facility_for_update(request.user, facility_id)
    beds = Bed.objects.annotate(
        occupied=Exists(Stay.objects.filter(bed=OuterRef("pk"), ended_on__isnull=True))
    ).order_by("label")
    room_rows = Room.objects.filter(facility=facility).prefetch_related(
        Prefetch("beds", queryset=beds)
    )
    return render(
        request,
        "shelter/rooms.html",
        {
            "facility": facility,
            "rooms": room_rows,
            "address": selectors.facility_address(user=request.user, facility=facility),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def room_add(request, facility_id):
    facility = _facility_for_update(request.user, facility_id)
    form = RoomForm(_posted(request))
    return submit_or_show(
        request,
        form,
        lambda data: services.room_create(
            actor=request.user,
            facility=facility,
            name=data["name"],
            beds=data["beds"],
            request=request,
            **form.restrictions(),
        ),
        refusals=services.ShelterRefused,
        saved_message=lambda room: (
            gettext("Room %(room)s was added with %(beds)s beds.")
            % {"room": room.name, "beds": form.cleaned_data["beds"]}
        ),
        saved_url=_rooms_url(facility),
        show=lambda conflict: _form_page(
            request,
            form=form,
            title=gettext("Add a room to %(name)s") % {"name": facility.name},
            back_url=_rooms_url(facility),
            back_label=gettext("Rooms and beds"),
            submit=gettext("Add the room"),
            facility=facility,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def room_edit(request, room_id):
    room = _room_for_update(request.user, room_id)
    facility = room.facility
    initial = {
        name: getattr(room, name) for name in ("name", "sex", "age_group", "min_age", "max_age")
    }
    form = RoomForm(_posted(request), editing=True, initial=initial | {"version": room.version})
    return submit_or_show(
        request,
        form,
        lambda data: services.room_update(
            actor=request.user,
            room=room,
            expected_version=data["version"] or 0,
            name=data["name"],
            request=request,
            **form.restrictions(),
        ),
        refusals=services.ShelterRefused,
        saved_message=gettext("The room was saved."),
        saved_url=_rooms_url(facility),
        show=lambda conflict: _form_page(
            request,
            form=form,
            title=gettext("Edit room %(room)s") % {"room": room.name},
            back_url=_rooms_url(facility),
            back_label=gettext("Rooms and beds"),
            submit=gettext("Save"),
            facility=facility,
            conflict=conflict,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def bed_add(request, room_id):
    room = _room_for_update(request.user, room_id)
    form = BedAddForm(_posted(request))
    return submit_or_show(
        request,
        form,
        lambda data: services.bed_add(
            actor=request.user,
            room=room,
            label=data["label"],
            accessible=data["accessible"],
            request=request,
        ),
        refusals=services.ShelterRefused,
        saved_message=lambda bed: gettext("Bed %(bed)s was added.") % {"bed": bed},
        saved_url=_rooms_url(room.facility),
        show=lambda conflict: _form_page(
            request,
            form=form,
            title=gettext("Add a bed to room %(room)s") % {"room": room.name},
            back_url=_rooms_url(room.facility),
            back_label=gettext("Rooms and beds"),
            submit=gettext("Add the bed"),
            facility=room.facility,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def bed_edit(request, bed_id):
    bed = access.get_scoped_or_404(
        request.user,
        SHELTER_FACILITY,
        access.UPDATE,
        Bed.objects.select_related("room__facility__site"),
        public_id=bed_id,
    )
    facility = bed.room.facility
    form = BedForm(
        _posted(request), initial={"accessible": bed.accessible, "in_service": bed.in_service}
    )
    return submit_or_show(
        request,
        form,
        lambda data: services.bed_update(
            actor=request.user,
            bed=bed,
            accessible=data["accessible"],
            in_service=data["in_service"],
            request=request,
        ),
        refusals=services.ShelterRefused,
        saved_message=gettext("Bed %(bed)s was saved.") % {"bed": bed},
        saved_url=_rooms_url(facility),
        show=lambda conflict: _form_page(
            request,
            form=form,
            title=gettext("Bed %(bed)s") % {"bed": bed},
            back_url=_rooms_url(facility),
            back_label=gettext("Rooms and beds"),
            submit=gettext("Save"),
            facility=facility,
        ),
    )


urlpatterns = [
    path("new/", facility_add, name="facility_add"),
    path("<uuid:facility_id>/edit/", facility_edit, name="facility_edit"),
    path("<uuid:facility_id>/rooms/", rooms, name="rooms"),
    path("<uuid:facility_id>/rooms/add/", room_add, name="room_add"),
    path("rooms/<uuid:room_id>/edit/", room_edit, name="room_edit"),
    path("rooms/<uuid:room_id>/beds/add/", bed_add, name="bed_add"),
    path("beds/<uuid:bed_id>/edit/", bed_edit, name="bed_edit"),
]
