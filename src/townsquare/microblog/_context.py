"""What every microblog service is given: the database, the clock, ids, the visibility port."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import quote

from sqlalchemy import Connection

from townsquare.kernel import Clock, SnowflakeGenerator
from townsquare.microblog._home_feed import DatabaseFeeds, FeedLimits, FeedStore
from townsquare.microblog._images import MediaLimits
from townsquare.microblog._login_throttle import LoginThrottle
from townsquare.microblog._passwords import Passwords
from townsquare.microblog._visibility import VisibilityPort
from townsquare.storage import Database, MediaStore, MemoryMediaStore

__all__ = ["Context", "Links"]


@dataclass(frozen=True)
class Links:
    """Public URLs of things, derived from the server's base URL."""

    base_url: str

    def account(self, username: str) -> str:
        return f"{self.base_url}/@{username}"

    def post(self, username: str, post_id: int) -> str:
        return f"{self.base_url}/@{username}/{post_id}"

    def tag(self, name: str) -> str:
        return f"{self.base_url}/tags/{quote(name)}"

    def media(self, media_id: int, variant: str) -> str:
        """A media file, served by the server itself to whoever may see it."""
        return f"{self.base_url}/media/{media_id}/{variant}"


@dataclass(frozen=True)
class Context:
    db: Database
    clock: Clock
    ids: SnowflakeGenerator
    visibility: VisibilityPort
    links: Links
    passwords: Passwords
    login_throttle: LoginThrottle
    feeds: FeedStore = field(default_factory=lambda: DatabaseFeeds(FeedLimits()))
    media_store: MediaStore = field(default_factory=MemoryMediaStore)
    media_limits: MediaLimits = field(default_factory=MediaLimits)

    @contextmanager
    def writing(self, conn: Connection | None) -> Iterator[Connection]:
        """Use the caller's transaction if there is one, else open a write transaction."""
        if conn is not None:
            yield conn
            return
        with self.db.write() as own:
            yield own

    @contextmanager
    def reading(self, conn: Connection | None) -> Iterator[Connection]:
        if conn is not None:
            yield conn
            return
        with self.db.read() as own:
            yield own
