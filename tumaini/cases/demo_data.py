"""The invented content of the demo caseload: names, places, stories, stage plan, goals and notes.

Kept apart from the code that writes it (`cases/demo.py`); the name lists are shared with
`manage.py seed_scale`.
"""

from __future__ import annotations

from dataclasses import dataclass

from tumaini.cases.enums import (
    CaseStage,
    IntakeSource,
)

DEMO_SEED = 2026
DEMO_CASE_COUNT = 40
# "TUM-26-DEMX-33", "TUM-26-DEMX-34", ...: valid case numbers (alphabet of cases.models.case) that
# the random numbers of real cases are vanishingly unlikely to take.
DEMO_NUMBER_PREFIX = "TUM-26-DEMX-"

# --- Names (invented combinations; shared with seed_scale) ---------------------------------------

FEMALE_FIRST_NAMES = (
    "Mary",
    "Faith",
    "Grace",
    "Wanjiru",
    "Akinyi",
    "Mercy",
    "Achieng",
    "Jane",
    "Esther",
    "Atieno",
    "Ann",
    "Nyambura",
    "Wambui",
    "Lucy",
    "Wanjiku",
    "Njeri",
    "Chebet",
    "Ruth",
    "Adhiambo",
    "Joy",
    "Wairimu",
    "Muthoni",
    "Halima",
    "Fatuma",
    "Amina",
    "Kerubo",
    "Moraa",
    "Nafula",
    "Nekesa",
    "Mwende",
    "Mwikali",
    "Ndinda",
    "Zawadi",
    "Beatrice",
    "Caroline",
    "Purity",
    "Gladys",
    "Winnie",
    "Sharon",
    "Brenda",
    "Diana",
    "Cynthia",
    "Eunice",
    "Rose",
    "Margaret",
    "Agnes",
    "Irene",
    "Auma",
    "Awino",
    "Wangari",
    "Waithera",
    "Nyokabi",
    "Chepkoech",
    "Jepkosgei",
    "Jeptoo",
    "Cherono",
    "Kwamboka",
    "Naliaka",
    "Kanini",
    "Rehema",
)
MALE_FIRST_NAMES = (
    "John",
    "Peter",
    "Brian",
    "Kevin",
    "Joseph",
    "David",
    "Daniel",
    "Samuel",
    "James",
    "Dennis",
    "Otieno",
    "Ochieng",
    "Kamau",
    "Mwangi",
    "Kiprono",
    "Juma",
    "Collins",
    "Victor",
    "Hassan",
    "Omondi",
    "Onyango",
    "Njoroge",
    "Kariuki",
    "Kibet",
    "Mutua",
    "Wafula",
    "Barasa",
    "Bakari",
    "Omari",
    "Said",
    "Felix",
    "Stephen",
    "Paul",
    "George",
    "Michael",
    "Eric",
    "Vincent",
    "Kennedy",
    "Elijah",
    "Moses",
    "Isaac",
    "Tom",
    "Patrick",
    "Francis",
    "Charles",
    "Geoffrey",
    "Evans",
    "Martin",
    "Nicholas",
    "Gitau",
    "Macharia",
    "Kimani",
    "Kipchumba",
    "Kiptoo",
    "Cheruiyot",
    "Musyoka",
    "Muli",
    "Wekesa",
    "Owino",
    "Odhiambo",
)
SURNAMES = (
    "Otieno", "Kamau", "Mwangi", "Ochieng", "Odhiambo", "Wanjiru", "Omondi", "Onyango", "Njoroge",
    "Kariuki", "Kimani", "Maina", "Kiprono", "Mutua", "Wafula", "Wekesa", "Juma", "Ouma", "Owino",
    "Akinyi", "Achieng", "Atieno", "Njeri", "Wambui", "Nyambura", "Chebet", "Kiptoo", "Kibet",
    "Cheruiyot", "Rotich", "Langat", "Koech", "Kirui", "Korir", "Kipkemboi", "Kiplagat", "Ngugi",
    "Gitau", "Macharia", "Githinji", "Kinyua", "Muriuki", "Wainaina", "Waweru", "Karanja",
    "Ndungu", "Mbugua", "Nyaga", "Njiru", "Muthomi", "Kinoti", "Gitonga", "Murithi", "Mutiso",
    "Musyoka", "Muli", "Kioko", "Mwendwa", "Nzioka", "Wambua", "Kilonzo", "Mbithi", "Barasa",
    "Simiyu", "Wanyama", "Nyongesa", "Wanyonyi", "Makokha", "Masinde", "Shikuku", "Mukhwana",
    "Okoth", "Okello", "Oduor", "Obiero", "Opiyo", "Odongo", "Ogola", "Okumu", "Were", "Awuor",
    "Anyango", "Adhiambo", "Nyakundi", "Moraa", "Kerubo", "Nyamweya", "Ondieki", "Mokaya",
    "Onsongo", "Bosire", "Omwenga", "Ombati", "Hassan", "Mohamed", "Ali", "Abdi", "Omar", "Said",
    "Bakari", "Hamisi", "Salim", "Rashid", "Mwinyi", "Baya", "Kazungu", "Karisa", "Katana", "Kahindi",
    "Charo", "Mwamba", "Tsuma", "Lekishon", "Ole Sankale", "Sironka", "Lemayian", "Naserian",
    "Ekai", "Lokwang", "Ekwam", "Lomuria", "Nakhumicha", "Chepkemoi", "Jepchirchir", "Biwott",
    "Tanui", "Sang", "Keter", "Yego", "Mutai", "Bett", "Ngetich", "Chelimo", "Kosgei", "Ruto",
    "Too", "Kimutai", "Kemboi", "Kipruto", "Muthama", "Kyalo", "Ndambuki", "Mulwa", "Maundu",
    "Kamande", "Kabiru", "Thuo", "Wachira", "Gachanja", "Nderitu", "Ng'ang'a", "Mugo", "Mureithi",
    "Kagwe", "Irungu", "Njuguna", "Gichuki",
)  # fmt: skip

