"""Case views: the case file (notes with follow-ups, documents). Registers the parts "notes" (80)
and "documents" (90) of the case page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from tumaini.cases import parts
from tumaini.cases.forms.file import DocumentForm, NoteForm, upload_max_bytes
from tumaini.cases.selectors import file as file_selectors
from tumaini.cases.selectors.case import case_allows, case_for_action, case_for_view
from tumaini.cases.services import file as file_services
from tumaini.core.access import UPDATE


def _notes_context(*, user, case, note_form=None) -> dict:
    may_write = case_allows(user=user, case=case, action=UPDATE)
    return {
        "notes_page": file_selectors.notes_page(case=case),
        "open_follow_ups": file_selectors.open_follow_ups(case=case),
        "today": timezone.localdate(),
        "may_write": may_write,
        "note_form": (note_form or NoteForm()) if may_write else None,
    }


def _documents_context(*, user, case) -> dict:
    may_write = case_allows(user=user, case=case, action=UPDATE)
    return {
        "documents": file_selectors.documents_of(case=case),
        "may_write": may_write,
        "document_form": DocumentForm() if may_write else None,
    }


parts.register(
    parts.CasePart(
        key="notes",
        section="file",
        title=_("Notes"),
        template="cases/parts/notes.html",
        context=_notes_context,
        order=80,
    )
)
parts.register(
    parts.CasePart(
        key="documents",
        section="file",
        title=_("Documents"),
        template="cases/parts/documents.html",
        context=_documents_context,
        order=90,
    )
)


# --- Notes ---------------------------------------------------------------------------------------


@login_required
def case_notes(request, public_id):
    """Every note of the case, newest first, a page at a time."""
    case = case_for_view(user=request.user, public_id=public_id, request=request)
    page = file_selectors.notes_page(case=case, page_number=request.GET.get("page") or 1)
    return render(
        request,
        "cases/notes.html",
        {
            "case": case,
            "notes_page": page,
            "may_write": case_allows(user=request.user, case=case, action=UPDATE),
        },
    )


@login_required
def note_add(request, public_id):
    case = case_for_action(user=request.user, public_id=public_id, action=UPDATE)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        file_services.note_add(
            actor=request.user,
            case=case,
            kind=form.cleaned_data["kind"],
            body=form.cleaned_data["body"],
            follow_up_on=form.cleaned_data["follow_up_on"],
            request=request,
        )
        if request.htmx:
            return _notes_part(request, case)
        messages.success(request, _t("Note added."))
        return redirect(parts.part_url(case, "notes"))
    if request.method == "POST" and request.htmx:
        return _notes_part(request, case, note_form=form)
    return render(request, "cases/note_form.html", {"case": case, "form": form})


def _notes_part(request, case, note_form=None):
    context = _notes_context(user=request.user, case=case, note_form=note_form)
    return render(
        request,
        "cases/parts/notes.html",
        {"case": case, "part": {"key": "notes", **context}},
    )


@login_required
@require_POST
def note_follow_up_done(request, public_id, note_id):
    case = case_for_action(user=request.user, public_id=public_id, action=UPDATE)
    try:
        file_services.note_follow_up_done(
            actor=request.user, case=case, note_public_id=note_id, request=request
        )
    except file_services.FileActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _t("Follow-up marked done."))
    return redirect(parts.part_url(case, "notes"))


# --- Documents -----------------------------------------------------------------------------------


class _BoundedMemoryUpload(FileUploadHandler):
    """Keep uploads in memory, never in a plaintext temporary file, and stop keeping bytes past the
    size limit: the form then reports "too big" from the size counted here."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = upload_max_bytes()

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.chunks: list[bytes] = []
        self.kept = 0
        self.total = 0

    def receive_data_chunk(self, raw_data, start):
        self.total += len(raw_data)
        if self.kept <= self.limit:
            self.chunks.append(raw_data)
            self.kept += len(raw_data)
        return None

    def file_complete(self, file_size):
        import io

        content = io.BytesIO(b"".join(self.chunks))
        self.chunks = []
        return InMemoryUploadedFile(
            file=content,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.total,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


@csrf_exempt
def document_add(request, public_id):
    # The upload handler must be set before anything reads the body, the CSRF check included:
    # hence csrf_exempt here and csrf_protect on the view that does the work.
    request.upload_handlers = [_BoundedMemoryUpload(request)]
    return _document_add(request, public_id)


@login_required
@csrf_protect
def _document_add(request, public_id):
    case = case_for_action(user=request.user, public_id=public_id, action=UPDATE)
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            file_services.document_upload(
                actor=request.user,
                case=case,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                original_name=form.cleaned_data["file"].name,
                content_type=form.cleaned_data["content_type"],
                data=form.cleaned_data["file_bytes"],
                request=request,
            )
            messages.success(request, _t("Document added."))
            return redirect(parts.part_url(case, "documents"))
    else:
        form = DocumentForm()
    return render(request, "cases/document_form.html", {"case": case, "form": form})


@login_required
def document_download(request, public_id, document_id):
    document, data = file_selectors.document_for_download(
        user=request.user,
        case_public_id=public_id,
        document_public_id=document_id,
        request=request,
    )
    response = HttpResponse(data, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(True, document.original_name)
    response["Cache-Control"] = "no-store"
    response["Content-Length"] = str(len(data))
    return response


urlpatterns = [
    path("<uuid:public_id>/notes/", case_notes, name="case_notes"),
    path("<uuid:public_id>/notes/add/", note_add, name="note_add"),
    path(
        "<uuid:public_id>/notes/<uuid:note_id>/done/",
        note_follow_up_done,
        name="note_follow_up_done",
    ),
    path("<uuid:public_id>/documents/add/", document_add, name="document_add"),
    path(
        "<uuid:public_id>/documents/<uuid:document_id>/",
        document_download,
        name="document_download",
    ),
]
