from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    """HTCDS `org_Type`, plus the three kinds Kenya's referral network also needs."""

    NGO = "NGO", _("Non-governmental organisation")
    LAW_ENFORCEMENT = "LawEnforcement", _("Law enforcement")
    HEALTH_SERVICE = "HealthServiceOrganisation", _("Health service")
    CENTRAL_GOVERNMENT = "CentralGovernmentOrganisation", _("Central government")
    LOCAL_GOVERNMENT = "LocalGovernmentOrganisation", _("Local (county) government")
    IMMIGRATION = "ImmigrationService", _("Immigration service")
    LEGAL_SERVICE = "LegalService", _("Legal service")
    CORPORATE = "CorporateBusiness", _("Business")
    SCHOOL = "SchoolOrCollege", _("School or college")
    INTERNATIONAL = "InternationalOrganisation", _("International organisation")
    FAITH_BASED = "FaithBasedOrganisation", _("Faith-based organisation")
    EMBASSY = "Embassy", _("Embassy")


class SiteType(models.TextChoices):
    RESCUE_CENTRE = "rescue_centre", _("Rescue centre")
    SHELTER = "shelter", _("Shelter")
    OFFICE = "office", _("Office")
    HOSPITAL = "hospital", _("Hospital or clinic")
    POLICE_STATION = "police_station", _("Police station")


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    DIRECTOR = "director", _("Centre director / supervisor")
    CASE_MANAGER = "case_manager", _("Case manager")
    HOTLINE_AGENT = "hotline_agent", _("Hotline agent")
    HOTLINE_SUPERVISOR = "hotline_supervisor", _("Hotline supervisor")
    COUNSELLOR = "counsellor", _("Counsellor")
    MEDICAL_OFFICER = "medical_officer", _("Nurse / medical officer")
    LEGAL_OFFICER = "legal_officer", _("Legal officer")
    SHELTER_MANAGER = "shelter_manager", _("Shelter manager")
    PARTNER_USER = "partner_user", _("Partner organisation user")
    LAW_ENFORCEMENT_LIAISON = "law_enforcement_liaison", _("Law-enforcement liaison")
    COUNTY_ANALYST = "county_analyst", _("County analyst")
    TRAINER = "trainer", _("Trainer")
    FUNDRAISER = "fundraiser", _("Fundraiser")
    COMMUNICATIONS = "communications_officer", _("Communications officer")
    DIRECTORY_EDITOR = "directory_editor", _("Partner directory editor")
