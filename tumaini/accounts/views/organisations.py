"""Organisations, their sites and teams: the system administrator edits, a director reads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tumaini.accounts import forms, selectors, services
from tumaini.accounts.selectors import ORGANISATION, STAFF_ACCOUNT
from tumaini.accounts.views.common import (
    form_page,
    organisation_url,
    post_only,
    with_expected_state,
)
from tumaini.core.access import CREATE, UPDATE, VIEW, can, require
from tumaini.core.editing import submit


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
    outcome = submit(
        request,
        form,
        lambda values: services.organisation_create(actor=request.user, request=request, **values),
        refusals=ValidationError,
    )
    if outcome.saved:
        messages.success(request, _("Organisation created."))
        return redirect(organisation_url(outcome.result))
    return form_page(
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
    outcome = submit(
        request,
        form,
        lambda values: services.organisation_update(
            actor=request.user,
            organisation=organisation,
            request=request,
            **with_expected_state(values),
        ),
        refusals=ValidationError,
    )
    if outcome.saved:
        messages.success(request, _("Organisation saved."))
        return redirect(organisation_url(organisation))
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": organisation.name},
        cancel_url=organisation_url(organisation),
    )


def _organisation_set_active(request, public_id, *, active):
    organisation = selectors.organisation_get(user=request.user, public_id=public_id, action=UPDATE)
    if refused := post_only(request):
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
    outcome = submit(
        request,
        form,
        lambda values: services.site_create(
            actor=request.user, organisation=organisation, request=request, **values
        ),
        refusals=ValidationError,
    )
    if outcome.saved:
        messages.success(request, _("Site added."))
        return redirect(organisation_url(organisation))
    return form_page(
        request,
        form,
        title=_("New site of %(name)s") % {"name": organisation.name},
        cancel_url=organisation_url(organisation),
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
    outcome = submit(
        request,
        form,
        lambda values: services.site_update(
            actor=request.user, site=site, request=request, **with_expected_state(values)
        ),
        refusals=ValidationError,
    )
    if outcome.saved:
        messages.success(request, _("Site saved."))
        return redirect(organisation_url(site.organisation))
    return form_page(
        request,
        form,
        title=_("Edit site %(name)s") % {"name": site.name},
        cancel_url=organisation_url(site.organisation),
    )


@login_required
def team_create(request, public_id):
    organisation = selectors.organisation_get(user=request.user, public_id=public_id, action=UPDATE)
    form = forms.TeamForm(request.POST or None, organisation=organisation)
    outcome = submit(
        request,
        form,
        lambda values: services.team_create(
            actor=request.user, organisation=organisation, request=request, **values
        ),
        refusals=ValidationError,
    )
    if outcome.saved:
        messages.success(request, _("Team added."))
        return redirect(organisation_url(organisation))
    return form_page(
        request,
        form,
        title=_("New team of %(name)s") % {"name": organisation.name},
        cancel_url=organisation_url(organisation),
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
    outcome = submit(
        request,
        form,
        lambda values: services.team_update(
            actor=request.user, team=team, request=request, **with_expected_state(values)
        ),
        refusals=ValidationError,
    )
    if outcome.saved:
        messages.success(request, _("Team saved."))
        return redirect(organisation_url(team.organisation))
    return form_page(
        request,
        form,
        title=_("Edit team %(name)s") % {"name": team.name},
        cancel_url=organisation_url(team.organisation),
    )
