"""Rule tests' factories: rule versions written as TOML, and rule values built directly."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from townsquare.moderation import ActionKind
from townsquare.moderation.rules import (
    Actor,
    Effect,
    Match,
    PostCreated,
    Rule,
    RuleSet,
    rule_hash,
)

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
OLD = T0 - timedelta(days=400)  # an account created long ago

SOURCE = "# source: Example Phishing Watch, https://phishwatch.example/feed\n"

VERSION = """
[[versions]]
version = {version}
title.en = "Link spam"
title.fr = "Spam de liens"
description.en = "{description}"
description.fr = "Trop de liens."
clause = "spam-and-platform-manipulation/1@1"
action = "limit"
severity = 2

[versions.match]
kind = "posting_burst"
min_posts = 6
window_minutes = 10
links_only = true
"""


def write_rule(directory: Path, *descriptions: str, name: str = "link-spam") -> Path:
    """A posting-burst rule file whose versions have the English `descriptions`."""
    text = "".join(VERSION.format(version=i + 1, description=d) for i, d in enumerate(descriptions))
    path = directory / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def write_blocklist(directory: Path, name: str, *domains: str) -> Path:
    folder = directory / "blocklists"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_text(SOURCE + "".join(f"{d}\n" for d in domains), encoding="utf-8")
    return path


def make_rule(
    match: Match,
    *,
    id: str = "test-rule",
    action: ActionKind = ActionKind.LIMIT,
    effect: Effect = Effect.OPEN_CASE,
    severity: int | None = 2,
    clause: str = "spam-and-platform-manipulation/1@1",
) -> Rule:
    unhashed = Rule(
        id=id,
        version=1,
        title={"en": "A rule", "fr": "Une règle"},
        description={"en": "It matches.", "fr": "Elle trouve."},
        clause=clause,
        match=match,
        effect=effect,
        action=action,
        severity=severity,
        content_hash="",
    )
    return replace(unhashed, content_hash=rule_hash(unhashed))


def one_rule(rule: Rule) -> RuleSet:
    return RuleSet(rules={rule.id: rule})


def actor(account_id: int, created_at: datetime = OLD) -> Actor:
    return Actor(account_id, created_at)


def post(
    post_id: int,
    author: Actor | int,
    at: datetime,
    text: str = "hello",
    urls: tuple[str, ...] = (),
    mentions: tuple[int, ...] = (),
    in_reply_to: int | None = None,
) -> PostCreated:
    who = author if isinstance(author, Actor) else actor(author)
    return PostCreated(post_id, who, at, text, urls, mentions, in_reply_to)
