"""Mastodon.py against a running Townsquare: one line of JSON per check, {check, ok, detail}.
Run by scripts/check-clients, which starts the server; arguments: the server's URL, a
password both users (alice, bob) share, and an image file to upload."""

import json
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from mastodon import Mastodon, StreamListener


def report(check: str, run: Callable[[], object]) -> None:
    try:
        detail, ok = str(run() or ""), True
    except Exception as error:  # a check reports any failure as its result
        detail, ok = f"{type(error).__name__}: {error}", False
    print(json.dumps({"check": check, "ok": ok, "detail": detail[:300]}), flush=True)


def expect(condition: object, what: str) -> None:
    if not condition:
        raise AssertionError(what)


def log_in(url: str, login: str, password: str) -> Mastodon:
    client_id, client_secret = Mastodon.create_app("client checks", api_base_url=url)
    client = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=url)
    client.log_in(login, password, allow_http=True)
    return client


class Updates(StreamListener):  # type: ignore[misc]
    """Remembers when each update arrived, by its text."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.event = threading.Event()

    def on_update(self, status: Any) -> None:
        self.arrived[status.content] = time.monotonic()
        self.event.set()


def stream_user_within(alice: Mastodon, bob: Mastodon, seconds: float) -> str:
    listener = Updates()
    handle = bob.stream_user(listener, run_async=True, reconnect_async=False)
    try:
        time.sleep(0.5)  # the stream reaches the server
        text = f"streamed {time.time()}"
        started = time.monotonic()
        alice.status_post(text)
        deadline = started + seconds
        while time.monotonic() < deadline:
            arrived = [at for content, at in listener.arrived.items() if text in content]
            if arrived:
                return f"update after {(arrived[0] - started) * 1000:.0f} ms"
            listener.event.wait(0.05)
        raise AssertionError(f"no update within {seconds} s")
    finally:
        handle.close()


def main(url: str, password: str, image: str) -> None:
    state: dict[str, Any] = {}

    def sign_in() -> None:
        state["alice"] = log_in(url, "alice", password)
        state["bob"] = log_in(url, "bob@example.com", password)

    report("log_in (password grant)", sign_in)
    if "bob" not in state:
        return  # nothing else can be checked
    alice: Mastodon = state["alice"]
    bob: Mastodon = state["bob"]
    me = alice.account_verify_credentials()

    def media() -> str:
        uploaded = alice.media_post(image, description="A test pattern", focus=(0.5, -0.25))
        state["media"] = uploaded
        expect(uploaded.url and uploaded.blurhash, "no url or blurhash")
        return f"{uploaded.type} {uploaded.meta.original.width}x{uploaded.meta.original.height}"

    def with_media() -> str:
        status = alice.status_post("A picture", media_ids=[state["media"].id])
        (attachment,) = status.media_attachments
        expect(attachment.description == "A test pattern", "alt text")
        return str(attachment.preview_url)

    def update() -> None:
        status = alice.status_post("First wording")
        state["status"] = status
        edited = alice.status_update(status.id, "Second wording")
        expect(edited.edited_at and "Second" in edited.content, "not edited")
        expect(len(alice.status_history(status.id)) == 2, "history")
        expect(alice.status_source(status.id).text == "Second wording", "source")

    def follow() -> None:
        expect(bob.account_follow(me.id).following, "not following")

    def bookmarks() -> None:
        bob.status_bookmark(state["status"].id)
        expect([s.id for s in bob.bookmarks()] == [state["status"].id], "bookmarks")

    def lists() -> None:
        made = bob.list_create("Friends")
        bob.list_accounts_add(made.id, [me.id])
        expect([a.id for a in bob.list_accounts(made.id)] == [me.id], "members")
        expect(made.id in [found.id for found in bob.lists()], "lists")
        bob.timeline_list(made.id)

    def markers() -> None:
        bob.markers_set(["home"], [state["status"].id])
        expect(bob.markers_get(["home"]).home.last_read_id == state["status"].id, "marker")

    checks: list[tuple[str, Callable[[], object]]] = [
        ("retrieve_mastodon_version", lambda: alice.retrieve_mastodon_version()),
        ("account_verify_credentials", lambda: me.acct),
        ("instance / instance_v2", lambda: alice.instance() and alice.instance_v2()),
        ("account_follow", follow),
        ("media_post (description, focus)", media),
        ("status_post with media_ids", with_media),
        ("media_update", lambda: alice.media_update(state["media"].id, description="Changed")),
        ("status_update / status_history / status_source", update),
        ("stream_user: update within 1 s", lambda: stream_user_within(alice, bob, 1.0)),
        (
            "timeline_home / timeline_public / timeline_hashtag",
            lambda: (
                bob.timeline_home()
                and alice.timeline_public() is not None
                and alice.timeline_hashtag("compat") is not None
            ),
        ),
        (
            "status_favourite / status_reblog / favourites",
            lambda: (
                bob.status_favourite(state["status"].id)
                and bob.status_reblog(state["status"].id)
                and bob.favourites()
            ),
        ),
        ("bookmarks", bookmarks),
        ("lists / list_accounts_add / timeline_list", lists),
        ("markers_get / markers_set", markers),
        (
            "notifications / notifications_unread_count",
            lambda: alice.notifications() and alice.notifications_unread_count() is not None,
        ),
        ("search_v2", lambda: bob.search_v2("alice").accounts),
        ("filters_v2", lambda: bob.filters_v2() is not None),
        (
            "preferences / custom_emojis / announcements",
            lambda: (
                bob.preferences()
                and bob.custom_emojis() is not None
                and bob.announcements() is not None
            ),
        ),
        (
            "follow_requests / blocks / mutes",
            lambda: (
                bob.follow_requests() is not None
                and bob.blocks() is not None
                and bob.mutes() is not None
            ),
        ),
        ("account_followers / fetch_next", lambda: alice.account_followers(me.id)),
        ("status_pin", lambda: alice.status_pin(state["status"].id)),
        (
            "status_post with a poll",
            lambda: alice.status_post("Which?", poll=alice.make_poll(["this", "that"], 3600)).poll,
        ),
        (
            "status_post scheduled_at",
            lambda: alice.status_post("Later", scheduled_at=datetime.now(UTC) + timedelta(hours=1)),
        ),
        (
            "status_post visibility direct",
            lambda: alice.status_post("@bob psst", visibility="direct"),
        ),
        ("conversations", lambda: alice.conversations() is not None),
        ("status_delete", lambda: alice.status_delete(state["status"].id)),
    ]
    for name, run in checks:
        report(name, run)


if __name__ == "__main__":
    main(*sys.argv[1:4])
