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

__all__ = ["SHOWN", "Presentation", "ShowEverything", "Surface", "VisibilityPort"]


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
    tombstone: str | None = None


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
