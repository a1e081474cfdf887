"""French and English: the catalog is complete, and each way of choosing a language works."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from conftest import AccountFactory, PostFactory
from townsquare.microblog import Microblog
from townsquare.web._i18n import TRANSLATIONS_DIR, choose_language, format_when, languages_accepted
from web.forms import WebClient, sign_in, submit

WEB_PACKAGE = Path(TRANSLATIONS_DIR).parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def _msgids_in_use() -> set[str]:
    """Every message the templates and the code mark for translation."""
    found = extract_from_dir(
        str(WEB_PACKAGE),
        method_map=[("**.py", "python"), ("templates/**.html", "jinja2")],
        options_map={"templates/**.html": {"trim_blocks": "true", "lstrip_blocks": "true"}},
        keywords=KEYWORDS,
    )
    ids: set[str] = set()
    for _filename, _line, message, _comments, _context in found:
        ids.update([message] if isinstance(message, str) else message)
    return ids


def test_the_french_catalog_translates_every_message_in_use() -> None:
    with (TRANSLATIONS_DIR / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale="fr")
    in_use = _msgids_in_use()
    assert len(in_use) > 100  # the extraction really read the templates and the code
    missing = []
    for msgid in sorted(in_use):
        message = catalog.get(msgid) or next(
            (m for m in catalog if isinstance(m.id, tuple) and msgid in m.id), None
        )
        strings = message.string if message else ""
        translated = strings if isinstance(strings, tuple) else (strings,)
        if message is None or message.fuzzy or not all(translated):
            missing.append(msgid)
    assert missing == []


def test_accept_language_is_read_by_preference() -> None:
    assert languages_accepted("en-GB;q=0.5, fr-CA, de;q=0.9") == ["fr", "de", "en"]
    assert languages_accepted("fr;q=0, en") == ["en"]
    assert choose_language(None, None, accept_language="de, fr;q=0.8") == "fr"
    assert choose_language("en", "fr", accept_language="fr") == "en"
    assert choose_language(None, "xx", accept_language="ja") == "en"


def test_dates_are_written_the_way_the_language_writes_them() -> None:
    moment = datetime(2026, 3, 14, 15, 9, tzinfo=UTC)
    assert format_when(moment, "en") == "Mar 14, 2026, 3:09:00\u202fPM"
    assert format_when(moment, "fr") == "14 mars 2026, 15:09:00"


def test_a_french_browser_gets_french_pages(
    client: WebClient, make_account: AccountFactory, make_post: PostFactory
) -> None:
    make_post(make_account("alice"), "Bonjour")
    page = client.get("/public", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}).text
    assert '<html lang="fr">' in page
    assert "Fil public" in page
    assert "Aller au contenu principal" in page
    assert "0 mention J’aime" in page


def test_the_language_switcher_works_for_anonymous_visitors(client: WebClient) -> None:
    switched = submit(client, "/language", {"lang": "fr", "next": "/search"})
    assert (switched.status_code, switched.headers["location"]) == (303, "/search")
    assert client.cookies.get("lang") == "fr"
    page = client.get("/search", headers={"Accept-Language": "en"}).text
    assert '<html lang="fr">' in page
    assert "Rechercher des comptes, des publications et des mots-clés" in page
    submit(client, "/language", {"lang": "en", "next": "/search"})
    assert "Search accounts, posts and hashtags" in client.get("/search").text


def test_the_switcher_also_sets_a_members_language(
    client: WebClient, make_account: AccountFactory, microblog: Microblog
) -> None:
    alice = make_account("alice")
    sign_in(client, "alice")
    submit(client, "/language", {"lang": "fr", "next": "/"})
    assert microblog.accounts.get(alice.id).locale == "fr"
    client.cookies.delete("lang")
    assert "Accueil" in client.get("/", headers={"Accept-Language": "en"}).text


def test_a_members_setting_beats_the_cookie_and_the_browser(
    client: WebClient, make_account: AccountFactory, microblog: Microblog
) -> None:
    alice = make_account("alice")
    microblog.accounts.update_profile(alice.id, locale="fr")
    submit(client, "/language", {"lang": "en", "next": "/"})  # while anonymous
    sign_in(client, "alice")
    assert '<html lang="fr">' in client.get("/", headers={"Accept-Language": "en"}).text


def test_an_unknown_language_choice_changes_nothing(client: WebClient) -> None:
    response = submit(client, "/language", {"lang": "xx", "next": "/public"})
    assert response.headers["location"] == "/public"
    assert client.cookies.get("lang") is None


@pytest.mark.parametrize(
    ("data", "french"),
    [
        (
            {"username": "alice", "password": "p" * 10, "password_confirmation": "p" * 10},
            "Cet identifiant est déjà pris.",
        ),
        (
            {"username": "admin", "password": "p" * 10, "password_confirmation": "p" * 10},
            "L’identifiant &#39;admin&#39; est réservé.",
        ),
        (
            {"username": "newbie", "password": "p" * 10, "password_confirmation": "q" * 10},
            "Les deux mots de passe ne sont pas identiques.",
        ),
    ],
)
def test_form_errors_are_in_french(
    client: WebClient, make_account: AccountFactory, data: dict[str, str], french: str
) -> None:
    make_account("alice")
    client.cookies.set("lang", "fr")
    response = submit(client, "/register", data)
    assert response.status_code == 422
    assert french in response.text


def test_error_pages_speak_the_visitors_language(client: WebClient) -> None:
    response = client.get("/@nobody", headers={"Accept-Language": "fr"})
    assert response.status_code == 404
    assert '<html lang="fr">' in response.text
    assert "Page introuvable" in response.text
    assert "Aucun compte ne s’appelle @nobody." in response.text


def test_a_refused_form_explains_itself_in_french(client: WebClient) -> None:
    client.cookies.set("lang", "fr")
    response = client.post("/compose", data={"text": "forged"}, follow_redirects=False)
    assert response.status_code == 403
    assert "Le formulaire a expiré ou ne vient pas de ce site." in response.text


def test_an_unmatched_path_says_page_not_found_once(client: WebClient) -> None:
    page = client.get("/no/such/page", headers={"Accept-Language": "fr"}).text
    assert "Page introuvable" in page
    assert "Not Found" not in page
