"""The counsellor's and the nurse's pages, and the case parts, in Kiswahili."""

import pytest
from django.conf import settings

from tests.testapp.helpers import case_section, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_kiswahili(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sw"
    return client


def test_counsellor_pages_in_kiswahili(in_kiswahili, clinical, note):
    client = sign_in(in_kiswahili, clinical.counsellor)
    assert "Wateja wangu" in client.get("/staff/clinical/clients/").content.decode()
    page = client.get(f"/staff/clinical/clients/{note.client.public_id}/").content.decode()
    assert "Maelezo yangu ya vikao" in page and "Kiwewe" in page
    page = client.get(f"/staff/clinical/notes/{note.public_id}/edit/").content.decode()
    assert "Tarehe ya kikao" in page and "Hifadhi maelezo" in page
    assert "Vikao vijavyo vya ushauri nasaha" in client.get("/staff/").content.decode()


def test_nurse_pages_and_case_parts_in_kiswahili(in_kiswahili, personas, clinical, case):
    client = sign_in(in_kiswahili, clinical.nurse)
    assert "Rekodi za matibabu" in client.get("/staff/clinical/medical/").content.decode()
    page = client.get(f"/staff/clinical/medical/{case.public_id}/").content.decode()
    assert "Idhini ya matibabu" in page and "Rufaa za hospitali" in page
    page = client.get(f"/staff/clinical/medical/{case.public_id}/visits/new/").content.decode()
    assert "Sababu ya ziara" in page
    client.logout()  # forgets the cookies too
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sw"
    page = sign_in(in_kiswahili, personas.owner).get(case_section(case, "care")).content.decode()
    assert "Bado hajaonwa na timu ya matibabu." in page
    assert "Mpe mshauri nasaha" in page
