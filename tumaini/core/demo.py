"""Demo data: invented organisations, sites, teams and the well-known demo accounts.

Every name here is invented and marked "(demo)". Demo accounts share a published password, so they only
work in demo mode (see accounts.adapters and accounts.middleware). Later capabilities add their own demo
content next to this, never new meanings for these usernames (architecture.md, interface contract).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils.module_loading import import_string

from tumaini.accounts.enums import OrganisationType, Role, SiteType
from tumaini.accounts.models import Organisation, RoleAssignment, Site, Team, User
from tumaini.core.models import County, SubCounty
from tumaini.core.reference import NAIROBI_COUNTY_CODE, load_reference_data

DEMO_CONTENT = [
    "tumaini.cases.demo.seed_demo_caseload",  # invented survivors' cases
    "tumaini.tips.demo.seed_demo_reports",  # public reports, some linked to the demo cases
    "tumaini.tips.demo.seed_demo_campaigns",  # two awareness campaigns over those reports
    "tumaini.justice.demo.seed_demo_justice",  # two court cases
    "tumaini.hotline.demo.seed_demo_hotline",  # the demo agent's roster and call log
    "tumaini.directory.demo.seed_demo_directory",  # about thirty Nairobi partners
    "tumaini.referrals.demo.seed_demo_referrals",  # referrals in every status, incoming ones
    "tumaini.care.demo.seed_demo_care",  # catalogue, services, appointments, follow-ups
    "tumaini.shelter.demo.seed_demo_shelter",  # facilities, residents, waiting list, house log
    "tumaini.clinical.demo.seed_demo_clinical",  # counselling clients and notes, medical records
]

CENTRE = "Nairobi County Rescue Centre (demo)"
PARTNER_NGO = "Imani Partners Kenya (demo)"
HOSPITAL = "Mji Mwema Hospital (demo)"
LEGAL_CLINIC = "Haki Legal Aid Clinic (demo)"
POLICE_UNIT = "Anti-Trafficking Police Unit, Nairobi (demo)"

# name -> (short name, type, county code)
ORGANISATIONS: dict[str, tuple[str, str, int | None]] = {
    CENTRE: ("Rescue Centre", OrganisationType.LOCAL_GOVERNMENT, NAIROBI_COUNTY_CODE),
    PARTNER_NGO: ("Imani", OrganisationType.NGO, NAIROBI_COUNTY_CODE),
    HOSPITAL: ("Mji Mwema", OrganisationType.HEALTH_SERVICE, NAIROBI_COUNTY_CODE),
    LEGAL_CLINIC: ("Haki", OrganisationType.LEGAL_SERVICE, NAIROBI_COUNTY_CODE),
    POLICE_UNIT: ("AHTCPU", OrganisationType.LAW_ENFORCEMENT, NAIROBI_COUNTY_CODE),
}

CENTRE_SITE = "Rescue centre, Starehe (demo)"
SHELTER_SITE = "Safe house A (demo)"
# site name -> (organisation, type, sub-county code or None, confidential)
SITES: dict[str, tuple[str, str, int | None, bool]] = {
    CENTRE_SITE: (CENTRE, SiteType.RESCUE_CENTRE, 289, False),
    # A shelter's location is confidential: no sub-county recorded, the name reveals nothing.
    SHELTER_SITE: (CENTRE, SiteType.SHELTER, None, True),
}

TEAM_1 = "Case management team 1"
TEAM_2 = "Case management team 2"
NGO_TEAM = "Case management"
# (organisation, team name) -> site name or None
TEAMS: dict[tuple[str, str], str | None] = {
    (CENTRE, TEAM_1): CENTRE_SITE,
    (CENTRE, TEAM_2): CENTRE_SITE,
    (PARTNER_NGO, NGO_TEAM): None,
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: str
    organisation: str
    team: str | None = None


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "Amina", "Odhiambo", Role.SYSTEM_ADMIN, CENTRE),
    DemoAccount("director", "Grace", "Wanjiku", Role.DIRECTOR, CENTRE),
    DemoAccount("caseworker", "Peter", "Kamau", Role.CASE_MANAGER, CENTRE, TEAM_1),
    DemoAccount("caseworker2", "Faith", "Achieng", Role.CASE_MANAGER, PARTNER_NGO, NGO_TEAM),
    DemoAccount("hotline", "Brian", "Mutua", Role.HOTLINE_AGENT, CENTRE),
    DemoAccount("counsellor", "Mercy", "Njeri", Role.COUNSELLOR, CENTRE, TEAM_1),
    DemoAccount("nurse", "Esther", "Chebet", Role.MEDICAL_OFFICER, CENTRE, TEAM_1),
    DemoAccount("legal", "Daniel", "Otieno", Role.LEGAL_OFFICER, CENTRE),
    DemoAccount("shelter", "Ruth", "Wambui", Role.SHELTER_MANAGER, CENTRE),
    DemoAccount("partner", "Samuel", "Kiprono", Role.PARTNER_USER, HOSPITAL),
    DemoAccount("police", "Joseph", "Mwangi", Role.LAW_ENFORCEMENT_LIAISON, POLICE_UNIT),
    DemoAccount("analyst", "Lucy", "Akinyi", Role.COUNTY_ANALYST, CENTRE),
    DemoAccount("trainer", "David", "Kiplagat", Role.TRAINER, CENTRE),
    DemoAccount("fundraiser", "Janet", "Nyambura", Role.FUNDRAISER, CENTRE),
    DemoAccount("comms", "Kevin", "Omondi", Role.COMMUNICATIONS, CENTRE),
)


class DemoSeedError(Exception):
    """The demo data cannot be written (the message says why)."""


@transaction.atomic
def demo_seed(*, password: str) -> tuple[DemoAccount, ...]:
    """Create or reset the demo organisations, sites, teams and accounts; idempotent."""
    if not County.objects.filter(code=NAIROBI_COUNTY_CODE).exists():
        load_reference_data()

    organisations = {}
    for name, (short_name, kind, county_code) in ORGANISATIONS.items():
        organisations[name], _ = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "short_name": short_name,
                "type": kind,
                "county_id": county_code,
                "is_active": True,
            },
        )

    sites = {}
    for name, (organisation, kind, sub_county_code, confidential) in SITES.items():
        sites[name], _ = Site.objects.update_or_create(
            organisation=organisations[organisation],
            name=name,
            defaults={
                "type": kind,
                "sub_county": SubCounty.objects.get(code=sub_county_code)
                if sub_county_code
                else None,
                "is_confidential": confidential,
            },
        )

    teams = {}
    for (organisation, name), site in TEAMS.items():
        teams[(organisation, name)], _ = Team.objects.update_or_create(
            organisation=organisations[organisation],
            name=name,
            defaults={"site": sites[site] if site else None},
        )

    # One hash for all: hashing is deliberately slow, and the password is published anyway.
    # An account whose hash already matches keeps it, so a second run changes nothing.
    password_hash = make_password(password)
    matches: dict[str, bool] = {}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User(username=account.username)
        elif not user.is_demo:
            raise DemoSeedError(
                f"A real account named {account.username!r} exists; demo data would take it over. "
                "Use a separate database for the demo."
            )
        user.is_demo = True
        user.first_name = account.first_name
        user.last_name = account.last_name
        user.organisation = organisations[account.organisation]
        user.is_active = True
        if user.password not in matches:
            matches[user.password] = bool(user.password) and check_password(password, user.password)
        if not matches[user.password]:
            user.password = password_hash
        user.save()

        RoleAssignment.objects.filter(user=user).exclude(role=account.role).delete()
        RoleAssignment.objects.get_or_create(user=user, role=account.role)
        user.teams.set([teams[(account.organisation, account.team)]] if account.team else [])

    # Each capability's demo content, in order: later ones build on the caseload and the
    # directory. Each seeder is idempotent (it creates only what is still missing).
    for seeder in DEMO_CONTENT:
        import_string(seeder)()
    return DEMO_ACCOUNTS
