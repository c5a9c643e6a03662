"""The CTDC export: the codebook's columns and codes, only consented victims, k = 11 on the output
(checked independently here), nothing identifying, and who may download it."""

import csv
import io
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import UserFactory
from tests.insights.builders import survivor
from tests.testapp.helpers import sign_in
from tumaini.accounts.enums import Role
from tumaini.cases.enums import TraffickingDecision
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent
from tumaini.insights import ctdc

QUASI = [
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "typeOfExploitConcatenated",
]
EXPLOIT_FLAGS = [
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "isSexAndLabour",
    "isForcedMarriage",
    "isForcedMilitary",
    "isOrganRemoval",
    "isSlaveryAndPractices",
]


def _export(tmp_path, *args) -> tuple[list[dict], str]:
    path = tmp_path / "ctdc.csv"
    out = StringIO()
    call_command("export_ctdc", "--output", str(path), *args, stdout=out)
    text = path.read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text))), out.getvalue()


def _groups(rows):
    return Counter(tuple(row[name] for name in QUASI) for row in rows)


@pytest.fixture
def caseload(personas):
    """12 alike (sexual exploitation in Kenya), 11 alike (domestic work in Saudi Arabia), and four
    survivors who would each be alone in their group."""
    for i in range(12):
        survivor(personas, given_name=f"Akinyi{i}")
    for i in range(11):
        survivor(
            personas,
            given_name=f"Wanjiku{i}",
            born=date_(1990, 1, 1),
            exploited_in="SA",
            types=("ForcedLabour",),
            labour=("DomesticWork",),
            sexual=(),
            means=("WithholdsDocuments",),
            relation="Family",
        )
    survivor(personas, given_name="Lone1", gender="Masculine", types=("OrganRemoval",), sexual=())
    survivor(personas, given_name="Lone2", citizenship="UG")
    survivor(personas, given_name="Lone3", born=date_(1950, 1, 1))
    survivor(personas, given_name="Lone4", born=date_(2000, 3, 1), exploited_in="AE")


def date_(*args):
    from datetime import date

    return date(*args)


@pytest.mark.django_db
def test_every_quasi_identifier_combination_occurs_at_least_eleven_times(tmp_path, caseload):
    rows, out = _export(tmp_path)
    groups = _groups(rows)
    assert groups and min(groups.values()) >= 11
    # The two large groups are there untouched, the lone survivors were suppressed into them or
    # left out: no row carries Uganda, the UAE, organ removal or the 48+ band.
    assert groups[("2026", "Female", "24--26", "KE", "KE", "Sexual exploitation")] >= 12
    assert groups[("2026", "Female", "30--38", "KE", "SA", "Forced labour")] == 11
    flat = {value for row in rows for value in row.values()}
    assert not {"UG", "AE", "Organ removal", "48+"} & flat
    assert "smallest group" in out and "Values suppressed to reach k" in out


@pytest.mark.django_db
def test_suppressed_exploitation_type_cannot_be_rebuilt_from_the_flags(tmp_path, caseload):
    rows, _ = _export(tmp_path)
    for row in rows:
        if row["typeOfExploitConcatenated"] == "-99":
            assert all(row[name] == "-99" for name in EXPLOIT_FLAGS)
            assert row["typeOfLabourConcatenated"] == "-99"
            assert row["typeOfSexConcatenated"] == "-99"


@pytest.mark.django_db
def test_columns_and_codes_follow_the_codebook(tmp_path, personas):
    for i in range(11):
        survivor(
            personas,
            given_name=f"Auma{i}",
            types=("ForcedLabour", "SexualExploitation"),
            labour=("DomesticWork", "Hospitality"),
            sexual=("Prostitution",),
            means=("Threats", "DebtBondage"),
            screening_means=("abduction", "deception"),
            relation="IntimatePartner",
        )
    rows, _ = _export(tmp_path)
    assert len(rows) == 11
    row = rows[0]
    assert list(row)[:8] == [
        "yearOfRegistration",
        "Datasource",
        "gender",
        "ageBroad",
        "majorityStatus",
        "majorityStatusAtExploit",
        "majorityEntry",
        "citizenship",
    ]
    assert row["Datasource"] == "Case Management"
    assert row["gender"] == "Female"
    assert row["ageBroad"] == "24--26"  # born 2000-03-01, registered 2026-02-10: 25
    assert (
        row["majorityStatus"] == row["majorityStatusAtExploit"] == row["majorityEntry"] == "Adult"
    )
    assert row["meansOfControlThreats"] == row["meansOfControlDebtBondage"] == "1"
    assert row["meansOfControlPhysicalAbuse"] == "0"
    assert row["meansOfControlNotSpecified"] == "0"
    assert row["meansOfControlConcatenated"] == "Debt bondage;Threats"
    assert row["isForcedLabour"] == row["isSexualExploit"] == row["isSexAndLabour"] == "1"
    assert row["isForcedMarriage"] == "0"
    assert row["typeOfExploitConcatenated"] == "Forced labour;Sexual exploitation"
    assert row["typeOfLabourDomesticWork"] == row["typeOfLabourHospitality"] == "1"
    assert row["typeOfLabourAgriculture"] == "0"
    assert row["typeOfLabourConcatenated"] == "Domestic work;Hospitality"
    assert row["typeOfSexProstitution"] == "1" and row["typeOfSexPornography"] == "0"
    assert row["isAbduction"] == "1"
    assert row["RecruiterRelationship"] == "Intimate partner"
    assert row["recruiterRelationIntimatePartner"] == "1" and row["recruiterRelationFamily"] == "0"
    assert row["CountryOfExploitation"] == "KE"
    for name, value in row.items():
        if name.startswith(
            ("meansOfControl", "is", "typeOf", "recruiterRelation")
        ) and not name.endswith("Concatenated"):
            assert value in {"1", "0", "-99"}, name


