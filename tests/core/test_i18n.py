"""English and Kiswahili: the language switch and the completeness of the Kiswahili catalogue."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "tumaini" / "locale" / "sw" / "LC_MESSAGES" / "django.po"


def read_catalogue(path: Path) -> list[dict]:
    """The entries of a .po file: msgid, msgid_plural, msgstr / msgstr[n], flags."""
    entries: list[dict] = []
    entry: dict = {}
    key = None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry.get("msgid") is not None:
                entries.append(entry)
            entry, key = {}, None
            continue
        if line.startswith("#,"):
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
        if match:
            key = match.group(1)
            entry[key] = ast.literal_eval(match.group(2))
        else:
            entry[key] += ast.literal_eval(line)
    return entries


def test_kiswahili_catalogue_translates_every_msgid():
    entries = [e for e in read_catalogue(CATALOGUE) if e["msgid"]]
    assert len(entries) > 100
    untranslated = [
        e["msgid"]
        for e in entries
        if not all(value for key, value in e.items() if key.startswith("msgstr"))
    ]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", ())]
    assert untranslated == []
    assert fuzzy == []


def test_kiswahili_catalogue_keeps_placeholders():
    for entry in read_catalogue(CATALOGUE):
        if not entry["msgid"]:
            continue
        expected = sorted(re.findall(r"%\(\w+\)[sd]", entry["msgid"]))
        for key, value in entry.items():
            if key.startswith("msgstr"):
                assert sorted(re.findall(r"%\(\w+\)[sd]", value)) == expected, entry["msgid"]


def test_compiled_kiswahili_catalogue_matches_the_po_file():
    # The .mo file is what Django reads: it must be compiled from the current .po file.
    with translation.override("sw"):
        for entry in read_catalogue(CATALOGUE):
            if entry["msgid"] and "msgid_plural" not in entry and "msgctxt" not in entry:
                assert translation.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]


@pytest.mark.django_db
def test_language_switch_is_a_form_that_returns_to_the_same_page(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<form class="language-switch" action="/i18n/setlang/" method="post">' in html
    assert '<input name="next" type="hidden" value="/accounts/login/">' in html
    assert 'name="language" value="sw" lang="sw">Kiswahili</button>' in html


@pytest.mark.django_db
def test_switching_to_kiswahili_shows_the_home_page_in_kiswahili(client):
    response = client.post("/i18n/setlang/", {"language": "sw", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "sw"
    # Remembered across visits, not only for this browser session.
    assert int(cookie["max-age"]) >= 30 * 24 * 60 * 60

    html = client.get("/").content.decode()
    assert '<html lang="sw">' in html
    assert "Usafirishaji haramu wa binadamu ni nini?" in html
    assert "Toka haraka" in html
    assert "Nambari ya msaada" in html
    assert "+254 725 624489" in html
    assert "What is human trafficking?" not in html


@pytest.mark.django_db
def test_switching_back_to_english(client):
    client.post("/i18n/setlang/", {"language": "sw", "next": "/"})
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "What is human trafficking?" in html


@pytest.mark.django_db
def test_error_page_in_kiswahili(client):
    client.post("/i18n/setlang/", {"language": "sw", "next": "/"})
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Ukurasa haukupatikana" in html
    assert "Toka haraka" in html


@pytest.mark.django_db
def test_set_language_refuses_to_redirect_off_site(client):
    response = client.post("/i18n/setlang/", {"language": "sw", "next": "https://evil.example/"})
    assert response["Location"] == "/"
