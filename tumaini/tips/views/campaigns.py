"""Awareness campaigns: a list, a form to add one and one to edit it. Directors and hotline
supervisors of the organisation; everyone else gets 404 like any record out of scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tumaini.core import access
from tumaini.core.services import VersionConflict
from tumaini.tips.enums import Channel
from tumaini.tips.forms import CampaignForm
from tumaini.tips.policies import CAMPAIGN
from tumaini.tips.selectors.campaigns import campaign_for_update, campaigns_visible_to
from tumaini.tips.services.campaigns import CampaignRefused, campaign_create, campaign_update

CAMPAIGNS_PER_PAGE = 50


@login_required
def campaign_list(request):
    access.require(request.user, CAMPAIGN, access.VIEW)
    page = Paginator(campaigns_visible_to(user=request.user), CAMPAIGNS_PER_PAGE).get_page(
        request.GET.get("page") or 1
    )
    labels = dict(Channel.choices)
    rows = [
        {"campaign": c, "channels": [str(labels.get(v, v)) for v in c.channels]}
        for c in page.object_list
    ]
    return render(
        request,
        "tips/campaign_list.html",
        {
            "page": page,
            "rows": rows,
            "may_create": access.can(request.user, CAMPAIGN, access.CREATE),
            "may_update": access.can(request.user, CAMPAIGN, access.UPDATE),
        },
    )


def _save_fields(form) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
        "channels": data["channels"],
        "description": data["description"],
    }


def _refuse(form, refused: CampaignRefused) -> None:
    form.add_error(refused.field if refused.field in form.fields else None, str(refused))


def _form_page(request, form, *, title, submit, conflict=None):
    return render(
        request,
        "tips/campaign_form.html",
        {"form": form, "title": title, "submit": submit, "conflict": conflict},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_add(request):
    access.require(request.user, CAMPAIGN, access.CREATE)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_create(actor=request.user, request=request, **_save_fields(form))
        except CampaignRefused as refused:
            _refuse(form, refused)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": campaign.name})
            return redirect("tips:campaign_list")
    return _form_page(request, form, title=_("Add a campaign"), submit=_("Add the campaign"))


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, public_id):
    campaign = campaign_for_update(user=request.user, public_id=public_id)
    initial = {
        "name": campaign.name,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "channels": campaign.channels,
        "description": campaign.description,
        "version": campaign.version,
    }
    form = CampaignForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            campaign_update(
                actor=request.user,
                campaign=campaign,
                expected_version=form.cleaned_data["version"] or 0,
                request=request,
                **_save_fields(form),
            )
        except VersionConflict as error:
            # What was typed stays; saving again is a deliberate choice over the other change.
            conflict = error
            form.data = form.data.copy()
            form.data["version"] = error.current.version
        except CampaignRefused as refused:
            _refuse(form, refused)
        else:
            messages.success(request, _("The campaign was saved."))
            return redirect("tips:campaign_list")
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": campaign.name},
        submit=_("Save"),
        conflict=conflict,
    )
