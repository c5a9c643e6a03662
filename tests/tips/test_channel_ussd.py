"""USSD reports at /hooks/africastalking/<secret>/ussd/ and the session-end event."""

import pytest

from tumaini.tips.enums import Channel, Urgency, VictimAges
from tumaini.tips.models import Report

SECRET = "s3cret-callback-7f1d2a"
URL = f"/hooks/africastalking/{SECRET}/ussd/"
EVENTS_URL = f"/hooks/africastalking/{SECRET}/ussd-events/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def callback_secret(settings, desk):
    settings.TUMAINI_AT_CALLBACK_SECRET = SECRET


class Session:
    """Plays the provider: `text` is every input so far joined by "*"."""

    def __init__(self, client, session_id="ATUid_8f1e2d"):
        self.client = client
        self.session_id = session_id
        self.inputs: list[str] = []
        self.screens: list[str] = []

    def start(self):
        return self._post("")

    def send(self, value):
        self.inputs.append(value)
        return self._post("*".join(self.inputs))

    def _post(self, text):
        response = self.client.post(
            URL,
            {
                "sessionId": self.session_id,
                "serviceCode": "*384*1234#",
                "phoneNumber": "+254722000111",
                "networkCode": "63902",
                "text": text,
            },
        )
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        screen = response.content.decode()
        assert screen.startswith(("CON ", "END "))
        assert len(screen) <= 160
        assert screen.isascii()
        self.screens.append(screen)
        return screen

    def end(self, status):
        return self.client.post(
            EVENTS_URL,
            {
                "date": "2026-11-28 10:20:00",
                "sessionId": self.session_id,
                "serviceCode": "*384*1234#",
                "networkCode": "63902",
                "phoneNumber": "+254722000111",
                "status": status,
                "cost": "KES 0.00",
                "durationInMillis": "41000",
                "hopsCount": "3",
                "input": "*".join(self.inputs),
                "lastAppResponse": self.screens[-1] if self.screens else "",
                "errorMessage": "",
            },
        )


def test_ussd_full_session_in_english_creates_report(client):
    ussd = Session(client)
    assert "1 English" in ussd.start() and "2 Kiswahili" in ussd.start()
    assert "What is happening?" in ussd.send("1")
    assert "Where is it happening?" in ussd.send("3")
    # A "*" typed in the place must stay part of it.
    assert "danger now" in ussd.send("Kibera*Olympic estate")
    assert "call you back" in ussd.send("1")
    end = ussd.send("0722333444")
    assert end.startswith("END Thank you")
    assert all(s.startswith("CON ") for s in ussd.screens[:-1])
    report = Report.objects.get()
    assert report.display_reference in end
    assert report.channel == Channel.USSD
    assert report.language == "en"
    assert "A child being taken" in report.what_happened
    assert report.place_text == "Kibera*Olympic estate"
    assert report.danger_now is True
    assert report.urgency == Urgency.CRITICAL
    assert report.victim_ages == VictimAges.CHILD
    assert report.reporter_phone == "+254722333444"
    assert report.no_contact is False
    # The provider's final event after a completed session adds nothing.
    assert ussd.end("Success").status_code == 200
    assert Report.objects.count() == 1


def test_ussd_full_session_in_kiswahili_creates_report(client):
    ussd = Session(client, "ATUid_sw_1")
    ussd.start()
    assert "Nini kinatokea?" in ussd.send("2")
    assert "Inatokea wapi?" in ussd.send("1")
    assert "hatarini" in ussd.send("Mombasa road, godown ya tatu")
    assert "kukupigia" in ussd.send("2")
    end = ussd.send("0")
    assert end.startswith("END Asante")
    report = Report.objects.get()
    assert report.display_reference in end
    assert report.language == "sw"
    assert "Forced work" in report.what_happened
    assert report.place_text == "Mombasa road, godown ya tatu"
    assert report.danger_now is False
    assert report.reporter_phone == ""
    assert report.no_contact is True
    # The session closing afterwards, or a retried last request, makes no second report.
    assert ussd.end("Incomplete").status_code == 200
    assert ussd._post("*".join(ussd.inputs)) == end
    assert Report.objects.count() == 1


