"""Consent as other apps ask for it: "may we share this, for this purpose, with them, now?"."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tumaini.cases.models import Case, Consent

# Codes of the case-summary sections (the summary/PDF area reads the same codes).
SUMMARY_SECTIONS = [
    ("identity", _("Identity")),
    ("intake", _("Intake")),
    ("screening", _("Screening")),
    ("profile", _("Exploitation profile")),
    ("assessments", _("Assessments")),
    ("care_plan", _("Care plan")),
    ("notes", _("Notes")),
]


def consent_active(*, person, purpose: str, recipient=None, section: str | None = None):
    """The active consent allowing the share, or None.

    A consent naming a recipient covers that organisation only; one naming none covers any (only
    purposes without a recipient can be recorded so). A consent listing sections covers those only;
    an empty list covers the whole file. Call it at the moment of sharing: withdrawal and expiry
    take effect at once.
    """
    consents = Consent.objects.active().filter(person=person, purpose=purpose)
    if recipient is not None:
        consents = consents.filter(Q(recipient=recipient) | Q(recipient__isnull=True))
    for consent in consents.order_by("-given_at", "-id"):
        if section is None or not consent.sections or section in consent.sections:
            return consent
    return None


def consents_of_case(*, case: Case) -> dict:
    """The case's person's consents: active ones, and withdrawn or expired ones apart."""
    now = timezone.now()
    consents = list(
        Consent.objects.filter(person_id=case.person_id)
        .select_related("recipient")
        .order_by("-given_at", "-id")
    )
    labels = dict(SUMMARY_SECTIONS)
    for consent in consents:
        consent.section_labels = [labels.get(code, code) for code in consent.sections or []]
    return {
        "active_consents": [c for c in consents if c.is_active(now)],
        "inactive_consents": [c for c in consents if not c.is_active(now)],
    }
