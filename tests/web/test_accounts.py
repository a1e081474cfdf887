"""Registering, signing in and out, and the settings page."""

import pytest

from conftest import PASSWORD, AccountFactory
from townsquare.microblog import Microblog
from townsquare.web._visitors import LANGUAGE_COOKIE
from web.forms import WebClient, sign_in, submit


def test_register_sign_in_post_and_see_it_at_home(client: WebClient) -> None:
    registered = submit(
        client,
        "/register",
        {"username": "zoe", "email": "", "password": PASSWORD, "password_confirmation": PASSWORD},
    )
    assert (registered.status_code, registered.headers["location"]) == (303, "/")
    submit(client, "/logout")
    assert 'class="intro"' in client.get("/", follow_redirects=False).text  # anonymous home
    sign_in(client, "zoe")
    posted = submit(client, "/compose", {"text": "First post!", "next": "/"})
    assert (posted.status_code, posted.headers["location"]) == (303, "/")
    home = client.get("/")
    assert "First post!" in home.text
    assert "@zoe" in home.text


def test_registration_errors_are_shown_in_the_form_with_the_typed_values(
    client: WebClient, make_account: AccountFactory
) -> None:
    make_account("alice")
    taken = submit(
        client,
        "/register",
        {
            "username": "alice",
            "email": "a@example.org",
            "password": PASSWORD,
            "password_confirmation": PASSWORD,
        },
    )
    assert taken.status_code == 422
    assert "That handle is taken." in taken.text
    assert 'value="alice"' in taken.text
    assert 'value="a@example.org"' in taken.text
    invalid = submit(
        client,
        "/register",
        {"username": "no way", "password": PASSWORD, "password_confirmation": PASSWORD},
    )
    assert "A handle is 1 to 30 characters" in invalid.text
    mismatch = submit(
        client,
        "/register",
        {"username": "bob", "password": PASSWORD, "password_confirmation": "something else"},
    )
    assert "The two passwords are not the same." in mismatch.text
    assert 'value="bob"' in mismatch.text


def test_sign_in_with_an_email_address_and_back_to_the_page_asked_for(
    client: WebClient, make_account: AccountFactory
) -> None:
    make_account("alice", email="alice@example.org")
    response = submit(
        client,
        "/login",
        {"login": "alice@example.org", "password": PASSWORD, "next": "/notifications"},
    )
    assert (response.status_code, response.headers["location"]) == (303, "/notifications")


def test_a_wrong_password_is_refused_in_the_form(
    client: WebClient, make_account: AccountFactory
) -> None:
    make_account("alice")
    response = submit(client, "/login", {"login": "alice", "password": "not the password"})
    assert response.status_code == 422
    assert "Wrong handle, e-mail or password." in response.text
    assert 'value="alice"' in response.text
    assert client.get("/notifications", follow_redirects=False).status_code == 303


def test_sign_in_never_redirects_off_site(client: WebClient, make_account: AccountFactory) -> None:
    make_account("alice")
    for target in ("https://evil.example", "//evil.example", "/\\evil.example"):
        response = submit(
            client, "/login", {"login": "alice", "password": PASSWORD, "next": target}
        )
        assert response.headers["location"] == "/"


def test_sign_out_ends_the_session(client: WebClient, make_account: AccountFactory) -> None:
    make_account("alice")
    sign_in(client, "alice")
    assert client.get("/", follow_redirects=False).status_code == 200
    assert submit(client, "/logout").headers["location"] == "/public"
    assert client.get("/notifications", follow_redirects=False).status_code == 303


def test_settings_change_the_profile(
    client: WebClient, make_account: AccountFactory, microblog: Microblog
) -> None:
    alice = make_account("alice")
    sign_in(client, "alice")
    saved = submit(
        client, "/settings", {"display_name": "Alice L.", "bio": "Curious.", "locale": "fr"}
    )
    assert saved.headers["location"] == "/settings?saved=true"
    updated = microblog.accounts.get(alice.id)
    assert (updated.display_name, updated.bio, updated.locale) == ("Alice L.", "Curious.", "fr")
    page = client.get("/settings?saved=true")
    assert "Vos paramètres sont enregistrés." in page.text
    too_long = submit(client, "/settings", {"display_name": "x" * 51, "bio": "", "locale": ""})
    assert too_long.status_code == 422
    assert "Un nom d’affichage compte au plus 50 caractères." in too_long.text
    assert "x" * 51 in too_long.text


def test_the_sign_in_form_keeps_where_to_go_next(client: WebClient) -> None:
    page = client.get("/login", params={"next": "/notifications"}).text
    assert 'name="next" value="/notifications"' in page
    elsewhere = client.get("/login", params={"next": "https://evil.example"}).text
    assert 'name="next" value="/"' in elsewhere


@pytest.mark.parametrize(
    ("existing", "newcomer", "english", "french"),
    [
        (
            "alice",
            "aIice",
            "That handle looks like @alice, which is taken.",
            "Cet identifiant ressemble à @alice, qui est déjà pris.",
        ),
        (
            "mod1",
            "rnod1",
            "That handle looks like @mod1, which is taken.",
            "Cet identifiant ressemble à @mod1, qui est déjà pris.",
        ),
    ],
)
def test_a_look_alike_handle_is_refused_in_english_and_french(
    client: WebClient,
    make_account: AccountFactory,
    existing: str,
    newcomer: str,
    english: str,
    french: str,
) -> None:
    make_account(existing)
    form = {"username": newcomer, "password": PASSWORD, "password_confirmation": PASSWORD}
    refused = submit(client, "/register", form)
    assert refused.status_code == 422
    assert english in refused.text
    client.cookies.set(LANGUAGE_COOKIE, "fr")
    assert french in submit(client, "/register", form).text


def test_a_display_name_with_a_bidi_override_is_refused_in_the_settings(
    client: WebClient, make_account: AccountFactory, microblog: Microblog
) -> None:
    alice = make_account("alice")
    sign_in(client, "alice")
    client.cookies.set(LANGUAGE_COOKIE, "fr")
    refused = submit(
        client, "/settings", {"display_name": "gnp\u202eexe", "bio": "", "locale": "fr"}
    )
    assert refused.status_code == 422
    assert (
        "Un nom d’affichage ne peut pas contenir de caractères invisibles ni de caractères "
        "qui changent le sens de l’écriture (U+202E)." in refused.text
    )
    assert microblog.accounts.get(alice.id).display_name == ""
