# ruff: noqa: F811
# (pytest fixtures imported from the builders module are redefined as test arguments)
"""The exploitation profile: vocabularies, trafficking events with places, suspected perpetrators,
the domestic/transnational scope, and the case part."""

import json
import re

import pytest
from django.db import connection
from django.urls import reverse

from tests.cases.builders_screening import (  # noqa: F401 (fixtures)
    make_case,
    matrix,
    org_a_others,
    reference,
    signed_in,
)
from tests.testapp.helpers import case_section
from tumaini.cases.models import ExploitationProfile, SuspectedPerpetrator, TraffickingEvent
from tumaini.cases.selectors.profile import case_trafficking_scope
from tumaini.core.models import AuditEvent

pytestmark = pytest.mark.django_db

# Nairobi: Westlands sub-county (274) holds Kitisuru ward (1366); Kibra sub-county is 279.
WESTLANDS, KITISURU, KIBRA, NAIROBI, MOMBASA = 274, 1366, 279, 47, 1
PLACE = "Behind the Sunrise lodge, third gate on the left"


def profile_url(case):
    return reverse("cases:profile_edit", kwargs={"public_id": case.public_id})


def event_new_url(case):
    return reverse("cases:event_new", kwargs={"public_id": case.public_id})


def perpetrator_new_url(case):
    return reverse("cases:perpetrator_new", kwargs={"public_id": case.public_id})


def add_event(client, case, **data):
    values = {"type": "Exploitation", "country": "KE", **data}
    response = client.post(event_new_url(case), values)
    assert response.status_code == 302, response.content.decode()[:3000]
    return TraffickingEvent.objects.filter(case=case).latest("id")


def add_perpetrator(client, case, **data):
    values = {"name": "Boss Kamau", "phone": "+254 722 000 111", "relation": "Other", **data}
    response = client.post(perpetrator_new_url(case), values)
    assert response.status_code == 302, response.content.decode()[:3000]
    return SuspectedPerpetrator.objects.filter(case=case).latest("id")


@pytest.fixture
def case(reference, personas_with_mfa):
    return make_case(personas=personas_with_mfa)


@pytest.fixture
def owner_client(client, personas_with_mfa):
    return signed_in(client, personas_with_mfa.owner)


# --- The profile ------------------------------------------------------------------------------------


def test_profile_edit_saves_lists_and_audits_field_names(owner_client, case):
    response = owner_client.post(
        profile_url(case),
        {
            "exploitation_types": ["ForcedLabour", "SexualExploitation"],
            "labour_sectors": ["DomesticWork"],
            "sexual_exploitation_types": ["Prostitution"],
            "means_of_control": ["DebtBondage", "WithholdsDocuments"],
            "recruiter_relation": "Friend",
            "version": "1",
        },
    )
    assert response.status_code == 302
    profile = ExploitationProfile.objects.get(case=case)
    assert profile.exploitation_types == ["ForcedLabour", "SexualExploitation"]
    assert profile.labour_sectors == ["DomesticWork"]
    assert profile.recruiter_relation == "Friend" and profile.version == 2
    event = AuditEvent.objects.filter(action="update", object_id=str(case.public_id)).get()
    assert set(event.fields_changed) == {
        "profile.exploitation_types",
        "profile.labour_sectors",
        "profile.sexual_exploitation_types",
        "profile.means_of_control",
        "profile.recruiter_relation",
    }
    page = owner_client.get(case_section(case, "person")).content.decode()
    part = page[page.index('id="part-profile"') :]
    assert "Forced labour, Sexual exploitation" in part and "Domestic work" in part
    assert "Debt bondage, Withholds documents" in part


def test_profile_drops_sectors_of_exploitation_not_chosen(owner_client, case):
    owner_client.post(
        profile_url(case),
        {
            "exploitation_types": ["ForcedMarriage"],
            "labour_sectors": ["Agriculture"],
            "sexual_exploitation_types": ["Pornography"],
            "version": "1",
        },
    )
    profile = ExploitationProfile.objects.get(case=case)
    assert profile.exploitation_types == ["ForcedMarriage"]
    assert profile.labour_sectors == [] and profile.sexual_exploitation_types == []


