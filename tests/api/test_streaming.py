"""The streaming API over WebSocket: what each stream sends, to whom, rendered as the
timelines render it; moderation through `enforce` reaching subscribers as `delete`."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import WebSocketTestSession

from townsquare.api._grants import Grants
from townsquare.app import Services
from townsquare.microblog import Role
from townsquare.moderation import ActionKind, Decision, PostTarget, Target
from townsquare.settings import Settings

from .conftest import TEST_REDIS_URL, Client, User, UserFactory, redis_or_not
from .test_statuses import post_status

WAIT = 10.0  # seconds a message may take on a loaded machine


@pytest.fixture(params=["local hub", *(["redis hub"] if TEST_REDIS_URL else [])])
def settings(
    request: pytest.FixtureRequest, tmp_path: Path, database_url: str
) -> Iterator[Settings]:
    """Each test with this process's hub, and again through Redis when a test Redis is given."""
    with redis_or_not(tmp_path, database_url, redis=request.param == "redis hub") as settings:
        yield settings


def _socket(client: Client, query: str, user: User | None = None) -> WebSocketTestSession:
    token = f"&access_token={user.token}" if user else ""
    return client.websocket_connect(f"/api/v1/streaming?{query}{token}")


def _next(socket: WebSocketTestSession) -> dict[str, Any]:
    """The next message, its payload decoded as masto.js decodes it."""
    message: dict[str, Any] = socket.receive_json(timeout=WAIT)
    if message["event"] != "delete":
        message["payload"] = json.loads(message["payload"])
    return message


def _follow(client: Client, reader: User, author: User) -> None:
    response = client.post(f"/api/v1/accounts/{author.id}/follow", headers=reader.headers)
    assert response.is_success


def _enforce(services: Services, moderator: User, action: ActionKind, target: Target) -> None:
    clause = next(c for c in services.policies.clauses.values() if action in c.allowed_actions)
    decision = Decision(moderator.account.id, action, target, clause.ref, "Facts.")
    services.moderation.enforce(decision)


def test_health_and_the_instance_name_the_streaming_api(client: Client) -> None:
    health = client.get("/api/v1/streaming/health")
    assert (health.status_code, health.text) == (200, "OK")
    assert health.headers["content-type"].startswith("text/plain")
    v1 = client.get("/api/v1/instance").json()
    v2 = client.get("/api/v2/instance").json()
    assert v1["urls"]["streaming_api"] == "ws://testserver"
    assert v2["configuration"]["urls"]["streaming"] == "ws://testserver"


def test_the_user_stream_sends_a_followed_accounts_post_as_the_home_timeline_shows_it(
    client: Client, make_user: UserFactory
) -> None:
    author, reader = make_user("author"), make_user("reader")
    _follow(client, reader, author)
    with _socket(client, "stream=user", reader) as socket:
        posted = post_status(client, author, "Hello #cats")
        message = _next(socket)
    assert message["stream"] == ["user"]
    assert message["event"] == "update"
    home = client.get("/api/v1/timelines/home", headers=reader.headers).json()
    assert message["payload"] == home[0]
    assert message["payload"]["id"] == posted["id"]


@pytest.mark.parametrize("how", ["protocol", "header", "query"])
def test_the_token_is_taken_where_mastodon_takes_it(
    client: Client, make_user: UserFactory, how: str
) -> None:
    author, reader = make_user("author"), make_user("reader")
    _follow(client, reader, author)
    path = "/api/v1/streaming?stream=user"
    if how == "protocol":  # what masto.js sends: the token as the subprotocol, echoed back
        socket = client.websocket_connect(path, subprotocols=[reader.token])
    elif how == "header":
        socket = client.websocket_connect(path, headers=reader.headers)
    else:
        socket = client.websocket_connect(f"{path}&access_token={reader.token}")
    with socket:
        if how == "protocol":
            assert socket.accepted_subprotocol == reader.token
        posted = post_status(client, author, "Hello")
        assert _next(socket)["payload"]["id"] == posted["id"]


@pytest.mark.parametrize(
    "query",
    [
        "stream=user&access_token=not-a-token",  # a wrong token
        "stream=public&access_token=not-a-token",  # even for a public stream
        "stream=user",  # no token for one's own stream
        "stream=user:notification",
        "stream=hashtag",  # no tag
        "stream=firehose",  # no such stream
    ],
)
def test_a_refused_handshake_is_closed_before_any_message(client: Client, query: str) -> None:
    with pytest.raises(WebSocketDisconnect), _socket(client, query) as socket:
        socket.receive_json(timeout=WAIT)


def test_a_token_without_the_scope_is_refused(client: Client, make_user: UserFactory) -> None:
    writer = make_user("writer", scopes="write")
    with pytest.raises(WebSocketDisconnect), _socket(client, "stream=user", writer) as socket:
        socket.receive_json(timeout=WAIT)


