# ruff: noqa: F811
# (pytest fixtures imported from the builders module are redefined as test arguments)
"""Screening: question sets as data, the interview form, the decision, versions and the case part."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.cases.builders_screening import (  # noqa: F401 (fixtures)
    make_case,
    matrix,
    org_a_others,
    reference,
    signed_in,
)
from tests.testapp.helpers import case_section
from tumaini.cases.enums import TraffickingDecision
from tumaini.cases.models import Screening, ScreeningAnswer, ScreeningQuestion, ScreeningQuestionSet
from tumaini.cases.selectors.screening import screening_part_context
from tumaini.cases.services.screening import (
    DATA_DIR,
    ScreeningSetError,
    screening_sets_load,
)
from tumaini.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SECRET_STORY = "Mama Wanjiku promised work at a hotel in Muscat"
ILO_YES = ("ilo_deception", "ilo_movement", "ilo_documents", "ilo_wages")


def new_url(case):
    return reverse("cases:screening_new", kwargs={"public_id": case.public_id})


def edit_url(screening):
    return reverse(
        "cases:screening_edit",
        kwargs={"public_id": screening.case.public_id, "screening_id": screening.public_id},
    )


def detail_url(screening):
    return reverse(
        "cases:screening_detail",
        kwargs={"public_id": screening.case.public_id, "screening_id": screening.public_id},
    )


def answers_post(**overrides):
    data = {
        "conducted_on": timezone.localdate().isoformat(),
        "interpreter_present": "on",
        "decision": TraffickingDecision.PENDING,
        "q_reg_consent_to_talk": "yes",
        "q_reg_safe_now": "yes",
        "q_rec_how": "approached",
        "q_rec_promised": SECRET_STORY,
        "q_rec_when": "2024-02-10",
        "q_tr_mode": ["bus", "air"],
        "q_ex_activities": "Cleaning and cooking from five in the morning",
        "q_ex_free_to_leave": "no",
        "q_ex_hours_per_day": "16",
        "q_ilo_violence": "not_asked",
        **{f"q_{code}": "yes" for code in ILO_YES},
        "q_ilo_isolation": "no",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def create_screening(client, case, user, **overrides):
    signed_in(client, user)
    response = client.post(new_url(case), answers_post(**overrides))
    assert response.status_code == 302, response.content.decode()[:3000]
    return Screening.objects.filter(case=case).latest("created_at")


# --- Question sets as data -------------------------------------------------------------------------


def test_load_screening_sets_publishes_default_set_once(reference):
    call_command("load_screening_sets", verbosity=0)
    question_set = ScreeningQuestionSet.objects.get()
    assert (question_set.code, question_set.version) == ("tumaini-default", 1)
    assert question_set.is_default and question_set.published_at
    questions = list(question_set.questions.all())
    assert len(questions) > 40
    assert all(q.text_en and q.text_sw and q.text_en != q.text_sw for q in questions)
    indicators = {q.indicator for q in questions if q.indicator}
    assert indicators == {
        "abuse_of_vulnerability",
        "deception",
        "restriction_of_movement",
        "isolation",
        "physical_and_sexual_violence",
        "intimidation_and_threats",
        "retention_of_identity_documents",
        "withholding_of_wages",
        "debt_bondage",
        "abusive_working_and_living_conditions",
        "excessive_overtime",
    }
    assert {q.section for q in questions} >= {
        "registration",
        "interview_context",
        "recruitment",
        "transport",
        "exploitation",
        "ilo_indicators",
        "corroboration",
    }
    assert any(q.required for q in questions)
    assert any(not q.applies_to_adults for q in questions)
    assert any(not q.applies_to_children for q in questions)


def _copy_default(tmp_path, change):
    data = json.loads((DATA_DIR / "screening_default.json").read_text(encoding="utf-8"))
    change(data)
    (tmp_path / "screening_default.json").write_text(json.dumps(data), encoding="utf-8")
    return tmp_path


def test_load_screening_sets_refuses_a_changed_file_with_the_same_version(reference, tmp_path):
    def reword(data):
        data["sections"][0]["questions"][1]["text_en"] = "Are you safe?"

    directory = _copy_default(tmp_path, reword)
    with pytest.raises(ScreeningSetError, match='raise "version" to 2'):
        screening_sets_load(directory=directory)
    question = ScreeningQuestion.objects.get(code="reg_safe_now")
    assert question.text_en == "Do you feel safe right now, here with us?"


def test_load_screening_sets_command_reports_a_broken_file(reference, tmp_path):
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="broken.json: cannot be read as JSON"):
        call_command("load_screening_sets", directory=tmp_path, verbosity=0)


def test_new_set_version_leaves_old_screenings_on_their_version(
    reference, client, personas_with_mfa, tmp_path
):
    case = make_case(personas=personas_with_mfa)
    old = create_screening(client, case, personas_with_mfa.owner)

    def new_version(data):
        data["version"] = 2
        data["sections"][0]["questions"].append(
            {
                "code": "reg_new_question",
                "kind": "text",
                "text_en": "Where did you sleep last night?",
                "text_sw": "Ulilala wapi jana usiku?",
            }
        )

    screening_sets_load(directory=_copy_default(tmp_path, new_version))
    v1, v2 = ScreeningQuestionSet.objects.order_by("version")
    assert v2.is_default and not v1.is_default and v1.retired_at
    old.refresh_from_db()
    assert old.question_set == v1
    assert "Where did you sleep last night?" in client.get(new_url(case)).content.decode()
    edit_page = client.get(edit_url(old))
    assert edit_page.status_code == 200
    assert "Where did you sleep last night?" not in edit_page.content.decode()
    assert SECRET_STORY in edit_page.content.decode()


# --- The form ---------------------------------------------------------------------------------------


def test_screening_form_shows_sections_and_questions_in_english(
    reference, client, personas_with_mfa
):
    case = make_case(personas=personas_with_mfa)
    signed_in(client, personas_with_mfa.owner)
    page = client.get(new_url(case)).content.decode()
    assert '<h2 id="section-recruitment">Recruitment</h2>' in page
    assert "ILO indicators of forced labour" in page
    assert "Do you feel safe right now, here with us?" in page
    assert 'type="radio" name="q_ilo_deception" value="not_asked"' in page
    assert 'type="date" name="q_rec_when"' in page
    assert 'type="checkbox" name="q_tr_mode"' in page
    # Adult case: adult-only questions, no child-only ones.
    assert "q_rec_contract" in page and "q_rec_parents_knew" not in page
    assert 'name="guardian_present"' not in page


def test_screening_form_is_in_kiswahili_when_the_user_reads_kiswahili(
    reference, client, personas_with_mfa
):
    case = make_case(personas=personas_with_mfa)
    signed_in(client, personas_with_mfa.owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sw"
    page = client.get(new_url(case)).content.decode()
    assert "Je, unajisikia uko salama sasa hivi, ukiwa hapa nasi?" in page
    assert "Mtu alinifuata moja kwa moja" in page
    assert "Do you feel safe right now" not in page


def test_screening_form_for_a_child_asks_child_questions_and_about_the_guardian(
    reference, client, personas_with_mfa
):
    case = make_case(personas=personas_with_mfa, child=True)
    signed_in(client, personas_with_mfa.owner)
    page = client.get(new_url(case)).content.decode()
    assert "q_rec_parents_knew" in page and "q_ctx_guardian_who" in page
    assert "q_rec_contract" not in page
    assert 'name="guardian_present"' in page


def test_screening_create_saves_typed_answers_and_audits_field_names_only(
    reference, client, personas_with_mfa
):
    case = make_case(personas=personas_with_mfa)
    screening = create_screening(client, case, personas_with_mfa.owner)
    assert screening.conducted_by == personas_with_mfa.owner
    assert screening.interpreter_present is True
    answers = {a.question.code: a for a in screening.answers.select_related("question")}
    assert answers["reg_safe_now"].value_bool is True
    assert answers["ex_free_to_leave"].value_bool is False
    assert answers["rec_promised"].value_text == SECRET_STORY
    assert answers["rec_how"].value_choices == ["approached"]
    assert answers["tr_mode"].value_choices == ["bus", "air"]
    assert answers["rec_when"].value_date.isoformat() == "2024-02-10"
    assert answers["ex_hours_per_day"].value_number == Decimal("16")
    # "Not asked" and empty questions store nothing.
    assert "ilo_violence" not in answers and "rec_origin" not in answers
    event = AuditEvent.objects.filter(action="create", object_id=str(case.public_id)).get()
    assert event.detail == {"part": "screening", "screening": str(screening.public_id)}
    assert "answers.rec_promised" in event.fields_changed
    assert "screening.conducted_on" in event.fields_changed
    assert SECRET_STORY not in json.dumps([event.fields_changed, event.detail, event.reason])


def test_screening_text_answers_are_encrypted_in_the_database(reference, client, personas_with_mfa):
    case = make_case(personas=personas_with_mfa)
    screening = create_screening(client, case, personas_with_mfa.owner)
    table = ScreeningAnswer._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT value_text FROM {table} WHERE screening_id = %s AND value_text <> ''",
            [screening.pk],
        )
        raw = [row[0] for row in cursor.fetchall()]
    assert len(raw) == 2  # the promise and the activities
    assert all("Wanjiku" not in value and "Cleaning" not in value for value in raw)
    assert all(value.startswith("gAAAA") for value in raw)  # Fernet tokens


def test_screening_missing_required_answer_keeps_what_was_typed(
    reference, client, personas_with_mfa
):
    case = make_case(personas=personas_with_mfa)
    signed_in(client, personas_with_mfa.owner)
    response = client.post(new_url(case), answers_post(q_rec_promised="", q_reg_safe_now=None))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert page.count("This field is required.") >= 2
    # The error sits with its question, and what was typed stays.
    promised = page.index('name="q_rec_promised"')
    assert "This field is required." in page[promised - 1500 : promised]
    assert "Cleaning and cooking from five in the morning" in page
    assert 'value="approached" selected' in page
    assert not Screening.objects.filter(case=case).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("q_rec_how", "spaceship", "Select a valid choice"),
        ("q_ex_hours_per_day", "-3", "greater than or equal to 0"),
        ("q_ex_hours_per_day", "many", "Enter a number"),
        ("q_rec_when", "2024-13-45", "Enter a valid date"),
        ("q_ilo_debt", "maybe", "Select a valid choice"),
        ("conducted_on", "2999-01-01", "cannot be in the future"),
        ("q_rec_origin", "x" * 1001, "at most 1000 characters"),
    ],
)
def test_screening_bad_input_is_refused_next_to_the_field(
    reference, client, personas_with_mfa, field, value, message
):
    case = make_case(personas=personas_with_mfa)
    signed_in(client, personas_with_mfa.owner)
    response = client.post(new_url(case), answers_post(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Screening.objects.filter(case=case).exists()


# --- The decision -----------------------------------------------------------------------------------


def test_actual_decision_for_an_adult_needs_act_means_and_purpose(
    reference, client, personas_with_mfa
):
    case = make_case(personas=personas_with_mfa)
    signed_in(client, personas_with_mfa.owner)
    response = client.post(
        new_url(case), answers_post(decision="actual", acts=["recruitment"], purposes=[])
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose at least one means: an adult victim needs all three." in page
    assert "Choose at least one purpose for a victim of trafficking." in page
    screening = create_screening(
        client,
        case,
        personas_with_mfa.owner,
        decision="actual",
        acts=["recruitment", "transportation"],
        means=["deception"],
        purposes=["ForcedLabour"],
        justification="Deceived about the work; documents held; not free to leave.",
    )
    assert screening.decision == TraffickingDecision.ACTUAL
    assert screening.decided_by == personas_with_mfa.owner
    assert screening.decided_on == timezone.localdate()
    assert screening.acts == ["recruitment", "transportation"]
    assert screening.means == ["deception"]


def test_actual_decision_for_a_child_needs_no_means(reference, client, personas_with_mfa):
    case = make_case(personas=personas_with_mfa, child=True)
    signed_in(client, personas_with_mfa.owner)
    response = client.post(new_url(case), answers_post(decision="actual", acts=["harbouring"]))
    assert response.status_code == 400
    assert "Choose at least one purpose" in response.content.decode()
    assert "Choose at least one means" not in response.content.decode()
    screening = create_screening(
        client,
        case,
        personas_with_mfa.owner,
        decision="actual",
        acts=["harbouring"],
        purposes=["ChildLabour"],
        guardian_present="on",
    )
    assert screening.decision == TraffickingDecision.ACTUAL and screening.means == []
    assert screening.guardian_present is True


def test_not_a_victim_decision_needs_a_justification(reference, client, personas_with_mfa):
    case = make_case(personas=personas_with_mfa)
    signed_in(client, personas_with_mfa.owner)
    response = client.post(new_url(case), answers_post(decision="not_a_victim", justification=" "))
    assert response.status_code == 400
    assert "Say why this person is not a victim of trafficking." in response.content.decode()
    screening = create_screening(
        client,
        case,
        personas_with_mfa.owner,
        decision="not_a_victim",
        justification="Left a job over a wage dispute; free to leave throughout.",
        decided_on=(timezone.localdate() - timedelta(days=1)).isoformat(),
    )
    assert screening.justification.startswith("Left a job")
    assert screening.decided_on == timezone.localdate() - timedelta(days=1)


# --- Editing ----------------------------------------------------------------------------------------


def test_screening_edit_changes_answers_and_records_who_decided(
    reference, client, personas_with_mfa
):
    case = make_case(personas=personas_with_mfa)
    screening = create_screening(client, case, personas_with_mfa.owner)
    signed_in(client, personas_with_mfa.director)
    page = client.get(edit_url(screening)).content.decode()
    assert SECRET_STORY in page and 'name="version" value="1"' in page
    assert AuditEvent.objects.filter(
        action="view", actor=personas_with_mfa.director, detail__part="screening"
    ).exists()
    response = client.post(
        edit_url(screening),
        answers_post(
            version="1",
            q_rec_promised="",
            q_ilo_isolation="yes",
            decision="possible",
        ),
    )
    # rec_promised is required: the edit is refused and nothing changes.
    assert response.status_code == 400
    response = client.post(
        edit_url(screening),
        answers_post(
            version="1", q_rec_origin="Kakamega", q_ilo_isolation="yes", decision="possible"
        ),
    )
    assert response.status_code == 302
    screening.refresh_from_db()
    assert screening.version == 2
    assert screening.decision == "possible" and screening.decided_by == personas_with_mfa.director
    assert screening.answers.get(question__code="rec_origin").value_text == "Kakamega"
    assert screening.answers.get(question__code="ilo_isolation").value_bool is True
    event = AuditEvent.objects.filter(action="update", object_id=str(case.public_id)).latest("id")
    assert set(event.fields_changed) == {
        "answers.ilo_isolation",
        "answers.rec_origin",
        "screening.decided_by",
        "screening.decided_on",
        "screening.decision",
    }
    assert "Kakamega" not in json.dumps(event.detail)


def test_screening_edit_by_two_users_refuses_the_second_and_keeps_their_input(
    reference, client, personas_with_mfa
):
    case = make_case(personas=personas_with_mfa)
    screening = create_screening(client, case, personas_with_mfa.owner)
    signed_in(client, personas_with_mfa.teammate)
    first = client.post(edit_url(screening), answers_post(version="1", q_rec_origin="Bungoma"))
    assert first.status_code == 302
    signed_in(client, personas_with_mfa.owner)
    second = client.post(edit_url(screening), answers_post(version="1", q_rec_origin="Busia"))
    assert second.status_code == 409
    page = second.content.decode()
    assert "Someone else changed this record after you opened it" in page
    assert 'value="Busia"' in page and 'name="version" value="2"' in page
    assert screening.answers.get(question__code="rec_origin").value_text == "Bungoma"
    # Saving again is a deliberate choice against the current version.
    third = client.post(edit_url(screening), answers_post(version="2", q_rec_origin="Busia"))
    assert third.status_code == 302
    assert screening.answers.get(question__code="rec_origin").value_text == "Busia"


# --- Reading ----------------------------------------------------------------------------------------


def test_case_part_shows_latest_decision_and_indicator_count(reference, client, personas_with_mfa):
    case = make_case(personas=personas_with_mfa)
    screening = create_screening(
        client,
        case,
        personas_with_mfa.owner,
        decision="possible",
    )
    page = client.get(case_section(case, "assessments")).content.decode()
    part = page[page.index('id="part-screening"') :]
    assert "Possible victim of trafficking" in part
    assert "4 of 11 ILO indicators" in part
    assert detail_url(screening) in part and edit_url(screening) in part


def test_screening_detail_shows_answers_and_is_audited(reference, client, personas_with_mfa):
    case = make_case(personas=personas_with_mfa)
    screening = create_screening(client, case, personas_with_mfa.owner)
    signed_in(client, personas_with_mfa.teammate)
    before = AuditEvent.objects.filter(action="view", object_id=str(case.public_id)).count()
    page = client.get(detail_url(screening)).content.decode()
    assert SECRET_STORY in page
    assert "Bus or matatu, Aeroplane" in page
    assert "4 of 11 ILO indicators" in page
    assert "not answered" in page
    after = AuditEvent.objects.filter(
        action="view", object_id=str(case.public_id), actor=personas_with_mfa.teammate
    )
    assert after.count() == before + 1


def test_screening_part_queries_do_not_grow_with_screenings(
    reference, client, personas_with_mfa, django_assert_max_num_queries
):
    case = make_case(personas=personas_with_mfa)
    create_screening(client, case, personas_with_mfa.owner)
    with django_assert_max_num_queries(20) as one:
        screening_part_context(user=personas_with_mfa.owner, case=case)
    # Read the count now: each request through the test client clears the query log.
    with_one = len(one)
    assert with_one > 0
    for _ in range(3):
        create_screening(client, case, personas_with_mfa.owner)
    with django_assert_max_num_queries(with_one):
        context = screening_part_context(user=personas_with_mfa.owner, case=case)
    assert len(context["earlier"]) == 3


def test_screening_detail_queries_do_not_grow_with_answers(
    reference, client, personas_with_mfa, django_assert_max_num_queries
):
    case = make_case(personas=personas_with_mfa)
    few = create_screening(client, case, personas_with_mfa.owner)
    many = create_screening(
        client,
        case,
        personas_with_mfa.owner,
        q_rec_origin="Kisumu",
        q_rec_destination="Riyadh",
        q_tr_border="yes",
        q_cor_notes="Consistent account",
        q_ex_paid="never",
    )
    with django_assert_max_num_queries(60) as baseline:
        client.get(detail_url(few))
    with_few = len(baseline)
    with django_assert_max_num_queries(with_few):
        assert "Riyadh" in client.get(detail_url(many)).content.decode()


# --- Access -----------------------------------------------------------------------------------------


def test_screening_pages_access_matrix(reference, client, personas_with_mfa, org_a_others):
    case = make_case(personas=personas_with_mfa)
    screening = create_screening(client, case, personas_with_mfa.owner)
    for user, expected in matrix(personas_with_mfa, org_a_others):
        signed_in(client, user)
        for url in (new_url(case), edit_url(screening), detail_url(screening)):
            response = client.get(url)
            assert response.status_code == expected, (user.username, url)
            if expected == 200:
                assert case.case_number in response.content.decode()
        if expected == 404:
            response = client.post(new_url(case), answers_post())
            assert response.status_code == 404
    assert Screening.objects.filter(case=case).count() == 1
    client.logout()
    response = client.get(new_url(case))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_screening_of_another_case_is_not_found(reference, client, personas_with_mfa):
    case = make_case(personas=personas_with_mfa)
    other = make_case(personas=personas_with_mfa)
    screening = create_screening(client, case, personas_with_mfa.owner)
    url = reverse(
        "cases:screening_detail",
        kwargs={"public_id": other.public_id, "screening_id": screening.public_id},
    )
    assert client.get(url).status_code == 404
    assert client.get(f"/staff/cases/{case.public_id}/screening/not-a-uuid/").status_code == 404
