"""Staff administration: organisations, sites, teams, staff accounts and roles.

Thin views: the selector decides what the user may see (404 outside scope, including for a
director opening an edit page), the service does the write and its audit event.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tumaini.accounts import forms, selectors, services
from tumaini.accounts.selectors import ORGANISATION, STAFF_ACCOUNT
from tumaini.core.access import CREATE, UPDATE, VIEW, can, require

STAFF_PAGE_SIZE = 25


def _show_errors(form, error: ValidationError) -> None:
    """Put a service's errors next to the fields they name (the rest above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _form_page(request, form, *, title, cancel_url, submit=None, intro=None, status=200):
    return render(
        request,
        "accounts/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "submit": submit or _("Save"),
            "intro": intro,
        },
        status=status,
    )


def _organisation_url(organisation) -> str:
    return reverse("accounts:organisation_detail", args=[organisation.public_id])


def _post_only(request):
    # Checked after the record is fetched, so a user without the right still gets the 404.
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


# --- Organisations ------------------------------------------------------------------------------


@login_required
def organisation_list(request):
    require(request.user, ORGANISATION, VIEW)
    return render(
        request,
        "accounts/organisation_list.html",
        {
            "organisations": selectors.organisations_visible_to(user=request.user),
            "can_create": can(request.user, ORGANISATION, CREATE),
        },
    )


@login_required
def organisation_create(request):
    require(request.user, ORGANISATION, CREATE)
    form = forms.OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Organisation created."))
            return redirect("accounts:organisation_detail", public_id=organisation.public_id)
    return _form_page(
        request,
        form,
        title=_("New organisation"),
        cancel_url=reverse("accounts:organisation_list"),
    )


@login_required
def organisation_detail(request, public_id):
    organisation = selectors.organisation_get(user=request.user, public_id=public_id)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "sites": selectors.organisation_sites(user=request.user, organisation=organisation),
            "teams": selectors.organisation_teams(user=request.user, organisation=organisation),
            "can_edit": selectors.may(
                user=request.user, resource=ORGANISATION, action=UPDATE, record=organisation
            ),
            "can_view_staff": can(request.user, STAFF_ACCOUNT, VIEW),
        },
    )


@login_required
def organisation_edit(request, public_id):
    organisation = selectors.organisation_get(user=request.user, public_id=public_id, action=UPDATE)
    initial = {
        "name": organisation.name,
        "short_name": organisation.short_name,
        "type": organisation.type,
        "county": organisation.county_id,
        "state": services.state_token(organisation),
    }
    form = forms.OrganisationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        state = values.pop("state")
        try:
            services.organisation_update(
                actor=request.user,
                organisation=organisation,
                request=request,
                expected_state=state,
                **values,
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Organisation saved."))
            return redirect("accounts:organisation_detail", public_id=organisation.public_id)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": organisation.name},
        cancel_url=_organisation_url(organisation),
    )


def _organisation_set_active(request, public_id, *, active):
    organisation = selectors.organisation_get(user=request.user, public_id=public_id, action=UPDATE)
    if refused := _post_only(request):
        return refused
    try:
        services.organisation_set_active(
            actor=request.user, organisation=organisation, active=active, request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Organisation reactivated.") if active else _("Organisation deactivated."),
        )
    return redirect("accounts:organisation_detail", public_id=organisation.public_id)


@login_required
def organisation_deactivate(request, public_id):
    return _organisation_set_active(request, public_id, active=False)


@login_required
def organisation_reactivate(request, public_id):
    return _organisation_set_active(request, public_id, active=True)


# --- Sites and teams ----------------------------------------------------------------------------


