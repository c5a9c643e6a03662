"""The project-wide form renderer: labels, help text, errors beside each field, an error summary."""

import re

from django import forms
from django.template import Context, Template
from django.utils import translation


class ReportForm(forms.Form):
    place = forms.CharField(label="Where did it happen?", help_text="A town or estate is enough.")
    details = forms.CharField(label="What did you see?", widget=forms.Textarea, required=False)
    channel = forms.ChoiceField(
        label="How may we reach you?",
        choices=[("none", "Do not contact me"), ("sms", "SMS")],
        widget=forms.RadioSelect,
    )
    agree = forms.BooleanField(label="I understand how my report is used")


def render(form) -> str:
    # Rendered the way templates do it, through the project's FORM_RENDERER.
    return Template("{{ form }}").render(Context({"form": form}))


def input_tag(html: str, name: str) -> str:
    match = re.search(rf'<(input|textarea)[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def test_form_without_errors_has_labels_help_and_required_marks():
    html = render(ReportForm())
    assert "error-summary" not in html
    assert "aria-invalid" not in html
    assert (
        '<label for="id_place">Where did it happen? <span class="required">(required)</span></label>'
        in html
    )
    # An optional field carries no "required" mark.
    assert '<label for="id_details">What did you see?</label>' in html
    assert '<div class="helptext" id="id_place_helptext">A town or estate is enough.</div>' in html
    assert 'aria-describedby="id_place_helptext"' in input_tag(html, "place")
    # Radio buttons are grouped under a legend; the checkbox label follows its box.
    assert re.search(r"<fieldset[^>]*>\s*<legend>How may we reach you\?", html)
    assert re.search(r'<input type="checkbox" name="agree"[^>]*>\s*<label for="id_agree">', html)


def test_form_with_errors_shows_summary_linking_to_each_field():
    form = ReportForm(data={"place": "", "channel": "pigeon"})
    assert not form.is_valid()
    html = render(form)

    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', html, re.S).group(0)
    assert "There is a problem" in summary
    assert '<a href="#id_place">Where did it happen? — This field is required.</a>' in summary
    assert 'href="#id_channel_0"' in summary
    assert 'href="#id_agree"' in summary
    assert "details" not in summary  # optional and empty: no error
    # The summary comes before the first field.
    assert html.index("error-summary") < html.index('<label for="id_place">')


def test_field_errors_sit_next_to_the_field_and_are_announced():
    html = render(ReportForm(data={"place": "", "channel": "none"}))
    place = input_tag(html, "place")
    assert 'aria-invalid="true"' in place
    described_by = re.search(r'aria-describedby="([^"]+)"', place).group(1).split()
    assert described_by == ["id_place_helptext", "id_place_error"]
    assert '<ul class="errorlist" id="id_place_error"><li>This field is required.</li></ul>' in html
    # Between the label and the input, so a screen reader and a sighted user meet it first.
    assert (
        html.index('<label for="id_place">') < html.index('id="id_place_error"') < html.index(place)
    )
    assert 'class="field field-error' in html
    assert "aria-invalid" not in input_tag(html, "details")


def test_non_field_errors_appear_in_the_summary():
    class DatesForm(forms.Form):
        start = forms.IntegerField(label="From")
        end = forms.IntegerField(label="To")

        def clean(self):
            data = super().clean()
            if data.get("start", 0) > data.get("end", 0):
                raise forms.ValidationError("The end is before the start.")
            return data

    html = render(DatesForm(data={"start": "5", "end": "1"}))
    assert re.search(r'class="error-summary".*The end is before the start\.', html, re.S)


def test_form_rendering_in_kiswahili():
    with translation.override("sw"):
        html = render(ReportForm(data={}))
    assert "Kuna tatizo" in html
    assert "(lazima)" in html


def test_every_form_layout_uses_the_accessible_template():
    # allauth and older code call as_p / as_table / as_ul: they get the same layout.
    form = ReportForm(data={})
    for html in (form.as_p(), form.as_table(), form.as_ul(), form.as_div()):
        assert 'class="error-summary"' in html
        assert '<span class="required">(required)</span>' in html
