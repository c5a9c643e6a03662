"""Forms of the case file: notes, documents, and the case's own settings (assignment, flags)."""

import io
import zipfile
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import Role
from tumaini.accounts.models import Team, User
from tumaini.cases.enums import CaseFlag, DocumentKind
from tumaini.cases.models import CaseNote


class NoteForm(forms.ModelForm):
    class Meta:
        model = CaseNote
        fields = ["kind", "body", "follow_up_on"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 4}),
            "follow_up_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "follow_up_on": _("Optional: the day someone must act on this note."),
        }

    def __init__(self, *args, **kwargs):
        # Several forms share the case page: their element ids must not collide.
        kwargs.setdefault("auto_id", "note-%s")
        super().__init__(*args, **kwargs)

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write the note."))
        return body


# What we accept, recognised by the first bytes of the file (its "magic number"), never by the name
# alone: a renamed executable must not be stored as a PDF.
ALLOWED_TYPES = {
    "pdf": ("application/pdf", {".pdf"}),
    "jpeg": ("image/jpeg", {".jpg", ".jpeg"}),
    "png": ("image/png", {".png"}),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        {".docx"},
    ),
}


def sniff_type(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"PK\x03\x04"):
        # Any ZIP starts so; a Word document holds word/document.xml.
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
    return None


def upload_max_bytes() -> int:
    return int(getattr(settings, "TUMAINI_UPLOAD_MAX_MB", 10)) * 1024 * 1024


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of document"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG, PNG or Word (DOCX), at most %(mb)s MB.")
        % {"mb": getattr(settings, "TUMAINI_UPLOAD_MAX_MB", 10)},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "document-%s")
        super().__init__(*args, **kwargs)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = upload_max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too big (%(size)s MB); the limit is %(limit)s MB.")
                % {
                    "size": f"{upload.size / 1024 / 1024:.1f}",
                    "limit": limit // (1024 * 1024),
                }
            )
        upload.seek(0)
        data = upload.read()
        kind = sniff_type(data)
        extension = PurePath(upload.name or "").suffix.lower()
        if kind is None or extension not in ALLOWED_TYPES[kind][1]:
            raise forms.ValidationError(
                _("This file is not a PDF, JPEG, PNG or Word (DOCX) document.")
            )
        self.cleaned_data["file_bytes"] = data
        self.cleaned_data["content_type"] = ALLOWED_TYPES[kind][0]
        return upload

    def clean_title(self):
        return self.cleaned_data["title"].strip()


class AssignmentForm(forms.Form):
    assigned_to = forms.ModelChoiceField(label=_("Case manager"), queryset=User.objects.none())
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("auto_id", "assign-%s")
        kwargs.setdefault(
            "initial",
            {"assigned_to": case.assigned_to_id, "team": case.team_id, "version": case.version},
        )
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = (
            User.objects.filter(
                organisation_id=case.organisation_id,
                is_active=True,
                role_assignments__role=Role.CASE_MANAGER,
            )
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["assigned_to"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.username})"
        )
        self.fields["team"].queryset = Team.objects.filter(organisation_id=case.organisation_id)


class FlagsForm(forms.Form):
    flags = forms.MultipleChoiceField(
        label=_("Flags"),
        choices=CaseFlag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("auto_id", "flags-%s")
        kwargs.setdefault("initial", {"flags": list(case.flags or []), "version": case.version})
        super().__init__(*args, **kwargs)