def test_profile_bad_choice_is_refused_and_kept(owner_client, case):
    response = owner_client.post(
        profile_url(case),
        {
            "exploitation_types": ["ForcedLabour", "Piracy"],
            "recruiter_relation": "Friend",
            "version": "1",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice. Piracy is not one of the available choices." in page
    assert 'value="Friend" selected' in page
    assert not ExploitationProfile.objects.filter(case=case, version__gt=1).exists()


def test_profile_edit_by_two_users_refuses_the_second(client, case, personas_with_mfa):
    signed_in(client, personas_with_mfa.teammate)
    assert (
        client.post(
            profile_url(case), {"exploitation_types": ["ForcedBegging"], "version": "1"}
        ).status_code
        == 302
    )
    signed_in(client, personas_with_mfa.owner)
    response = client.post(
        profile_url(case), {"exploitation_types": ["OrganRemoval"], "version": "1"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this record after you opened it" in page
    assert re.search(r'value="OrganRemoval"[^>]*checked', page)
    assert not re.search(r'value="ForcedBegging"[^>]*checked', page)
    assert 'name="version" value="2"' in page
    assert ExploitationProfile.objects.get(case=case).exploitation_types == ["ForcedBegging"]


# --- Trafficking events -----------------------------------------------------------------------------


def test_event_in_a_nairobi_ward_fills_its_sub_county_and_county(owner_client, case):
    event = add_event(
        owner_client,
        case,
        ward=str(KITISURU),
        place_details=PLACE,
        started_on="2024-03-01",
        ended_on="2024-09-30",
    )
    assert (event.county_id, event.sub_county_id, event.ward_id) == (NAIROBI, WESTLANDS, KITISURU)
    assert event.place_details == PLACE
    audit = AuditEvent.objects.filter(action="create", object_id=str(case.public_id)).get()
    assert audit.detail == {"part": "profile", "trafficking_event": str(event.public_id)}
    assert "trafficking_event.place_details" in audit.fields_changed
    assert PLACE not in json.dumps([audit.detail, audit.fields_changed])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"sub_county": str(KIBRA), "ward": str(KITISURU)},
            "This ward is not in the chosen sub-county.",
        ),
        (
            {"county": str(MOMBASA), "sub_county": str(WESTLANDS)},
            "This sub-county is not in the chosen county.",
        ),
        (
            {"country": "TZ", "county": str(NAIROBI)},
            "County, sub-county and ward are only for places in Kenya.",
        ),
        (
            {"started_on": "2024-05-02", "ended_on": "2024-05-01"},
            "The end date is before the start date.",
        ),
        ({"country": "XX"}, "Select a valid choice"),
        ({"ward": "99999"}, "Select a valid choice"),
        ({"ward": "abc"}, "Select a valid choice"),
        ({"type": "Holiday"}, "Select a valid choice"),
        ({"started_on": "yesterday"}, "Enter a valid date"),
    ],
)
def test_event_bad_place_or_dates_are_refused_next_to_the_field(owner_client, case, data, message):
    values = {"type": "Recruitment", "country": "KE", "place_details": PLACE, **data}
    response = owner_client.post(event_new_url(case), values)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert PLACE in page  # what was typed stays
    assert not TraffickingEvent.objects.filter(case=case).exists()


def test_event_place_details_are_encrypted_in_the_database(owner_client, case):
    event = add_event(owner_client, case, place_details=PLACE)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT place_details FROM {TraffickingEvent._meta.db_table} WHERE id = %s",
            [event.pk],
        )
        (raw,) = cursor.fetchone()
    assert "Sunrise" not in raw and raw.startswith("gAAAA")


def test_event_edit_and_delete_are_audited(owner_client, case):
    event = add_event(owner_client, case, started_on="2024-01-01")
    edit = reverse(
        "cases:event_edit", kwargs={"public_id": case.public_id, "event_id": event.public_id}
    )
    page = owner_client.get(edit).content.decode()
    assert 'value="2024-01-01"' in page
    response = owner_client.post(
        edit, {"type": "Transit", "country": "UG", "started_on": "2024-01-01"}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.type == "Transit" and event.country_id == "UG"
    update = AuditEvent.objects.filter(action="update", object_id=str(case.public_id)).get()
    assert set(update.fields_changed) == {"trafficking_event.type", "trafficking_event.country"}
    delete = reverse(
        "cases:event_delete", kwargs={"public_id": case.public_id, "event_id": event.public_id}
    )
    assert "Delete this trafficking event?" in owner_client.get(delete).content.decode()
    assert owner_client.post(delete).status_code == 302
    assert not TraffickingEvent.objects.filter(pk=event.pk).exists()
    assert AuditEvent.objects.filter(
        action="delete",
        object_id=str(case.public_id),
        detail__trafficking_event=str(event.public_id),
    ).exists()


def test_trafficking_scope_follows_the_event_places(owner_client, case):
    assert case_trafficking_scope(case) == "unknown"
    page = owner_client.get(case_section(case, "person")).content.decode()
    assert 'data-scope="unknown"' in page
    add_event(owner_client, case, type="Recruitment", county=str(NAIROBI))
    add_event(owner_client, case, type="Exploitation", ward=str(KITISURU))
    assert case_trafficking_scope(case) == "domestic"
    add_event(owner_client, case, type="Transit", country="UG")
    assert case_trafficking_scope(case) == "transnational"
    page = owner_client.get(case_section(case, "person")).content.decode()
    part = page[page.index('id="part-profile"') :]
    assert 'data-scope="transnational"' in part
    assert "Transnational (an event outside Kenya)" in part
    assert "Kitisuru, Westlands, Nairobi City, Kenya" in part


# --- Suspected perpetrators -------------------------------------------------------------------------


def test_perpetrator_add_edit_delete_encrypted_and_audited(owner_client, case):
    perpetrator = add_perpetrator(owner_client, case, description="Tall, drives a white Probox")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, description, phone FROM {SuspectedPerpetrator._meta.db_table} "
            "WHERE id = %s",
            [perpetrator.pk],
        )
        raw = cursor.fetchone()
    assert all(value.startswith("gAAAA") for value in raw)
    assert not any("Kamau" in v or "Probox" in v or "722" in v for v in raw)
    edit = reverse(
        "cases:perpetrator_edit",
        kwargs={"public_id": case.public_id, "perpetrator_id": perpetrator.public_id},
    )
    assert "Boss Kamau" in owner_client.get(edit).content.decode()
    response = owner_client.post(
        edit, {"name": "Boss Kamau", "phone": "+254 722 000 111", "nationality": "KE"}
    )
    assert response.status_code == 302
    perpetrator.refresh_from_db()
    assert perpetrator.nationality_id == "KE" and perpetrator.description == ""
    update = AuditEvent.objects.filter(action="update", object_id=str(case.public_id)).get()
    assert set(update.fields_changed) == {
        "perpetrator.nationality",
        "perpetrator.description",
        "perpetrator.relation",
    }
    delete = reverse(
        "cases:perpetrator_delete",
        kwargs={"public_id": case.public_id, "perpetrator_id": perpetrator.public_id},
    )
    assert owner_client.post(delete).status_code == 302
    assert not SuspectedPerpetrator.objects.filter(pk=perpetrator.pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_id=str(case.public_id)).exists()


