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
    NavItem(_("Calendar"), "care:my_calendar", "appointment"),
    NavItem(_("Service catalogue"), "care:catalogue", "service_catalogue"),
    NavItem(_("Shelter"), "shelter:facility_list", "shelter_facility"),
    NavItem(_("My clients"), "clinical:client_list", "session_note", "create"),
    NavItem(_("Medical records"), "clinical:patient_list", "medical_record"),
    NavItem(_("Public reports"), "tips:queue", "public_report"),
    NavItem(_("Report figures"), "tips:figures", "public_report_figures"),
    NavItem(_("Campaigns"), "tips:campaign_list", "public_report_campaign"),
    NavItem(_("Hotline calls"), "hotline:call_list", "hotline_call"),
    NavItem(_("Hotline roster"), "hotline:roster", "hotline_roster"),
    NavItem(_("Justice"), "justice:matter_list", "justice_matter"),
    NavItem(_("Statistics"), "insights:dashboard", "insights_dashboard"),
    NavItem(_("Situation reports"), "insights:situation_reports", "situation_report"),
    NavItem(_("CTDC export"), "insights:ctdc", "ctdc_export", "export"),
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
