"""The long-list select widgets write exactly the HTML of Django's Select and SelectMultiple."""

import pytest
from django import forms

from tumaini.core.widgets import ListSelect, ListSelectMultiple

CHOICES = [
    ("", "---------"),
    ("KE", "Kenya"),
    ("SA", "Saudi Arabia"),
    ("X&", 'Ta<b>"gged"</b> & co'),
    (7, "Seven"),
]


@pytest.mark.parametrize(
    "value", [None, "", "KE", "X&", 7, "7", "not-a-choice"], ids=lambda v: repr(v)
)
def test_list_select_renders_as_django_select(value):
    attrs = {"id": "id_country", "required": True, "aria-describedby": "id_country_helptext"}
    expected = forms.Select(choices=CHOICES).render("country", value, attrs=attrs)
    assert ListSelect(choices=CHOICES).render("country", value, attrs=attrs) == expected


@pytest.mark.parametrize("value", [None, [], ["KE"], ["KE", "X&", "7"], ["nope"]], ids=repr)
def test_list_select_multiple_renders_as_django_select_multiple(value):
    attrs = {"id": "id_languages"}
    expected = forms.SelectMultiple(choices=CHOICES[1:]).render("languages", value, attrs=attrs)
    rendered = ListSelectMultiple(choices=CHOICES[1:]).render("languages", value, attrs=attrs)
    assert rendered == expected
    assert "multiple" in rendered


def test_list_select_escapes_labels_and_values():
    html = ListSelect(choices=CHOICES).render("country", "X&")
    assert (
        '<option value="X&amp;" selected>Ta&lt;b&gt;&quot;gged&quot;&lt;/b&gt; &amp; co</option>'
        in html
    )
    assert "<b>" not in html


def test_list_select_marks_only_the_first_match_of_a_single_select():
    choices = [("a", "First"), ("a", "Same value again")]
    html = ListSelect(choices=choices).render("x", "a")
    assert html.count(" selected") == 1
    assert html == forms.Select(choices=choices).render("x", "a")


def test_list_select_leaves_grouped_choices_to_django():
    grouped = [("East Africa", [("KE", "Kenya"), ("UG", "Uganda")]), ("SA", "Saudi Arabia")]
    html = ListSelect(choices=grouped).render("country", "UG")
    assert '<optgroup label="East Africa">' in html
    assert html == forms.Select(choices=grouped).render("country", "UG")


@pytest.mark.django_db
def test_list_select_in_a_model_form_field_matches_django():
    from tumaini.core.models import Country

    Country.objects.get_or_create(code="KE", defaults={"name": "Kenya"})
    Country.objects.get_or_create(code="UG", defaults={"name": "Uganda"})

    class Plain(forms.Form):
        country = forms.ModelChoiceField(queryset=Country.objects.all(), required=False)

    class Fast(forms.Form):
        country = forms.ModelChoiceField(
            queryset=Country.objects.all(), required=False, widget=ListSelect
        )

    data = {"country": "UG"}
    assert str(Fast(data)["country"]) == str(Plain(data)["country"])
    assert '<option value="UG" selected>Uganda</option>' in str(Fast(data)["country"])
