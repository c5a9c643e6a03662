"""SMS reminders of appointments: one per appointment, only with an active consent for SMS contact,
to a phone the survivor said is safe, and saying nothing of what the appointment is about.

A trafficker may hold or read the survivor's phone: the text names no organisation, service, staff
member or place — only a day and a time, in English and Kiswahili.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tumaini.care.enums import AppointmentStatus, ReminderState
from tumaini.care.models import Appointment
from tumaini.cases.enums import ConsentPurpose
from tumaini.cases.selectors.consent import consent_active
from tumaini.messaging.enums import MessagePurpose
from tumaini.messaging.services import normalise_recipient, sms_send
from tumaini.people.enums import ContactKind
from tumaini.people.models import PersonContact

logger = logging.getLogger("tumaini.care")

# Reminders go out for appointments starting within this window.
REMINDER_AHEAD = timedelta(hours=24)
BATCH = 200


def reminder_text(appointment: Appointment) -> str:
    """The whole SMS: a day and a time, nothing else (not translated per user: both languages)."""
    local = timezone.localtime(appointment.starts_at)
    day, hour = local.strftime("%d/%m"), local.strftime("%H:%M")
    return f"Reminder: appointment {day} at {hour}. Ukumbusho: miadi {day} saa {hour}."


def _safe_phone(person) -> str | None:
    for contact in PersonContact.objects.filter(
        person=person, kind=ContactKind.PHONE, is_safe_to_use=True
    ).order_by("id"):
        try:
            return normalise_recipient(contact.value)
        except ValidationError:
            continue  # a badly typed number is skipped (and never logged)
    return None


def appointment_reminders_send(*, now=None) -> dict[str, int]:
    """Decide the reminder of every scheduled appointment starting within REMINDER_AHEAD.

    Idempotent: each appointment is claimed by a conditional update on its empty reminder state, in
    the same transaction as the queued SMS, so a second run (or a second worker) sends nothing more.
    """
    now = now or timezone.now()
    due = (
        Appointment.objects.filter(
            status=AppointmentStatus.SCHEDULED,
            reminder_state="",
            starts_at__gt=now,
            starts_at__lte=now + REMINDER_AHEAD,
        )
        .select_related("case__person")
        .order_by("starts_at", "id")[:BATCH]
    )
    counts = dict.fromkeys(ReminderState.values, 0)
    for appointment in due:
        person = appointment.case.person
        with transaction.atomic():
            if consent_active(person=person, purpose=ConsentPurpose.SMS_CONTACT) is None:
                state, phone = ReminderState.NO_CONSENT, None
            else:
                phone = _safe_phone(person)
                state = ReminderState.SENT if phone else ReminderState.NO_PHONE
            claimed = Appointment.objects.filter(pk=appointment.pk, reminder_state="").update(
                reminder_state=state
            )
            if not claimed:
                continue
            if phone:
                message = sms_send(
                    to=phone,
                    body=reminder_text(appointment),
                    purpose=MessagePurpose.APPOINTMENT_REMINDER,
                )
                Appointment.objects.filter(pk=appointment.pk).update(reminder_message=message)
        counts[state] += 1
    return counts
