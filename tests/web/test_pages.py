"""Every page renders for who may see it; the others are sent to sign in or get a 404."""

import struct
import zlib

import pytest

import townsquare.web
from conftest import AccountFactory, PostFactory
from web.forms import WebClient, sign_in

ANONYMOUS_PAGES = ["/public", "/search", "/search?q=hello", "/login", "/register", "/tags/town"]
MEMBER_PAGES = ["/", "/notifications", "/compose", "/settings", *ANONYMOUS_PAGES]
SIGN_IN_REQUIRED = ["/notifications", "/compose", "/settings", "/compose?in_reply_to=1"]


def test_the_package_exports_what_the_application_wires() -> None:
    assert sorted(townsquare.web.__all__) == [
        "answer_head_like_get",
        "csrf_config",
        "error_page",
        "report_document",
        "session_middleware",
        "template_config",
        "web_router",
    ]


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_public_pages_render_for_anonymous_visitors(client: WebClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="en">' in response.text
    assert '<main id="main"' in response.text


@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_every_page_renders_for_a_member(
    client: WebClient, make_account: AccountFactory, path: str
) -> None:
    make_account("alice")
    sign_in(client, "alice")
    response = client.get(path)
    assert response.status_code == 200
    assert "/@alice" in response.text  # the navigation knows who is signed in


@pytest.mark.parametrize("path", SIGN_IN_REQUIRED)
def test_member_pages_send_anonymous_visitors_to_sign_in(client: WebClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_home_shows_anonymous_visitors_the_public_posts_under_an_introduction(
    client: WebClient, make_account: AccountFactory, make_post: PostFactory
) -> None:
    make_post(make_account("alice"), "Hello from the square")
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 200
    assert 'class="intro"' in response.text
    assert "Hello from the square" in response.text


def test_profile_and_thread_render_for_everyone(
    client: WebClient, make_account: AccountFactory, make_post: PostFactory
) -> None:
    alice = make_account("alice", display_name="Alice Liddell")
    post = make_post(alice, "Down the rabbit hole")
    reply = make_post(make_account("bob"), "Mind the step", in_reply_to_id=post.id)
    profile = client.get("/@alice")
    assert profile.status_code == 200
    assert "Alice Liddell" in profile.text
    assert "Down the rabbit hole" in profile.text
    thread = client.get(f"/@alice/{post.id}")
    assert thread.status_code == 200
    assert "Down the rabbit hole" in thread.text
    assert "Mind the step" in thread.text
    assert client.get(f"/@bob/{reply.id}").status_code == 200


def test_a_thread_under_the_wrong_handle_moves_to_the_right_one(
    client: WebClient, make_account: AccountFactory, make_post: PostFactory
) -> None:
    post = make_post(make_account("alice"))
    make_account("bob")
    response = client.get(f"/@bob/{post.id}", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (301, f"/@alice/{post.id}")


@pytest.mark.parametrize("path", ["/@nobody", "/@nobody/123", "/nobody", "/no/such/page"])
def test_unknown_accounts_posts_and_pages_get_a_404_page(client: WebClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Page not found" in response.text


def test_an_unknown_post_of_a_known_account_is_a_404(
    client: WebClient, make_account: AccountFactory
) -> None:
    make_account("alice")
    response = client.get("/@alice/424242")
    assert response.status_code == 404
    assert "No post has id 424242." in response.text


def test_older_pages_continue_below_the_last_post(
    client: WebClient, make_account: AccountFactory, make_post: PostFactory
) -> None:
    alice = make_account("alice")
    posts = [make_post(alice, f"note {n}") for n in range(25)]
    first = client.get("/public")
    oldest_shown = posts[5]  # 20 newest: posts[24] … posts[5]
    assert f'href="/public?max_id={oldest_shown.id}"' in first.text
    assert "note 4<" not in first.text
    second = client.get(f"/public?max_id={oldest_shown.id}")
    assert "note 4<" in second.text
    assert 'rel="next"' not in second.text


def test_the_stylesheet_and_the_default_avatar_are_served(client: WebClient) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200
    assert ":focus-visible" in css.text
    png = client.get("/static/avatar.png").content
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    length, kind = struct.unpack(">I4s", png[8:16])
    width, height = struct.unpack(">II", png[16:24])
    assert (kind, width, height) == (b"IHDR", 96, 96)
    assert (
        zlib.crc32(png[12 : 16 + length]) == struct.unpack(">I", png[16 + length : 20 + length])[0]
    )


def test_pages_are_accessible_landmarks(client: WebClient) -> None:
    page = client.get("/register").text
    assert 'class="skip-link" href="#main"' in page
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in page
    for field in ("username", "email", "password", "password_confirmation"):
        assert f'<label for="{field}">' in page
        assert f'id="{field}"' in page
