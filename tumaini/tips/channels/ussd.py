"""USSD reports: language -> what is happening -> where -> danger now -> callback number -> END.

The screens are written here in both languages rather than in the gettext catalogue: each must stay
plain ASCII and at most 160 characters with its CON/END prefix, which a translator cannot check.
"""

from __future__ import annotations

import logging

import phonenumbers
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone

from tumaini.messaging.views import provider_callback
from tumaini.tips.channels import clean_text
from tumaini.tips.enums import Channel, VictimAges
from tumaini.tips.models import Report, UssdSession, UssdStep
from tumaini.tips.services import report_receive

logger = logging.getLogger("tumaini.tips.channels")

SCREEN_MAX_LENGTH = 160
PLACE_MAX_LENGTH = 500
ENDED_EARLY = ("Incomplete", "Failed")

LANGUAGES = {"1": "en", "2": "sw"}
# What staff read in the report, in English whatever the reporter's language.
CATEGORIES = {
    "1": ("forced_work", "Forced work"),
    "2": ("sexual_exploitation", "Sexual exploitation"),
    "3": ("child_taken", "A child being taken"),
    "4": ("other", "Something else"),
}
CATEGORY_LABELS = dict(CATEGORIES.values())

LANGUAGE_SCREEN = (
    "Tumaini: report trafficking safely.\nChagua lugha / Choose language:\n1 English\n2 Kiswahili"
)
SCREENS = {
    "en": {
        UssdStep.WHAT: "What is happening?\n1 Forced work\n2 Sexual exploitation\n"
        "3 A child being taken\n4 Something else",
        UssdStep.WHERE: "Where is it happening? Type the place (town, estate, landmark).",
        UssdStep.DANGER: "Is anyone in danger now?\n1 Yes\n2 No",
        UssdStep.CALLBACK: "We may call you back. Type a safe phone number, or 0 to skip.",
        "invalid": "Invalid choice.",
        "invalid_phone": "Not a valid number.",
        "done": "Thank you. Your reference is {ref}. Keep it safe to follow your report.",
    },
    "sw": {
        UssdStep.WHAT: "Nini kinatokea?\n1 Kazi ya lazima\n2 Unyanyasaji wa kingono\n"
        "3 Mtoto anachukuliwa\n4 Kitu kingine",
        UssdStep.WHERE: "Inatokea wapi? Andika mahali (mji, mtaa, alama).",
        UssdStep.DANGER: "Kuna mtu yuko hatarini sasa?\n1 Ndiyo\n2 Hapana",
        UssdStep.CALLBACK: "Tunaweza kukupigia. Andika namba salama ya simu, au 0 kuruka.",
        "invalid": "Chaguo si sahihi.",
        "invalid_phone": "Namba si sahihi.",
        "done": "Asante. Namba yako ya kumbukumbu ni {ref}. Iweke salama kufuatilia ripoti yako.",
    },
}


def _screen(prefix: str, body: str) -> str:
    text = f"{prefix} {body}".encode("ascii", "replace").decode()
    return text[:SCREEN_MAX_LENGTH]


def _ask(session: UssdSession, error: str = "") -> str:
    if session.step == UssdStep.LANGUAGE:
        body = LANGUAGE_SCREEN
        if error:
            body = "Invalid / Si sahihi.\n" + body
        return _screen("CON", body)
    words = SCREENS[session.language or "en"]
    body = words[session.step]
    if error:
        body = f"{words[error]}\n{body}"
    return _screen("CON", body)


FIRST_SCREEN = _screen("CON", LANGUAGE_SCREEN)


def _thanks(session: UssdSession) -> str:
    words = SCREENS[session.language or "en"]
    return _screen("END", words["done"].format(ref=session.report.display_reference))


def _callback_number(value: str) -> str | None:
    try:
        number = phonenumbers.parse(value, "KE")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _answer(session: UssdSession, value: str) -> str:
    """Apply one input to the session (not saved here); returns the next screen."""
    value = value.strip()
    step = session.step
    if step == UssdStep.LANGUAGE:
        if value not in LANGUAGES:
            return _ask(session, "invalid")
        session.language = LANGUAGES[value]
        session.step = UssdStep.WHAT
    elif step == UssdStep.WHAT:
        if value not in CATEGORIES:
            return _ask(session, "invalid")
        session.category = CATEGORIES[value][0]
        session.step = UssdStep.WHERE
    elif step == UssdStep.WHERE:
        if not value:
            return _ask(session, "invalid")
        session.place = value[:PLACE_MAX_LENGTH]
        session.step = UssdStep.DANGER
    elif step == UssdStep.DANGER:
        if value not in ("1", "2"):
            return _ask(session, "invalid")
        session.danger_now = value == "1"
        session.step = UssdStep.CALLBACK
    elif step == UssdStep.CALLBACK:
        if value != "0":
            number = _callback_number(value)
            if number is None:
                return _ask(session, "invalid_phone")
            session.callback_phone = number
        session.step = UssdStep.DONE
        session_report(session, complete=True)
        return _thanks(session)
    return _ask(session)


