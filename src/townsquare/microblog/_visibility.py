"""The visibility port: how the microblog asks "may this viewer see this post, and how?".

The microblog cannot import moderation (it sits below it), yet every surface must hide what
moderation restricted. So the microblog declares this protocol, moderation implements it and
the application wires it in. Every surface asks the same port; there is no second filter.
"""

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection

__all__ = [
    "SHOWN",
    "HiddenBecause",
    "Presentation",
    "ShowEverything",
    "Surface",
    "Tombstone",
    "VisibilityPort",
]


class Surface(enum.StrEnum):
    """Where a post is about to be shown. Reduced reach, for one, names the surfaces it hides."""

    HOME = "home"
    PUBLIC = "public"
    HASHTAG = "hashtag"
    PROFILE = "profile"
    THREAD = "thread"
    SEARCH = "search"
    NOTIFICATIONS = "notifications"
    LINK = "link"


class HiddenBecause(enum.StrEnum):
    """Why the port hides a post that is opened by its link."""

    REMOVED = "removed"
    ACCOUNT_SUSPENDED = "account_suspended"
    LINK_BLOCKED = "link_blocked"
    NOT_IN_COUNTRY = "not_in_country"
    REACH_REDUCED = "reach_reduced"


@dataclass(frozen=True)
class Tombstone:
    """What stands in the place of a hidden post: why, and under which rule.

    It holds facts, not words: each edge writes the sentence in its reader's language and
    links to the post's "why?" receipt at its own address. `clause_title` is by language
    ({"en": …, "fr": …}); `link` is the blocked URL or domain, `country` the viewer's.
    """

    because: HiddenBecause
    clause: str
    clause_title: Mapping[str, str]
    link: str | None = None
    country: str | None = None

    def title_in(self, language: str) -> str:
        """The rule's title in `language`, else in English, else its reference."""
        return self.clause_title.get(language) or self.clause_title.get("en") or self.clause


@dataclass(frozen=True)
class Presentation:
    """How a post is shown to one viewer on one surface.

    `visible` False removes the post from the surface (or, when it is opened by link, shows
    `tombstone` instead of it). `labels` are texts shown with the post; `content_warning` puts
    it behind an interstitial (Mastodon apps see it as `spoiler_text`).
    """

    visible: bool = True
    labels: tuple[str, ...] = ()
    content_warning: str | None = None
    tombstone: Tombstone | None = None


SHOWN = Presentation()


class VisibilityPort(Protocol):
    """The contract. `presentations` MUST return an entry for every id it is given, and MUST
    be a pure read: it MUST NOT write to the database."""

    def presentations(
        self,
        conn: Connection,
        viewer_id: int | None,
        post_ids: Sequence[int],
        surface: Surface,
    ) -> Mapping[int, Presentation]: ...


class ShowEverything:
    """The port before any moderation is wired in: everything is shown as posted."""

    def presentations(
        self,
        conn: Connection,
        viewer_id: int | None,
        post_ids: Sequence[int],
        surface: Surface,
    ) -> Mapping[int, Presentation]:
        return dict.fromkeys(post_ids, SHOWN)
