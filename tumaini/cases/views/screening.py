"""Case views: screening interviews (new, edit, read) and the case page's screening part."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tumaini.cases import parts
from tumaini.cases.forms.screening import ScreeningForm, initial_for, question_field_name
from tumaini.cases.selectors.case import case_for_action
from tumaini.cases.selectors.screening import (
    answer_value,
    answers_by_question,
    default_question_set,
    indicator_summary,
    questions_for,
    screening_answers,
    screening_for_update,
    screening_for_view,
    screening_part_context,
)
from tumaini.cases.services.screening import screening_create, screening_update
from tumaini.core import access
from tumaini.core.services import VersionConflict


def _part_url(case) -> str:
    return parts.part_url(case, "screening")


@login_required
@require_http_methods(["GET", "POST"])
def screening_new(request, public_id):
    case = case_for_action(user=request.user, public_id=public_id, action=access.UPDATE)
    question_set = default_question_set()
    if question_set is None:
        return render(request, "cases/screening_unavailable.html", {"case": case}, status=503)
    questions = questions_for(question_set=question_set, is_child=case.person.is_child)
    form_kwargs = {"questions": questions, "is_child": case.person.is_child}
    if request.method == "POST":
        form = ScreeningForm(request.POST, **form_kwargs)
        if form.is_valid():
            screening_create(
                user=request.user,
                case=case,
                question_set=question_set,
                fields=form.screening_fields(),
                answers=form.answers(),
                request=request,
            )
            messages.success(request, _("The screening was saved."))
            return redirect(_part_url(case))
    else:
        form = ScreeningForm(initial={"conducted_on": timezone.localdate()}, **form_kwargs)
    return render(
        request,
        "cases/screening_form.html",
        {"case": case, "form": form, "question_set": question_set, "screening": None},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def screening_edit(request, public_id, screening_id):
    case, screening = screening_for_update(
        user=request.user, public_id=public_id, screening_id=screening_id, request=request
    )
    # A screening keeps the questions of the version it answered, even after a new one is out.
    questions = questions_for(question_set=screening.question_set, is_child=case.person.is_child)
    form_kwargs = {"questions": questions, "is_child": case.person.is_child}
    conflict = None
    if request.method == "POST":
        form = ScreeningForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                screening_update(
                    user=request.user,
                    screening=screening,
                    expected_version=form.cleaned_data.get("version") or 0,
                    fields=form.screening_fields(),
                    answers=form.answers(),
                    request=request,
                )
            except VersionConflict as error:
                conflict = error
                # Saving again is then a deliberate choice against the current version.
                form.data = form.data.copy()
                form.data["version"] = error.current.version
            else:
                messages.success(request, _("The screening was saved."))
                return redirect(_part_url(case))
    else:
        answers = answers_by_question(screening)
        initial = {
            name: getattr(screening, name)
            for name in (*ScreeningForm.CONTEXT_FIELDS, "guardian_present")
        }
        initial.update(
            {
                "decision": screening.decision,
                "decided_on": screening.decided_on,
                "justification": screening.justification,
                "acts": screening.acts,
                "means": screening.means,
                "purposes": screening.purposes,
                "version": screening.version,
            }
        )
        for question in questions:
            initial[question_field_name(question)] = initial_for(
                question, answer_value(question, answers.get(question.pk))
            )
        form = ScreeningForm(initial=initial, **form_kwargs)
    status = 409 if conflict else (400 if form.is_bound else 200)
    return render(
        request,
        "cases/screening_form.html",
        {
            "case": case,
            "form": form,
            "question_set": screening.question_set,
            "screening": screening,
            "conflict": conflict,
        },
        status=status,
    )


@login_required
@require_GET
def screening_detail(request, public_id, screening_id):
    case, screening = screening_for_view(
        user=request.user, public_id=public_id, screening_id=screening_id, request=request
    )
    return render(
        request,
        "cases/screening_detail.html",
        {
            "case": case,
            "screening": screening,
            "sections": screening_answers(screening),
            "indicators": indicator_summary(screening),
            "can_update": access.can(request.user, "case", access.UPDATE),
        },
    )


parts.register(
    parts.CasePart(
        key="screening",
        section="assessments",
        title=gettext_lazy("Screening and decision"),
        template="cases/parts/screening.html",
        context=screening_part_context,
        order=30,
    )
)

urlpatterns = [
    path("<uuid:public_id>/screening/new/", screening_new, name="screening_new"),
    path(
        "<uuid:public_id>/screening/<uuid:screening_id>/",
        screening_detail,
        name="screening_detail",
    ),
    path(
        "<uuid:public_id>/screening/<uuid:screening_id>/edit/",
        screening_edit,
        name="screening_edit",
    ),
]
