"""Editing a status (Mastodon's PUT /statuses/:id): every version is kept and listed by
/history, /source gives the author's text, tags and mentions follow the edit, and an edit
made after a moderation decision is on the post's receipt."""

from typing import Any

from townsquare.app import Services
from townsquare.microblog import Role
from townsquare.moderation import ActionKind, Decision, PostTarget, UrlTarget

from .conftest import Client, User, UserFactory
from .test_statuses import post_status


def edit(client: Client, user: User, status_id: str, **fields: Any) -> dict[str, Any]:
    response = client.put(f"/api/v1/statuses/{status_id}", headers=user.headers, data=fields)
    assert response.status_code == 200, response.text
    status: dict[str, Any] = response.json()
    return status


def test_an_edit_changes_the_status_and_keeps_every_version(
    client: Client, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    first = post_status(client, alice, "Frist post", spoiler_text="typo", language="en")
    assert first["edited_at"] is None

    edited = edit(client, alice, first["id"], status="First post", spoiler_text="typo")
    again = edit(client, alice, first["id"], status="First post, twice fixed")
    history = client.get(f"/api/v1/statuses/{first['id']}/history").json()

    assert edited["id"] == first["id"]
    assert "First post" in edited["content"]
    assert edited["edited_at"] is not None
    assert edited["language"] == "en"  # kept when not given
    assert again["spoiler_text"] == ""  # a content warning not given again is removed
    assert [v["spoiler_text"] for v in history] == ["typo", "typo", ""]
    assert ["Frist" in v["content"] for v in history] == [True, False, False]
    assert "twice fixed" in history[-1]["content"]
    assert history[0]["created_at"] == first["created_at"]
    assert history[-1]["created_at"] == again["edited_at"]
    assert all(v["account"]["id"] == alice.id for v in history)
    shown = client.get(f"/api/v1/statuses/{first['id']}").json()
    assert shown["edited_at"] == again["edited_at"]
    assert "twice fixed" in shown["content"]


def test_a_status_never_edited_has_one_version(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    status = post_status(client, alice, "Never changed")

    history = client.get(f"/api/v1/statuses/{status['id']}/history").json()

    assert len(history) == 1
    assert "Never changed" in history[0]["content"]


def test_an_edit_that_changes_nothing_is_not_a_version(
    client: Client, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    status = post_status(client, alice, "Same")

    unchanged = edit(client, alice, status["id"], status="Same")

    assert unchanged["edited_at"] is None
    assert len(client.get(f"/api/v1/statuses/{status['id']}/history").json()) == 1


def test_source_gives_the_author_the_text_as_written(
    client: Client, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    status = post_status(client, alice, "Hello @bob, see #news", spoiler_text="cw")

    source = client.get(f"/api/v1/statuses/{status['id']}/source", headers=alice.headers)
    as_bob = client.get(f"/api/v1/statuses/{status['id']}/source", headers=bob.headers)

    assert source.json() == {
        "id": status["id"],
        "text": "Hello @bob, see #news",
        "spoiler_text": "cw",
    }
    assert as_bob.status_code == 404
    assert client.get(f"/api/v1/statuses/{status['id']}/source").status_code == 401


def test_only_the_author_edits_and_a_bad_edit_says_why(
    client: Client, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    status = post_status(client, alice, "Mine")
    path = f"/api/v1/statuses/{status['id']}"

    by_bob = client.put(path, headers=bob.headers, data={"status": "Yours now"})
    empty = client.put(path, headers=alice.headers, data={"status": "  "})
    too_long = client.put(path, headers=alice.headers, data={"status": "x" * 501})
    unknown = client.put("/api/v1/statuses/12345", headers=alice.headers, data={"status": "x"})
    anonymous = client.put(path, data={"status": "x"})

    assert by_bob.status_code == 403
    assert empty.status_code == 422
    assert "needs some text" in empty.json()["error"]
    assert too_long.status_code == 422
    assert unknown.status_code == 404
    assert anonymous.status_code == 401
    assert "Mine" in client.get(path).json()["content"]


def test_a_repost_is_not_edited(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    status = post_status(client, alice, "Share this")
    repost = client.post(f"/api/v1/statuses/{status['id']}/reblog", headers=bob.headers).json()

    response = client.put(
        f"/api/v1/statuses/{repost['id']}", headers=bob.headers, data={"status": "mine"}
    )

    assert response.status_code == 403
    assert "edit the post it reposts" in response.json()["error"]


def test_tags_and_mentions_follow_the_edit_and_the_newly_mentioned_are_told(
    client: Client, make_user: UserFactory
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    status = post_status(client, alice, "Hi @bob #old")

    edited = edit(client, alice, status["id"], status="Hi @bob and @carol #new")

    assert [t["name"] for t in edited["tags"]] == ["new"]
    assert sorted(m["acct"] for m in edited["mentions"]) == ["bob", "carol"]
    assert client.get("/api/v1/timelines/tag/old").json() == []
    assert [s["id"] for s in client.get("/api/v1/timelines/tag/new").json()] == [status["id"]]
    bob_told = client.get("/api/v1/notifications", headers=bob.headers).json()
    carol_told = client.get("/api/v1/notifications", headers=carol.headers).json()
    assert [n["type"] for n in bob_told] == ["mention"]  # told once, when first mentioned
    assert [n["type"] for n in carol_told] == ["mention"]


def test_those_who_reposted_are_told_of_an_edit(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    status = post_status(client, alice, "Worth sharing")
    client.post(f"/api/v1/statuses/{status['id']}/reblog", headers=bob.headers)

    edit(client, alice, status["id"], status="Worth sharing, corrected")

    (told,) = client.get("/api/v1/notifications", headers=bob.headers).json()
    assert told["type"] == "update"
    assert told["status"]["id"] == status["id"]
    assert "corrected" in told["status"]["content"]


def test_the_history_of_a_status_out_of_reach_is_404(
    client: Client, make_user: UserFactory
) -> None:
    alice, stranger = make_user("alice"), make_user("stranger")
    private = post_status(client, alice, "Followers only", visibility="private")

    response = client.get(f"/api/v1/statuses/{private['id']}/history", headers=stranger.headers)

    assert response.status_code == 404


def _moderate(
    services: Services, moderator: User, action: ActionKind, post_id: str, **more: Any
) -> None:
    clause = next(c for c in services.policies.clauses.values() if action in c.allowed_actions)
    decision = Decision(
        moderator.account.id, action, PostTarget(int(post_id)), clause.ref, "Facts.", **more
    )
    services.moderation.enforce(decision)


def test_a_moderation_interstitial_covers_every_version(
    client: Client, make_user: UserFactory, services: Services
) -> None:
    alice, moderator = make_user("alice"), make_user("mod")
    services.microblog.accounts.set_role(moderator.account.id, Role.MODERATOR)
    status = post_status(client, alice, "Graphic")
    edit(client, alice, status["id"], status="Still graphic")

    _moderate(services, moderator, ActionKind.INTERSTITIAL, status["id"], content_warning="Gore")
    history = client.get(f"/api/v1/statuses/{status['id']}/history").json()

    assert [(v["spoiler_text"], v["sensitive"]) for v in history] == [("Gore", True)] * 2


def test_an_edit_after_a_decision_is_on_the_receipt(
    client: Client, make_user: UserFactory, services: Services
) -> None:
    alice, moderator = make_user("alice"), make_user("mod")
    services.microblog.accounts.set_role(moderator.account.id, Role.MODERATOR)
    status = post_status(client, alice, "Misleading claim")
    _moderate(services, moderator, ActionKind.LABEL, status["id"], label="Disputed")
    services.ledger.integrate()

    edited = edit(client, alice, status["id"], status="A different claim")
    receipt = client.get(f"/api/v1/townsquare/posts/{status['id']}/why").json()
    page = client.get(f"/posts/{status['id']}/why", headers={"Accept-Language": "en"})

    assert len(receipt["entries"]) == 1
    assert receipt["edited_at"] == [edited["edited_at"]]
    assert "Edited on" in page.text
    assert "after the decision of" in page.text


def test_the_web_post_page_marks_an_edited_post(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    status = post_status(client, alice, "Before")
    page_before = client.get(f"/@alice/{status['id']}", headers={"Accept-Language": "fr"})
    edit(client, alice, status["id"], status="After")

    page = client.get(f"/@alice/{status['id']}", headers={"Accept-Language": "fr"})

    assert "modifié" not in page_before.text
    assert "After" in page.text
    assert "modifié" in page.text
    assert f'href="/posts/{status["id"]}/why#edits"' in page.text


def test_a_blocked_link_an_edit_took_out_still_hides_the_post(
    client: Client, make_user: UserFactory, services: Services
) -> None:
    """Regression: the history served a blocked link that an edit had removed from the
    current text, while the receipt said the block applied."""
    alice, moderator = make_user("alice"), make_user("mod")
    services.microblog.accounts.set_role(moderator.account.id, Role.MODERATOR)
    status = post_status(client, alice, "Great deal https://scam.example/win")
    edit(client, alice, status["id"], status="Great deal, link removed")
    clause = next(
        c for c in services.policies.clauses.values() if ActionKind.BLOCK_URL in c.allowed_actions
    )
    services.moderation.enforce(
        Decision(
            moderator.account.id,
            ActionKind.BLOCK_URL,
            UrlTarget("scam.example"),
            clause.ref,
            "Facts.",
        )
    )

    assert client.get(f"/api/v1/statuses/{status['id']}").status_code == 404
    assert client.get(f"/api/v1/statuses/{status['id']}/history").status_code == 404


def test_the_receipt_tells_nothing_of_edits_to_a_post_not_open_to_all(
    client: Client, make_user: UserFactory
) -> None:
    alice, _bob = make_user("alice"), make_user("bob")
    secret = post_status(client, alice, "@bob first", visibility="direct")
    edit(client, alice, secret["id"], status="@bob second")

    receipt = client.get(f"/api/v1/townsquare/posts/{secret['id']}/why").json()

    assert receipt["edited_at"] == []
