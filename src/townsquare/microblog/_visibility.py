"""The visibility port: how the microblog asks "may this viewer see this post, and how?".

The microblog cannot import moderation (it sits below it), yet every surface must hide what
moderation restricted. So the microblog declares this protocol, moderation implements it and
the application wires it in. Every surface asks the same port; there is no second filter.
"""

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import Connection

__all__ = [
    "SHOWN",
    "HiddenBecause",
    "LabelledBecause",
    "PostLabel",
    "Presentation",
    "ShowEverything",
    "ShownNote",
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
        return _title_in(self.clause_title, language, self.clause)


class LabelledBecause(enum.StrEnum):
    """Why the port puts a label on a post that it still shows."""

    LABELLED = "labelled"  # a moderator labelled it
    REACH_REDUCED = "reach_reduced"  # its reach (or its account's) is reduced


@dataclass(frozen=True)
class PostLabel:
    """A label shown with a post: why, and under which rule. Facts, not words, as for a
    `Tombstone`: each edge writes the sentence in its reader's language.

    `text` is the moderator's own wording when they gave one, shown as written instead of
    the edge's sentence; `surfaces` are where reduced reach hides the post.
    """

    because: LabelledBecause
    clause: str
    clause_title: Mapping[str, str]
    text: str | None = None
    surfaces: tuple[Surface, ...] = ()

    def title_in(self, language: str) -> str:
        """The rule's title in `language`, else in English, else its reference."""
        return _title_in(self.clause_title, language, self.clause)


def _title_in(titles: Mapping[str, str], language: str, clause: str) -> str:
    return titles.get(language) or titles.get("en") or clause


@dataclass(frozen=True)
class ShownNote:
    """A community note shown on a post: readers rated it helpful, people who often
    disagree among them. `sources` are its links; `decided_at` when it was rated so."""

    note_id: int
    text: str
    sources: tuple[str, ...]
    decided_at: datetime


@dataclass(frozen=True)
class Presentation:
    """How a post is shown to one viewer on one surface.

    `visible` False removes the post from the surface (or, when it is opened by link, shows
    `tombstone` instead of it). `labels` are shown with the post; `content_warning` (the
    moderator's words) puts it behind an interstitial (Mastodon apps see it as `spoiler_text`).
    `notes` are the community notes shown with it (readers added context), oldest first.
    """

    visible: bool = True
    labels: tuple[PostLabel, ...] = ()
    content_warning: str | None = None
    tombstone: Tombstone | None = None
    notes: tuple[ShownNote, ...] = ()


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
