"""Merging two records of the same survivor: preview, merge, undo, confirm (directors only)."""

import pytest
from django.utils import timezone

from tests.people.builders import OTHER_ROLES, make_case, staff
from tests.testapp.helpers import case_section, sign_in
from tumaini.cases.enums import ConsentGiver, ConsentPurpose
from tumaini.cases.models import Case, Consent
from tumaini.core.models import AuditEvent
from tumaini.people import services
from tumaini.people.enums import MergeStatus
from tumaini.people.models import Person, PersonMerge

START = "/staff/people/merge/"


@pytest.fixture
def pair(personas):
    kept_case = make_case(
        user=personas.owner,
        team=personas.team_a,
        given_name="Amina",
        family_name="Wanjiru",
        phone="0712345678",
    )
    duplicate_case = make_case(
        user=personas.owner,
        team=personas.team_a,
        given_name="Aminah",
        family_name="Wanjiru",
        phone="0722000111",
        aliases=["Mama Njeri"],
    )
    duplicate = duplicate_case.person
    services.person_add_identity_document(
        actor=personas.owner, person=duplicate, kind="passport", number="AK999"
    )
    Consent.objects.create(
        person=duplicate,
        case=duplicate_case,
        purpose=ConsentPurpose.SERVICES,
        given_by=ConsentGiver.SELF,
        given_at=timezone.now(),
        recorded_by=personas.owner,
    )
    return kept_case, duplicate_case


def _holdings(person):
    return {
        "cases": set(person.cases.values_list("pk", flat=True)),
        "consents": set(person.consents.values_list("pk", flat=True)),
        "contacts": set(person.contacts.values_list("pk", flat=True)),
        "aliases": set(person.aliases.values_list("pk", flat=True)),
        "documents": set(person.identity_documents.values_list("pk", flat=True)),
    }


def _merge(client, personas, pair, reason="Same survivor registered twice at intake."):
    kept_case, duplicate_case = pair
    return sign_in(client, personas.director).post(
        START,
        {
            "kept": str(kept_case.person.public_id),
            "duplicate": str(duplicate_case.person.public_id),
            "reason": reason,
        },
    )


# --- Access ------------------------------------------------------------------------------------