@login_required
def site_create(request, public_id):
    organisation = selectors.organisation_get(user=request.user, public_id=public_id, action=UPDATE)
    form = forms.SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.site_create(
                actor=request.user, organisation=organisation, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Site added."))
            return redirect("accounts:organisation_detail", public_id=organisation.public_id)
    return _form_page(
        request,
        form,
        title=_("New site of %(name)s") % {"name": organisation.name},
        cancel_url=_organisation_url(organisation),
    )


@login_required
def site_edit(request, public_id):
    site = selectors.site_get(user=request.user, public_id=public_id, action=UPDATE)
    initial = {
        "name": site.name,
        "type": site.type,
        "sub_county": site.sub_county_id,
        "is_confidential": site.is_confidential,
        "state": services.state_token(site),
    }
    form = forms.SiteEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        state = values.pop("state")
        try:
            services.site_update(
                actor=request.user, site=site, request=request, expected_state=state, **values
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Site saved."))
            return redirect("accounts:organisation_detail", public_id=site.organisation.public_id)
    return _form_page(
        request,
        form,
        title=_("Edit site %(name)s") % {"name": site.name},
        cancel_url=_organisation_url(site.organisation),
    )


@login_required
def team_create(request, public_id):
    organisation = selectors.organisation_get(user=request.user, public_id=public_id, action=UPDATE)
    form = forms.TeamForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_create(
                actor=request.user, organisation=organisation, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Team added."))
            return redirect("accounts:organisation_detail", public_id=organisation.public_id)
    return _form_page(
        request,
        form,
        title=_("New team of %(name)s") % {"name": organisation.name},
        cancel_url=_organisation_url(organisation),
    )


@login_required
def team_edit(request, public_id):
    team = selectors.team_get(user=request.user, public_id=public_id, action=UPDATE)
    initial = {
        "name": team.name,
        "site": team.site.public_id if team.site else None,
        "members": [member.public_id for member in team.members.all()],
        "state": services.state_token(team),
    }
    form = forms.TeamEditForm(request.POST or None, initial=initial, organisation=team.organisation)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        state = values.pop("state")
        try:
            services.team_update(
                actor=request.user, team=team, request=request, expected_state=state, **values
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Team saved."))
            return redirect("accounts:organisation_detail", public_id=team.organisation.public_id)
    return _form_page(
        request,
        form,
        title=_("Edit team %(name)s") % {"name": team.name},
        cancel_url=_organisation_url(team.organisation),
    )


# --- Staff accounts -----------------------------------------------------------------------------


@login_required
def staff_list(request):
    require(request.user, STAFF_ACCOUNT, VIEW)
    filters = forms.StaffFilterForm(
        request.GET or None,
        organisations=selectors.organisations_for_filter(user=request.user),
    )
    criteria = filters.cleaned_data if filters.is_valid() else {}
    staff = selectors.staff_visible_to(
        user=request.user,
        search=criteria.get("q", ""),
        organisation=criteria.get("organisation"),
        role=criteria.get("role", ""),
    )
    page = Paginator(staff, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/staff_list.html",
        {
            "filters": filters,
            "page": page,
            "can_create": can(request.user, STAFF_ACCOUNT, CREATE),
        },
    )


@login_required
@never_cache
def staff_create(request):
    require(request.user, STAFF_ACCOUNT, CREATE)
    form = forms.StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff, password = services.user_create(
                actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            # Shown in this response only, never stored: a reload re-posts and is refused
            # because the username is taken.
            return render(
                request,
                "accounts/staff_created.html",
                {
                    "staff": staff,
                    "password": password,
                    "generated": not form.cleaned_data["password"],
                },
            )
    return _form_page(
        request,
        form,
        title=_("New staff account"),
        cancel_url=reverse("accounts:staff_list"),
        submit=_("Create account"),
    )


@login_required
def staff_detail(request, public_id):
    staff = selectors.staff_get(user=request.user, public_id=public_id)
    return render(
        request,
        "accounts/staff_detail.html",
        {
            "staff": staff,
            "mfa_types": selectors.staff_mfa_types(user=request.user, staff=staff),
            "can_edit": selectors.may(
                user=request.user, resource=STAFF_ACCOUNT, action=UPDATE, record=staff
            ),
            "is_self": staff.pk == request.user.pk,
        },
    )


@login_required
def staff_edit(request, public_id):
    staff = selectors.staff_get(user=request.user, public_id=public_id, action=UPDATE)
    initial = {
        "username": staff.username,
        "first_name": staff.first_name,
        "last_name": staff.last_name,
        "email": staff.email,
        "phone": staff.phone,
        "organisation": staff.organisation.public_id if staff.organisation else None,
        "teams": [team.public_id for team in staff.teams.all()],
        "roles": [assignment.role for assignment in staff.role_assignments.all()],
        "state": services.state_token(staff),
    }
    form = forms.StaffEditForm(request.POST or None, initial=initial, staff=staff)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        state = values.pop("state")
        try:
            services.user_update(
                actor=request.user, user=staff, request=request, expected_state=state, **values
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Staff account saved."))
            return redirect("accounts:staff_detail", public_id=staff.public_id)
    return _form_page(
        request,
        form,
        title=_("Edit %(username)s") % {"username": staff.username},
        cancel_url=reverse("accounts:staff_detail", args=[staff.public_id]),
    )


def _staff_set_active(request, public_id, *, active):
    staff = selectors.staff_get(user=request.user, public_id=public_id, action=UPDATE)
    if refused := _post_only(request):
        return refused
    try:
        services.user_set_active(actor=request.user, user=staff, active=active, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Account reactivated.")
            if active
            else _("Account deactivated: this person can no longer sign in."),
        )
    return redirect("accounts:staff_detail", public_id=staff.public_id)


@login_required
def staff_deactivate(request, public_id):
    return _staff_set_active(request, public_id, active=False)


@login_required
def staff_reactivate(request, public_id):
    return _staff_set_active(request, public_id, active=True)


@login_required
def staff_reset_mfa(request, public_id):
    staff = selectors.staff_get(user=request.user, public_id=public_id, action=UPDATE)
    form = forms.ResetMFAForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_reset_mfa(
                actor=request.user, user=staff, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(
                request,
                _("Two-factor sign-in reset: %(username)s must set it up again at next sign-in.")
                % {"username": staff.username},
            )
            return redirect("accounts:staff_detail", public_id=staff.public_id)
    return _form_page(
        request,
        form,
        title=_("Reset two-factor sign-in of %(username)s") % {"username": staff.username},
        cancel_url=reverse("accounts:staff_detail", args=[staff.public_id]),
        submit=_("Reset two-factor sign-in"),
        intro=_(
            "Their authenticator app and recovery codes stop working at once. Do this only "
            "after confirming who is asking, for example by calling them back on their work phone."
        ),
    )
