"""Awareness campaigns: directors and hotline supervisors record them for their organisation;
the end before the start is refused next to the field with nothing typed lost; an edit made after
another one landed is refused (optimistic locking); other organisations' campaigns are not found."""

import re
from datetime import date

import pytest

from tests.factories import OrganisationFactory
from tests.testapp.helpers import sign_in
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent
from tumaini.tips.models import Campaign

pytestmark = pytest.mark.django_db

LIST = "/staff/reports/campaigns/"
NEW = "/staff/reports/campaigns/new/"


def _edit_url(campaign):
    return f"/staff/reports/campaigns/{campaign.public_id}/edit/"


@pytest.fixture
def campaign(desk):
    return Campaign.objects.create(
        organisation=desk.centre,
        name="Nairobi safe jobs week",
        starts_on=date(2026, 3, 2),
        ends_on=date(2026, 3, 15),
        channels=["sms", "ussd"],
    )


@pytest.fixture
def elsewhere():
    return Campaign.objects.create(
        organisation=OrganisationFactory(name="Far NGO"),
        name="Another county's radio drive",
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 1, 9),
    )


def test_director_adds_a_campaign(client, desk):
    sign_in(client, desk.director)
    response = client.post(
        NEW,
        {
            "name": "  Radio drive  ",
            "starts_on": "2026-04-01",
            "ends_on": "2026-04-30",
            "channels": ["ussd", "sms"],
            "description": "Radio spots on Kiswahili stations.",
        },
    )
    assert response.status_code == 302
    saved = Campaign.objects.get()
    assert (saved.name, saved.organisation, saved.days) == ("Radio drive", desk.centre, 30)
    assert saved.channels == ["sms", "ussd"]  # in the menu's order
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, actor=desk.director, object_id=str(saved.public_id)
    ).exists()
    page = client.get(LIST).content.decode()
    assert "Radio drive" in page and "SMS, USSD" in page and "2026-04-30" in page


def test_end_before_start_is_refused_next_to_the_field_keeping_what_was_typed(client, desk):
    sign_in(client, desk.supervisor)
    response = client.post(
        NEW,
        {
            "name": "Matatu stickers",
            "starts_on": "2026-05-10",
            "ends_on": "2026-05-01",
            "channels": ["web"],
            "description": "Stickers with the short code.",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    field = page[page.index('name="ends_on"') - 2000 : page.index('name="ends_on"') + 400]
    assert "The campaign cannot end before it starts." in field
    assert 'value="Matatu stickers"' in page
    assert 'value="2026-05-10"' in page and 'value="2026-05-01"' in page
    assert "Stickers with the short code." in page
    assert re.search(r'<input type="checkbox" name="channels" value="web"[^>]* checked>', page)
    assert not re.search(r'name="channels" value="sms"[^>]* checked>', page)
    assert not Campaign.objects.exists()


def test_edit_saves_and_a_stale_edit_is_refused_keeping_what_was_typed(client, desk, campaign):
    sign_in(client, desk.director)
    form = {
        "name": "Safe jobs fortnight",
        "starts_on": "2026-03-02",
        "ends_on": "2026-03-16",
        "channels": ["sms"],
        "description": "",
        "version": campaign.version,
    }
    assert client.post(_edit_url(campaign), form).status_code == 302
    campaign.refresh_from_db()
    assert (campaign.name, campaign.ends_on, campaign.version) == (
        "Safe jobs fortnight",
        date(2026, 3, 16),
        2,
    )
    # A second tab still holds version 1.
    stale = {**form, "name": "Safe jobs month", "ends_on": "2026-03-31", "version": 1}
    response = client.post(_edit_url(campaign), stale)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Someone else changed this record after you opened it." in page
    assert 'value="Safe jobs month"' in page and 'value="2026-03-31"' in page
    assert 'name="version" value="2"' in page
    campaign.refresh_from_db()
    assert campaign.name == "Safe jobs fortnight"


def test_edit_with_end_before_start_is_refused(client, desk, campaign):
    sign_in(client, desk.director)
    response = client.post(
        _edit_url(campaign),
        {"name": campaign.name, "starts_on": "2026-03-02", "ends_on": "2026-03-01", "version": 1},
    )
    assert response.status_code == 400
    assert "The campaign cannot end before it starts." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.ends_on == date(2026, 3, 15)


@pytest.mark.parametrize(
    ("persona", "list_status", "new_status"),
    [
        ("director", 200, 200),
        ("supervisor", 200, 200),
        ("hotline", 404, 404),
        ("case_manager", 404, 404),
        ("police", 404, 404),
        ("admin", 404, 404),
    ],
)
def test_campaign_access_matrix(
    client, desk, campaign, elsewhere, persona, list_status, new_status
):
    sign_in(client, getattr(desk, persona))
    response = client.get(LIST)
    assert response.status_code == list_status
    body = response.content.decode()
    assert ("Nairobi safe jobs week" in body) == (list_status == 200)
    assert "Another county's radio drive" not in body
    assert client.get(NEW).status_code == new_status
    assert client.get(_edit_url(campaign)).status_code == list_status
    # Another organisation's campaign: not found, for everyone here.
    assert client.get(_edit_url(elsewhere)).status_code == 404
    response = client.post(
        _edit_url(elsewhere),
        {"name": "Taken over", "starts_on": "2026-01-05", "ends_on": "2026-01-09", "version": 1},
    )
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.name == "Another county's radio drive"


def test_campaigns_are_in_the_menu_for_those_who_record_them(client, desk):
    assert (
        'href="/staff/reports/campaigns/"'
        in sign_in(client, desk.director).get("/staff/").content.decode()
    )
    assert (
        'href="/staff/reports/campaigns/"'
        not in sign_in(client, desk.hotline).get("/staff/").content.decode()
    )


def test_figures_page_links_to_the_campaigns(client, desk):
    page = sign_in(client, desk.supervisor).get("/staff/reports/figures/").content.decode()
    assert 'href="/staff/reports/campaigns/"' in page


def test_campaign_list_queries_do_not_grow(client, desk, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in(client, desk.director)
    Campaign.objects.create(
        organisation=desk.centre, name="One", starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 2)
    )
    client.get(LIST)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for i in range(5):
        Campaign.objects.create(
            organisation=desk.centre,
            name=f"More {i}",
            starts_on=date(2026, 2, 1),
            ends_on=date(2026, 2, 2),
            channels=["sms"],
        )
    with django_assert_max_num_queries(len(one)):
        assert "More 4" in client.get(LIST).content.decode()


def test_campaign_pages_in_kiswahili(client, desk, campaign):
    sign_in(client, desk.director)
    client.post("/i18n/setlang/", {"language": "sw", "next": "/staff/"})
    assert "Kampeni za uhamasishaji" in client.get(LIST).content.decode()
    response = client.post(
        NEW, {"name": "Redio", "starts_on": "2026-05-10", "ends_on": "2026-05-01"}
    )
    assert "Kampeni haiwezi kuisha kabla ya kuanza." in response.content.decode()
