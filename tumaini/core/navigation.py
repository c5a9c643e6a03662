"""The staff menu: each entry shows only to users the access policy lets in."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tumaini.core.access import VIEW, can


@dataclass(frozen=True)
class NavItem:
    label: object
    url_name: str
    resource: str | None
    action: str = VIEW


# Later apps append their entries here (cases, shelter, reports...), in menu order.
NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "core:staff_home", None),
    NavItem(_("New intake"), "cases:intake", "case", "create"),
    NavItem(_("Cases"), "cases:case_list", "case"),
    NavItem(_("Approvals"), "cases:approval_queue", "case", "approve"),
    NavItem(_("Public reports"), "tips:queue", "public_report"),
    NavItem(_("Partner directory"), "directory:directory_list", "directory"),
    NavItem(_("Referrals"), "referrals:referral_list", "referral"),
    NavItem(_("Incoming referrals"), "referrals:incoming_list", "incoming_referral"),
    NavItem(_("Referrals received"), "referrals:received_list", "received_referral"),
    NavItem(_("Refer to a centre"), "referrals:sent_list", "sent_incoming_referral", "create"),
    NavItem(_("Staff"), "accounts:staff_list", "staff_account"),
    NavItem(_("Organisations"), "accounts:organisation_list", "organisation"),
    NavItem(_("Audit trail"), "core:audit_search", "audit_event"),
    NavItem(_("Background tasks"), "core:task_list", "background_task"),
]


def navigation_for(user) -> list[dict]:
    items = []
    for item in NAV_ITEMS:
        if item.resource is None or can(user, item.resource, item.action):
            items.append({"label": item.label, "url": reverse(item.url_name)})
    return items