def session_report(session: UssdSession, *, complete: bool) -> Report:
    """Create the session's report once (the caller holds the session row locked)."""
    if session.report_id:
        return session.report
    label = CATEGORY_LABELS.get(session.category, "Not given")
    what = f"USSD report: {label}."
    if not complete:
        what += " The session ended before the reporter finished."
    session.report = report_receive(
        channel=Channel.USSD,
        what_happened=what,
        place_text=session.place,
        victim_ages=VictimAges.CHILD if session.category == "child_taken" else VictimAges.UNKNOWN,
        danger_now=bool(session.danger_now),
        # Only a number the reporter typed: the caller's own phone may not be safe to call.
        reporter_phone=session.callback_phone or None,
        no_contact=complete and not session.callback_phone,
        language=session.language,
    )
    # A report is kept durably, whatever the step's transaction said before.
    _commit_durably()
    return session.report


SESSION_FIELDS = ["step", "language", "category", "place", "danger_now", "callback_phone"]


def _commit_durably() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO ON")


# A step that only moves the session on is two statements outside any transaction (autocommit): read
# the row, then update the columns the step changed where `last_text` is still what was read (a
# concurrent retry of the same session changed it otherwise: read again). Written in SQL because the
# ORM's query building cost more CPU than the database did. On PostgreSQL each statement also sets
# `synchronous_commit` off for its own transaction, so the commit does not wait for the disk (8 ms
# here): a database crash can lose the last fraction of a second of USSD progress (the reporter's next
# screen starts over), never a report, because the step that creates one runs in a transaction
# that commits durably (`_step_locked`).
_TABLE = UssdSession._meta.db_table
_READ_COLUMNS = [*SESSION_FIELDS, "last_text", "last_response", "report_id"]
_READ_SQL = f"SELECT id, {', '.join(_READ_COLUMNS)} FROM {_TABLE} WHERE session_id = %s"  # noqa: S608
_LAZY_COMMIT = "set_config('synchronous_commit', 'off', true) = 'off'"
_STEP_ATTEMPTS = 5


def _lazily() -> str:
    return f" AND {_LAZY_COMMIT}" if connection.vendor == "postgresql" else ""


def _db_value(name: str, value: object) -> object:
    """What the ORM would store for `value` (encrypted where the field is)."""
    return UssdSession._meta.get_field(name).get_db_prep_save(value, connection)


def _session_read(session_id: str) -> tuple[UssdSession, str] | None:
    """The session and its stored (encrypted) `last_text`, or None."""
    with connection.cursor() as cursor:
        cursor.execute(_READ_SQL, [session_id])
        row = cursor.fetchone()
    if row is None:
        return None
    values = dict(zip(["id", *_READ_COLUMNS], row, strict=True))
    stored_last_text = values["last_text"]
    for name in ("place", "callback_phone", "last_text"):
        values[name] = UssdSession._meta.get_field(name).from_db_value(
            values[name], None, connection
        )
    if values["danger_now"] is not None:
        values["danger_now"] = bool(values["danger_now"])  # SQLite answers 0/1
    return UssdSession(session_id=session_id, **values), stored_last_text


def _session_insert_first(session_id: str) -> None:
    columns = ["session_id", "step", *SESSION_FIELDS[1:], "last_text", "last_response"]
    now = _db_value("updated_at", timezone.now())
    values = [session_id, UssdStep.LANGUAGE, "", "", "", None, "", "", FIRST_SCREEN, now, now]
    placeholders = ", ".join(["%s"] * len(values))
    names = ", ".join([*columns, "created_at", "updated_at"])
    if connection.vendor == "postgresql":
        source = f"SELECT {placeholders} WHERE {_LAZY_COMMIT}"
    else:
        source = f"VALUES ({placeholders})"
    sql = f"INSERT INTO {_TABLE} ({names}) {source} ON CONFLICT (session_id) DO NOTHING"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


