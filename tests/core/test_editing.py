"""The shared save step (core/editing.submit): a service's refusal lands beside the field it names
when the form has that field, and among the form's non-field errors when it does not."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from tumaini.core.editing import submit


class NoteForm(forms.Form):
    title = forms.CharField()
    note = forms.CharField(required=False)


class Refused(Exception):
    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field


def _refuse(error):
    def save(values):
        raise error

    return save


def _submitted(error, **options):
    request = RequestFactory().post("/", {"title": "Typed title", "note": "Typed note"})
    form = NoteForm(request.POST)
    outcome = submit(request, form, _refuse(error), refusals=(Refused, ValidationError), **options)
    assert not outcome.saved
    return form


@pytest.mark.parametrize(
    ("error", "options"),
    [
        (Refused("Not like this.", field="title"), {}),
        (ValidationError("Not like this."), {"refusal_field": "title"}),
        (ValidationError({"title": "Not like this."}), {}),
    ],
)
def test_refusal_naming_a_field_of_the_form_shown_beside_it(error, options):
    form = _submitted(error, **options)
    assert form.errors == {"title": ["Not like this."]}
    assert form["title"].value() == "Typed title"


@pytest.mark.parametrize(
    ("error", "options"),
    [
        (Refused("Not like this.", field="case"), {}),
        (Refused("Not like this.", field="title"), {"refusal_field": "case"}),
        (ValidationError("Not like this."), {"refusal_field": "case"}),
        (ValidationError({"case": "Not like this."}), {}),
        (Refused("Not like this."), {}),
    ],
)
def test_refusal_naming_no_field_of_the_form_shown_above_it(error, options):
    form = _submitted(error, **options)
    assert form.non_field_errors() == ["Not like this."]
    assert set(form.errors) == {"__all__"}
    assert form["note"].value() == "Typed note"


def test_refusal_naming_known_and_unknown_fields_keeps_both_messages():
    form = _submitted(ValidationError({"note": "Too long.", "case": "Closed case."}))
    assert form.errors == {"note": ["Too long."], "__all__": ["Closed case."]}
