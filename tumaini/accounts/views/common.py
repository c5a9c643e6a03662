"""What the staff administration views share: the one form page, the edit-state token."""

from __future__ import annotations

from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _


def with_expected_state(values: dict) -> dict:
    """An edit form's values as its service takes them: the `state` token read with the page is
    what the record must still be (a later edit makes the service refuse)."""
    values = dict(values)
    values["expected_state"] = values.pop("state")
    return values


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
