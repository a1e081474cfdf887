"""The small forms on posts and profiles, and CSRF protection of every form."""

import re

import pytest

from conftest import AccountFactory, PostFactory
from townsquare.microblog import Microblog, Page, PollDraft, PostDraft
from web.forms import WebClient, csrf_token, sign_in, submit


def test_like_and_unlike(
    client: WebClient, make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    post = make_post(make_account("alice"), "Like me")
    make_account("bob")
    sign_in(client, "bob")
    liked = submit(client, f"/posts/{post.id}/like", {"next": "/public"})
    assert (liked.status_code, liked.headers["location"]) == (303, "/public")
    assert microblog.timelines.post(None, post.id).post.favourites_count == 1
    page = client.get("/public").text
    assert "1 like" in page
    assert f'action="/posts/{post.id}/unlike"' in page  # …and the form turned into "Unlike"
    submit(client, f"/posts/{post.id}/unlike", {"next": "/public"})
    assert "0 likes" in client.get("/public").text


def test_repost_shows_on_the_reposters_profile_and_can_be_undone(
    client: WebClient, make_account: AccountFactory, make_post: PostFactory
) -> None:
    post = make_post(make_account("alice"), "Worth sharing")
    make_account("bob")
    sign_in(client, "bob")
    submit(client, f"/posts/{post.id}/repost", {"next": "/public"})
    profile = client.get("/@bob").text
    assert "Worth sharing" in profile
    assert "bob reposted" in profile
    submit(client, f"/posts/{post.id}/unrepost", {"next": "/public"})
    assert "Worth sharing" not in client.get("/@bob").text


def test_follow_brings_posts_home_and_unfollow_takes_them_away(
    client: WebClient, make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice = make_account("alice")
    make_post(alice, "Hello followers")
    bob = make_account("bob")
    sign_in(client, "bob")
    assert f'action="/accounts/{alice.id}/follow"' in client.get("/@alice").text
    followed = submit(client, f"/accounts/{alice.id}/follow", {"next": "/@alice"})
    assert followed.headers["location"] == "/@alice"
    assert microblog.graph.relationship(bob.id, alice.id).following
    assert "Hello followers" in client.get("/").text
    assert f'action="/accounts/{alice.id}/unfollow"' in client.get("/@alice").text
    submit(client, f"/accounts/{alice.id}/unfollow", {"next": "/@alice"})
    assert "Hello followers" not in client.get("/").text


@pytest.mark.parametrize(("action", "flag"), [("block", "blocking"), ("mute", "muting")])
def test_block_and_mute(
    client: WebClient,
    make_account: AccountFactory,
    make_post: PostFactory,
    microblog: Microblog,
    action: str,
    flag: str,
) -> None:
    alice = make_account("alice")
    make_post(alice, "Loud opinion")
    bob = make_account("bob")
    sign_in(client, "bob")
    submit(client, f"/accounts/{alice.id}/{action}", {"next": "/@alice"})
    assert getattr(microblog.graph.relationship(bob.id, alice.id), flag)
    assert "Loud opinion" not in client.get("/public").text
    assert f'action="/accounts/{alice.id}/un{action}"' in client.get("/@alice").text
    submit(client, f"/accounts/{alice.id}/un{action}", {"next": "/@alice"})
    assert "Loud opinion" in client.get("/public").text


def test_reply_and_quote_through_the_compose_page(
    client: WebClient, make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    original = make_post(make_account("alice"), "Original thought")
    bob = make_account("bob")
    sign_in(client, "bob")
    form = client.get(f"/compose?in_reply_to={original.id}").text
    assert "Original thought" in form
    assert ">@alice </textarea>" in form
    assert f'name="in_reply_to_id" value="{original.id}"' in form
    replied = submit(
        client, "/compose", {"text": "@alice indeed", "in_reply_to_id": str(original.id)}
    )
    reply_id = int(replied.headers["location"].rsplit("/", 1)[1])
    assert microblog.timelines.post(bob.id, reply_id).post.in_reply_to_id == original.id
    assert "indeed" in client.get(f"/@alice/{original.id}").text
    quoted = submit(client, "/compose", {"text": "Look at this", "quote_of_id": str(original.id)})
    quote_page = client.get(quoted.headers["location"]).text
    assert "Look at this" in quote_page
    assert 'class="post__quote"' in quote_page
    assert "Original thought" in quote_page


def test_an_invalid_post_is_refused_in_the_form(
    client: WebClient, make_account: AccountFactory
) -> None:
    make_account("alice")
    sign_in(client, "alice")
    too_long = "word " * 120
    response = submit(client, "/compose", {"text": too_long, "spoiler_text": "cw!"})
    assert response.status_code == 422
    assert "A post is at most 500 characters" in response.text
    assert too_long.strip() in response.text
    assert 'value="cw!"' in response.text
    empty = submit(client, "/compose", {"text": "   "})
    assert "A post needs some text or an image." in empty.text


def test_delete_own_post_only(
    client: WebClient, make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice = make_account("alice")
    mine = make_post(alice, "Regrettable")
    theirs = make_post(make_account("bob"), "Not yours")
    sign_in(client, "alice")
    page = client.get("/public").text
    assert f'action="/posts/{mine.id}/delete"' in page
    assert f'action="/posts/{theirs.id}/delete"' not in page
    gone = submit(client, f"/posts/{mine.id}/delete", {"next": f"/@alice/{mine.id}"})
    assert gone.headers["location"] == "/@alice"
    assert microblog.timelines.profile(alice.id, alice.id, Page()) == []
    refused = submit(client, f"/posts/{theirs.id}/delete", {"next": "/public"})
    assert refused.status_code == 403
    assert "Only its author can delete a post." in refused.text


def test_actions_of_anonymous_visitors_lead_to_sign_in(
    client: WebClient, make_account: AccountFactory, make_post: PostFactory
) -> None:
    post = make_post(make_account("alice"))
    response = submit(client, f"/posts/{post.id}/like", {"next": "/public"})
    assert (response.status_code, response.headers["location"]) == (303, "/login?next=%2Fpublic")


@pytest.mark.parametrize(
    "path", ["/login", "/register", "/compose", "/logout", "/language", "/posts/1/like"]
)
def test_forms_without_the_csrf_token_are_refused(client: WebClient, path: str) -> None:
    csrf_token(client)  # the browser has the cookie; the forged form lacks the token
    response = client.post(path, data={"text": "forged"}, follow_redirects=False)
    assert response.status_code == 403
    wrong = client.post(path, data={"_csrf_token": "0" * 64}, follow_redirects=False)
    assert wrong.status_code == 403


def test_every_form_of_a_page_carries_the_csrf_token(
    client: WebClient, make_account: AccountFactory, make_post: PostFactory
) -> None:
    make_post(make_account("alice"))
    make_account("bob")
    sign_in(client, "bob")
    for path in ("/", "/public", "/@alice", "/compose", "/settings"):
        page = client.get(path).text
        post_forms = re.findall(r'<form[^>]*method="post".*?</form>', page, flags=re.S)
        assert post_forms
        assert all('name="_csrf_token"' in form for form in post_forms), path


def test_a_locked_account_approves_a_follower_from_its_notifications(
    client: WebClient, make_account: AccountFactory, microblog: Microblog
) -> None:
    alice, bob = make_account("alice"), make_account("bob")
    sign_in(client, "alice")
    submit(client, "/settings", {"display_name": "Alice", "bio": "", "locale": "", "locked": "1"})
    assert 'name="locked" type="checkbox" value="1" checked' in client.get("/settings").text
    client.cookies.clear()
    sign_in(client, "bob")
    submit(client, f"/accounts/{alice.id}/follow", {"next": "/@alice"})
    profile = client.get("/@alice").text
    assert "Cancel the follow request" in profile
    assert "Approves each follower" in profile
    client.cookies.clear()
    sign_in(client, "alice")

    page = client.get("/notifications", headers={"Accept-Language": "fr"}).text
    submit(client, f"/accounts/{bob.id}/authorize", {"next": "/notifications"})

    assert "bob demande à vous suivre" in page
    assert f'action="/accounts/{bob.id}/authorize"' in page
    assert microblog.graph.relationship(bob.id, alice.id).following
    assert 'action="/accounts/' not in client.get("/notifications").text


def test_voting_in_a_poll_from_the_web(
    client: WebClient, make_account: AccountFactory, microblog: Microblog
) -> None:
    alice = make_account("alice")
    asked = PollDraft(("Tea", "Coffee"), 3600)
    post = microblog.posts.create(alice.id, PostDraft("Which?", poll=asked))
    make_account("bob")
    assert "Tea" in client.get("/public").text  # a visitor sees the question
    sign_in(client, "bob")
    page = client.get(f"/@alice/{post.id}").text
    assert f'action="/posts/{post.id}/vote"' in page
    assert 'type="radio" name="choice" value="1"' in page

    voted = submit(client, f"/posts/{post.id}/vote", {"choice": "1", "next": f"/@alice/{post.id}"})
    after = client.get(f"/@alice/{post.id}", headers={"Accept-Language": "fr"}).text

    assert voted.status_code == 303
    assert f'action="/posts/{post.id}/vote"' not in after
    assert "<strong>Coffee</strong> ✓ — 1 voix" in after
    assert "1 personne a voté" in after


def test_a_direct_post_from_the_web_reaches_only_those_it_mentions(
    client: WebClient, make_account: AccountFactory
) -> None:
    for name in ("alice", "bob", "carol"):
        make_account(name)
    sign_in(client, "alice")
    assert 'value="direct"' in client.get("/compose").text
    submit(client, "/compose", {"text": "@bob only for you", "visibility": "direct"})
    client.cookies.clear()
    sign_in(client, "carol")
    assert "only for you" not in client.get("/@alice").text
    client.cookies.clear()
    sign_in(client, "bob")
    assert "only for you" in client.get("/@alice").text
