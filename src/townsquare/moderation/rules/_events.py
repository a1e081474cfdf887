"""What the rules watch: the write path's events, as values.

Each event carries its own time (`at`), which is the matchers' only clock, and everything a
rule reads about it — the post's text, links and mentions, who acted and when that account
was created — so matching needs no database.
"""

from dataclasses import dataclass
from datetime import datetime

from townsquare.moderation._decisions import AccountTarget, PostTarget

__all__ = ["AccountCreated", "Actor", "Event", "PostCreated", "PostEdited", "ReportFiled"]


@dataclass(frozen=True)
class Actor:
    """The account that acted, and when it was created (rules on new accounts read its age)."""

    account_id: int
    created_at: datetime


@dataclass(frozen=True)
class PostCreated:
    """A post was published. `urls` are its links as written, `mentions` the ids of the
    accounts it mentions, `in_reply_to` the post it answers."""

    post_id: int
    author: Actor
    at: datetime
    text: str
    urls: tuple[str, ...] = ()
    mentions: tuple[int, ...] = ()
    in_reply_to: int | None = None


@dataclass(frozen=True)
class PostEdited:
    """A post's text was changed; the fields hold the new text."""

    post_id: int
    author: Actor
    at: datetime
    text: str
    urls: tuple[str, ...] = ()
    mentions: tuple[int, ...] = ()


@dataclass(frozen=True)
class AccountCreated:
    """An account was registered (`account.created_at` is when)."""

    account: Actor

    @property
    def at(self) -> datetime:
        return self.account.created_at


@dataclass(frozen=True)
class ReportFiled:
    """A member reported a post or an account; `about` is whom the item concerns (the
    post's author, or the account), when known."""

    report_id: int
    reporter: Actor
    at: datetime
    target: PostTarget | AccountTarget
    about: int | None = None


Event = PostCreated | PostEdited | AccountCreated | ReportFiled
