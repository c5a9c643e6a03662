import pytest

from tumaini.core.models import AuditEvent


@pytest.mark.django_db
def test_forgotten_password_page_sends_staff_to_their_administrator(client):
    response = client.get("/accounts/password/reset/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "never reset by email" in page
    assert "system administrator" in page


@pytest.mark.django_db
def test_forgotten_password_page_accepts_no_email_address(client, personas):
    response = client.post("/accounts/password/reset/", {"email": "owner@example.org"})
    assert response.status_code == 405
    assert not AuditEvent.objects.filter(action="update").exists()
