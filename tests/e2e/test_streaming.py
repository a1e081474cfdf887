"""End to end: `townsquare serve --workers 2` with Redis, streaming to Mastodon.py's
`stream_user` (server-sent events) and to a WebSocket client, as real clients connect.

With two worker processes, the post and the streaming connection are often served by
different workers: the event then crosses Redis pub/sub. Each post goes over a connection
of its own, so that the kernel spreads them over both workers.
"""

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from mastodon import Mastodon, StreamListener
from websockets.sync.client import connect

from live_server import free_port_socket
from townsquare.api._grants import Grants
from townsquare.api._scopes import parse_scopes
from townsquare.app import build_services
from townsquare.settings import Settings

pytestmark = pytest.mark.e2e

REDIS_URL = os.environ.get("TOWNSQUARE_TEST_REDIS_URL", "")
POSTS = 4
WITHIN_SECONDS = 1.0


@dataclass(frozen=True)
class Served:
    url: str
    author_token: str
    reader_token: str


def _tokens(settings: Settings) -> tuple[str, str]:
    """An author and a reader who follows them, with tokens."""
    services = build_services(settings)
    try:
        accounts = services.microblog.accounts
        author = accounts.register("author", "a long password", email="author@example.com")
        reader = accounts.register("reader", "a long password", email="reader@example.com")
        services.microblog.graph.follow(reader.id, author.id)
        grants = Grants(services.microblog)
        scopes = parse_scopes("read write follow")
        return (
            grants.issue_token(None, author.id, scopes).access_token,
            grants.issue_token(None, reader.id, scopes).access_token,
        )
    finally:
        services.id_worker.stop()
        services.stream_hub.close()
        services.db.dispose()


def _wait_for(what: str, ready: Any, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.2)


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/v1/streaming/health", timeout=2).text == "OK"
    except httpx.HTTPError:
        return False


@contextmanager
def _serving(settings: Settings, url: str, port: int, log: Path) -> Iterator[None]:
    environ = {
        "TOWNSQUARE_DATABASE_URL": settings.resolved_database_url,
        "TOWNSQUARE_DATA_DIR": str(settings.data_dir),
        "TOWNSQUARE_BASE_URL": url,
        "TOWNSQUARE_REDIS_URL": REDIS_URL,
        "TOWNSQUARE_REDIS_KEY_PREFIX": settings.redis_key_prefix,
    }
    command = [sys.executable, "-m", "townsquare.cli", "serve", "--port", str(port)]
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, "--workers", "2"],
            env={**os.environ, **environ},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(f"the server on port {port}", lambda: _answers(url))
        yield
    finally:
        process.terminate()
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def served(settings: Settings, tmp_path: Path) -> Iterator[Served]:
    if not REDIS_URL:
        pytest.skip("streaming across two workers needs Redis: set TOWNSQUARE_TEST_REDIS_URL")
    sock, url = free_port_socket()
    port = sock.getsockname()[1]
    sock.close()  # granian binds it itself
    prefixed = Settings(
        data_dir=settings.data_dir,
        database_url=settings.database_url,
        base_url=url,
        redis_url=REDIS_URL,
        redis_key_prefix=f"townsquare-test-{uuid.uuid4().hex}",
    )
    author, reader = _tokens(prefixed)
    with _serving(prefixed, url, port, tmp_path / "server.log"):
        yield Served(url, author, reader)


def _post(served: Served, text: str) -> str:
    """A post over a connection of its own (either worker may take it); its id."""
    response = httpx.post(
        f"{served.url}/api/v1/statuses",
        data={"status": text},
        headers={"Authorization": f"Bearer {served.author_token}", "Connection": "close"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    status_id: str = response.json()["id"]
    return status_id


class _Updates(StreamListener):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.arrived = threading.Condition()

    def on_update(self, status: Any) -> None:
        with self.arrived:
            self.ids.append(str(status.id))
            self.arrived.notify_all()

    def wait_for(self, status_id: str, seconds: float) -> bool:
        with self.arrived:
            return self.arrived.wait_for(lambda: status_id in self.ids, seconds)


def test_mastodon_py_stream_user_hears_a_followed_accounts_post_within_a_second(
    served: Served,
) -> None:
    reader = Mastodon(access_token=served.reader_token, api_base_url=served.url)
    listener = _Updates()
    handle = reader.stream_user(listener, run_async=True)
    try:
        _wait_for("the stream to connect", handle.is_receiving, seconds=20)
        for n in range(POSTS):
            posted_at = time.monotonic()
            status_id = _post(served, f"Post number {n}, for my followers")
            assert listener.wait_for(status_id, WITHIN_SECONDS * 5), listener.ids
            took = time.monotonic() - posted_at
            assert took < WITHIN_SECONDS, f"the update took {took:.2f} s"
    finally:
        handle.close()
    assert len(listener.ids) == POSTS


def test_a_websocket_client_on_the_public_stream_hears_each_post(served: Served) -> None:
    ws_url = served.url.replace("http://", "ws://")
    with connect(
        f"{ws_url}/api/v1/streaming?stream=public",
        subprotocols=[served.reader_token],  # type: ignore[list-item]  # a token, as masto.js
        open_timeout=20,
    ) as socket:
        for n in range(POSTS):
            status_id = _post(served, f"Public post number {n}")
            message = json.loads(socket.recv(timeout=WITHIN_SECONDS * 5))
            assert message["stream"] == ["public"]
            assert message["event"] == "update"
            assert json.loads(message["payload"])["id"] == status_id
