"""Case data in the layout of the CTDC global dataset, k-anonymised before it leaves.

Columns and codes follow the CTDC codebook (v6) and data dictionary (2018): flags are "1", "0" or
"-99" (missing), countries ISO 3166-1 alpha-2, `Datasource` is "Case Management". Only survivors whose
consent allows statistics, and who were identified as possible or actual victims, are exported.

CTDC publishes only k-anonymous data (k = 11): every combination of the quasi-identifiers (year of
registration, gender, age band, citizenship, country of exploitation, type of exploitation) must
occur at least k times. `anonymise` gets there by local suppression: for the rows still in a small
group, one quasi-identifier at a time is replaced by "-99", in the order that loses least (age band
first: the majority status stays); rows still in a group under k after that are left out. Suppressing
the type of exploitation blanks every column that would reveal it again (the is* flags, the labour and
sexual-exploitation types), so a suppressed value cannot be rebuilt from the rest of the row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.utils import translation

from tumaini.cases.enums import (
    ExploitationType,
    LabourSector,
    MeansOfControl,
    RecruiterRelation,
    SexualExploitationType,
    TraffickingDecision,
    TraffickingEventType,
)
from tumaini.people.enums import Gender

K = 11
MISSING = "-99"
DATASOURCE = "Case Management"

MEANS = [
    ("DebtBondage", MeansOfControl.DEBT_BONDAGE),
    ("TakesEarnings", MeansOfControl.TAKES_EARNINGS),
    ("RestrictsFinancialAccess", MeansOfControl.RESTRICTS_FINANCIAL_ACCESS),
    ("Threats", MeansOfControl.THREATS),
    ("PsychologicalAbuse", MeansOfControl.PSYCHOLOGICAL_ABUSE),
    ("PhysicalAbuse", MeansOfControl.PHYSICAL_ABUSE),
    ("SexualAbuse", MeansOfControl.SEXUAL_ABUSE),
    ("FalsePromises", MeansOfControl.FALSE_PROMISES),
    ("PsychoactiveSubstances", MeansOfControl.PSYCHOACTIVE_SUBSTANCES),
    ("RestrictsMovement", MeansOfControl.RESTRICTS_MOVEMENT),
    ("RestrictsMedicalCare", MeansOfControl.RESTRICTS_MEDICAL_CARE),
    ("ExcessiveWorkingHours", MeansOfControl.EXCESSIVE_HOURS),
    ("UsesChildren", MeansOfControl.USES_CHILDREN),
    ("ThreatOfLawEnforcement", MeansOfControl.THREAT_OF_LAW_ENFORCEMENT),
    ("WithholdsNecessities", MeansOfControl.WITHHOLDS_NECESSITIES),
    ("WithholdsDocuments", MeansOfControl.WITHHOLDS_DOCUMENTS),
    ("Other", MeansOfControl.OTHER),
]
LABOUR = [(code, code) for code in LabourSector.values]
SEX = [(code, code) for code in SexualExploitationType.values]

# CTDC's exploitation flags, their description (for the concatenation) and our codes behind each.
EXPLOITS = [
    (
        "isForcedLabour",
        "Forced labour",
        {
            ExploitationType.FORCED_LABOUR,
            ExploitationType.CHILD_LABOUR,
            ExploitationType.SERVITUDE,
            ExploitationType.FORCED_BEGGING,
        },
    ),
    ("isSexualExploit", "Sexual exploitation", {ExploitationType.SEXUAL_EXPLOITATION}),
    (
        "isOtherExploit",
        "Other",
        {ExploitationType.OTHER, ExploitationType.FORCED_ADOPTION, ExploitationType.SURROGACY},
    ),
    (
        "isForcedMarriage",
        "Forced marriage",
        {ExploitationType.FORCED_MARRIAGE, ExploitationType.CHILD_MARRIAGE},
    ),
    ("isForcedMilitary", "Forced military", {ExploitationType.FORCED_MILITARY}),
    ("isOrganRemoval", "Organ removal", {ExploitationType.ORGAN_REMOVAL}),
    ("isSlaveryAndPractices", "Slavery and similar practices", {ExploitationType.SLAVERY}),
]
RELATIONS = [
    ("IntimatePartner", RecruiterRelation.INTIMATE_PARTNER),
    ("Friend", RecruiterRelation.FRIEND),
    ("Family", RecruiterRelation.FAMILY),
    ("Other", RecruiterRelation.OTHER),
    ("Unknown", RecruiterRelation.UNKNOWN),
]
GENDERS = {
    Gender.FEMININE: "Female",
    Gender.MASCULINE: "Male",
    Gender.TRANSGENDER_FEMININE: "Transgender/NonConforming",
    Gender.TRANSGENDER_MASCULINE: "Transgender/NonConforming",
    Gender.NON_CONFORMING: "Transgender/NonConforming",
    Gender.UNKNOWN: "Unknown",
}
AGE_BANDS = [
    (0, 8, "0--8"),
    (9, 17, "9--17"),
    (18, 20, "18--20"),
    (21, 23, "21--23"),
    (24, 26, "24--26"),
    (27, 29, "27--29"),
    (30, 38, "30--38"),
    (39, 47, "39--47"),
    (48, 200, "48+"),
]

EXPLOIT_COLUMNS = (
    [name for name, _, _ in EXPLOITS[:3]]
    + ["isSexAndLabour"]
    + [name for name, _, _ in EXPLOITS[3:]]
    + ["typeOfExploitConcatenated"]
)
LABOUR_COLUMNS = [f"typeOfLabour{name}" for name, _ in LABOUR] + [
    "typeOfLabourNotSpecified",
    "typeOfLabourConcatenated",
]
SEX_COLUMNS = [f"typeOfSex{name}" for name, _ in SEX] + ["typeOfSexConcatenated"]
COLUMNS = (
    [
        "yearOfRegistration",
        "Datasource",
        "gender",
        "ageBroad",
        "majorityStatus",
        "majorityStatusAtExploit",
        "majorityEntry",
        "citizenship",
    ]
    + [f"meansOfControl{name}" for name, _ in MEANS]
    + ["meansOfControlNotSpecified", "meansOfControlConcatenated"]
    + EXPLOIT_COLUMNS
    + LABOUR_COLUMNS
    + SEX_COLUMNS
    + ["isAbduction", "RecruiterRelationship", "CountryOfExploitation"]
    + [f"recruiterRelation{name}" for name, _ in RELATIONS]
)

# The quasi-identifiers CTDC checks, and the order in which they are suppressed.
QUASI_IDENTIFIERS = [
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "typeOfExploitConcatenated",
]
SUPPRESSION_ORDER = [
    "ageBroad",
    "CountryOfExploitation",
    "citizenship",
    "typeOfExploitConcatenated",
    "yearOfRegistration",
    "gender",
]
# What else must go when a quasi-identifier is suppressed, because it would give it back.
SUPPRESSED_WITH = {"typeOfExploitConcatenated": EXPLOIT_COLUMNS + LABOUR_COLUMNS + SEX_COLUMNS}

VICTIM_DECISIONS = {TraffickingDecision.POSSIBLE, TraffickingDecision.ACTUAL}


@dataclass
class Survivor:
    """What the export needs of one case, read without any identifying field."""

    registered_on: date
    gender: str
    date_of_birth: date | None = None
    estimated_age: int | None = None
    age_estimated_on: date | None = None
    assessed_as_child: bool = False
    citizenship: str | None = None
    exploitation_types: list = field(default_factory=list)
    labour_sectors: list = field(default_factory=list)
    sexual_types: list = field(default_factory=list)
    means_of_control: list = field(default_factory=list)
    recruiter_relation: str = ""
    screening_means: list | None = None
    # (event type, country code, started on) of the case's trafficking events.
    events: list = field(default_factory=list)

    def age_on(self, when: date | None) -> int | None:
        if when is None:
            return None
        if self.date_of_birth:
            born = self.date_of_birth
            return when.year - born.year - ((when.month, when.day) < (born.month, born.day))
        if self.estimated_age is not None and self.age_estimated_on:
            return self.estimated_age + (when - self.age_estimated_on).days // 365
        return None


def _flag(present: bool) -> str:
    return "1" if present else "0"


def _majority(age: int | None, *, child: bool = False) -> str:
    if age is None:
        return "Minor" if child else MISSING
    return "Adult" if age >= 18 else "Minor"


def _age_band(age: int | None) -> str:
    if age is None or age < 0:
        return MISSING
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return MISSING


def _english_labels(choices, codes) -> str:
    with translation.override("en"):
        names = dict(choices)
        return ";".join(sorted(str(names[code]) for code in codes if code in names))


def _first_event(survivor: Survivor, kind: str):
    dated = sorted(
        (e for e in survivor.events if e[0] == kind),
        key=lambda e: (e[2] is None, e[2] or date.max),
    )
    return dated[0] if dated else None


def row_for(survivor: Survivor) -> dict[str, str]:
    """One CTDC row (every column, as text) for one survivor."""
    registered = survivor.registered_on
    row: dict[str, str] = {
        "yearOfRegistration": str(registered.year),
        "Datasource": DATASOURCE,
        "gender": GENDERS.get(survivor.gender, "Unknown"),
        "ageBroad": _age_band(survivor.age_on(registered)),
        "majorityStatus": _majority(survivor.age_on(registered), child=survivor.assessed_as_child),
    }
    exploitation = _first_event(survivor, TraffickingEventType.EXPLOITATION)
    recruitment = _first_event(survivor, TraffickingEventType.RECRUITMENT)
    row["majorityStatusAtExploit"] = _majority(
        survivor.age_on(exploitation[2] if exploitation else None)
    )
    row["majorityEntry"] = _majority(survivor.age_on(recruitment[2] if recruitment else None))
    row["citizenship"] = survivor.citizenship or MISSING

    means = set(survivor.means_of_control)
    for name, code in MEANS:
        row[f"meansOfControl{name}"] = _flag(code in means) if means else MISSING
    row["meansOfControlNotSpecified"] = _flag(not means)
    row["meansOfControlConcatenated"] = (
        _english_labels(MeansOfControl.choices, means) if means else MISSING
    )

    types = set(survivor.exploitation_types)
    flags = {name: bool(types & codes) for name, _, codes in EXPLOITS}
    for name, _, _ in EXPLOITS:
        row[name] = _flag(flags[name]) if types else MISSING
    row["isSexAndLabour"] = (
        _flag(flags["isForcedLabour"] and flags["isSexualExploit"]) if types else MISSING
    )
    row["typeOfExploitConcatenated"] = (
        ";".join(sorted(label for name, label, _ in EXPLOITS if flags[name])) or MISSING
    )

    _typed_flags(
        row,
        prefix="typeOfLabour",
        vocabulary=LABOUR,
        choices=LabourSector.choices,
        chosen=set(survivor.labour_sectors),
        applies=flags["isForcedLabour"],
        not_specified=True,
    )
    _typed_flags(
        row,
        prefix="typeOfSex",
        vocabulary=SEX,
        choices=SexualExploitationType.choices,
        chosen=set(survivor.sexual_types),
        applies=flags["isSexualExploit"],
        not_specified=False,
    )

    if survivor.screening_means is None:
        row["isAbduction"] = MISSING
    else:
        row["isAbduction"] = _flag("abduction" in survivor.screening_means)
    relation = survivor.recruiter_relation
    with translation.override("en"):
        row["RecruiterRelationship"] = (
            str(dict(RecruiterRelation.choices)[relation]) if relation else MISSING
        )
    row["CountryOfExploitation"] = exploitation[1] if exploitation and exploitation[1] else MISSING
    for name, code in RELATIONS:
        row[f"recruiterRelation{name}"] = _flag(relation == code) if relation else MISSING
    return row


def _typed_flags(row, *, prefix, vocabulary, choices, chosen, applies, not_specified) -> None:
    """Labour sectors or sexual-exploitation types: only meaningful when that exploitation applies."""
    for name, code in vocabulary:
        row[f"{prefix}{name}"] = _flag(code in chosen) if applies and chosen else MISSING
    if not_specified:
        row[f"{prefix}NotSpecified"] = _flag(not chosen) if applies else MISSING
    row[f"{prefix}Concatenated"] = (
        _english_labels(choices, chosen) if applies and chosen else MISSING
    )


@dataclass
class Anonymised:
    rows: list[dict[str, str]]
    # Quasi-identifier -> how many values were replaced by "-99" to reach k.
    suppressed_values: dict[str, int]
    rows_left_out: int
    k: int = K

    @property
    def smallest_group(self) -> int:
        groups = Counter(quasi_key(row) for row in self.rows)
        return min(groups.values()) if groups else 0


def quasi_key(row: dict[str, str]) -> tuple[str, ...]:
    return tuple(row[name] for name in QUASI_IDENTIFIERS)


def anonymise(rows: list[dict[str, str]], *, k: int = K) -> Anonymised:
    """Suppress quasi-identifiers of the rows in groups under k, then leave out what is still
    under k. Rows are copied; the input is not changed."""
    rows = [dict(row) for row in rows]
    suppressed = dict.fromkeys(SUPPRESSION_ORDER, 0)
    for column in SUPPRESSION_ORDER:
        groups = Counter(quasi_key(row) for row in rows)
        for row in rows:
            if groups[quasi_key(row)] < k and row[column] != MISSING:
                row[column] = MISSING
                for other in SUPPRESSED_WITH.get(column, ()):
                    row[other] = MISSING
                suppressed[column] += 1
    groups = Counter(quasi_key(row) for row in rows)
    kept = [row for row in rows if groups[quasi_key(row)] >= k]
    return Anonymised(rows=kept, suppressed_values=suppressed, rows_left_out=len(rows) - len(kept))