def test_perpetrator_with_nothing_known_is_refused(owner_client, case):
    response = owner_client.post(perpetrator_new_url(case), {"name": "  ", "relation": "Family"})
    assert response.status_code == 400
    assert "Give at least a name or alias, a description or a phone number." in (
        response.content.decode()
    )
    assert not SuspectedPerpetrator.objects.filter(case=case).exists()


# --- Access and queries -----------------------------------------------------------------------------


def test_profile_pages_access_matrix(client, case, personas_with_mfa, org_a_others):
    signed_in(client, personas_with_mfa.owner)
    event = add_event(client, case, place_details=PLACE)
    perpetrator = add_perpetrator(client, case)
    urls = [
        profile_url(case),
        event_new_url(case),
        perpetrator_new_url(case),
        reverse("cases:event_edit", args=[case.public_id, event.public_id]),
        reverse("cases:event_delete", args=[case.public_id, event.public_id]),
        reverse("cases:perpetrator_edit", args=[case.public_id, perpetrator.public_id]),
        reverse("cases:perpetrator_delete", args=[case.public_id, perpetrator.public_id]),
    ]
    for user, expected in matrix(personas_with_mfa, org_a_others):
        signed_in(client, user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == expected, (user.username, url)
            if expected == 200:
                assert case.case_number in response.content.decode() or "Delete" in (
                    response.content.decode()
                )
            else:
                assert PLACE not in response.content.decode()
        if expected == 404:
            assert client.post(urls[4]).status_code == 404
            assert client.post(profile_url(case), {"version": "1"}).status_code == 404
    assert TraffickingEvent.objects.filter(pk=event.pk).exists()
    assert not ExploitationProfile.objects.filter(case=case).exists()
    client.logout()
    response = client.get(profile_url(case))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_profile_edit_page_is_audited_as_a_view(client, case, personas_with_mfa):
    signed_in(client, personas_with_mfa.director)
    client.get(profile_url(case))
    assert AuditEvent.objects.filter(
        action="view",
        object_id=str(case.public_id),
        actor=personas_with_mfa.director,
        detail__part="profile",
    ).exists()


def test_event_of_another_case_is_not_found(owner_client, case, personas_with_mfa):
    other = make_case(personas=personas_with_mfa)
    event = add_event(owner_client, case)
    url = reverse("cases:event_edit", args=[other.public_id, event.public_id])
    assert owner_client.get(url).status_code == 404
    assert (
        owner_client.post(
            reverse("cases:event_delete", args=[other.public_id, event.public_id])
        ).status_code
        == 404
    )
    assert TraffickingEvent.objects.filter(pk=event.pk).exists()


def test_profile_page_queries_do_not_grow_with_events_and_perpetrators(
    owner_client, case, django_assert_max_num_queries
):
    add_event(owner_client, case, ward=str(KITISURU))
    add_perpetrator(owner_client, case, nationality="KE")
    with django_assert_max_num_queries(80) as captured:
        owner_client.get(profile_url(case))
    with_one = len(captured)
    for ward in ("1367", "1368", "1369"):
        add_event(owner_client, case, ward=ward, country="KE")
        add_perpetrator(owner_client, case, nationality="UG")
    with django_assert_max_num_queries(with_one):
        page = owner_client.get(profile_url(case)).content.decode()
    assert page.count('class="event"') == 4 and page.count('class="perpetrator"') == 4
