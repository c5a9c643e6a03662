"""Recording awareness campaigns: directors and hotline supervisors of the organisation. Each write
is one transaction with its audit event; an edit names the version it read (`save_versioned`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tumaini.core import access
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.services import save_versioned
from tumaini.tips.enums import Channel
from tumaini.tips.models import Campaign
from tumaini.tips.policies import CAMPAIGN


class CampaignRefused(Exception):
    """The campaign cannot be saved as given; `field` says which form field the message goes by."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _checked(*, name: str, starts_on: date, ends_on: date, channels: list[str]) -> dict:
    name = name.strip()
    if not name:
        raise CampaignRefused(_("Give the campaign a name."), field="name")
    if ends_on < starts_on:
        raise CampaignRefused(_("The campaign cannot end before it starts."), field="ends_on")
    unknown = set(channels) - set(Channel.values)
    if unknown:
        raise CampaignRefused(_("Choose channels from the list."), field="channels")
    # Stored in the menu's order, so an unchanged choice is not seen as a change.
    return {
        "name": name,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "channels": [c for c in Channel.values if c in channels],
    }


def campaign_create(
    *,
    actor,
    name: str,
    starts_on: date,
    ends_on: date,
    channels: list[str] | None = None,
    description: str = "",
    request: Any = None,
) -> Campaign:
    if not access.can(actor, CAMPAIGN, access.CREATE) or actor.organisation_id is None:
        raise CampaignRefused(_("You may not do this here."))
    fields = _checked(name=name, starts_on=starts_on, ends_on=ends_on, channels=channels or [])
    with transaction.atomic():
        campaign = Campaign.objects.create(
            organisation_id=actor.organisation_id, description=description.strip(), **fields
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=campaign,
            fields_changed=sorted(fields) + (["description"] if campaign.description else []),
        )
    return campaign


def campaign_update(
    *,
    actor,
    campaign: Campaign,
    expected_version: int,
    name: str,
    starts_on: date,
    ends_on: date,
    channels: list[str] | None = None,
    description: str = "",
    request: Any = None,
) -> Campaign:
    """Refused (VersionConflict) if someone else saved the campaign after `expected_version`."""
    access.get_scoped_or_404(actor, CAMPAIGN, access.UPDATE, Campaign.objects, pk=campaign.pk)
    fields = _checked(name=name, starts_on=starts_on, ends_on=ends_on, channels=channels or [])
    return save_versioned(
        record=campaign,
        expected_version=expected_version,
        changes={**fields, "description": description.strip()},
        actor=actor,
        request=request,
    )
