"""What the staff administration views share: service errors on forms, the one form page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _


def show_errors(form, error: ValidationError) -> None:
    """Put a service's errors next to the fields they name (the rest above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_page(request, form, *, title, cancel_url, submit=None, intro=None, status=200):
    return render(
        request,
        "accounts/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "submit": submit or _("Save"),
            "intro": intro,
        },
        status=status,
    )


def organisation_url(organisation) -> str:
    return reverse("accounts:organisation_detail", args=[organisation.public_id])


def post_only(request):
    # Checked after the record is fetched, so a user without the right still gets the 404.
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])