def test_merge_page_director_previews_side_by_side(client, personas, pair):
    kept_case, duplicate_case = pair
    response = sign_in(client, personas.director).get(
        START,
        {
            "kept_case": kept_case.case_number.lower(),
            "duplicate_case": duplicate_case.case_number,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Amina Wanjiru" in page and "Aminah Wanjiru" in page
    assert "Mama Njeri" in page and "+254722000111" in page
    assert f'value="{duplicate_case.person.public_id}"' in page
    previews = AuditEvent.objects.filter(action="view", object_type="people.person")
    assert previews.count() == 2


@pytest.mark.parametrize("persona", ["owner", "teammate", "admin_user", *OTHER_ROLES])
def test_merge_page_without_merge_right_is_404(client, personas, pair, persona):
    user = getattr(personas, persona) if hasattr(personas, persona) else staff(personas, persona)
    sign_in(client, user)
    assert client.get(START).status_code == 404
    kept_case, duplicate_case = pair
    response = client.post(
        START,
        {
            "kept": str(kept_case.person.public_id),
            "duplicate": str(duplicate_case.person.public_id),
            "reason": "x",
        },
    )
    assert response.status_code == 404
    assert not PersonMerge.objects.exists()


def test_merge_page_other_organisation_finds_nothing_and_cannot_merge(client, personas, pair):
    kept_case, duplicate_case = pair
    sign_in(client, personas.outsider)
    response = client.get(
        START, {"kept_case": kept_case.case_number, "duplicate_case": duplicate_case.case_number}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "No person you may merge has a case with this number." in page
    assert "Amina" not in page
    assert _merge(client, personas, pair).status_code == 302  # the director of org A
    client.logout()
    merge = PersonMerge.objects.get()
    sign_in(client, personas.outsider)
    assert client.get(f"/staff/people/merges/{merge.public_id}/").status_code == 404
    assert client.post(f"/staff/people/merges/{merge.public_id}/undo/").status_code == 404


def test_merge_page_anonymous_redirects_to_login(client):
    response = client.get(START)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Merge, undo, confirm ------------------------------------------------------------------------


def test_merge_moves_everything_to_the_kept_person(client, personas, pair):
    kept_case, duplicate_case = pair
    kept, duplicate = kept_case.person, duplicate_case.person
    before_kept, before_duplicate = _holdings(kept), _holdings(duplicate)
    response = _merge(client, personas, pair)
    merge = PersonMerge.objects.get()
    assert response["Location"] == f"/staff/people/merges/{merge.public_id}/"
    assert merge.status == MergeStatus.PENDING
    assert merge.merged_by == personas.director
    assert merge.reason == "Same survivor registered twice at intake."
    after = _holdings(kept)
    for key in before_kept:
        assert after[key] == before_kept[key] | before_duplicate[key]
    assert _holdings(duplicate) == {key: set() for key in before_duplicate}
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    assert set(merge.moved) == {
        "cases.case.person",
        "cases.consent.person",
        "people.personcontact.person",
        "people.personalias.person",
        "people.personidentitydocument.person",
    }
    # The kept person is now found by the duplicate's alias.
    assert services.name_tokens(["Njeri"]) <= set(kept.name_tokens.values_list("token", flat=True))
    # The duplicate's case page shows the kept person now.
    page = client.get(case_section(duplicate_case, "person")).content.decode()
    assert "Amina Wanjiru" in page.split('id="part-person"')[1]
    events = AuditEvent.objects.filter(action="update", detail__merge=str(merge.public_id))
    assert {e.object_id for e in events} >= {
        str(kept.public_id),
        str(duplicate.public_id),
        str(duplicate_case.public_id),
    }
    for event in events:
        assert "Aminah" not in str(event.detail) and "Mama" not in str(event.detail)


def test_merge_without_reason_is_refused(client, personas, pair):
    response = _merge(client, personas, pair, reason="")
    assert response.status_code == 400
    assert not PersonMerge.objects.exists()
    assert pair[1].person.cases.exists()


def test_merge_undo_puts_every_record_back(client, personas, pair):
    kept_case, duplicate_case = pair
    kept, duplicate = kept_case.person, duplicate_case.person
    before_kept, before_duplicate = _holdings(kept), _holdings(duplicate)
    kept_tokens = set(kept.name_tokens.values_list("token", flat=True))
    _merge(client, personas, pair)
    merge = PersonMerge.objects.get()
    response = client.post(f"/staff/people/merges/{merge.public_id}/undo/")
    assert response.status_code == 302
    merge.refresh_from_db()
    assert merge.status == MergeStatus.UNDONE and merge.decided_by == personas.director
    assert _holdings(kept) == before_kept
    assert _holdings(duplicate) == before_duplicate
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert set(kept.name_tokens.values_list("token", flat=True)) == kept_tokens
    assert Case.objects.get(pk=duplicate_case.pk).person == duplicate
    # Undone is final too: no second undo, no confirmation.
    client.post(f"/staff/people/merges/{merge.public_id}/confirm/")
    merge.refresh_from_db()
    assert merge.status == MergeStatus.UNDONE


def test_merge_confirm_makes_it_final(client, personas, pair):
    kept_case, duplicate_case = pair
    _merge(client, personas, pair)
    merge = PersonMerge.objects.get()
    response = client.post(f"/staff/people/merges/{merge.public_id}/confirm/")
    assert response.status_code == 302
    merge.refresh_from_db()
    assert merge.status == MergeStatus.CONFIRMED
    page = client.get(f"/staff/people/merges/{merge.public_id}/").content.decode()
    assert "Merge confirmed" in page and "Undo the merge" not in page
    client.post(f"/staff/people/merges/{merge.public_id}/undo/")
    assert Case.objects.get(pk=duplicate_case.pk).person == kept_case.person
    assert AuditEvent.objects.filter(detail__step="confirm").exists()


def test_merge_of_already_merged_person_is_refused(client, personas, pair):
    _merge(client, personas, pair)
    response = _merge(client, personas, pair)
    assert response.status_code == 404
    assert PersonMerge.objects.count() == 1
    assert Person.objects.filter(merged_into__isnull=False).count() == 1


def test_merge_of_two_people_each_in_a_shelter_bed_is_refused_clearly(client, personas, pair):
    # One open stay per person is a database rule: the merge says so instead of failing.
    from tests.shelter.builders import bed, make_facility, shelter_manager
    from tumaini.shelter.services import stay_admit

    manager = shelter_manager(personas)
    facility = make_facility(personas.org_a, actor=personas.director)
    kept_case, duplicate_case = pair
    for case, label in ((kept_case, "1"), (duplicate_case, "2")):
        case.person.gender = "Feminine"
        case.person.save(update_fields=["gender"])
        stay_admit(
            actor=manager,
            case=case,
            bed=bed(facility, "Women", label),
            admitted_on=timezone.localdate(),
            expected_leave_on=None,
        )
    response = _merge(client, personas, pair)
    page = client.get(response["Location"]).content.decode()
    assert "a record that a person can hold only once" in page
    assert not PersonMerge.objects.exists()
    assert duplicate_case.person.cases.exists() and duplicate_case.person.shelter_stays.exists()
