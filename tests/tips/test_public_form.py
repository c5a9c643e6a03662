"""The public report form /report/ and the status page /report/status/: anonymous, in English and
Kiswahili, without JavaScript, protected by a honeypot, rate limits and size limits."""

import re

import pytest
from django.db import connection

from tests.core.test_csp import assert_no_inline_code
from tests.tips.builders import WHAT, make_report
from tumaini.core.models import AuditEvent
from tumaini.tips.enums import Channel, ReportStatus, Urgency
from tumaini.tips.models import Report

pytestmark = pytest.mark.django_db

FORM = "/report/"
STATUS = "/report/status/"
CODE = re.compile(r'id="reference-code">([0-9A-Z]{4}-[0-9A-Z]{4})<')


def _post(client, **fields):
    data = {"what_happened": WHAT, "victim_ages": "unknown", "victim_sex": "unknown"}
    data.update(fields)
    return client.post(FORM, data)


def test_report_form_page_is_public_and_says_anonymous(client, desk):
    html = client.get(FORM).content.decode()
    assert "You can report anonymously." in html
    assert 'name="what_happened"' in html
    # The honeypot is in the form, hidden by a class, not by inline style.
    assert 'class="tips-hp" aria-hidden="true"' in html
    assert_no_inline_code(html)


def test_report_form_stores_an_encrypted_report_and_shows_the_code(client, desk):
    response = _post(
        client,
        danger_now="on",
        sub_county=desk.sub_county.pk,
        ward=desk.ward.pk,
        victims_count="3",
        victim_ages="child",
        suspect_phone="0712 345678",
        reporter_contact="Mama Wanjiru 0722000111",
    )
    html = response.content.decode()
    assert response.status_code == 200
    code = CODE.search(html).group(1)
    assert "Write it down now." in html
    assert "+254 725 624489" in html  # the help line
    assert_no_inline_code(html)
    report = Report.objects.get()
    assert report.display_reference == code
    assert set(code) - {"-"} <= set("34679ACDEFGHJKMNPQRTUVWXY")
    assert report.channel == Channel.WEB
    assert report.organisation == desk.centre
    assert report.urgency == Urgency.CRITICAL  # someone in danger now
    assert report.suspect_phone == "+254712345678"
    assert report.what_happened == WHAT
    assert AuditEvent.objects.filter(object_id=str(report.public_id), action="create").exists()
    # The raw row holds no plaintext of what was written.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT what_happened, reporter_contact, suspect_phone FROM tips_report WHERE id = %s",
            [report.pk],
        )
        raw = " ".join(cursor.fetchone())
    assert "locked in a house" not in raw
    assert "Wanjiru" not in raw
    assert "345678" not in raw


def test_report_form_errors_keep_what_was_typed(client, desk):
    response = _post(client, what_happened="too short", place_text="Behind the Pangani mosque")
    html = response.content.decode()
    assert response.status_code == 200
    assert Report.objects.count() == 0
    assert "Please write at least 20 characters" in html
    assert 'aria-invalid="true"' in html
    assert "too short</textarea>" in html
    assert 'value="Behind the Pangani mosque"' in html
    assert_no_inline_code(html)


def test_report_form_in_kiswahili_stores_the_language(client, desk):
    client.post("/i18n/setlang/", {"language": "sw", "next": FORM})
    page = client.get(FORM).content.decode()
    assert 'lang="sw"' in page
    assert "Nambari ya msaada, bure na ya siri:" in page
    html = _post(client, what_happened="Watoto wawili wanafanya kazi usiku kwenye baa ya jirani.")
    assert CODE.search(html.content.decode())
    report = Report.objects.get()
    assert report.language == "sw"
    assert report.what_happened.startswith("Watoto wawili")


def test_report_form_in_kiswahili_shows_errors_in_kiswahili(client, desk):
    client.post("/i18n/setlang/", {"language": "sw", "next": FORM})
    html = _post(client, what_happened="").content.decode()
    assert Report.objects.count() == 0
    assert "Sehemu hii inahitajika" in html


def test_report_form_honeypot_stores_nothing(client, desk):
    response = _post(client, website="http://spam.example")
    assert response.status_code == 200
    assert CODE.search(response.content.decode())  # looks like success to the robot
    assert Report.objects.count() == 0
    assert not AuditEvent.objects.filter(object_type="tips.report").exists()


def test_report_form_rate_limit_stores_nothing_after_five(client, desk):
    for _ in range(5):
        assert CODE.search(_post(client).content.decode())
    response = _post(client)
    assert response.status_code == 429
    assert "Please try again later" in response.content.decode()
    assert Report.objects.count() == 5


def test_report_form_rate_limit_is_per_address(client, desk):
    for _ in range(5):
        _post(client)
    response = client.post(
        FORM,
        {"what_happened": WHAT, "victim_ages": "unknown", "victim_sex": "unknown"},
        REMOTE_ADDR="10.9.9.9",
    )
    assert CODE.search(response.content.decode())
    assert Report.objects.count() == 6


def test_report_form_field_size_limit(client, desk):
    html = _post(client, place_text="x" * 501).content.decode()
    assert Report.objects.count() == 0
    assert "under 500 characters" in html


def test_report_form_request_size_limit(client, desk):
    response = _post(client, what_happened="y" * 70_000)
    assert response.status_code == 413
    assert "The report is too long" in response.content.decode()
    assert Report.objects.count() == 0


def test_status_lookup_shows_only_status_and_date(client, desk):
    report = make_report(reporter_contact="secret contact", place_text="Kariobangi North")
    typed = report.reference_code.lower()[:4] + " - " + report.reference_code.lower()[4:]
    response = client.post(STATUS, {"code": typed})
    html = response.content.decode()
    assert "Received: your report is waiting to be looked at." in html
    assert "Last update:" in html
    for secret in ("secret contact", "Kariobangi", "locked in a house", "Web form"):
        assert secret not in html
    assert_no_inline_code(html)


def test_status_lookup_follows_the_status(client, desk):
    report = make_report()
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.ESCALATED)
    html = client.post(STATUS, {"code": report.display_reference}).content.decode()
    assert "Passed to the police or a partner organisation." in html


def test_status_lookup_unknown_code_says_no_report(client, desk):
    make_report()
    for typed in ("AAAA-AAAA", "xyz"):
        html = client.post(STATUS, {"code": typed}).content.decode()
        assert "There is no report with this code." in html
        assert "Received" not in html


def test_status_lookup_rate_limit(client, desk):
    report = make_report()
    for _ in range(20):
        client.post(STATUS, {"code": "AAAA-AAAA"})
    response = client.post(STATUS, {"code": report.display_reference})
    assert response.status_code == 429
    assert "Received" not in response.content.decode()
