"""Values the microblog hands out: accounts, posts, relationships, notifications, pages."""

import enum
from dataclasses import dataclass
from datetime import datetime

from townsquare.microblog._visibility import SHOWN, Presentation

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "Account",
    "MediaAttachment",
    "NotificationType",
    "NotificationView",
    "Page",
    "Post",
    "PostDraft",
    "PostView",
    "PostVisibility",
    "Relationship",
    "Role",
]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 40


class Role(enum.StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"


class PostVisibility(enum.StrEnum):
    """Who may read a post: everyone on every surface; everyone but off the public timelines;
    followers only."""

    PUBLIC = "public"
    UNLISTED = "unlisted"
    PRIVATE = "private"
    DIRECT = "direct"  # the author and the accounts the post mentions

    @property
    def is_open(self) -> bool:
        """Whether anyone may read it (public or unlisted), not only an audience."""
        return self in (PostVisibility.PUBLIC, PostVisibility.UNLISTED)


class NotificationType(enum.StrEnum):
    MENTION = "mention"
    REPLY = "reply"
    REBLOG = "reblog"
    FAVOURITE = "favourite"
    FOLLOW = "follow"
    FOLLOW_REQUEST = "follow_request"
    UPDATE = "update"  # a post the reader reposted was edited
    # Moderation decisions that concern the reader (docs/design/moderation-notifications.md).
    # Mastodon 4.3's own type, for a decision restricting the reader's post or account:
    MODERATION_WARNING = "moderation_warning"
    # Townsquare's, which Mastodon clients do not know and skip:
    RESTORED = "townsquare.restored"  # a restriction on the reader's post or account lifted
    REPORT_DECIDED = "townsquare.report"  # a decision on something the reader reported
    APPEAL_DECIDED = "townsquare.appeal"  # the reader's appeal decided

    @property
    def is_moderation(self) -> bool:
        """Whether it tells of a moderation decision (its `action_id` names the notice)."""
        return self in _MODERATION_TYPES


_MODERATION_TYPES = frozenset(
    {
        NotificationType.MODERATION_WARNING,
        NotificationType.RESTORED,
        NotificationType.REPORT_DECIDED,
        NotificationType.APPEAL_DECIDED,
    }
)


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str
    bio: str
    bio_html: str
    role: Role
    locale: str | None
    created_at: datetime
    last_status_at: datetime | None
    statuses_count: int
    followers_count: int
    following_count: int
    email: str | None = None
    locked: bool = False  # approves each follower

    @property
    def name_for_display(self) -> str:
        return self.display_name or self.username


@dataclass(frozen=True)
class Post:
    id: int
    account_id: int
    text: str
    content_html: str
    spoiler_text: str
    sensitive: bool
    language: str | None
    visibility: PostVisibility
    in_reply_to_id: int | None
    in_reply_to_account_id: int | None
    reblog_of_id: int | None
    quote_of_id: int | None
    created_at: datetime
    replies_count: int
    reblogs_count: int
    favourites_count: int
    edited_at: datetime | None = None  # when the current version was written, once edited
    has_poll: bool = False


@dataclass(frozen=True)
class PollDraft:
    """A question asked with a post: its options in order, how long it is open (seconds),
    whether several options may be chosen, and whether counts wait for the end."""

    options: tuple[str, ...]
    expires_in: int
    multiple: bool = False
    hide_totals: bool = False


@dataclass(frozen=True)
class MediaAttachment:
    """An uploaded image: its original and small (preview) files, as re-encoded, their
    sizes, the uploader's description (alt text) and focal point (-1..1 each way, 0,0 the
    centre), and its BlurHash. `post_id` is None until a post takes it."""

    id: int
    account_id: int
    post_id: int | None
    description: str
    focus_x: float
    focus_y: float
    content_type: str
    width: int
    height: int
    size: int
    small_content_type: str
    small_width: int
    small_height: int
    small_size: int
    blurhash: str


@dataclass(frozen=True)
class PostDraft:
    """What an author submits. Validated by `Posts.create`."""

    text: str
    in_reply_to_id: int | None = None
    quote_of_id: int | None = None
    spoiler_text: str = ""
    sensitive: bool = False
    language: str | None = None
    visibility: PostVisibility = PostVisibility.PUBLIC
    poll: PollDraft | None = None
    media_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class PollView:
    """A poll as one viewer sees it: its options with their counts (None while hidden),
    whether it is over, and the viewer's own votes (positions)."""

    post_id: int
    expires_at: datetime
    expired: bool
    multiple: bool
    votes_count: int
    voters_count: int
    options: tuple[tuple[str, int | None], ...]
    voted: bool
    own_votes: tuple[int, ...]


@dataclass(frozen=True)
class PostEdit:
    """What an author changes in an edit (Mastodon's PUT /statuses/:id): the text and
    content warning replace the old ones; `sensitive` and `language` are kept when None."""

    text: str
    spoiler_text: str = ""
    sensitive: bool | None = None
    language: str | None = None


@dataclass(frozen=True)
class PostView:
    """A post ready to show to one viewer: its author, what it reposts or quotes, the
    viewer's own flags, and how the visibility port says to present it."""

    post: Post
    author: Account
    reblog: "PostView | None" = None
    quote: "PostView | None" = None
    mentions: tuple[Account, ...] = ()
    tags: tuple[str, ...] = ()
    media: tuple[MediaAttachment, ...] = ()
    favourited: bool = False
    reblogged: bool = False
    bookmarked: bool = False
    pinned: bool = False
    poll: PollView | None = None
    presentation: Presentation = SHOWN

    @property
    def shown(self) -> "PostView":
        """The post whose content is displayed (the original, for a repost)."""
        return self.reblog or self


@dataclass(frozen=True)
class Relationship:
    id: int
    following: bool
    followed_by: bool
    blocking: bool
    blocked_by: bool
    muting: bool
    requested: bool = False  # asked to follow, not yet approved
    requested_by: bool = False  # the other asked to follow


@dataclass(frozen=True)
class NotificationView:
    id: int
    type: NotificationType
    created_at: datetime
    account: Account
    post: PostView | None
    action_id: int | None = None  # the moderation decision it tells of, if any


@dataclass(frozen=True)
class Page:
    """Which slice of a newest-first list to return, Mastodon style.

    `max_id`: strictly older than this. `since_id`: strictly newer, newest first.
    `min_id`: strictly newer, the ones immediately after it (oldest of them first, then
    returned newest first).
    """

    limit: int = DEFAULT_PAGE_SIZE
    max_id: int | None = None
    since_id: int | None = None
    min_id: int | None = None
