"""Reference data: countries, languages, Kenya's counties and Nairobi's sub-counties and wards.

Loaded by `manage.py load_reference_data` on every start, so loading must be idempotent and cheap:
one upsert per table. Rows are never deleted (records point at them); a renamed entry is updated.
Sources are described in `tumaini/core/data/SOURCE.md`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pycountry
from django.db import transaction

from tumaini.core.models import Country, County, Language, SubCounty, Ward

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTIES_FILE = DATA_DIR / "kenya_counties.csv"
NAIROBI_WARDS_FILE = DATA_DIR / "geo" / "nairobi_wards_iebc.csv"
NAIROBI_COUNTY_CODE = 47

# Main Kenyan languages that have no ISO 639-1 code, by their ISO 639-3 code, with the names people in
# Kenya use (pycountry's names are the ISO reference names: "Masai", "Gusii", "Luyia"...).
# Kikuyu is not here: it has the ISO 639-1 code "ki" and comes with that set (a language always takes
# its shortest ISO code, as in BCP 47 language tags). Turkana is "tuv"; "tuf" is a Colombian language.
KENYAN_LANGUAGES: dict[str, str] = {
    "luo": "Dholuo",
    "luy": "Luhya",
    "kam": "Kamba",
    "kln": "Kalenjin",
    "guz": "Ekegusii",
    "mer": "Meru",
    "mas": "Maasai",
    "tuv": "Turkana",
    "ebu": "Embu",
    "nyf": "Giryama (Mijikenda)",
    "pko": "Pokot",
    "saq": "Samburu",
    "teo": "Teso",
    "dav": "Taita",
    "rel": "Rendille",
    "gax": "Borana",
}

# Clearer names than the ISO reference names for a few ISO 639-1 languages.
LANGUAGE_NAME_OVERRIDES: dict[str, str] = {
    "ki": "Kikuyu (Gikuyu)",
    "sw": "Kiswahili",
    "el": "Greek",
}


@dataclass(frozen=True)
class ReferenceCounts:
    countries: int
    languages: int
    counties: int
    sub_counties: int
    wards: int

    def summary(self) -> str:
        return (
            f"Reference data: {self.countries} countries, {self.languages} languages, "
            f"{self.counties} counties, {self.sub_counties} sub-counties, {self.wards} wards."
        )


def _country_rows() -> list[Country]:
    # common_name where ISO has one ("Tanzania" rather than "Tanzania, United Republic of").
    return [
        Country(code=country.alpha_2, name=getattr(country, "common_name", None) or country.name)
        for country in pycountry.countries
    ]


def _language_rows() -> list[Language]:
    rows: dict[str, str] = {}
    for language in pycountry.languages:
        code = getattr(language, "alpha_2", None)
        if code:
            name = language.name.removesuffix(" (macrolanguage)")
            rows[code] = LANGUAGE_NAME_OVERRIDES.get(code, name)
    for code, name in KENYAN_LANGUAGES.items():
        language = pycountry.languages.get(alpha_3=code)
        if language is None or getattr(language, "alpha_2", None):
            raise ValueError(f"{code} is not an ISO 639-3-only language in pycountry")
        rows[code] = name
    return [Language(code=code, name=name) for code, name in rows.items()]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _upsert(model, rows: list, fields: list[str]) -> int:
    model.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["code"], update_fields=fields
    )
    return model.objects.count()


@transaction.atomic
def load_reference_data() -> ReferenceCounts:
    """Create or update every reference table; safe to run any number of times."""
    countries = _upsert(Country, _country_rows(), ["name"])
    languages = _upsert(Language, _language_rows(), ["name"])

    counties = _upsert(
        County,
        [County(code=int(row["code"]), name=row["name"]) for row in _read_csv(COUNTIES_FILE)],
        ["name"],
    )

    ward_rows = _read_csv(NAIROBI_WARDS_FILE)
    sub_counties = {
        int(row["constituency_code"]): row["constituency_name"]
        for row in ward_rows
        if int(row["county_code"]) == NAIROBI_COUNTY_CODE
    }
    _upsert(
        SubCounty,
        [
            SubCounty(code=code, name=name, county_id=NAIROBI_COUNTY_CODE)
            for code, name in sorted(sub_counties.items())
        ],
        ["name", "county"],
    )
    _upsert(
        Ward,
        [
            Ward(
                code=int(row["ward_code"]),
                name=row["ward_name"],
                sub_county_id=int(row["constituency_code"]),
            )
            for row in ward_rows
        ],
        ["name", "sub_county"],
    )
    return ReferenceCounts(
        countries=countries,
        languages=languages,
        counties=counties,
        sub_counties=SubCounty.objects.count(),
        wards=Ward.objects.count(),
    )