def _session_update(
    session: UssdSession, stored_last_text: str, changed: dict[str, object]
) -> bool:
    """Write `changed` if nobody moved the session on since it was read; False otherwise."""
    changed = {**changed, "updated_at": timezone.now()}
    assignments = ", ".join(f"{name} = %s" for name in changed)
    params = [_db_value(name, value) for name, value in changed.items()]
    sql = f"UPDATE {_TABLE} SET {assignments} WHERE id = %s AND last_text = %s{_lazily()}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, session.pk, stored_last_text])
        return cursor.rowcount == 1


def _new_input(previous: str, text: str) -> str:
    """Only what follows the text already handled is new, so a "*" typed inside the place stays
    part of it. A text that does not continue it: take its last input."""
    if previous and text.startswith(previous + "*"):
        return text[len(previous) + 1 :]
    if not previous:
        return text
    return text.rsplit("*", 1)[-1]


def ussd_step(*, session_id: str, text: str) -> str:
    """The screen answering the provider's `text` for this session. Call it outside a transaction."""
    if not text:
        # The first screen of a new session: one insert. A retried first request finds the row
        # there already and gets the same screen.
        _session_insert_first(session_id)
        return FIRST_SCREEN
    for _attempt in range(_STEP_ATTEMPTS):
        found = _session_read(session_id)
        if found is None or found[0].step in (UssdStep.CALLBACK, UssdStep.DONE):
            # A session we never saw the start of, or the step that creates the report.
            return _step_locked(session_id=session_id, text=text)
        session, stored_last_text = found
        if text == session.last_text and session.last_response:
            return session.last_response  # the provider retried the same request
        before = {name: getattr(session, name) for name in SESSION_FIELDS}
        response = _answer(session, _new_input(session.last_text, text))
        changed = {
            name: getattr(session, name)
            for name in SESSION_FIELDS
            if getattr(session, name) != before[name]
        }
        if _session_update(
            session, stored_last_text, {**changed, "last_text": text, "last_response": response}
        ):
            return response
    raise RuntimeError(f"USSD session kept changing under {_STEP_ATTEMPTS} attempts")


def _step_locked(*, session_id: str, text: str) -> str:
    """One step in a transaction holding the session row: the report is created at most once and
    committed durably before its reference code is answered."""
    with transaction.atomic():
        session = UssdSession.objects.select_for_update().filter(session_id=session_id).first()
        created = session is None
        if created:
            # A session we never saw the start of (its first request was lost): start it here.
            session = UssdSession(session_id=session_id)
        elif text == session.last_text and session.last_response:
            return session.last_response  # the provider retried the same request
        if session.step == UssdStep.DONE and session.report_id:
            response = _thanks(session)
        elif created:
            response = _ask(session)
        else:
            response = _answer(session, _new_input(session.last_text, text))
        session.last_text = text
        session.last_response = response
        if created:
            session.save()
        else:
            session.save(
                update_fields=[
                    *SESSION_FIELDS,
                    "report",
                    "last_text",
                    "last_response",
                    "updated_at",
                ]
            )
    return response


def ussd_session_ended(*, session_id: str, status: str) -> Report | None:
    """A session that ended early with at least "what is happening" answered keeps a report."""
    if status not in ENDED_EARLY:
        return None
    with transaction.atomic():
        session = UssdSession.objects.select_for_update().filter(session_id=session_id).first()
        if session is None or not session.category:
            return None
        if session.report_id:
            return session.report
        report = session_report(session, complete=False)
        session.save(update_fields=["report", "updated_at"])
        return report


def _field(request: HttpRequest, name: str) -> str:
    return clean_text(request.POST.get(name, ""), keep_newlines=False)


@provider_callback
def ussd(request: HttpRequest) -> HttpResponse:
    """Fields: sessionId, serviceCode, phoneNumber, networkCode, text (protocols.md)."""
    session_id = _field(request, "sessionId")
    if not session_id or len(session_id) > 100:
        return HttpResponseBadRequest("sessionId is required", content_type="text/plain")
    response = ussd_step(session_id=session_id, text=_field(request, "text"))
    return HttpResponse(response, content_type="text/plain; charset=utf-8")


@provider_callback
def ussd_events(request: HttpRequest) -> HttpResponse:
    """Session end: date, sessionId, serviceCode, networkCode, phoneNumber, status, cost, ..."""
    session_id = _field(request, "sessionId")
    status = _field(request, "status")
    if session_id and len(session_id) <= 100:
        report = ussd_session_ended(session_id=session_id, status=status)
        if report is not None:
            logger.info("USSD session ended %s; kept report %s", status, report.pk)
    # Always 200: a refusal only makes the provider retry.
    return HttpResponse("OK", content_type="text/plain")
