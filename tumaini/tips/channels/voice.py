"""The voice hotline: language menu -> Dial the on-duty agents in turn -> voicemail if none answers.

Africa's Talking posts every step of a call to the same URL (protocols.md "Voice"); the step is read
from the callback's fields, and only the chosen language is kept, in the cache for an hour. The
prompts are written here in both languages, like the USSD screens: the caller picks the language on
the keypad, not through the request's locale. The caller's own number is never stored: it may not be
safe to call back.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from tumaini.hotline.selectors import hotline_numbers_on_duty
from tumaini.messaging.views import provider_callback
from tumaini.tips.channels import clean_text
from tumaini.tips.enums import Channel
from tumaini.tips.models import Report
from tumaini.tips.services import report_receive

logger = logging.getLogger("tumaini.tips.channels")

LANGUAGE_TTL = 60 * 60
RECORDING_URL_MAX_LENGTH = 500
LANGUAGES = {"1": "en", "2": "sw"}

MENU = "For English press 1. Kwa Kiswahili bonyeza 2."
NO_CHOICE = (
    "We did not receive a choice. Please call again. "
    "Hatukupokea chaguo lako. Tafadhali piga simu tena."
)
CONNECTING = {
    "en": "Thank you for calling Tumaini. We are connecting you to a counsellor. "
    "If nobody answers, leave a message after the beep and press the hash key.",
    "sw": "Asante kwa kupiga simu Tumaini. Tunakuunganisha na mshauri. "
    "Mtu asipojibu, acha ujumbe baada ya mlio kisha bonyeza kitufe cha reli.",
}
VOICEMAIL_ONLY = {
    "en": "Thank you for calling Tumaini. Nobody can take your call right now. "
    "Leave a message after the beep and press the hash key.",
    "sw": "Asante kwa kupiga simu Tumaini. Hakuna anayeweza kupokea simu yako sasa. "
    "Acha ujumbe baada ya mlio kisha bonyeza kitufe cha reli.",
}

_recording_url = URLValidator(schemes=["https", "http"])


def _language_key(session_id: str) -> str:
    return f"tips:voice:language:{session_id}"


def _xml(root: ET.Element) -> HttpResponse:
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


def _say(parent: ET.Element, text: str) -> None:
    ET.SubElement(parent, "Say").text = text


def menu(callback_url: str) -> ET.Element:
    root = ET.Element("Response")
    digits = ET.SubElement(
        root,
        "GetDigits",
        numDigits="1",
        timeout="10",
        finishOnKey="#",
        callbackUrl=callback_url,
    )
    _say(digits, MENU)
    # Reached only when the caller pressed nothing.
    _say(root, NO_CHOICE)
    return root


def connect(language: str, callback_url: str, numbers: list[str]) -> ET.Element:
    root = ET.Element("Response")
    if numbers:
        _say(root, CONNECTING[language])
        ET.SubElement(root, "Dial", phoneNumbers=",".join(numbers), sequential="true")
    else:
        _say(root, VOICEMAIL_ONLY[language])
    # Reached when no agent answered: the caller can still leave a voicemail.
    ET.SubElement(
        root,
        "Record",
        finishOnKey="#",
        maxLength="120",
        trimSilence="true",
        playBeep="true",
        callbackUrl=callback_url,
    )
    return root


def voicemail_receive(*, session_id: str, recording_url: str, language: str) -> tuple[Report, bool]:
    """The report for this call's voicemail, created once; returns (report, created)."""
    # The existing provider id column makes a retried callback find its report; the prefix keeps
    # call ids apart from SMS ids.
    provider_id = f"voice:{session_id}"
    existing = Report.objects.filter(provider_message_id=provider_id).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            report = report_receive(
                channel=Channel.VOICE,
                what_happened=f"Voicemail left on the help line: {recording_url}",
                language=language,
            )
            Report.objects.filter(pk=report.pk).update(provider_message_id=provider_id)
            report.provider_message_id = provider_id
    except IntegrityError:
        existing = Report.objects.filter(provider_message_id=provider_id).first()
        if existing is None:
            raise
        return existing, False
    return report, True


def _field(request: HttpRequest, name: str) -> str:
    return clean_text(request.POST.get(name, ""), keep_newlines=False)


@provider_callback
def voice(request: HttpRequest) -> HttpResponse:
    """Fields: isActive, sessionId, direction, callerNumber, destinationNumber, dtmfDigits,
    recordingUrl; on the final notification durationInSeconds, currencyCode, amount, hangupCause."""
    session_id = _field(request, "sessionId")
    if not session_id or len(session_id) > 90:
        return HttpResponseBadRequest("sessionId is required", content_type="text/plain")
    if _field(request, "isActive") == "0":
        # The call is over: nothing to say and nothing to keep.
        return HttpResponse(status=200)
    callback_url = request.build_absolute_uri(request.path)

    recording_url = _field(request, "recordingUrl")
    if recording_url:
        try:
            if len(recording_url) > RECORDING_URL_MAX_LENGTH:
                raise ValidationError("too long")
            _recording_url(recording_url)
        except ValidationError:
            return HttpResponseBadRequest("recordingUrl is not a URL", content_type="text/plain")
        language = cache.get(_language_key(session_id)) or ""
        report, created = voicemail_receive(
            session_id=session_id, recording_url=recording_url, language=language
        )
        if created:
            logger.info("Voicemail on call %s kept as report %s", session_id, report.pk)
        return _xml(ET.Element("Response"))

    digits = _field(request, "dtmfDigits")
    language = LANGUAGES.get(digits.rstrip("#"))
    if language is None:
        # No choice yet, or a key that is not on the menu: say the menu (again).
        return _xml(menu(callback_url))
    cache.set(_language_key(session_id), language, LANGUAGE_TTL)
    # The roster's on-duty agents; the installation's fixed numbers when nobody is on duty.
    numbers = hotline_numbers_on_duty() or list(getattr(settings, "TUMAINI_HOTLINE_NUMBERS", []))
    return _xml(connect(language, callback_url, numbers))
