import pytest

from tumaini.accounts.models import Organisation
from tumaini.tips.models import Report


@pytest.mark.django_db
def test_report_form_before_any_centre_is_set_up_says_so_and_stores_nothing(client):
    Organisation.objects.all().delete()
    response = client.post(
        "/report/",
        {"what_happened": "Three girls are locked in a house near the market in Kayole."},
    )
    assert response.status_code == 503
    page = response.content.decode()
    assert "Online reports are not open yet" in page
    assert "+254 725 624489" in page
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_report_form_too_short_message_is_ours_in_kiswahili(client):
    client.cookies["django_language"] = "sw"
    response = client.post("/report/", {"what_happened": "fupi"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value" not in page
    assert "Tafadhali andika angalau herufi 20" in page
