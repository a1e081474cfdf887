"""The microblog as one object: what the HTTP edges, the CLI and the demo are given."""

from townsquare.kernel import Clock, SnowflakeGenerator
from townsquare.microblog._accounts import Accounts
from townsquare.microblog._context import Context, Links
from townsquare.microblog._conversations import Conversations
from townsquare.microblog._filters import Filters
from townsquare.microblog._graph import Graph
from townsquare.microblog._home_feed import DatabaseFeeds, FeedLimits, FeedStore
from townsquare.microblog._images import MediaLimits
from townsquare.microblog._lists import Lists
from townsquare.microblog._login_throttle import LoginThrottle
from townsquare.microblog._markers import Markers
from townsquare.microblog._media import Media
from townsquare.microblog._notifications import Notifications
from townsquare.microblog._passwords import Passwords
from townsquare.microblog._pins import Pins
from townsquare.microblog._polls import Polls
from townsquare.microblog._posts import Posts
from townsquare.microblog._rate_limits import RateLimits
from townsquare.microblog._scheduled import ScheduledPosts
from townsquare.microblog._search import Search
from townsquare.microblog._sessions import Sessions
from townsquare.microblog._stream_hub import LocalStreamHub, StreamHub
from townsquare.microblog._streams import Streams
from townsquare.microblog._timelines import Timelines
from townsquare.microblog._visibility import ShowEverything, VisibilityPort
from townsquare.storage import Database, MediaStore, MemoryMediaStore

__all__ = ["Microblog"]


class Microblog:
    """Accounts, posts, the social graph, timelines, search and notifications over one
    database. `visibility` is the port moderation plugs into (everything is shown without it);
    `login_throttle` counts sign-in attempts (in this process's memory without it);
    `rate_limits` are what the HTTP edges count posts, follows, reports and registrations
    against (nothing is limited without it); `media_store` keeps attachment files (in this
    process's memory without it) and `media_limits` bounds uploads; `stream_hub` carries
    the events the streaming API hears (this process's own without it; the database's
    `committed` sink MUST publish to the same hub, `publishing_to`).
    """

    def __init__(
        self,
        db: Database,
        *,
        clock: Clock,
        base_url: str,
        visibility: VisibilityPort | None = None,
        passwords: Passwords | None = None,
        ids: SnowflakeGenerator | None = None,
        login_throttle: LoginThrottle | None = None,
        rate_limits: RateLimits | None = None,
        feeds: FeedStore | None = None,
        media_store: MediaStore | None = None,
        media_limits: MediaLimits | None = None,
        stream_hub: StreamHub | None = None,
    ) -> None:
        self.context = Context(
            db=db,
            clock=clock,
            ids=ids or SnowflakeGenerator(clock),
            visibility=visibility or ShowEverything(),
            links=Links(base_url),
            passwords=passwords or Passwords(),
            login_throttle=login_throttle or LoginThrottle(),
            feeds=feeds or DatabaseFeeds(FeedLimits()),
            media_store=media_store or MemoryMediaStore(),
            media_limits=media_limits or MediaLimits(),
        )
        self.db = db
        self.rate_limits = rate_limits or RateLimits()
        self.links = self.context.links
        self.accounts = Accounts(self.context)
        self.sessions = Sessions(self.context)
        self.posts = Posts(self.context)
        self.pins = Pins(self.context)
        self.polls = Polls(self.context)
        self.conversations = Conversations(self.context)
        self.scheduled = ScheduledPosts(self.context, self.posts)
        self.graph = Graph(self.context)
        self.timelines = Timelines(self.context)
        self.media = Media(self.context, self.timelines)
        self.search = Search(self.context)
        self.notifications = Notifications(self.context)
        self.markers = Markers(self.context)
        self.lists = Lists(self.context)
        self.filters = Filters(self.context)
        hub = stream_hub or LocalStreamHub()
        self.streams = Streams(self.context, hub, self.timelines, self.notifications)
