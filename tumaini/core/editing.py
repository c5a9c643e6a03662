"""The save step every staff form page shares: create forms and versioned edit forms alike.

A view still fetches its record through its own selector (the scope check and the audit stay in the
view, where they can be read), builds its form and renders its own page. `submit` does the part in
between: on a valid POST it calls the service; a stale version or a service's refusal is put back on
the form, next to the field it names, with everything typed kept. `submit_or_show` is the whole rest
of the usual add or edit page: save, then say so and redirect, or show the form again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

from tumaini.core.services import VersionConflict


@dataclass(frozen=True)
class Submission:
    """What came of a form page's request: `saved` with the service's `result`, or a page to show
    again (with the `conflict` when another edit landed first)."""

    saved: bool = False
    result: Any = None
    conflict: VersionConflict | None = None


def submit(
    request,
    form,
    save: Callable[[dict], Any],
    *,
    refusals: type[Exception] | tuple[type[Exception], ...] = (),
    refusal_field: str | None = None,
) -> Submission:
    """Call `save(form.cleaned_data)` when the request is a POST and the form is valid.

    `refusals` are the service's own exceptions for "not allowed like this": they are shown on the
    form (beside `refusal_field`, or the field the exception names) instead of saving.
    """
    if request.method != "POST" or not form.is_valid():
        return Submission()
    try:
        result = save(form.cleaned_data)
    except VersionConflict as conflict:
        keep_current_version(form, conflict)
        return Submission(conflict=conflict)
    except refusals as refused:
        show_refusal(form, refused, field=refusal_field)
        return Submission()
    return Submission(saved=True, result=result)


def submit_or_show(
    request,
    form,
    save: Callable[[dict], Any],
    *,
    saved_message: str | Callable[[Any], str],
    saved_url: str | Callable[[Any], str],
    show: Callable[[VersionConflict | None], HttpResponse],
    refusals: type[Exception] | tuple[type[Exception], ...] = (),
    refusal_field: str | None = None,
) -> HttpResponse:
    """`submit`, then: once saved, `saved_message` and a redirect to `saved_url` (either may be a
    function of what `save` returned, for a record just created); otherwise `show(conflict)`, the
    view's own page with the form (and the conflict when another edit landed first)."""
    outcome = submit(request, form, save, refusals=refusals, refusal_field=refusal_field)
    if not outcome.saved:
        return show(outcome.conflict)
    messages.success(request, _of(saved_message, outcome.result))
    return redirect(_of(saved_url, outcome.result))


def _of(value, result):
    return value(result) if callable(value) else value


def keep_current_version(form, conflict: VersionConflict) -> None:
    # Saving again is then a deliberate choice against the current version; nothing typed is lost.
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = conflict.current.version


def show_refusal(form, refused: Exception, *, field: str | None = None) -> None:
    """Put a service's refusal next to the field it names, and anything else above the form.

    A service may name a field this form does not have (its rules are shared by several pages);
    such a message goes to the non-field errors instead of failing the request.
    """
    if isinstance(refused, ValidationError) and hasattr(refused, "error_dict"):
        for name, errors in refused.error_dict.items():
            form.add_error(_known_field(form, name), errors)
        return
    name = field or getattr(refused, "field", None)
    message = refused if isinstance(refused, ValidationError) else str(refused)
    form.add_error(_known_field(form, name), message)


def _known_field(form, name: str | None) -> str | None:
    return name if name in form.fields else None
