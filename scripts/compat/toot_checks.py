"""toot (the command-line client) against a running Townsquare: one line of JSON per check,
{check, ok, detail}. Run by scripts/check-clients, which starts the server; arguments: the
server's URL, a password both users (alice, bob) share, and an image file to upload."""

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

TOOT = str(Path(sys.executable).with_name("toot"))


class Toot:
    """The toot command, with its own configuration directory (its logged-in accounts)."""

    def __init__(self, config_home: str) -> None:
        self.environ = {**os.environ, "XDG_CONFIG_HOME": config_home}

    def __call__(self, *args: str, as_user: str | None = None) -> str:
        who = ["--as", as_user] if as_user else []
        done = subprocess.run(
            [TOOT, *who, *args], env=self.environ, capture_output=True, text=True, timeout=60
        )
        if done.returncode != 0:
            raise RuntimeError((done.stderr or done.stdout).strip() or f"exit {done.returncode}")
        return done.stdout

    def json(self, *args: str, as_user: str | None = None) -> Any:
        return json.loads(self(*args, "--json", as_user=as_user))


def report(check: str, run: Callable[[], str | None]) -> None:
    try:
        detail, ok = run() or "", True
    except Exception as error:  # a check reports any failure as its result
        detail, ok = str(error), False
    print(json.dumps({"check": check, "ok": ok, "detail": detail[:300]}), flush=True)


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)


def main(url: str, password: str, image: str) -> None:
    host = url.split("://", 1)[1]
    with tempfile.TemporaryDirectory() as config_home:
        toot = Toot(config_home)
        alice, bob = f"alice@{host}", f"bob@{host}"
        state: dict[str, Any] = {}

        def log_in() -> None:
            for who in ("alice", "bob"):
                toot(
                    "login_cli",
                    "--instance",
                    url,
                    "--email",
                    f"{who}@example.com",
                    "--password",
                    password,
                )

        def post() -> str:
            state["status"] = toot.json("post", "Hello from toot #compat", as_user=alice)
            return str(state["status"]["url"])

        def upload() -> str:
            media = toot.json("upload", image, "--description", "A test pattern", as_user=alice)
            expect(media["description"] == "A test pattern", "the alt text was not kept")
            return f"{media['type']} {media['url']}"

        def post_media() -> str:
            status = toot.json(
                "post",
                "A picture from toot",
                "--media",
                image,
                "--description",
                "A test pattern",
                as_user=alice,
            )
            (attachment,) = status["media_attachments"]
            expect(attachment["description"] == "A test pattern", "no alt text")
            return str(attachment["url"])

        def follow() -> None:
            toot("follow", "alice", as_user=bob)
            expect("alice" in toot("following", "bob", as_user=bob), "bob does not follow alice")

        def timelines() -> None:
            home = toot("timelines", "home", "--json", as_user=bob)
            expect("Hello from toot" in home, "alice's post is not in bob's home")
            toot("timelines", "public", "--json", as_user=bob)
            toot("timelines", "tag", "compat", "--json", as_user=bob)

        def interact() -> None:
            status_id = state["status"]["id"]
            for verb in ("favourite", "reblog", "bookmark"):
                toot(verb, status_id, as_user=bob)
            expect("Hello from toot" in toot("bookmarks", "--once", as_user=bob), "bookmarks")
            toot("reblogged-by", status_id, as_user=alice)

        checks: list[tuple[str, Callable[[], str | None]]] = [
            ("login_cli (password grant)", log_in),
            (
                "whoami / whois",
                lambda: toot("whoami", as_user=alice) and toot("whois", "bob", as_user=alice),
            ),
            ("instance", lambda: toot("instance", as_user=alice)),
            ("post", post),
            ("upload", upload),
            ("post --media --description", post_media),
            ("follow / following / followers", follow),
            ("timelines (home, public, tag)", timelines),
            (
                "status / thread",
                lambda: (
                    toot("status", state["status"]["id"], as_user=bob)
                    and toot("thread", state["status"]["id"], as_user=bob)
                ),
            ),
            ("favourite / reblog / bookmark / bookmarks / reblogged-by", interact),
            ("notifications", lambda: toot("notifications", as_user=alice)),
            ("search", lambda: toot("search", "alice", as_user=bob)),
            (
                "lists",
                lambda: (
                    toot("lists", "create", "Friends", as_user=bob)
                    and toot("lists", "add", "Friends", "alice", as_user=bob)
                    and toot("lists", "list", as_user=bob)
                ),
            ),
            (
                "mute / muted / unmute",
                lambda: (
                    toot("mute", "alice", as_user=bob)
                    and toot("muted", as_user=bob)
                    and toot("unmute", "alice", as_user=bob)
                ),
            ),
            (
                "block / blocked / unblock",
                lambda: (
                    toot("block", "bob", as_user=alice)
                    and toot("blocked", as_user=alice)
                    and toot("unblock", "bob", as_user=alice)
                ),
            ),
            (
                "update-account --note",
                lambda: toot("update-account", "--note", "Testing toot", as_user=alice),
            ),
            ("follow-requests", lambda: toot("follow-requests", "list", as_user=alice)),
            ("pin", lambda: toot("pin", state["status"]["id"], as_user=alice)),
            (
                "post --poll-option",
                lambda: toot(
                    "post",
                    "Which?",
                    "--poll-option",
                    "this",
                    "--poll-option",
                    "that",
                    as_user=alice,
                ),
            ),
            (
                "post --scheduled-in",
                lambda: toot("post", "Later", "--scheduled-in", "1h", as_user=alice),
            ),
            (
                "post --visibility direct",
                lambda: toot("post", "@bob psst", "--visibility", "direct", as_user=alice),
            ),
            ("delete", lambda: toot("delete", state["status"]["id"], as_user=alice)),
        ]
        for name, run in checks:
            report(name, run)


if __name__ == "__main__":
    main(*sys.argv[1:4])
