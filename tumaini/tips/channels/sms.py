"""Inbound SMS: every message becomes a public report, acknowledged with its reference code.

Silence words: a message containing SILENT (English) or KIMYA (Kiswahili) as a word gets no reply,
for a reporter whose phone may be read by someone else. The report is stored all the same.
"""

from __future__ import annotations

import logging
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from tumaini.messaging.enums import MessagePurpose
from tumaini.messaging.services import sms_send
from tumaini.messaging.views import provider_callback
from tumaini.tips.channels import clean_text
from tumaini.tips.enums import Channel
from tumaini.tips.models import Report
from tumaini.tips.services import report_receive

logger = logging.getLogger("tumaini.tips.channels")

TEXT_MAX_LENGTH = 2000
SILENCE_WORDS = frozenset({"silent", "kimya"})

# A crude guess is enough: staff read the text anyway, this only helps route to a speaker.
_SWAHILI = frozenset(
    [
        "na",
        "ya",
        "wa",
        "kwa",
        "ni",
        "za",
        "la",
        "mtoto",
        "watoto",
        "msichana",
        "wasichana",
        "kazi",
        "nyumba",
        "hapa",
        "sasa",
        "tafadhali",
        "saidia",
        "wanafanya",
        "mtu",
        "watu",
        "kuna",
        "sana",
        "leo",
        "jana",
        "huko",
    ]
)
_ENGLISH = frozenset(
    [
        "the",
        "and",
        "is",
        "are",
        "of",
        "to",
        "in",
        "a",
        "at",
        "on",
        "help",
        "girl",
        "girls",
        "boy",
        "children",
        "child",
        "house",
        "work",
        "they",
        "there",
        "here",
        "now",
        "please",
    ]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

ACK_TEMPLATE = (
    "Tumaini: we received your report. Reference {ref}. Keep it to follow your report. / "
    "Tumepokea ripoti yako. Namba ya kumbukumbu {ref}. Iweke salama."
)


def guess_language(text: str) -> str:
    words = [w.lower() for w in _WORD.findall(text)]
    swahili = sum(w in _SWAHILI for w in words)
    english = sum(w in _ENGLISH for w in words)
    if max(swahili, english) < 2 or swahili == english:
        return ""
    return "sw" if swahili > english else "en"


def wants_silence(text: str) -> bool:
    return any(w.lower() in SILENCE_WORDS for w in _WORD.findall(text))


def sms_report_receive(*, message_id: str, sender: str, text: str) -> tuple[Report, bool]:
    """The report for this provider message id, created once; returns (report, created)."""
    existing = Report.objects.filter(provider_message_id=message_id).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            report = report_receive(
                channel=Channel.SMS,
                what_happened=text,
                reporter_phone=sender,
                language=guess_language(text),
            )
            # Set in the same transaction: a concurrent retry of the same id fails the unique
            # constraint here and rolls its report back.
            Report.objects.filter(pk=report.pk).update(provider_message_id=message_id)
            report.provider_message_id = message_id
    except IntegrityError:
        existing = Report.objects.filter(provider_message_id=message_id).first()
        if existing is None:
            raise
        return existing, False
    return report, True


@provider_callback
def inbound_sms(request: HttpRequest) -> HttpResponse:
    """Fields: from, to, text, date, id, linkId, networkCode (protocols.md)."""
    sender = clean_text(request.POST.get("from", ""), keep_newlines=False)[:40]
    message_id = clean_text(request.POST.get("id", ""), keep_newlines=False)
    text = clean_text(request.POST.get("text", ""))
    if not sender or not text or not message_id or len(message_id) > 100:
        return HttpResponseBadRequest("from, text and id are required", content_type="text/plain")
    if len(text) > TEXT_MAX_LENGTH:
        logger.warning(
            "Inbound SMS %s truncated from %d to %d characters",
            message_id,
            len(text),
            TEXT_MAX_LENGTH,
        )
        text = text[:TEXT_MAX_LENGTH]
    report, created = sms_report_receive(message_id=message_id, sender=sender, text=text)
    if created and not wants_silence(text):
        try:
            # Only queues the SMS (a database task); the provider is called by the worker.
            sms_send(
                to=sender,
                body=ACK_TEMPLATE.format(ref=report.display_reference),
                purpose=MessagePurpose.REPORT_ACK,
            )
        except ValidationError as error:
            logger.warning("No acknowledgement for SMS report %s: %s", report.pk, error.code)
    return HttpResponse("OK", content_type="text/plain")
