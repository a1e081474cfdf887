"""Layer 3: accounts, posts, follows/blocks/mutes, timelines, search and notifications.

The microblog knows nothing of moderation. It asks a `VisibilityPort` how to show each post,
and the application wires moderation's implementation in.
"""

from townsquare.microblog._accounts import RESERVED_HANDLES, check_handle
from townsquare.microblog._context import Links
from townsquare.microblog._errors import (
    AccountNotFoundError,
    HandleTakenError,
    InvalidCredentialsError,
    InvalidPostError,
    InvalidProfileError,
    MicroblogError,
    NotAllowedError,
    PostNotFoundError,
)
from townsquare.microblog._microblog import Microblog
from townsquare.microblog._models import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    Account,
    NotificationType,
    NotificationView,
    Page,
    Post,
    PostDraft,
    PostView,
    PostVisibility,
    Relationship,
    Role,
)
from townsquare.microblog._passwords import Passwords
from townsquare.microblog._search import SearchResults
from townsquare.microblog._text import MAX_POST_CHARACTERS, count_characters, parse_text
from townsquare.microblog._timelines import Thread
from townsquare.microblog._visibility import (
    SHOWN,
    HiddenBecause,
    Presentation,
    ShowEverything,
    Surface,
    Tombstone,
    VisibilityPort,
)

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "MAX_POST_CHARACTERS",
    "RESERVED_HANDLES",
    "SHOWN",
    "Account",
    "AccountNotFoundError",
    "HandleTakenError",
    "HiddenBecause",
    "InvalidCredentialsError",
    "InvalidPostError",
    "InvalidProfileError",
    "Links",
    "Microblog",
    "MicroblogError",
    "NotAllowedError",
    "NotificationType",
    "NotificationView",
    "Page",
    "Passwords",
    "Post",
    "PostDraft",
    "PostNotFoundError",
    "PostView",
    "PostVisibility",
    "Presentation",
    "Relationship",
    "Role",
    "SearchResults",
    "ShowEverything",
    "Surface",
    "Thread",
    "Tombstone",
    "VisibilityPort",
    "check_handle",
    "count_characters",
    "parse_text",
]
