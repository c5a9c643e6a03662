"""Access to justice: who reaches a justice file, opening one with consent, police reports,
prosecutions, hearings and restitution, with clear messages for bad input."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.cases.builders_casefile import owned_case
from tests.factories import UserFactory
from tests.justice.builders import consent, hearing, legal_officer, matter_with_prosecution
from tests.testapp.helpers import case_section, sign_in
from tumaini.accounts.enums import Role
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent
from tumaini.justice.enums import Outcome, PoliceReportStatus, ProsecutionStatus
from tumaini.justice.models import JusticeMatter, PoliceReport, Prosecution, RestitutionPayment

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(personas):
    return legal_officer(personas)


@pytest.fixture
def filed(personas, officer):
    return matter_with_prosecution(personas, officer)


def _user(personas, persona, officer):
    if persona == "officer":
        return officer
    if persona == "other_officer":
        return legal_officer(personas, username="legal_b")
    if persona == "police":
        return UserFactory(
            username="liaison", organisation=personas.org_a, roles=[Role.LAW_ENFORCEMENT_LIAISON]
        )
    if isinstance(persona, Role):
        return UserFactory(username=f"u-{persona}", organisation=personas.org_a, roles=[persona])
    return getattr(personas, persona)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer", 200),
        ("owner", 200),
        ("teammate", 200),
        ("director", 200),
        ("other_officer", 404),
        ("outsider", 404),
        ("admin_user", 404),
        ("police", 404),
        (Role.COUNSELLOR, 404),
        (Role.SHELTER_MANAGER, 404),
        (Role.COUNTY_ANALYST, 404),
        (Role.PARTNER_USER, 404),
    ],
)
def test_justice_file_access_matrix(client, personas, officer, filed, persona, status):
    matter, _, _ = filed
    user = _user(personas, persona, officer)
    response = sign_in(client, user).get(f"/staff/justice/{matter.public_id}/")
    assert response.status_code == status
    body = response.content.decode()
    if status == 200:
        assert "OB 14/02/03/2026" in body and "CR 1234/2026" in body
        assert AuditEvent.objects.filter(
            action=AuditAction.VIEW, object_type="justice.justicematter", actor=user
        ).exists()
    else:
        assert "OB 14/02/03/2026" not in body


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer", 200),
        ("owner", 200),
        ("director", 200),
        ("outsider", 200),
        ("admin_user", 404),
        ("police", 404),
        (Role.COUNSELLOR, 404),
        (Role.COUNTY_ANALYST, 404),
    ],
)
def test_justice_list_shows_only_matters_in_scope(
    client, personas, officer, filed, persona, status
):
    user = _user(personas, persona, officer)
    response = sign_in(client, user).get("/staff/justice/")
    assert response.status_code == status
    body = response.content.decode()
    # The director of another organisation has the page but none of organisation A's matters.
    assert ("TUM-26-JUST-C3" in body) == (status == 200 and persona != "outsider")


def test_only_the_assigned_legal_officer_may_update(client, personas, officer, filed):
    matter, _, _ = filed
    other = legal_officer(personas, username="legal_b")
    url = f"/staff/justice/{matter.public_id}/police/add/"
    assert sign_in(client, other).get(url).status_code == 404
    # The case manager sees the file but the legal work is the legal officer's.
    assert sign_in(client, personas.owner).get(url).status_code == 404
    assert sign_in(client, officer).get(url).status_code == 200


def test_opening_a_matter_needs_consent_to_cooperate_with_law_enforcement(
    client, personas, officer
):
    case = owned_case(personas, case_number="TUM-26-NOCO-N4")
    sign_in(client, personas.owner)
    url = f"/staff/justice/open/{case.public_id}/"
    response = client.post(url, {"legal_officer": officer.pk})
    assert response.status_code == 400
    assert "no active consent to cooperate with law enforcement" in response.content.decode()
    assert not JusticeMatter.objects.exists()
    page = client.get(case_section(case, "referrals")).content.decode()
    assert "first record the survivor's consent to cooperate with law enforcement" in page

    consent(case)
    response = client.post(url, {"legal_officer": officer.pk})
    assert response.status_code == 302
    matter = JusticeMatter.objects.get(case=case)
    assert matter.legal_officer == officer
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_id=str(matter.public_id)
    ).exists()
    assert officer.notifications.filter(message__contains="TUM-26-NOCO-N4").exists()
    # A second matter for the same case is refused.
    response = client.post(url, {"legal_officer": officer.pk})
    assert "already has a justice matter" in response.content.decode()


def test_a_case_manager_of_another_team_cannot_open_a_matter(client, personas, officer):
    case = owned_case(personas, case_number="TUM-26-OTHR-T7")
    consent(case)
    stranger = UserFactory(
        username="cm-b",
        organisation=personas.org_b,
        roles=[Role.CASE_MANAGER],
        teams=[personas.team_b],
    )
    response = sign_in(client, stranger).post(
        f"/staff/justice/open/{case.public_id}/", {"legal_officer": officer.pk}
    )
    assert response.status_code == 404
    assert not JusticeMatter.objects.exists()


def test_case_page_shows_the_justice_summary_and_a_withdrawn_consent(
    client, personas, officer, filed
):
    matter, _, _ = filed
    body = (
        sign_in(client, personas.owner).get(case_section(matter.case, "referrals")).content.decode()
    )
    assert "Reported to Kilimani police station on 2026-02-03" in body
    assert "Prosecution in Milimani Law Courts" in body
    assert "no longer active" not in body
    matter.case.consents.update(withdrawn_at=timezone.now())
    body = client.get(case_section(matter.case, "referrals")).content.decode()
    assert "The consent to cooperate with law enforcement is no longer active" in body


def test_police_report_is_recorded_encrypted_and_a_future_date_is_refused(
    client, personas, officer, filed
):
    matter, _, _ = filed
    sign_in(client, officer)
    url = f"/staff/justice/{matter.public_id}/police/add/"
    tomorrow = timezone.localdate() + timedelta(days=1)
    typed = {
        "station": "Capitol Hill",
        "ob_number": "OB 99/01/12/2026",
        "reported_on": tomorrow.isoformat(),
        "investigating_officer": "Inspector Achieng",
        "status": PoliceReportStatus.INVESTIGATING,
        "notes": "",
    }
    response = client.post(url, typed)
    assert response.status_code == 400
    body = response.content.decode()
    assert "This date is in the future." in body
    assert 'value="OB 99/01/12/2026"' in body  # nothing typed is lost
    typed["reported_on"] = "2026-11-30"
    assert client.post(url, typed).status_code == 302
    report = PoliceReport.objects.get(station="Capitol Hill")
    assert report.ob_number == "OB 99/01/12/2026"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ob_number, investigating_officer FROM justice_policereport WHERE id = %s",
            [report.pk],
        )
        raw = " ".join(str(value) for value in cursor.fetchone())
    assert "99/01/12" not in raw and "Achieng" not in raw


def test_stale_police_report_edit_is_refused_and_keeps_what_was_typed(
    client, personas, officer, filed
):
    matter, report, _ = filed
    sign_in(client, officer)
    url = f"/staff/justice/{matter.public_id}/police/{report.public_id}/"
    form = {
        "station": "Kilimani",
        "ob_number": "OB 14/02/03/2026",
        "reported_on": "2026-02-03",
        "investigating_officer": "Sgt Mwangi",
        "status": PoliceReportStatus.FORWARDED,
        "notes": "",
        "version": report.version,
    }
    assert client.post(url, form).status_code == 302
    stale = {**form, "investigating_officer": "Sgt Kamau"}
    response = client.post(url, stale)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this record" in body
    assert 'value="Sgt Kamau"' in body
    report.refresh_from_db()
    assert report.investigating_officer == "Sgt Mwangi"


def test_prosecution_form_checks_charges_and_outcome_dates(client, personas, officer, filed):
    matter, report, _ = filed
    sign_in(client, officer)
    url = f"/staff/justice/{matter.public_id}/prosecution/add/"
    form = {
        "police_report": str(report.public_id),
        "court": "Kibera Law Courts",
        "court_case_number": "CR 77/2026",
        "charged_on": "2026-03-01",
        "status": ProsecutionStatus.TRIAL,
        "outcome": Outcome.CONVICTED,
        "outcome_on": "",
    }
    body = client.post(url, form).content.decode()
    assert "Choose at least one charge, or write the other charges." in body
    assert "Give the date of the outcome." in body
    assert "A case with an outcome is concluded (or on appeal)." in body
    assert 'value="CR 77/2026"' in body
    form.update(
        charges=["ctip_s3", "ctip_s7"],
        outcome_on="2026-02-01",
        status=ProsecutionStatus.CONCLUDED,
    )
    body = client.post(url, form).content.decode()
    assert "The outcome cannot come before the charge." in body
    form.update(
        outcome_on="2026-10-01",
        protective_measures=["in_camera", "identity_withheld"],
        victim_impact_statement="I lost two years of my life.",
        restitution_ordered="150000",
        restitution_ordered_on="2026-10-01",
    )
    assert client.post(url, form).status_code == 302
    prosecution = Prosecution.objects.get(court="Kibera Law Courts")
    assert prosecution.charges == ["ctip_s3", "ctip_s7"]
    assert prosecution.police_report == report
    body = client.get(f"/staff/justice/{matter.public_id}/").content.decode()
    assert "s7 Facilitating entry into or exit out of the country" in body
    assert "Hearing in camera (closed court)" in body
    assert "150000.00 KES ordered, 0.00 KES paid" in body


def test_restitution_payments_cannot_exceed_what_is_owed(client, personas, officer, filed):
    matter, _, prosecution = filed
    sign_in(client, officer)
    url = f"/staff/justice/{matter.public_id}/prosecution/{prosecution.public_id}/payment/"
    body = client.post(url, {"amount": "100", "paid_on": "2026-11-01"}).content.decode()
    assert "Record the restitution the court ordered first." in body
    Prosecution.objects.filter(pk=prosecution.pk).update(restitution_ordered=50000)
    assert client.post(url, {"amount": "20000", "paid_on": "2026-11-01"}).status_code == 302
    body = client.post(url, {"amount": "40000", "paid_on": "2026-11-02"}).content.decode()
    assert "more than the 30000.00 KES still owed" in body
    assert RestitutionPayment.objects.count() == 1
    body = client.get(f"/staff/justice/{matter.public_id}/").content.decode()
    assert "50000.00 KES ordered, 20000.00 KES paid" in body


def test_hearings_are_scheduled_in_the_future_and_outcomes_recorded(
    client, personas, officer, filed
):
    matter, _, prosecution = filed
    sign_in(client, officer)
    url = f"/staff/justice/{matter.public_id}/prosecution/{prosecution.public_id}/hearing/"
    past = (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    body = client.post(url, {"starts_at": past, "kind": "mention"}).content.decode()
    assert "A new hearing must be in the future." in body
    future = (timezone.localtime() + timedelta(days=5)).replace(hour=9, minute=30)
    response = client.post(
        url,
        {"starts_at": future.strftime("%Y-%m-%dT%H:%M"), "kind": "trial", "survivor_attends": "on"},
    )
    assert response.status_code == 302
    scheduled = prosecution.hearings.get()
    assert scheduled.survivor_attends
    calendar = client.get("/staff/justice/hearings/").content.decode()
    assert "TUM-26-JUST-C3" in calendar and future.strftime("%Y-%m-%d 09:30") in calendar
    home = client.get("/staff/").content.decode()
    assert "Coming hearings" in home and "Milimani Law Courts" in home
    outcome_url = f"/staff/justice/{matter.public_id}/hearing/{scheduled.public_id}/"
    assert (
        client.post(outcome_url, {"status": "adjourned", "notes": "Defence absent"}).status_code
        == 302
    )
    scheduled.refresh_from_db()
    assert scheduled.status == "adjourned" and scheduled.notes == "Defence absent"


def test_child_is_named_by_initials_in_justice_lists(client, personas, officer):
    case = owned_case(
        personas,
        case_number="TUM-26-CHLD-K9",
        child=True,
        given_name="Zawadi",
        family_name="Otieno",
    )
    _, _, prosecution = matter_with_prosecution(personas, officer, case=case)
    hearing(prosecution)
    sign_in(client, officer)
    for url in ("/staff/justice/", "/staff/justice/hearings/"):
        body = client.get(url).content.decode()
        assert "Z. O." in body and "Zawadi" not in body


def _matters(personas, officer, count):
    start = JusticeMatter.objects.count()
    for index in range(start, start + count):
        case = owned_case(personas, case_number=f"TUM-26-NPLS-{index}A", given_name=f"Neema{index}")
        _, _, prosecution = matter_with_prosecution(personas, officer, case=case)
        hearing(prosecution, in_hours=24 + index)


@pytest.mark.parametrize("url", ["/staff/justice/", "/staff/justice/hearings/"])
def test_justice_lists_do_not_grow_queries_with_rows(
    client, personas, officer, url, django_assert_max_num_queries
):
    from django.test.utils import CaptureQueriesContext

    sign_in(client, officer)
    _matters(personas, officer, 1)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _matters(personas, officer, 2)
    with django_assert_max_num_queries(len(one)):
        body = client.get(url).content.decode()
    assert body.count("TUM-26-NPLS-") >= 3


def test_a_director_assigns_the_legal_officer(client, personas, officer, filed):
    matter, _, _ = filed
    other = legal_officer(personas, username="legal_b")
    sign_in(client, personas.director)
    response = client.post(
        f"/staff/justice/{matter.public_id}/assign/",
        {"legal_officer": other.pk, "version": matter.version},
    )
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.legal_officer == other
    assert other.notifications.filter(message__contains="TUM-26-JUST-C3").exists()
    # The officer no longer on it loses the file.
    assert sign_in(client, officer).get(f"/staff/justice/{matter.public_id}/").status_code == 404
    # A case manager may not reassign.
    response = sign_in(client, personas.owner).post(
        f"/staff/justice/{matter.public_id}/assign/", {"legal_officer": officer.pk, "version": 2}
    )
    assert response.status_code == 404


def test_restitution_ordered_cannot_be_negative_in_the_database(personas, officer, filed):
    from django.db import IntegrityError, transaction

    _, _, prosecution = filed
    with pytest.raises(IntegrityError), transaction.atomic():
        Prosecution.objects.filter(pk=prosecution.pk).update(restitution_ordered=-5)
    with pytest.raises(IntegrityError), transaction.atomic():
        RestitutionPayment.objects.create(
            prosecution=prosecution, amount=0, paid_on=date(2026, 1, 1), recorded_by=officer
        )


def test_justice_file_in_kiswahili(client, personas, officer, filed):
    matter, _, _ = filed
    sign_in(client, officer)
    client.post("/i18n/setlang/", {"language": "sw", "next": "/staff/"})
    body = client.get(f"/staff/justice/{matter.public_id}/").content.decode()
    assert "Faili la haki la kesi TUM-26-JUST-C3" in body
    assert "k3 Usafirishaji haramu wa binadamu" in body
    assert "Ripoti za polisi" in body