def test_the_public_stream_sends_public_posts_only(client: Client, make_user: UserFactory) -> None:
    author, reader = make_user("author"), make_user("reader")
    _follow(client, reader, author)
    with _socket(client, "stream=public") as socket:  # no token needed
        post_status(client, author, "Friends only", visibility="private")
        post_status(client, author, "Not on the public timeline", visibility="unlisted")
        public = post_status(client, author, "For everyone")
        message = _next(socket)  # the first message is the public one: the others were skipped
    assert (message["stream"], message["payload"]["id"]) == (["public"], public["id"])
    assert message["payload"] == client.get("/api/v1/timelines/public").json()[0]


def test_subscribe_messages_add_and_remove_hashtag_streams(
    client: Client, make_user: UserFactory
) -> None:
    author, reader = make_user("author"), make_user("reader")
    with _socket(client, "", reader) as socket:
        socket.send_json({"type": "subscribe", "stream": "hashtag", "tag": "Cats"})
        socket.send_json({"type": "subscribe", "stream": "hashtag"})  # answered in order
        error = socket.receive_json(timeout=WAIT)
        assert error["status"] == 400
        assert "tag" in error["error"]
        post_status(client, author, "Dogs #dogs")
        tagged = post_status(client, author, "Cats #cats")
        message = _next(socket)
        assert (message["stream"], message["payload"]["id"]) == (["hashtag", "Cats"], tagged["id"])
        socket.send_json({"type": "unsubscribe", "stream": "hashtag", "tag": "Cats"})
        socket.send_json({"type": "subscribe", "stream": "public"})
        socket.send_text("not json")
        assert "JSON" in socket.receive_json(timeout=WAIT)["error"]
        post_status(client, author, "Cats again #cats")
        assert _next(socket)["stream"] == ["public"]  # not on the hashtag stream any more


@pytest.mark.parametrize("how", ["block", "mute"])
def test_a_blocked_or_muted_author_is_not_streamed(
    client: Client, make_user: UserFactory, how: str
) -> None:
    author, friend, reader = make_user("author"), make_user("friend"), make_user("reader")
    _follow(client, reader, author)
    _follow(client, reader, friend)
    response = client.post(f"/api/v1/accounts/{author.id}/{how}", headers=reader.headers)
    assert response.is_success
    with (
        _socket(client, "stream=user", reader) as home,
        _socket(client, "stream=public", reader) as public,
    ):
        post_status(client, author, "Unwanted")
        wanted = post_status(client, friend, "Wanted")
        assert _next(home)["payload"]["id"] == wanted["id"]
        assert _next(public)["payload"]["id"] == wanted["id"]


def test_a_removal_through_enforce_deletes_the_post_from_the_streams(
    client: Client, make_user: UserFactory, services: Services
) -> None:
    author, reader, moderator = make_user("author"), make_user("reader"), make_user("mod")
    services.microblog.accounts.set_role(moderator.account.id, Role.MODERATOR)
    _follow(client, reader, author)
    status = post_status(client, author, "Soon removed #cats")
    with (
        _socket(client, "stream=user", reader) as home,
        _socket(client, "stream=hashtag&tag=cats", reader) as tagged,
    ):
        _enforce(services, moderator, ActionKind.REMOVE, PostTarget(int(status["id"])))
        for socket, stream in ((home, ["user"]), (tagged, ["hashtag", "cats"])):
            message = socket.receive_json(timeout=WAIT)
            assert message == {"stream": stream, "event": "delete", "payload": status["id"]}


def test_reduced_reach_deletes_from_public_streams_and_relabels_at_home(
    client: Client, make_user: UserFactory, services: Services
) -> None:
    author, reader, moderator = make_user("author"), make_user("reader"), make_user("mod")
    services.microblog.accounts.set_role(moderator.account.id, Role.MODERATOR)
    _follow(client, reader, author)
    status = post_status(client, author, "Reach about to be reduced")
    with (
        _socket(client, "stream=user", reader) as home,
        _socket(client, "stream=public", reader) as public,
    ):
        _enforce(services, moderator, ActionKind.REDUCE_REACH, PostTarget(int(status["id"])))
        assert public.receive_json(timeout=WAIT)["payload"] == status["id"]
        update = _next(home)
    assert update["event"] == "status.update"
    assert update["payload"]["townsquare"]["labels"][0].startswith("Reach reduced")
    assert (
        update["payload"] == client.get("/api/v1/timelines/home", headers=reader.headers).json()[0]
    )