def test_ussd_invalid_choice_repeats_the_screen(client):
    ussd = Session(client)
    ussd.start()
    again = ussd.send("7")
    assert again.startswith("CON Invalid")
    assert "1 English" in again
    assert "What is happening?" in ussd.send("1")
    wrong = ussd.send("9")
    assert wrong.startswith("CON Invalid choice.") and "4 Something else" in wrong
    assert "Where" in ussd.send("4")
    assert "danger" in ussd.send("Eastleigh")
    assert "Invalid choice." in ussd.send("yes")
    assert "call you back" in ussd.send("2")
    assert "Not a valid number." in ussd.send("12")
    assert ussd.send("0").startswith("END ")
    report = Report.objects.get()
    assert "Something else" in report.what_happened
    assert report.place_text == "Eastleigh"


def test_ussd_abandoned_session_is_kept_by_the_end_event(client):
    ussd = Session(client, "ATUid_abandoned")
    ussd.start()
    ussd.send("1")
    ussd.send("2")
    ussd.send("Pangani, near the chief's camp")
    assert not Report.objects.exists()
    assert ussd.end("Incomplete").status_code == 200
    assert ussd.end("Incomplete").status_code == 200  # retried event
    report = Report.objects.get()
    assert report.channel == Channel.USSD
    assert "Sexual exploitation" in report.what_happened
    assert "ended before" in report.what_happened
    assert report.place_text == "Pangani, near the chief's camp"
    assert report.reporter_phone == ""


def test_ussd_session_ended_before_what_is_happening_keeps_nothing(client):
    ussd = Session(client, "ATUid_short")
    ussd.start()
    ussd.send("1")
    assert ussd.end("Failed").status_code == 200
    assert not Report.objects.exists()
    # An event for a session we never saw is answered 200 all the same.
    assert Session(client, "ATUid_unknown").end("Incomplete").status_code == 200
    assert not Report.objects.exists()


def test_ussd_wrong_secret_is_404_and_nothing_stored(client):
    from tumaini.tips.models import UssdSession

    fields = {"sessionId": "ATUid_x", "serviceCode": "*384*1234#", "text": ""}
    assert client.post("/hooks/africastalking/nope/ussd/", fields).status_code == 404
    assert client.post("/hooks/africastalking/nope/ussd-events/", fields).status_code == 404
    assert not UssdSession.objects.exists()
    assert not Report.objects.exists()


def test_ussd_without_session_id_is_400(client):
    response = client.post(URL, {"serviceCode": "*384*1234#", "text": ""})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_ussd_session_state_is_purged_a_day_later_and_the_report_kept(client, settings):
    from datetime import timedelta

    from django.utils import timezone

    from tumaini.core.schedule import JOBS
    from tumaini.tips.models import UssdSession
    from tumaini.tips.tasks import purge_ussd_sessions

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    old, recent = Session(client, "ATUid_old"), Session(client, "ATUid_recent")
    for ussd in (old, recent):
        ussd.start()
        ussd.send("1")
        ussd.send("3")
    old.end("Incomplete")
    UssdSession.objects.filter(session_id="ATUid_old").update(
        updated_at=timezone.now() - timedelta(days=1, minutes=1)
    )

    purge_ussd_sessions.enqueue()

    assert list(UssdSession.objects.values_list("session_id", flat=True)) == ["ATUid_recent"]
    assert Report.objects.count() == 1  # the abandoned session's partial report stays
    assert JOBS["purge_ussd_sessions"].interval == timedelta(hours=6)


def test_ussd_step_that_moves_the_session_on_is_one_read_and_one_update(
    client, django_assert_num_queries
):
    from tumaini.tips.models import UssdSession

    ussd = Session(client, "ATUid_queries")
    with django_assert_num_queries(1):
        ussd.start()
    with django_assert_num_queries(2):
        assert "Nini kinatokea?" in ussd.send("2")
    with django_assert_num_queries(2):
        assert "Inatokea wapi?" in ussd.send("1")
    # A retried request reads and writes nothing more.
    with django_assert_num_queries(1):
        assert ussd._post("2*1") == ussd.screens[-2]
    stored = UssdSession.objects.get(session_id="ATUid_queries")
    assert (stored.step, stored.language, stored.category) == ("where", "sw", "forced_work")
    assert stored.last_text == "2*1"
    assert stored.place == "" and stored.danger_now is None
