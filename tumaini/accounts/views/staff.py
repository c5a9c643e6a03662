"""Staff accounts: the system administrator creates and edits them, sets roles, resets a
password or a second factor; a director reads their own organisation's staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tumaini.accounts import forms, selectors, services
from tumaini.accounts.selectors import STAFF_ACCOUNT
from tumaini.accounts.views.common import form_page, post_only, with_expected_state
from tumaini.core.access import CREATE, UPDATE, VIEW, can, require
from tumaini.core.editing import submit

STAFF_PAGE_SIZE = 25


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
    outcome = submit(
        request,
        form,
        lambda values: services.user_create(actor=request.user, request=request, **values),
        refusals=ValidationError,
    )
    if outcome.saved:
        staff, password = outcome.result
        # Shown in this response only, never stored: a reload re-posts and is refused
        # because the username is taken.
        return render(
            request,
            "accounts/staff_created.html",
            {"staff": staff, "password": password, "generated": not form.cleaned_data["password"]},
        )
    return form_page(
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
    outcome = submit(
        request,
        form,
        lambda values: services.user_update(
            actor=request.user, user=staff, request=request, **with_expected_state(values)
        ),
        refusals=ValidationError,
    )
    if outcome.saved:
        messages.success(request, _("Staff account saved."))
        return redirect("accounts:staff_detail", public_id=staff.public_id)
    return form_page(
        request,
        form,
        title=_("Edit %(username)s") % {"username": staff.username},
        cancel_url=reverse("accounts:staff_detail", args=[staff.public_id]),
    )


def _staff_set_active(request, public_id, *, active):
    staff = selectors.staff_get(user=request.user, public_id=public_id, action=UPDATE)
    if refused := post_only(request):
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
    outcome = submit(
        request,
        form,
        lambda values: services.user_reset_mfa(
            actor=request.user, user=staff, reason=values["reason"], request=request
        ),
        refusals=ValidationError,
    )
    if outcome.saved:
        messages.success(
            request,
            _("Two-factor sign-in reset: %(username)s must set it up again at next sign-in.")
            % {"username": staff.username},
        )
        return redirect("accounts:staff_detail", public_id=staff.public_id)
    return form_page(
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


@login_required
@never_cache
def staff_reset_password(request, public_id):
    staff = selectors.staff_get(user=request.user, public_id=public_id, action=UPDATE)
    if staff.pk == request.user.pk:
        # Changing your own password asks for the current one: that is allauth's page.
        messages.info(request, _("Change your own password here."))
        return redirect("account_change_password")
    form = forms.ResetPasswordForm(request.POST or None)
    outcome = submit(
        request,
        form,
        lambda values: services.user_reset_password(
            actor=request.user, user=staff, reason=values["reason"], request=request
        ),
        refusals=ValidationError,
    )
    if outcome.saved:
        # Shown in this response only (never_cache: not kept by the browser or a proxy).
        return render(
            request,
            "accounts/password_reset_done.html",
            {"staff": staff, "password": outcome.result},
        )
    return form_page(
        request,
        form,
        title=_("Reset the password of %(username)s") % {"username": staff.username},
        cancel_url=reverse("accounts:staff_detail", args=[staff.public_id]),
        submit=_("Reset password"),
        intro=_(
            "A new random password is shown to you once. Their current password stops working "
            "at once and they are signed out everywhere; at their next sign-in they must choose "
            "their own. Do this only after confirming who is asking, for example by calling them "
            "back on their work phone."
        ),
    )
