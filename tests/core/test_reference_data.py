from io import StringIO

import pytest
from django.core.management import call_command

from tumaini.core.models import Country, County, Language, SubCounty, Ward


def _load() -> str:
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_reference_data_fills_kenyan_geography():
    output = _load()

    assert County.objects.count() == 47
    assert County.objects.get(code=1).name == "Mombasa"
    assert County.objects.get(code=47).name == "Nairobi City"
    assert SubCounty.objects.count() == 17
    assert set(SubCounty.objects.values_list("code", flat=True)) == set(range(274, 291))
    assert set(SubCounty.objects.values_list("county_id", flat=True)) == {47}
    assert Ward.objects.count() == 85
    # Ngei has no boundary in the map files but is a ward all the same.
    ngei = Ward.objects.get(code=1448)
    assert (ngei.name, ngei.sub_county.name) == ("Ngei", "Mathare")
    assert Ward.objects.get(code=1366).sub_county.name == "Westlands"
    assert "47 counties, 17 sub-counties, 85 wards" in output


@pytest.mark.django_db
def test_load_reference_data_fills_countries_and_languages():
    _load()

    assert Country.objects.get(code="KE").name == "Kenya"
    assert Country.objects.get(code="UG").name == "Uganda"
    # The common name, not ISO's "Tanzania, United Republic of".
    assert Country.objects.get(code="TZ").name == "Tanzania"
    assert Country.objects.count() >= 249
    assert Language.objects.get(code="sw").name == "Kiswahili"
    assert Language.objects.get(code="en").name == "English"
    assert Language.objects.get(code="ki").name.startswith("Kikuyu")
    assert Language.objects.get(code="luo").name == "Dholuo"
    assert Language.objects.get(code="tuv").name == "Turkana"
    assert not Language.objects.filter(code__in=["kik", "tuf", "swa"]).exists()


@pytest.mark.django_db
def test_load_reference_data_twice_changes_nothing():
    _load()
    County.objects.filter(code=47).update(name="Renamed by hand")
    before = {
        model: model.objects.count() for model in (Country, Language, County, SubCounty, Ward)
    }

    output = _load()

    after = {model: model.objects.count() for model in before}
    assert after == before
    # A second run also puts the official name back.
    assert County.objects.get(code=47).name == "Nairobi City"
    assert output.startswith("Reference data: ")
