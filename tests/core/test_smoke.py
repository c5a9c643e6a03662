import pytest


@pytest.mark.django_db
def test_healthz_reports_database_and_queue(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["database"]["ok"] is True
    assert body["task_queue"]["ok"] is True


@pytest.mark.django_db
def test_home_shows_the_help_lines(client):
    response = client.get("/")
    assert "+254 725 624489" in response.content.decode()
    assert "+254 738 041292" in response.content.decode()
