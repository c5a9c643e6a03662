from django import forms
from django.utils.translation import gettext_lazy as _

from tumaini.core.enums import AuditAction
from tumaini.core.services import BREAK_GLASS_REASON_MIN_LENGTH


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need this record now?"),
        help_text=_(
            "At least 20 characters. The record's case worker and your supervisors will read this."
        ),
        min_length=BREAK_GLASS_REASON_MIN_LENGTH,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AuditSearchForm(forms.Form):
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("any action")), *AuditAction.choices],
    )
    object_type = forms.CharField(
        label=_("Record type"),
        required=False,
        max_length=60,
        help_text=_("For example cases.case"),
    )
    object_id = forms.CharField(label=_("Record id"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        for name in ("user", "object_type", "object_id"):
            if cleaned.get(name):
                cleaned[name] = cleaned[name].strip()
        return cleaned
