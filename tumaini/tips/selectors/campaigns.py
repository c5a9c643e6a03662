"""Reads of awareness campaigns, always for an acting user."""

from __future__ import annotations

from tumaini.core import access
from tumaini.tips.models import Campaign
from tumaini.tips.policies import CAMPAIGN


def campaigns_visible_to(*, user):
    return access.scoped(user, CAMPAIGN, access.VIEW, Campaign.objects.all())


def campaign_for_update(*, user, public_id) -> Campaign:
    """One campaign the user may edit; 404 for another organisation's and for unknown alike."""
    return access.get_scoped_or_404(
        user, CAMPAIGN, access.UPDATE, Campaign.objects.all(), public_id=public_id
    )
