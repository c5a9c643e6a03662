"""Demo public reports (seed_demo) and reports at scale (seed_scale --reports)."""

from collections import Counter
from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from tumaini.core import demo as core_demo
from tumaini.tips.demo import DEMO_REFERENCE_PREFIX, DEMO_REPORT_COUNT, seed_demo_reports
from tumaini.tips.enums import Channel, ReportStatus, Urgency
from tumaini.tips.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    settings.TUMAINI_DEMO_PASSWORD = "a-demo-password-for-tests"
    call_command("seed_demo", stdout=StringIO())


def _snapshot():
    return sorted(
        Report.objects.values_list(
            "reference_code",
            "status",
            "urgency",
            "channel",
            "linked_case",
            "incident_primary",
            "escalated_to",
            "version",
            "updated_at",
        )
    )


def test_seed_demo_reports_cover_channels_urgencies_statuses_and_links(demo):
    # Only the reports this seeder writes: other demo content (the hotline's calls) adds its own.
    reports = Report.objects.filter(
        reference_code__startswith=DEMO_REFERENCE_PREFIX
    ).select_related("escalated_to", "linked_case", "organisation")
    assert reports.count() == DEMO_REPORT_COUNT
    assert {r.organisation.name for r in reports} == {core_demo.CENTRE}
    assert {r.channel for r in reports} == set(Channel.values)
    assert {r.urgency for r in reports} == set(Urgency.values)
    assert {r.status for r in reports} == set(ReportStatus.values)
    escalated = [r for r in reports if r.status == ReportStatus.ESCALATED]
    assert escalated and {r.escalated_to.name for r in escalated} == {core_demo.POLICE_UNIT}
    linked = [r for r in reports if r.status == ReportStatus.LINKED_TO_CASE]
    assert linked and all(r.linked_case.case_number.startswith("TUM-26-DEMX-") for r in linked)
    grouped = [r for r in reports if r.incident_primary_id]
    assert grouped
    assert all(r.suspect_phone_index == r.incident_primary.suspect_phone_index for r in grouped)
    assert len({r.ward_id for r in reports if r.ward_id}) > 40
    assert all(r.triaged_at >= r.received_at for r in reports if r.triaged_at)
    assert all(r.closed_at and r.closure_reason for r in reports if r.status == ReportStatus.CLOSED)


def test_seed_demo_reports_twice_changes_nothing(demo, settings):
    before = _snapshot()
    assert seed_demo_reports() == 0
    call_command("seed_demo", stdout=StringIO())
    assert _snapshot() == before


def _raw_what_happened():
    with connection.cursor() as cursor:
        cursor.execute("SELECT what_happened, suspect_phone FROM tips_report")
        return cursor.fetchall()


def test_seed_scale_reports_are_deterministic_and_encrypted(demo):
    Report.objects.all().delete()

    def run():
        out = StringIO()
        call_command("seed_scale", "--reports", "120", "--seed", "4", stdout=out)
        assert "Created 120 public reports" in out.getvalue()
        return sorted(
            Report.objects.values_list(
                "reference_code",
                "public_id",
                "channel",
                "urgency",
                "status",
                "what_happened",
                "ward",
                "suspect_phone_index",
            )
        )

    first = run()
    assert len(first) == 120
    assert len(Counter(row[2] for row in first)) >= 5
    raw = _raw_what_happened()
    plain = {row[5] for row in first}
    assert not any(cipher in plain for cipher, _phone in raw)
    assert all(cipher.startswith("gAAAA") for cipher, _phone in raw)
    with pytest.raises(CommandError, match="already in this database"):
        call_command("seed_scale", "--reports", "10", "--seed", "4", stdout=StringIO())
    Report.objects.all().delete()
    assert run() == first


def test_seed_scale_needs_survivors_or_reports(demo):
    with pytest.raises(CommandError, match="--survivors and/or --reports"):
        call_command("seed_scale", stdout=StringIO())


def test_seed_demo_campaigns_lie_over_the_demo_reports(demo):
    from tumaini.tips.demo import DEMO_CAMPAIGNS, seed_demo_campaigns
    from tumaini.tips.models import Campaign

    campaigns = list(Campaign.objects.select_related("organisation"))
    assert {c.name for c in campaigns} == set(DEMO_CAMPAIGNS)
    assert {c.organisation.name for c in campaigns} == {core_demo.CENTRE}
    reports = Report.objects.filter(reference_code__startswith=DEMO_REFERENCE_PREFIX)
    for campaign in campaigns:
        assert campaign.ends_on >= campaign.starts_on and campaign.channels
        # Reports fall inside the campaign and in as many days before it.
        first_day = timezone.make_aware(datetime.combine(campaign.starts_on, time.min))
        before = first_day - timedelta(days=campaign.days)
        assert reports.filter(received_at__gte=first_day).exists()
        assert reports.filter(received_at__gte=before, received_at__lt=first_day).exists()
    assert seed_demo_campaigns() == 0  # a second run creates nothing
    assert Campaign.objects.count() == len(DEMO_CAMPAIGNS)


def test_seed_scale_reports_are_realistic_and_consistent(demo):
    """Written with COPY/executemany, not save(): statuses, triage times, blind indexes and links to
    cases still hold together the way the services keep them."""
    from tumaini.core.crypto import blind_index

    Report.objects.all().delete()
    call_command("seed_scale", "--survivors", "300", "--seed", "5", stdout=StringIO())
    call_command("seed_scale", "--reports", "400", "--seed", "5", stdout=StringIO())
    reports = list(Report.objects.select_related("linked_case"))
    assert len(reports) == 400
    assert len({r.status for r in reports}) >= 4
    assert len({r.sub_county_id for r in reports}) >= 10
    assert len({r.received_at.year for r in reports}) >= 9
    now = timezone.now()
    for report in reports:
        if report.status != ReportStatus.NEW:
            assert report.received_at <= report.triaged_at <= now
        if report.escalated_at:
            assert report.triaged_at <= report.escalated_at <= now
        if report.closed_at and report.triaged_at:
            assert report.triaged_at <= report.closed_at
        assert report.suspect_phone_index == blind_index(
            report.suspect_phone, purpose="tips-suspect-phone"
        )
    # Triage times spread continuously (seconds, minutes to days), urgent reports faster.
    waits = {
        urgency: sorted(
            r.triaged_at - r.received_at for r in reports if r.triaged_at and r.urgency == urgency
        )
        for urgency in (Urgency.CRITICAL, Urgency.NORMAL)
    }
    every = waits[Urgency.CRITICAL] + waits[Urgency.NORMAL]
    assert len(set(every)) > 0.9 * len(every)
    assert min(every) < timedelta(minutes=5) and max(every) > timedelta(days=1)
    assert any(wait.seconds % 60 for wait in every)
    assert waits[Urgency.CRITICAL][len(waits[Urgency.CRITICAL]) // 2] < timedelta(minutes=15)
    assert waits[Urgency.NORMAL][len(waits[Urgency.NORMAL]) // 2] > timedelta(minutes=30)
    linked = [r for r in reports if r.status == ReportStatus.LINKED_TO_CASE]
    assert linked
    for report in linked:
        assert report.linked_case.organisation_id == report.organisation_id
        assert report.linked_at >= report.received_at
