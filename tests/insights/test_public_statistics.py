"""The optional public statistics page: off by default, a few headline figures, small counts hidden."""

from datetime import date

import pytest
from django.core.cache import cache

from tests.insights.builders import survivor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_public_statistics_are_off_by_default(client, settings):
    assert settings.TUMAINI_PUBLIC_STATISTICS is False
    assert client.get("/statistics/").status_code == 404


def test_public_statistics_show_headlines_and_hide_small_counts(client, personas, settings):
    settings.TUMAINI_PUBLIC_STATISTICS = True
    year = date.today().year
    for i in range(7):
        survivor(personas, given_name=f"Public{i}", opened=date(year, 1, 10 + i))
    survivor(personas, given_name="Kid", opened=date(year, 2, 1), born=date(year - 10, 1, 1))
    body = client.get("/statistics/").content.decode()
    assert "Trafficking in Nairobi in numbers" in body
    assert "<dt>Survivors identified and helped</dt><dd>8</dd>" in body
    assert "<dt>Of them, children</dt><dd>a few (not shown)</dd>" in body  # 1 child: hidden
    assert "Sexual exploitation (8)" in body
    assert "Public0" not in body and "Kid" not in body  # no name of anyone


def test_public_statistics_in_kiswahili(client, personas, settings):
    settings.TUMAINI_PUBLIC_STATISTICS = True
    client.post("/i18n/setlang/", {"language": "sw", "next": "/"})
    body = client.get("/statistics/").content.decode()
    assert 'lang="sw"' in body
    assert "Usafirishaji haramu Nairobi kwa takwimu" in body
