"""What the partner's page and the one-time link page share: reading the answer that was posted."""

from django.contrib import messages
from django.core.exceptions import ValidationError

from tumaini.referrals.forms import respond_forms
from tumaini.referrals.services import COMPLETE, DECLINE, PARTNER_STEPS, ReferralRefused


def posted_answer(request, answer) -> tuple[bool, dict]:
    """Validate the posted step and call `answer(step, note)`; (done, forms for the page)."""
    step = request.POST.get("step", "")
    forms = respond_forms(request.POST, step=step)
    if step not in PARTNER_STEPS:
        messages.error(request, ReferralRefused.default_message())
        return False, forms
    note = ""
    form = (
        forms["decline_form"]
        if step == DECLINE
        else forms["outcome_form"]
        if step == COMPLETE
        else None
    )
    if form is not None:
        if not form.is_valid():
            return False, forms
        note = form.cleaned_data["note"]
    try:
        answer(step, note)
    except ValidationError as error:
        if form is not None:
            for message in error.messages:
                form.add_error("note", message)
        return False, forms
    except ReferralRefused as refused:
        messages.error(request, str(refused))
        return False, respond_forms()
    return True, respond_forms()
