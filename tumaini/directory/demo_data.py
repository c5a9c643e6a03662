"""Content of the demo partner directory: about thirty Nairobi partners of a rescue centre.

Organisation names follow the kinds of partners a Nairobi counter-trafficking referral network
works with; every name carries "(demo)" and every phone number and email address is invented
(+254 700 000 xxx, example.org). Coordinates are rough points in the right sub-county.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tumaini.accounts.enums import OrganisationType as Org
from tumaini.care.enums import ServiceType as S
from tumaini.core import demo as core_demo

WEEKDAYS = "MO,TU,WE,TH,FR"
EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"
OFFICE = ((WEEKDAYS, "08:00", "17:00"),)
OFFICE_AND_SATURDAY = ((WEEKDAYS, "08:00", "17:00"), ("SA", "09:00", "13:00"))
ROUND_THE_CLOCK = ((EVERY_DAY, "00:00", "23:59"),)

NAIROBI = 47
KIAMBU = 22
MACHAKOS = 16
KAJIADO = 34
ALL_NAIROBI = (NAIROBI,)
METRO = (NAIROBI, KIAMBU, MACHAKOS, KAJIADO)


@dataclass(frozen=True)
class DemoLocation:
    name: str
    address: str = ""
    sub_county: int | None = None
    ward: int | None = None
    lat: float | None = None
    lon: float | None = None
    postal_code: str = "00100"
    # A confidential accounts Site of the demo centre, by name; or confidential on its own.
    site: str | None = None
    confidential: bool = False
    virtual: bool = False


@dataclass(frozen=True)
class DemoService:
    name: str
    types: tuple[str, ...]
    description: str
    hours: tuple[tuple[str, str, str], ...] = OFFICE
    languages: tuple[str, ...] = ("sw", "en")
    counties: tuple[int, ...] = ALL_NAIROBI
    sub_counties: tuple[int, ...] = ()
    sex: str = "any"
    nationality: str = "any"
    min_age: int | None = None
    max_age: int | None = None
    eligibility: str = ""
    fees: str = "Free of charge for survivors referred by the network."
    how_to_refer: str = "Call ahead, then send the referral form through Tumaini."
    wait_time: str = ""
    status: str = "active"
    # Index into the partner's locations (None: not offered at a fixed place).
    at: tuple[int, ...] = (0,)
    phone: str = ""


@dataclass(frozen=True)
class DemoPartner:
    name: str
    short_name: str
    type: str
    description: str
    legal_status: str
    slug: str
    mou: tuple[str, date | None, date | None] = ("none", None, None)
    locations: tuple[DemoLocation, ...] = ()
    services: tuple[DemoService, ...] = ()
    phone: str = ""
    contact: tuple[str, str] = ("", "")
    website: bool = True
    extra: dict = field(default_factory=dict)


def _n(last: int) -> str:
    return f"+254 700 000 {last:03d}"


PARTNERS: tuple[DemoPartner, ...] = (
    DemoPartner(
        core_demo.CENTRE,
        "Rescue Centre",
        Org.LOCAL_GOVERNMENT,
        "The county's rescue centre for survivors of trafficking: reception, case management, "
        "safe shelter and coordination of the referral network.",
        "County government department",
        "rescue-centre",
        locations=(
            DemoLocation(
                core_demo.CENTRE_SITE,
                "Kariokor Market Road, off Racecourse Road (demo)",
                289,
                1441,
                -1.2771,
                36.8372,
                site=core_demo.CENTRE_SITE,
            ),
            DemoLocation(core_demo.SHELTER_SITE, site=core_demo.SHELTER_SITE),
        ),
        services=(
            DemoService(
                "Reception and case management",
                (S.PSYCHOSOCIAL, S.MATERIAL, S.FAMILY_TRACING),
                "First reception of survivors, risk assessment, care planning and referrals.",
                hours=ROUND_THE_CLOCK,
                languages=("sw", "en", "so", "am"),
                phone=_n(101),
            ),
            DemoService(
                "Safe shelter for survivors",
                (S.SHELTER,),
                "Short-stay confidential shelter for adult survivors and accompanied children.",
                hours=ROUND_THE_CLOCK,
                how_to_refer="Only through the centre's case managers; the address is never given.",
                at=(1,),
            ),
        ),
        phone=_n(100),
        contact=("Grace Wanjiku", "Centre director"),
    ),
    DemoPartner(
        core_demo.PARTNER_NGO,
        "Imani",
        Org.NGO,
        "Community NGO supporting survivors' recovery and reintegration in Nairobi's informal "
        "settlements.",
        "Registered NGO (NGO Coordination Act)",
        "imani",
        mou=("signed", date(2025, 3, 1), date(2027, 2, 28)),
        locations=(
            DemoLocation(
                "Imani office, Kilimani (demo)",
                "Argwings Kodhek Road (demo)",
                275,
                1371,
                -1.2921,
                36.7856,
            ),
        ),
        services=(
            DemoService(
                "Psychosocial counselling",
                (S.PSYCHOSOCIAL,),
                "Individual and group counselling with trauma-informed counsellors.",
                languages=("sw", "en", "ki", "luo"),
                wait_time="About one week",
            ),
            DemoService(
                "Economic empowerment programme",
                (S.ECONOMIC, S.VOCATIONAL),
                "Savings groups, start-up kits and business mentoring for survivors.",
                min_age=18,
                wait_time="Next intake each quarter",
            ),
        ),
        phone=_n(110),
        contact=("Faith Achieng", "Programme coordinator"),
    ),
    DemoPartner(
        core_demo.HOSPITAL,
        "Mji Mwema",
        Org.HEALTH_SERVICE,
        "Sub-county hospital with a 24-hour casualty and a post-rape care desk.",
        "Public hospital (Level 4)",
        "mji-mwema",
        mou=("signed", date(2024, 7, 1), date(2026, 6, 30)),
        locations=(
            DemoLocation(
                "Mji Mwema Hospital, Makongeni (demo)",
                "Jogoo Road (demo)",
                287,
                1430,
                -1.2930,
                36.8620,
            ),
        ),
        services=(
            DemoService(
                "Post-rape care and medical examination",
                (S.MEDICAL,),
                "Emergency contraception, PEP, forensic examination and the P3/PRC forms.",
                hours=ROUND_THE_CLOCK,
                fees="Free.",
                how_to_refer="Bring the survivor to casualty and ask for the PRC desk; call ahead.",
                phone=_n(121),
            ),
            DemoService(
                "Outpatient and mental health clinic",
                (S.MEDICAL, S.PSYCHOSOCIAL),
                "General outpatient care, HIV and TB testing, psychiatric review.",
                hours=OFFICE_AND_SATURDAY,
                fees="Free with a referral letter; otherwise NHIF/SHA rates.",
            ),
        ),
        phone=_n(120),
        contact=("Samuel Kiprono", "Partnerships officer"),
    ),
    DemoPartner(
        core_demo.LEGAL_CLINIC,
        "Haki",
        Org.LEGAL_SERVICE,
        "Pro bono legal aid clinic: advice, witness preparation and court accompaniment.",
        "Registered legal aid provider (Legal Aid Act 2016)",
        "haki",
        mou=("signed", date(2025, 1, 15), date(2026, 1, 14)),
        locations=(
            DemoLocation(
                "Haki clinic, Nairobi Central (demo)",
                "Moi Avenue, 3rd floor (demo)",
                289,
                1439,
                -1.2841,
                36.8233,
            ),
        ),
        services=(
            DemoService(
                "Legal aid and court accompaniment",
                (S.LEGAL_AID,),
                "Advice, victim impact statements, protection orders and accompaniment to court.",
                counties=METRO,
                wait_time="Two to three days",
            ),
        ),
        phone=_n(130),
        contact=("Wanjiru Kamau", "Advocate in charge"),
    ),
    DemoPartner(
        core_demo.POLICE_UNIT,
        "AHTCPU",
        Org.LAW_ENFORCEMENT,
        "The police unit that investigates trafficking in persons and leads rescues in Nairobi.",
        "National Police Service unit",
        "ahtcpu",
        mou=("in_negotiation", None, None),
        locations=(
            DemoLocation(
                "Unit office, Nairobi South (demo)",
                "Lusaka Road (demo)",
                289,
                1444,
                -1.3030,
                36.8330,
            ),
        ),
        services=(
            DemoService(
                "Trafficking investigation and rescue",
                (S.LAW_ENFORCEMENT,),
                "Takes statements, investigates trafficking cases and plans rescues.",
                hours=ROUND_THE_CLOCK,
                counties=METRO,
                fees="Free.",
                how_to_refer="Call the duty officer; the centre accompanies the survivor.",
            ),
        ),
        phone=_n(140),
        contact=("Joseph Mwangi", "Liaison officer"),
    ),
    DemoPartner(
        "Nairobi County Referral Hospital (demo)",
        "County Referral",
        Org.HEALTH_SERVICE,
        "The county's referral hospital: emergency, inpatient, maternity and psychiatric care.",
        "County referral hospital (Level 5)",
        "county-referral",
        mou=("expired", date(2022, 5, 1), date(2024, 4, 30)),
        locations=(
            DemoLocation(
                "County Referral Hospital (demo)", "Juja Road (demo)", 290, 1445, -1.2625, 36.8590
            ),
        ),
        services=(
            DemoService(
                "Emergency and inpatient care",
                (S.MEDICAL,),
                "24-hour emergency department, admission and surgery.",
                hours=ROUND_THE_CLOCK,
                counties=METRO,
                fees="Waived for survivors referred by the rescue centre.",
            ),
            DemoService(
                "Psychiatric care",
                (S.MEDICAL, S.PSYCHOSOCIAL),
                "Psychiatric assessment, admission and follow-up clinic.",
                min_age=12,
                wait_time="Clinic on Tuesdays and Thursdays",
                hours=(("TU,TH", "08:30", "16:00"),),
            ),
        ),
        phone=_n(150),
        contact=("Dr. Achieng Odera", "Head of social work"),
    ),
    DemoPartner(
        "Nairobi GBV Recovery Centre (demo)",
        "GBVRC",
        Org.HEALTH_SERVICE,
        "A hospital-based centre for survivors of sexual and gender-based violence: medical care, "
        "forensic evidence, counselling and links to police and legal aid under one roof.",
        "Public hospital department",
        "gbvrc",
        mou=("signed", date(2025, 6, 1), date(2028, 5, 31)),
        locations=(
            DemoLocation(
                "GBV Recovery Centre, Upper Hill (demo)",
                "Hospital Road (demo)",
                277,
                1382,
                -1.3010,
                36.8070,
            ),
        ),
        services=(
            DemoService(
                "Integrated GBV recovery care",
                (S.MEDICAL, S.PSYCHOSOCIAL, S.LEGAL_AID),
                "Clinical care within 72 hours, forensic examination, counselling and legal follow-up.",
                hours=ROUND_THE_CLOCK,
                counties=METRO,
                languages=("sw", "en", "ki", "luo", "luy"),
                fees="Free.",
                phone=_n(161),
            ),
        ),
        phone=_n(160),
        contact=("Rose Nyaga", "Centre coordinator"),
    ),
    DemoPartner(
        "Kibra Community Health Centre (demo)",
        "Kibra CHC",
        Org.HEALTH_SERVICE,
        "Primary health care centre serving Kibra and Langata.",
        "Public health centre (Level 3)",
        "kibra-chc",
        locations=(
            DemoLocation(
                "Kibra Health Centre (demo)", "Kibra Drive (demo)", 278, 1388, -1.3128, 36.7870
            ),
        ),
        services=(
            DemoService(
                "Primary care and HIV testing",
                (S.MEDICAL,),
                "Outpatient care, HIV testing and treatment, family planning.",
                counties=(),
                sub_counties=(278, 277, 276),
                hours=OFFICE_AND_SATURDAY,
                fees="Free.",
            ),
        ),
        phone=_n(170),
        contact=("Moses Otieno", "Nurse in charge"),
    ),
    DemoPartner(
        "Sheria Mashinani Legal Aid (demo)",
        "Sheria Mashinani",
        Org.LEGAL_SERVICE,
        "Paralegals and advocates running community legal aid desks in the eastern sub-counties.",
        "Registered legal aid provider",
        "sheria-mashinani",
        mou=("in_negotiation", None, None),
        locations=(
            DemoLocation(
                "Kasarani legal aid desk (demo)",
                "Thika Road, Mwiki stage (demo)",
                280,
                1397,
                -1.2200,
                36.9150,
            ),
        ),
        services=(
            DemoService(
                "Community legal aid desks",
                (S.LEGAL_AID,),
                "Legal advice, mediation, help with birth certificates and ID cards.",
                counties=(),
                sub_counties=(279, 280, 281, 283, 284),
                hours=(("MO,WE,FR", "09:00", "16:00"),),
            ),
        ),
        phone=_n(180),
        contact=("Ann Mumbi", "Paralegal coordinator"),
    ),
    DemoPartner(
        "Women Lawyers' Legal Aid Network (demo)",
        "WLLAN",
        Org.LEGAL_SERVICE,
        "Women advocates giving free representation to women and children in criminal and family cases.",
        "Registered society",
        "wllan",
        mou=("signed", date(2024, 11, 1), date(2026, 10, 31)),
        locations=(
            DemoLocation(
                "WLLAN office, Kileleshwa (demo)", "Othaya Road (demo)", 275, 1374, -1.2800, 36.7830
            ),
        ),
        services=(
            DemoService(
                "Legal representation for women and children",
                (S.LEGAL_AID,),
                "Watching briefs in trafficking prosecutions, civil claims, custody and protection orders.",
                sex="female",
                eligibility="Boys under 18 are also represented.",
                counties=METRO,
                wait_time="About one week",
            ),
        ),
        phone=_n(190),
        contact=("Njoki Gathoni", "Litigation lead"),
    ),
    DemoPartner(
        "Refugee Legal Aid Centre (demo)",
        "RLAC",
        Org.LEGAL_SERVICE,
        "Legal aid for refugees and asylum seekers, with interpreters for the Horn of Africa and "
        "Great Lakes languages.",
        "Registered NGO",
        "rlac",
        mou=("signed", date(2025, 9, 1), date(2027, 8, 31)),
        locations=(
            DemoLocation(
                "RLAC office, Eastleigh (demo)",
                "First Avenue Eastleigh (demo)",
                288,
                1435,
                -1.2730,
                36.8480,
            ),
        ),
        services=(
            DemoService(
                "Asylum and refugee legal aid",
                (S.LEGAL_AID, S.INTERPRETATION),
                "Registration and refugee status determination, detention visits, documents.",
                nationality="refugee",
                languages=("sw", "en", "so", "am", "om", "ti", "ar", "fr"),
                hours=OFFICE_AND_SATURDAY,
            ),
        ),
        phone=_n(200),
        contact=("Abdi Hassan", "Protection lawyer"),
    ),
    DemoPartner(
        "Directorate of Criminal Investigations, Transnational Organised Crime Unit (demo)",
        "DCI TOCU",
        Org.LAW_ENFORCEMENT,
        "The DCI unit that investigates cross-border trafficking and smuggling networks.",
        "Directorate of Criminal Investigations",
        "dci-tocu",
        mou=("none", None, None),
        locations=(
            DemoLocation(
                "DCI headquarters, Kiambu Road (demo)",
                "Kiambu Road (demo)",
                279,
                1394,
                -1.2350,
                36.8350,
            ),
        ),
        services=(
            DemoService(
                "Transnational trafficking investigations",
                (S.LAW_ENFORCEMENT,),
                "Investigation of cross-border recruitment, smuggling and trafficking networks.",
                counties=(),
                fees="Free.",
                how_to_refer="Through the anti-trafficking unit or the centre director only.",
            ),
        ),
        phone=_n(210),
        contact=("Inspector Ouma", "Desk officer"),
        website=False,
    ),
    DemoPartner(
        "Gender and Children's Desk, Kilimani Police Station (demo)",
        "Kilimani GCD",
        Org.LAW_ENFORCEMENT,
        "Police desk receiving reports of sexual and gender-based violence and crimes against children.",
        "National Police Service",
        "kilimani-desk",
        locations=(
            DemoLocation(
                "Kilimani Police Station (demo)",
                "Ring Road Kilimani (demo)",
                275,
                1371,
                -1.2890,
                36.7900,
            ),
        ),
        services=(
            DemoService(
                "Reporting violence and abuse",
                (S.LAW_ENFORCEMENT,),
                "Takes reports (OB number), issues the P3 form and refers to the GBV recovery centre.",
                hours=ROUND_THE_CLOCK,
                counties=(),
                sub_counties=(275, 274, 276),
                fees="Free.",
            ),
        ),
        phone=_n(220),
        contact=("Sgt. Wairimu", "Desk officer"),
        website=False,
    ),
    DemoPartner(
        "Gender and Children's Desk, Kayole Police Station (demo)",
        "Kayole GCD",
        Org.LAW_ENFORCEMENT,
        "Police desk for gender-based violence and children in Embakasi.",
        "National Police Service",
        "kayole-desk",
        locations=(
            DemoLocation(
                "Kayole Police Station (demo)",
                "Kayole Spine Road (demo)",
                284,
                1417,
                -1.2760,
                36.9130,
            ),
        ),
        services=(
            DemoService(
                "Reporting violence and abuse",
                (S.LAW_ENFORCEMENT,),
                "Takes reports and refers survivors for medical care.",
                hours=ROUND_THE_CLOCK,
                counties=(),
                sub_counties=(282, 283, 284, 285, 286),
                fees="Free.",
            ),
        ),
        phone=_n(230),
        contact=("Cpl. Njuguna", "Desk officer"),
        website=False,
    ),
    DemoPartner(
        "Child Helpline 116 Kenya (demo)",
        "Helpline 116",
        Org.NGO,
        "The national toll-free child helpline: counselling by phone and referral of child "
        "protection cases.",
        "Registered NGO",
        "childline",
        mou=("signed", date(2023, 4, 1), date(2026, 3, 31)),
        locations=(DemoLocation("Telephone helpline (demo)", virtual=True),),
        services=(
            DemoService(
                "Child helpline 116",
                (S.PSYCHOSOCIAL, S.LAW_ENFORCEMENT),
                "Anyone may call about a child at risk; counsellors refer cases to children's "
                "officers and police.",
                hours=ROUND_THE_CLOCK,
                counties=(),
                max_age=17,
                languages=("sw", "en", "so", "luo", "ki", "kam"),
                fees="Free call.",
                how_to_refer="Call the helpline (116 in real life; the demo number below is invented).",
                phone=_n(116),
            ),
        ),
        contact=("Beatrice Auma", "Referrals supervisor"),
    ),
    DemoPartner(
        "International Organization for Migration, Kenya (demo)",
        "IOM",
        Org.INTERNATIONAL,
        "UN migration agency: assistance to migrants in vulnerable situations, including victims "
        "of trafficking, and assisted voluntary return.",
        "Intergovernmental organisation",
        "iom",
        mou=("signed", date(2024, 2, 1), date(2027, 1, 31)),
        locations=(
            DemoLocation(
                "IOM office, Gigiri (demo)", "UN Avenue, Gigiri (demo)", 274, 1366, -1.2330, 36.8050
            ),
        ),
        services=(
            DemoService(
                "Assisted voluntary return and reintegration",
                (S.REPATRIATION, S.FAMILY_TRACING, S.ECONOMIC),
                "Family assessment, travel, reception on arrival and a reintegration grant.",
                nationality="foreign",
                counties=(),
                languages=("en", "sw", "fr", "am", "so", "ar"),
                wait_time="Four to eight weeks",
            ),
            DemoService(
                "Direct assistance to victims of trafficking",
                (S.MATERIAL, S.MEDICAL, S.SHELTER),
                "Case-by-case funding for accommodation, medical care and material needs.",
                counties=(),
                languages=("en", "sw", "fr"),
            ),
        ),
        phone=_n(240),
        contact=("Maria Lopez", "Protection officer"),
    ),
    DemoPartner(
        "UNHCR Kenya (demo)",
        "UNHCR",
        Org.INTERNATIONAL,
        "UN refugee agency: registration, protection and durable solutions for refugees.",
        "Intergovernmental organisation",
        "unhcr",
        mou=("in_negotiation", None, None),
        locations=(
            DemoLocation(
                "UNHCR office, Westlands (demo)",
                "Lower Kabete Road (demo)",
                274,
                1367,
                -1.2600,
                36.8000,
            ),
        ),
        services=(
            DemoService(
                "Refugee protection and registration",
                (S.LEGAL_AID, S.MATERIAL),
                "Protection interviews, referral to registration and to the refugee status process.",
                nationality="refugee",
                counties=(),
                languages=("en", "sw", "so", "am", "ti", "fr", "ar"),
                hours=(("MO,TU,WE,TH", "08:30", "16:30"),),
            ),
        ),
        phone=_n(250),
        contact=("Ahmed Noor", "Protection associate"),
    ),
    DemoPartner(
        "Embassy of Ethiopia (demo)",
        "Ethiopia",
        Org.EMBASSY,
        "Consular services for Ethiopian nationals in Kenya.",
        "Diplomatic mission",
        "ethiopia",
        mou=("none", None, None),
        locations=(
            DemoLocation(
                "Embassy of Ethiopia (demo)",
                "State House Avenue (demo)",
                275,
                1374,
                -1.2870,
                36.8050,
            ),
        ),
        services=(
            DemoService(
                "Consular assistance and emergency travel documents",
                (S.CONSULAR, S.REPATRIATION),
                "Nationality verification, emergency travel documents, help with return.",
                nationality="own_nationals",
                counties=(),
                languages=("am", "om", "ti", "en"),
                fees="Emergency travel documents are free for trafficking victims.",
            ),
        ),
        phone=_n(260),
        contact=("Consular officer", "Consular section"),
        website=False,
    ),
    DemoPartner(
        "Uganda High Commission (demo)",
        "Uganda",
        Org.EMBASSY,
        "Consular services for Ugandan nationals in Kenya.",
        "Diplomatic mission",
        "uganda",
        locations=(
            DemoLocation(
                "Uganda High Commission (demo)",
                "Riverside Drive (demo)",
                274,
                1367,
                -1.2710,
                36.7950,
            ),
        ),
        services=(
            DemoService(
                "Consular assistance and emergency travel documents",
                (S.CONSULAR, S.REPATRIATION),
                "Emergency travel documents and coordination of return with Ugandan authorities.",
                nationality="own_nationals",
                counties=(),
                languages=("en", "sw", "lg"),
            ),
        ),
        phone=_n(270),
        contact=("Consular attaché", "Consular section"),
        website=False,
    ),
    DemoPartner(
        "Embassy of Burundi (demo)",
        "Burundi",
        Org.EMBASSY,
        "Consular services for Burundian nationals in Kenya.",
        "Diplomatic mission",
        "burundi",
        locations=(
            DemoLocation(
                "Embassy of Burundi (demo)", "Lenana Road (demo)", 275, 1371, -1.2960, 36.7900
            ),
        ),
        services=(
            DemoService(
                "Consular assistance",
                (S.CONSULAR,),
                "Nationality verification and travel documents.",
                nationality="own_nationals",
                counties=(),
                languages=("fr", "rn", "sw"),
                hours=(("MO,TU,WE,TH", "09:00", "15:00"),),
            ),
        ),
        phone=_n(280),
        contact=("First secretary", "Consular section"),
        website=False,
    ),
    DemoPartner(
        "Department of Immigration Services, Nairobi (demo)",
        "Immigration",
        Org.IMMIGRATION,
        "Immigration status, permits and travel documents.",
        "National government department",
        "immigration",
        locations=(
            DemoLocation(
                "Immigration offices, city centre (demo)",
                "Uhuru Highway (demo)",
                289,
                1439,
                -1.2890,
                36.8210,
            ),
        ),
        services=(
            DemoService(
                "Immigration status for foreign survivors",
                (S.CONSULAR,),
                "Regularising the stay of foreign victims of trafficking during investigation and trial.",
                nationality="foreign",
                counties=(),
                fees="Fees waived for certified victims of trafficking.",
                wait_time="Two to four weeks",
            ),
        ),
        phone=_n(290),
        contact=("Assistant director", "Investigations and enforcement"),
    ),
    DemoPartner(
        "Counter Trafficking in Persons Secretariat (demo)",
        "CTiP Secretariat",
        Org.CENTRAL_GOVERNMENT,
        "National secretariat of the Counter-Trafficking in Persons Advisory Committee; manages the "
        "victim assistance fund.",
        "National government",
        "ctip",
        mou=("signed", date(2025, 1, 1), date(2029, 12, 31)),
        locations=(
            DemoLocation(
                "Secretariat offices (demo)", "Harambee Avenue (demo)", 289, 1439, -1.2860, 36.8240
            ),
        ),
        services=(
            DemoService(
                "Victim assistance fund",
                (S.MATERIAL, S.REPATRIATION),
                "Grants for the return and reintegration of victims identified in Kenya.",
                counties=(),
                how_to_refer="Application by the case manager with the centre director's approval.",
                wait_time="About a month",
            ),
        ),
        phone=_n(300),
        contact=("Programme officer", "Victim assistance"),
    ),
    DemoPartner(
        "Department of Children's Services, Nairobi (demo)",
        "Children's Services",
        Org.CENTRAL_GOVERNMENT,
        "Children's officers for child protection cases, care orders and placement.",
        "National government department",
        "childrens-services",
        mou=("signed", date(2024, 9, 1), date(2027, 8, 31)),
        locations=(
            DemoLocation(
                "Children's office, Nairobi (demo)",
                "Community Road (demo)",
                289,
                1440,
                -1.2750,
                36.8290,
            ),
        ),
        services=(
            DemoService(
                "Child protection and placement",
                (S.FAMILY_TRACING, S.LEGAL_AID),
                "Children's officers take child cases to the children's court and arrange placement.",
                max_age=17,
                fees="Free.",
            ),
        ),
        phone=_n(310),
        contact=("Sub-county children's officer", "Child protection"),
    ),
    DemoPartner(
        "Mother of Mercy Safe Home (demo)",
        "Mercy Home",
        Org.FAITH_BASED,
        "A faith-based safe home for women and girls escaping trafficking and violence.",
        "Registered charitable trust",
        "mercy-home",
        mou=("signed", date(2025, 2, 1), date(2027, 1, 31)),
        locations=(DemoLocation("Mercy Home residence (demo)", confidential=True),),
        services=(
            DemoService(
                "Safe shelter for women and girls",
                (S.SHELTER, S.PSYCHOSOCIAL),
                "Up to three months of safe accommodation, counselling and life skills.",
                hours=ROUND_THE_CLOCK,
                sex="female",
                min_age=12,
                counties=METRO,
                how_to_refer="Only through the rescue centre's shelter manager.",
            ),
        ),
        phone=_n(320),
        contact=("Sister Agnes", "Home manager"),
    ),
    DemoPartner(
        "Good Shepherd Children's Home (demo)",
        "Good Shepherd",
        Org.FAITH_BASED,
        "Faith-based children's home offering temporary care for rescued children.",
        "Registered charitable children's institution",
        "good-shepherd",
        mou=("expired", date(2021, 6, 1), date(2024, 5, 31)),
        locations=(DemoLocation("Children's home (demo)", confidential=True),),
        services=(
            DemoService(
                "Temporary care for rescued children",
                (S.SHELTER, S.EDUCATION),
                "Temporary care with schooling while children's officers trace the family.",
                hours=ROUND_THE_CLOCK,
                min_age=6,
                max_age=17,
                how_to_refer="Only on a children's officer's placement order.",
            ),
        ),
        phone=_n(330),
        contact=("Father Kimani", "Director"),
    ),
    DemoPartner(
        "Al-Amin Muslim Welfare Society (demo)",
        "Al-Amin",
        Org.FAITH_BASED,
        "Community welfare society in Eastleigh: food, clothing and interpreters.",
        "Registered society",
        "al-amin",
        locations=(
            DemoLocation(
                "Al-Amin centre, Eastleigh (demo)",
                "Second Avenue Eastleigh (demo)",
                288,
                1436,
                -1.2770,
                36.8520,
            ),
        ),
        services=(
            DemoService(
                "Material support",
                (S.MATERIAL,),
                "Food parcels, clothing, dignity kits and bus fare.",
                hours=((WEEKDAYS, "09:00", "16:00"), ("SA,SU", "10:00", "13:00")),
                languages=("so", "ar", "sw", "en"),
            ),
            DemoService(
                "Community interpreters",
                (S.INTERPRETATION,),
                "Volunteer interpreters for Somali, Arabic, Amharic and Oromo.",
                languages=("so", "ar", "am", "om"),
                how_to_refer="Book two days ahead.",
            ),
        ),
        phone=_n(340),
        contact=("Sheikh Omar", "Welfare secretary"),
    ),
    DemoPartner(
        "Ujuzi Vocational Training Institute (demo)",
        "Ujuzi",
        Org.SCHOOL,
        "Vocational institute offering six-month courses with start-up toolkits.",
        "Registered technical and vocational college",
        "ujuzi",
        mou=("signed", date(2025, 8, 1), date(2026, 7, 31)),
        locations=(
            DemoLocation(
                "Ujuzi campus, Utawala (demo)", "Eastern Bypass (demo)", 285, 1424, -1.2890, 36.9600
            ),
        ),
        services=(
            DemoService(
                "Vocational training",
                (S.VOCATIONAL,),
                "Tailoring, hairdressing, catering, electrical installation and driving.",
                min_age=16,
                fees="Sponsored places for survivors; otherwise KES 15,000 a term.",
                wait_time="Intakes in January, May and September",
            ),
        ),
        phone=_n(350),
        contact=("Registrar", "Admissions"),
    ),
    DemoPartner(
        "Elimu Bridge Catch-up School (demo)",
        "Elimu Bridge",
        Org.SCHOOL,
        "Catch-up classes for children who missed school, then placement in public schools.",
        "Registered community school",
        "elimu-bridge",
        locations=(
            DemoLocation(
                "Elimu Bridge school, Huruma (demo)",
                "Huruma Road (demo)",
                290,
                1447,
                -1.2590,
                36.8700,
            ),
        ),
        services=(
            DemoService(
                "Catch-up education",
                (S.EDUCATION,),
                "Accelerated primary classes and school placement.",
                min_age=8,
                max_age=17,
                counties=(),
                sub_counties=(290, 281, 288),
                fees="Free.",
            ),
        ),
        phone=_n(360),
        contact=("Head teacher", "School office"),
    ),
    DemoPartner(
        "Kenya Red Cross Society, Nairobi branch (demo)",
        "Red Cross",
        Org.NGO,
        "Humanitarian society: restoring family links, psychosocial first aid and emergency relief.",
        "Statutory humanitarian society",
        "redcross",
        mou=("signed", date(2024, 1, 1), date(2026, 12, 31)),
        locations=(
            DemoLocation(
                "Red Cross branch office (demo)",
                "South C, Red Cross Road (demo)",
                277,
                1384,
                -1.3150,
                36.8250,
            ),
        ),
        services=(
            DemoService(
                "Restoring family links",
                (S.FAMILY_TRACING,),
                "Tracing family members in Kenya and abroad, and safe messages.",
                counties=(),
                languages=("sw", "en", "so", "fr", "am"),
                wait_time="Weeks to months",
            ),
        ),
        phone=_n(370),
        contact=("Tracing officer", "Restoring family links"),
    ),
    DemoPartner(
        "Lugha Interpreters' Cooperative (demo)",
        "Lugha",
        Org.CORPORATE,
        "Interpreters for police interviews, court and counselling sessions.",
        "Registered cooperative society",
        "lugha",
        locations=(DemoLocation("Remote interpreting (demo)", virtual=True),),
        services=(
            DemoService(
                "Interpretation by phone and in person",
                (S.INTERPRETATION,),
                "Interpreters trained in confidentiality and trauma-informed interpreting.",
                hours=((EVERY_DAY, "07:00", "22:00"),),
                counties=METRO,
                languages=("so", "am", "om", "ti", "ar", "fr", "rn", "lg", "sw", "en"),
                fees="Paid by the referring organisation (rates on request).",
                how_to_refer="Book 24 hours ahead; same day for court emergencies.",
            ),
        ),
        phone=_n(380),
        contact=("Bookings desk", "Coordination"),
    ),
    DemoPartner(
        "Amani Counselling Centre (demo)",
        "Amani",
        Org.NGO,
        "Counselling centre specialising in trauma, with sessions in several languages.",
        "Registered NGO",
        "amani",
        mou=("in_negotiation", None, None),
        locations=(
            DemoLocation(
                "Amani centre, Parklands (demo)",
                "Third Parklands Avenue (demo)",
                274,
                1367,
                -1.2620,
                36.8160,
            ),
        ),
        services=(
            DemoService(
                "Trauma counselling",
                (S.PSYCHOSOCIAL,),
                "Trauma-focused counselling for adults and adolescents; family sessions.",
                min_age=13,
                languages=("sw", "en", "hi", "gu"),
                fees="Sliding scale; free for referred survivors.",
                wait_time="About two weeks",
                hours=OFFICE_AND_SATURDAY,
            ),
        ),
        phone=_n(390),
        contact=("Clinical lead", "Counselling"),
    ),
    DemoPartner(
        "Mwanzo Mpya Survivors' Network (demo)",
        "Mwanzo Mpya",
        Org.NGO,
        "Survivor-led network offering peer support and savings groups.",
        "Registered community-based organisation",
        "mwanzo-mpya",
        locations=(
            DemoLocation(
                "Network office, Umoja (demo)",
                "Moi Drive, Umoja (demo)",
                286,
                1426,
                -1.2840,
                36.8980,
            ),
        ),
        services=(
            DemoService(
                "Peer support and savings groups",
                (S.PSYCHOSOCIAL, S.ECONOMIC),
                "Weekly peer groups led by survivors, and table banking.",
                min_age=18,
                hours=(("SA", "10:00", "14:00"),),
                fees="Free.",
            ),
        ),
        phone=_n(400),
        contact=("Chairperson", "Peer support"),
    ),
)