# --- Places --------------------------------------------------------------------------------------

NAIROBI = 47
# Counties survivors are often recruited from (Constitution numbering, core.reference).
RECRUITMENT_COUNTIES = (37, 39, 40, 42, 43, 44, 3, 2, 1, 15, 21, 22, 32, 45, 23)
GULF = ("SA", "OM", "QA", "LB", "AE")
NEIGHBOURS = ("UG", "TZ", "SS")
NAIROBI_SUB_COUNTIES = (274, 277, 280, 282, 285, 288, 289, 290)


@dataclass(frozen=True)
class Story:
    """One kind of case the centre sees."""

    key: str
    child: bool
    female: float  # probability the survivor is female
    exploitation_types: tuple[str, ...]
    labour_sectors: tuple[str, ...]
    sexual_types: tuple[str, ...]
    means_of_control: tuple[str, ...]
    acts: tuple[str, ...]
    means: tuple[str, ...]
    recruiter: str
    sources: tuple[str, ...]
    exploitation_countries: tuple[str, ...]  # "KE" = domestic
    citizenships: tuple[str, ...]
    narrative: str
    where: str


STORIES = (
    Story(
        "gulf_domestic", False, 0.95, ("Servitude", "ForcedLabour"), ("DomesticWork",), (),
        ("WithholdsDocuments", "ExcessiveWorkingHours", "TakesEarnings", "RestrictsMovement",
         "PhysicalAbuse"),
        ("recruitment", "transportation", "harbouring"), ("deception", "fraud"), "Other",
        (IntakeSource.EMBASSY, IntakeSource.IMMIGRATION, IntakeSource.NGO, IntakeSource.HOTLINE),
        GULF, ("KE",),
        "Recruited by an agent promising a job as a house help abroad. On arrival the employer took "
        "her passport, she worked from 5 a.m. to midnight without pay and was not allowed out.",
        "Jomo Kenyatta International Airport, on return",
    ),
    Story(
        "nairobi_sexual", False, 1.0, ("SexualExploitation",), (), ("Prostitution", "PrivateSexualServices"),
        ("DebtBondage", "Threats", "PsychoactiveSubstances", "TakesEarnings"),
        ("recruitment", "transportation", "harbouring"), ("deception", "coercion", "abuse_of_power"),
        "Friend", (IntakeSource.POLICE, IntakeSource.GBV_HELPLINE, IntakeSource.PUBLIC_REPORT),
        ("KE",), ("KE", "UG", "TZ"),
        "Brought to Nairobi by a friend who promised work in a salon; kept in a flat in Eastleigh "
        "and made to see clients to pay off a 'debt' for transport and rent.",
        "A flat in Eastleigh, after a police operation",
    ),
    Story(
        "child_sexual", True, 0.9, ("SexualExploitation",), (), ("Prostitution",),
        ("Threats", "PsychoactiveSubstances", "RestrictsMovement"),
        ("recruitment", "transportation", "harbouring"), (), "Other",
        (IntakeSource.CHILD_HELPLINE, IntakeSource.POLICE, IntakeSource.PUBLIC_REPORT),
        ("KE",), ("KE",),
        "Left home after her mother died; a woman at the bus stage offered her a place to stay in "
        "Nairobi and then sold her to men in a lodging in Kayole.",
        "A lodging in Kayole, reported to the child helpline 116",
    ),
    Story(
        "agriculture", False, 0.2, ("ForcedLabour",), ("Agriculture",), (),
        ("DebtBondage", "WithholdsDocuments", "ExcessiveWorkingHours", "WithholdsNecessities"),
        ("recruitment", "transportation", "receipt"), ("fraud", "deception", "payments"), "Other",
        (IntakeSource.LABOUR_OFFICER, IntakeSource.POLICE, IntakeSource.NGO),
        ("KE", "UG", "TZ"), ("KE", "UG", "TZ"),
        "Recruited for seasonal work on a farm; the broker kept his identity card and deducted "
        "transport, food and lodging from wages that were never paid.",
        "A flower farm near Naivasha, during a labour inspection",
    ),
    Story(
        "fishing", True, 0.1, ("ChildLabour", "ForcedLabour"), ("Aquafarming",), (),
        ("ExcessiveWorkingHours", "PhysicalAbuse", "WithholdsNecessities", "RestrictsMovement"),
        ("recruitment", "transportation", "harbouring"), (), "Family",
        (IntakeSource.CHILD_HELPLINE, IntakeSource.NGO, IntakeSource.POLICE),
        ("KE", "UG"), ("KE", "UG"),
        "An uncle took him from school to work on a fishing boat on Lake Victoria; he mended nets "
        "at night and was beaten when the catch was small.",
        "A beach landing site on Lake Victoria",
    ),
    Story(
        "child_domestic", True, 0.85, ("ChildLabour",), ("DomesticWork",), (),
        ("ExcessiveWorkingHours", "PsychologicalAbuse", "RestrictsMovement", "TakesEarnings"),
        ("recruitment", "transportation", "receipt"), (), "Family",
        (IntakeSource.CHILD_HELPLINE, IntakeSource.WALK_IN, IntakeSource.PUBLIC_REPORT),
        ("KE",), ("KE",),
        "Sent by a relative to work as a house help in Nairobi at thirteen; not in school, unpaid, "
        "sleeping in the kitchen.",
        "A house in Kileleshwa, reported by a neighbour",
    ),
    Story(
        "forced_begging", True, 0.5, ("ForcedBegging",), ("Begging",), (),
        ("TakesEarnings", "Threats", "PhysicalAbuse", "UsesChildren"),
        ("recruitment", "transportation", "harbouring"), (), "Other",
        (IntakeSource.POLICE, IntakeSource.CHILD_HELPLINE, IntakeSource.NGO),
        ("KE",), ("TZ", "SS", "KE"),
        "Brought across the border with other children and made to beg in the city centre; an adult "
        "collected the money every evening.",
        "Moi Avenue, city centre",
    ),
    Story(
        "construction", False, 0.0, ("ForcedLabour",), ("Construction",), (),
        ("DebtBondage", "WithholdsDocuments", "ThreatOfLawEnforcement"),
        ("recruitment", "transportation"), ("fraud", "deception"), "Friend",
        (IntakeSource.EMBASSY, IntakeSource.IMMIGRATION),
        ("SA", "QA"), ("KE",),
        "Paid an agency for a driver's job abroad and was put to work on a building site; the "
        "employer cancelled his permit and threatened him with arrest if he left.",
        "Returned through the embassy",
    ),
)  # fmt: skip

# Forty cases: the stage of each, in order (so every stage is present whatever the seed).
STAGE_PLAN = (
    [CaseStage.SCREENING] * 6
    + [CaseStage.PROTECTION] * 5
    + [CaseStage.ASSESSMENT] * 5
    + [CaseStage.CARE_PLANNING] * 6
    + [CaseStage.ASSISTANCE] * 6
    + [CaseStage.REINTEGRATION] * 4
    + [CaseStage.FOLLOW_UP] * 4
    + [CaseStage.CLOSED] * 4
)
STAGE_ORDER = list(CaseStage.values)

GOALS = {
    "Health": "Medical check-up and treatment at Mji Mwema Hospital",
    "SocialCare": "Weekly counselling sessions",
    "Legal": "Statement to the police and legal aid from Haki clinic",
    "Livelihood": "Tailoring course and start-up kit",
    "Education": "Return to school, fees and uniform",
}
NOTES = (
    "Met the survivor at the centre; settling in, sleeping better.",
    "Phoned the family; they are willing to receive her back.",
    "Accompanied to the police station to record a statement.",
    "Home visit: the family's situation is stable; follow-up in a month.",
    "Supervision: discussed safety planning with the director.",
)
