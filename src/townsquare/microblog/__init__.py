"""Layer 3: accounts, posts, follows/blocks/mutes, timelines, search and notifications.

The microblog knows nothing of moderation. It asks a `VisibilityPort` how to show each post,
and the application wires moderation's implementation in.
"""

from townsquare.microblog._accounts import RESERVED_HANDLES, check_handle
from townsquare.microblog._attachments import MAX_ATTACHMENTS, MediaVariant
from townsquare.microblog._context import Links
from townsquare.microblog._conversations import Conversation
from townsquare.microblog._errors import (
    AccountNotFoundError,
    ActionLimitedError,
    HandleTakenError,
    InvalidCredentialsError,
    InvalidMarkerError,
    InvalidMediaError,
    InvalidPostError,
    InvalidProfileError,
    InvalidVoteError,
    LoginThrottledError,
    MediaNotFoundError,
    MicroblogError,
    NotAllowedError,
    PostNotFoundError,
)
from townsquare.microblog._filters import (
    Filter,
    FilterAction,
    FilterContext,
    FilterKeyword,
    KeywordChange,
)
from townsquare.microblog._home_feed import DatabaseFeeds, FeedLimits, FeedStore, claim_feeds
from townsquare.microblog._image_copies import ImageCopyCandidate, image_copy_candidates
from townsquare.microblog._images import ACCEPTED_TYPES, MediaLimits
from townsquare.microblog._lists import MAX_LIST_TITLE, AccountList, RepliesPolicy
from townsquare.microblog._login_throttle import (
    LoginThrottle,
    ThrottleLimits,
    ThrottleTier,
    counter_storage,
)
from townsquare.microblog._markers import MARKED_TIMELINES, Marker
from townsquare.microblog._media import ABANDONED_AFTER, MAX_DESCRIPTION, Media, MediaFile
from townsquare.microblog._microblog import Microblog
from townsquare.microblog._models import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    Account,
    MediaAttachment,
    NotificationType,
    NotificationView,
    Page,
    PollDraft,
    PollView,
    Post,
    PostDraft,
    PostEdit,
    PostView,
    PostVisibility,
    Relationship,
    Role,
)
from townsquare.microblog._note_changes import NoteStatusChange
from townsquare.microblog._notify import record_moderation_notification
from townsquare.microblog._passwords import Passwords
from townsquare.microblog._pins import MAX_PINNED
from townsquare.microblog._polls import MAX_POLL_OPTION_CHARACTERS, MAX_POLL_OPTIONS, POLL_DURATION
from townsquare.microblog._post_fingerprints import (
    CopyCandidate,
    copy_candidates,
    fingerprint_text,
)
from townsquare.microblog._post_versions import PostVersion
from townsquare.microblog._rate_limits import (
    LimitedAction,
    LimitUsage,
    RateLimitRule,
    RateLimits,
)
from townsquare.microblog._redis_feed import RedisFeeds
from townsquare.microblog._redis_stream_hub import RedisStreamHub
from townsquare.microblog._rule_events import RuleEventKind, record_rule_event
from townsquare.microblog._scheduled import MIN_SCHEDULING_DELAY, ScheduledPost
from townsquare.microblog._search import SearchResults
from townsquare.microblog._sessions import SESSION_LIFETIME, Sessions
from townsquare.microblog._stream_events import (
    StreamEvent,
    StreamEventKind,
    UnreadableStreamEventError,
    announce,
)
from townsquare.microblog._stream_hub import (
    Listener,
    LocalStreamHub,
    StreamHub,
    StreamSubscription,
    publishing_to,
)
from townsquare.microblog._streams import Delivery, DeliveryKind, Stream, StreamKind, Streams
from townsquare.microblog._text import MAX_POST_CHARACTERS, count_characters, parse_text
from townsquare.microblog._timelines import SavedPost, Thread
from townsquare.microblog._visibility import (
    SHOWN,
    HiddenBecause,
    LabelledBecause,
    PostLabel,
    Presentation,
    ShowEverything,
    ShownNote,
    Surface,
    Tombstone,
    VisibilityPort,
)

__all__ = [
    "ABANDONED_AFTER",
    "ACCEPTED_TYPES",
    "DEFAULT_PAGE_SIZE",
    "MARKED_TIMELINES",
    "MAX_ATTACHMENTS",
    "MAX_DESCRIPTION",
    "MAX_LIST_TITLE",
    "MAX_PAGE_SIZE",
    "MAX_PINNED",
    "MAX_POLL_OPTIONS",
    "MAX_POLL_OPTION_CHARACTERS",
    "MAX_POST_CHARACTERS",
    "MIN_SCHEDULING_DELAY",
    "POLL_DURATION",
    "RESERVED_HANDLES",
    "SESSION_LIFETIME",
    "SHOWN",
    "Account",
    "AccountList",
    "AccountNotFoundError",
    "ActionLimitedError",
    "Conversation",
    "CopyCandidate",
    "DatabaseFeeds",
    "Delivery",
    "DeliveryKind",
    "FeedLimits",
    "FeedStore",
    "Filter",
    "FilterAction",
    "FilterContext",
    "FilterKeyword",
    "HandleTakenError",
    "HiddenBecause",
    "ImageCopyCandidate",
    "InvalidCredentialsError",
    "InvalidMarkerError",
    "InvalidMediaError",
    "InvalidPostError",
    "InvalidProfileError",
    "InvalidVoteError",
    "KeywordChange",
    "LabelledBecause",
    "LimitUsage",
    "LimitedAction",
    "Links",
    "Listener",
    "LocalStreamHub",
    "LoginThrottle",
    "LoginThrottledError",
    "Marker",
    "Media",
    "MediaAttachment",
    "MediaFile",
    "MediaLimits",
    "MediaNotFoundError",
    "MediaVariant",
    "Microblog",
    "MicroblogError",
    "NotAllowedError",
    "NoteStatusChange",
    "NotificationType",
    "NotificationView",
    "Page",
    "Passwords",
    "PollDraft",
    "PollView",
    "Post",
    "PostDraft",
    "PostEdit",
    "PostLabel",
    "PostNotFoundError",
    "PostVersion",
    "PostView",
    "PostVisibility",
    "Presentation",
    "RateLimitRule",
    "RateLimits",
    "RedisFeeds",
    "RedisStreamHub",
    "Relationship",
    "RepliesPolicy",
    "Role",
    "RuleEventKind",
    "SavedPost",
    "ScheduledPost",
    "SearchResults",
    "Sessions",
    "ShowEverything",
    "ShownNote",
    "Stream",
    "StreamEvent",
    "StreamEventKind",
    "StreamHub",
    "StreamKind",
    "StreamSubscription",
    "Streams",
    "Surface",
    "Thread",
    "ThrottleLimits",
    "ThrottleTier",
    "Tombstone",
    "UnreadableStreamEventError",
    "VisibilityPort",
    "announce",
    "check_handle",
    "claim_feeds",
    "copy_candidates",
    "count_characters",
    "counter_storage",
    "fingerprint_text",
    "image_copy_candidates",
    "parse_text",
    "publishing_to",
    "record_moderation_notification",
    "record_rule_event",
]