@pytest.mark.django_db
def test_only_survivors_who_consented_and_were_identified_as_victims(tmp_path, personas):
    for i in range(11):
        survivor(personas, given_name=f"Consented{i}")
    for i in range(11):
        survivor(personas, given_name=f"NoConsent{i}", statistics_consent=False)
    for i in range(11):
        survivor(personas, given_name=f"NotVictim{i}", decision=TraffickingDecision.NOT_A_VICTIM)
    withdrawn = survivor(personas, given_name="Withdrew")
    from django.utils import timezone

    withdrawn.person.consents.update(withdrawn_at=timezone.now())
    rows, out = _export(tmp_path)
    assert len(rows) == 11
    assert "12 without consent to statistics" in out
    assert "11 not identified as victims" in out


@pytest.mark.django_db
def test_the_export_holds_nothing_identifying(tmp_path, personas):
    for i in range(11):
        survivor(personas, given_name=f"Nyambura{i}")
    rows, _ = _export(tmp_path)
    text = "\n".join(",".join(row.values()) for row in rows)
    assert "Nyambura" not in text and "Ndungu" not in text
    assert "2000-03-01" not in text and "2026-02-10" not in text
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT,
        object_type="insights.ctdcexport",
        actor_username="manage.py export_ctdc",
    ).exists()


@pytest.mark.django_db
def test_export_of_an_unknown_organisation_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No organisation is named"):
        call_command("export_ctdc", "--output", str(tmp_path / "x.csv"), "--organisation", "Nope")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("director", 200),
        ("outsider", 200),
        ("owner", 404),
        ("admin_user", 404),
        (Role.COUNTY_ANALYST, 404),
        (Role.HOTLINE_AGENT, 404),
    ],
)
def test_ctdc_page_access_matrix(client, personas, persona, status):
    for i in range(11):
        survivor(personas, given_name=f"Achieng{i}")
    user = getattr(personas, persona, None) or UserFactory(
        username=f"u-{persona}", organisation=personas.org_a, roles=[persona]
    )
    response = sign_in(client, user).get("/staff/insights/ctdc/")
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        # Each director exports their own organisation's cases only.
        expected = "11" if persona == "director" else "0"
        assert f"<dt>Rows in the export</dt><dd>{expected}</dd>" in body
        download = client.post("/staff/insights/ctdc/")
        assert download["Content-Type"] == "text/csv; charset=utf-8"
        lines = download.content.decode().splitlines()
        assert lines[0].startswith("yearOfRegistration,Datasource,gender,ageBroad")
        assert len(lines) == 1 + int(expected)
        assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=user).count() == 2


ROW_VALUES = st.fixed_dictionaries(
    {
        "yearOfRegistration": st.sampled_from(["2024", "2025", "2026"]),
        "gender": st.sampled_from(["Female", "Male", "Unknown"]),
        "ageBroad": st.sampled_from(["9--17", "18--20", "24--26", "30--38", "-99"]),
        "citizenship": st.sampled_from(["KE", "UG", "TZ", "-99"]),
        "CountryOfExploitation": st.sampled_from(["KE", "SA", "AE", "-99"]),
        "typeOfExploitConcatenated": st.sampled_from(
            ["Forced labour", "Sexual exploitation", "Forced labour;Sexual exploitation", "-99"]
        ),
    }
)


@settings(max_examples=60, deadline=None)
@given(st.lists(ROW_VALUES, max_size=120), st.integers(min_value=2, max_value=15))
def test_anonymise_reaches_k_for_any_rows(rows, k):
    full = []
    for values in rows:
        row = dict.fromkeys(ctdc.COLUMNS, "0")
        row.update(values)
        full.append(row)
    result = ctdc.anonymise(full, k=k)
    groups = _groups(result.rows)
    assert not groups or min(groups.values()) >= k
    assert len(result.rows) + result.rows_left_out == len(full)