def test_an_authors_deletion_reaches_the_stream(client: Client, make_user: UserFactory) -> None:
    author, reader = make_user("author"), make_user("reader")
    _follow(client, reader, author)
    status = post_status(client, author, "Regretted")
    with _socket(client, "stream=user", reader) as socket:
        assert client.delete(f"/api/v1/statuses/{status['id']}", headers=author.headers).is_success
        assert socket.receive_json(timeout=WAIT) == {
            "stream": ["user"],
            "event": "delete",
            "payload": status["id"],
        }


def test_notifications_reach_their_recipient(client: Client, make_user: UserFactory) -> None:
    author, fan = make_user("author"), make_user("fan")
    status = post_status(client, author, "Like me")
    with _socket(client, "stream=user:notification", author) as socket:
        assert client.post(f"/api/v1/statuses/{status['id']}/favourite", headers=fan.headers)
        message = _next(socket)
    assert (message["stream"], message["event"]) == (["user:notification"], "notification")
    assert message["payload"]["type"] == "favourite"
    listed = client.get("/api/v1/notifications", headers=author.headers).json()
    assert message["payload"] == listed[0]


def test_a_hide_filter_keeps_a_status_off_the_stream(
    client: Client, make_user: UserFactory
) -> None:
    author, reader = make_user("author"), make_user("reader")
    _follow(client, reader, author)
    created = client.post(
        "/api/v2/filters",
        headers=reader.headers,
        json={
            "title": "No spoilers",
            "context": ["home"],
            "filter_action": "hide",
            "keywords_attributes": [{"keyword": "spoiler"}],
        },
    )
    assert created.is_success, created.text
    with _socket(client, "stream=user", reader) as socket:
        post_status(client, author, "A spoiler about the ending")
        fine = post_status(client, author, "Nothing to see")
        assert _next(socket)["payload"]["id"] == fine["id"]


def test_an_edit_is_streamed_as_status_update(client: Client, make_user: UserFactory) -> None:
    author, reader = make_user("author"), make_user("reader")
    _follow(client, reader, author)
    status = post_status(client, author, "Edited soon")
    with _socket(client, "stream=user", reader) as socket:
        edited = client.put(
            f"/api/v1/statuses/{status['id']}", headers=author.headers, data={"status": "Edited"}
        )
        assert edited.is_success, edited.text
        message = _next(socket)
    assert (message["event"], message["payload"]["id"]) == ("status.update", status["id"])
    assert message["payload"]["edited_at"] == edited.json()["edited_at"]
    assert "Edited" in message["payload"]["content"]


def test_a_direct_post_is_streamed_to_those_it_mentions_only(
    client: Client, make_user: UserFactory
) -> None:
    author, named, follower = make_user("author"), make_user("named"), make_user("follower")
    _follow(client, named, author)
    _follow(client, follower, author)
    with _socket(client, "stream=user", named) as socket:
        secret = post_status(client, author, "@named just us", visibility="direct")
        received = [_next(socket), _next(socket)]  # the status, and the mention's notice
        updates = [m["payload"]["id"] for m in received if m["event"] == "update"]
        assert updates == [secret["id"]]
    with _socket(client, "stream=user", follower) as socket:
        post_status(client, author, "@named again, just us", visibility="direct")
        public = post_status(client, author, "for everyone")
        assert _next(socket)["payload"]["id"] == public["id"]


@pytest.mark.parametrize(
    ("path", "token", "status"),
    [
        ("/api/v1/streaming/user", None, 401),  # one's own stream needs a token
        ("/api/v1/streaming/public", "not-a-token", 401),
        ("/api/v1/streaming/hashtag", None, 422),  # no tag
        ("/api/v1/streaming/list?list=12", None, 401),
        ("/api/v1/streaming/list", "reader", 422),  # no list
        ("/api/v1/streaming/list?list=12", "reader", 404),  # not their list
    ],
)
def test_an_event_stream_refused_says_why_before_streaming(
    client: Client, make_user: UserFactory, path: str, token: str | None, status: int
) -> None:
    reader = make_user("reader")
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    if token == "reader":
        headers = reader.headers
    response = client.get(path, headers=headers)
    assert response.status_code == status
    assert response.json()["error"]


def test_a_revoked_token_ends_its_stream(
    client: Client, make_user: UserFactory, services: Services
) -> None:
    """Regression: a stream kept delivering after its token was revoked."""
    author, reader = make_user("author"), make_user("reader")
    _follow(client, reader, author)
    grants = Grants(services.microblog)
    with _socket(client, "stream=user", reader) as socket:
        granted = grants.grant_for(reader.token)
        assert granted is not None
        assert granted.app_id is not None
        grants.revoke(granted.app_id, reader.token)
        post_status(client, author, "For followers only", visibility="private")
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_json(timeout=WAIT)
    assert closed.value.code == 4001
