"""The relational schema, as SQLAlchemy Core tables.

Alembic revisions under `migrations/versions/` create exactly this schema; a test compares the
migrated database with these definitions so the two cannot drift. Ids are snowflakes
(`townsquare.kernel`), so `id` order is creation order and every timeline pages by id.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator

__all__ = [
    "UtcDateTime",
    "accounts",
    "blocks",
    "bookmarks",
    "community_notes",
    "election_windows",
    "external_request_items",
    "external_requests",
    "favourites",
    "filter_keywords",
    "filters",
    "follow_requests",
    "follows",
    "home_feed_states",
    "home_feed_store",
    "home_feeds",
    "id_workers",
    "idempotency_keys",
    "impartiality_audits",
    "ledger_checkpoints",
    "ledger_cosignatures",
    "ledger_entries",
    "ledger_pending",
    "ledger_tiles",
    "list_accounts",
    "lists",
    "markers",
    "media_attachments",
    "media_hash_bands",
    "metadata",
    "moderation_actions",
    "moderation_appeals",
    "moderation_case_comments",
    "moderation_cases",
    "moderation_notices",
    "moderation_proposals",
    "moderation_reports",
    "moderation_restrictions",
    "mutes",
    "note_rater_scores",
    "note_ratings",
    "note_requests",
    "note_run_scores",
    "note_scoring_runs",
    "note_status_changes",
    "note_statuses",
    "notifications",
    "oauth_apps",
    "oauth_codes",
    "oauth_tokens",
    "pins",
    "policy_versions",
    "poll_options",
    "poll_votes",
    "polls",
    "post_fingerprint_bands",
    "post_fingerprints",
    "post_mentions",
    "post_tags",
    "post_versions",
    "posts",
    "review_draws",
    "rule_review_draws",
    "rule_reviews",
    "rule_versions",
    "scheduled_posts",
    "second_reviews",
    "tags",
    "transparency_reports",
    "web_sessions",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on SQLite (which stores no zone) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a naive datetime; pass an aware UTC one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_Id = BigInteger
_When = UtcDateTime()


def _account_ref(name: str, *, nullable: bool = False) -> Column[int]:
    return Column(name, _Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=nullable)


accounts = Table(
    "accounts",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("username", String(30), nullable=False),
    # Handles are unique regardless of case; the case the user chose is kept for display.
    Column("username_key", String(30), nullable=False, unique=True),
    Column("email", String(254), nullable=True, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("display_name", String(100), nullable=False, server_default=""),
    Column("bio", Text, nullable=False, server_default=""),
    # The bio as HTML, rendered when it changes; NULL for one written before it was kept.
    Column("bio_html", Text, nullable=True),
    Column("role", String(16), nullable=False, server_default="member"),
    Column("locale", String(8), nullable=True),
    Column("created_at", _When, nullable=False),
    Column("last_status_at", _When, nullable=True),
    Column("statuses_count", Integer, nullable=False, server_default="0"),
    Column("followers_count", Integer, nullable=False, server_default="0"),
    Column("following_count", Integer, nullable=False, server_default="0"),
    Column("search_text", Text, nullable=False, server_default=""),
    # The handle's TR39 skeleton (microblog `handle_skeleton`): no two handles look alike.
    # NULL only for an account that already looked like an older one when this was added.
    Column("username_skeleton", String(120), nullable=True),
    # Whether the account approves each follower (Mastodon's locked accounts).
    Column("locked", Boolean, nullable=False, server_default=text("false")),
    CheckConstraint("role IN ('member', 'moderator', 'admin')", name="role"),
    Index("ix_accounts_username_skeleton", "username_skeleton", unique=True),
)

posts = Table(
    "posts",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    _account_ref("account_id"),
    Column("text", Text, nullable=False, server_default=""),
    Column("content_html", Text, nullable=False, server_default=""),
    Column("spoiler_text", Text, nullable=False, server_default=""),
    Column("sensitive", Boolean, nullable=False, server_default=text("false")),
    Column("language", String(8), nullable=True),
    Column("visibility", String(10), nullable=False, server_default="public"),
    # No foreign key: a reply keeps pointing at its parent's id after the parent is deleted.
    Column("in_reply_to_id", _Id, nullable=True),
    Column("in_reply_to_account_id", _Id, nullable=True),
    # A repost disappears with the post it reposts; a quote keeps its own text.
    Column("reblog_of_id", _Id, ForeignKey("posts.id", ondelete="CASCADE"), nullable=True),
    Column("quote_of_id", _Id, nullable=True),
    Column("created_at", _When, nullable=False),
    Column("replies_count", Integer, nullable=False, server_default="0"),
    Column("reblogs_count", Integer, nullable=False, server_default="0"),
    Column("favourites_count", Integer, nullable=False, server_default="0"),
    Column("search_text", Text, nullable=False, server_default=""),
    Column("edited_at", _When, nullable=True),  # the current version's time, once edited
    # Whether the post asks a question (`polls`): pages without one read no poll tables.
    Column("has_poll", Boolean, nullable=False, server_default=text("false")),
    # A direct post's conversation: the id of the post its thread began with (NULL for
    # posts that are not direct). GET /api/v1/conversations groups by it.
    Column("conversation_id", _Id, nullable=True),
    CheckConstraint("visibility IN ('public', 'unlisted', 'private', 'direct')", name="visibility"),
    Index("ix_posts_account_id_id", "account_id", "id"),
    Index("ix_posts_in_reply_to_id", "in_reply_to_id"),
    Index("ix_posts_conversation_id", "conversation_id"),
    Index("ix_posts_reblog_of_id", "reblog_of_id"),
    # The public timeline reads this backwards, without sorting (migration 0002).
    Index("ix_posts_visibility_reblog_of_id_id", "visibility", "reblog_of_id", "id"),
    Index(
        "uq_posts_account_id_reblog_of_id",
        "account_id",
        "reblog_of_id",
        unique=True,
        sqlite_where=text("reblog_of_id IS NOT NULL"),
        postgresql_where=text("reblog_of_id IS NOT NULL"),
    ),
)

# The versions a post had before its edits, oldest first: what it said from `created_at`
# until the next version (the post's own row holds the current one). Kept and shown, as
# Mastodon does, so an edit cannot quietly rewrite what people answered or what a
# moderation decision was about.
post_versions = Table(
    "post_versions",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("post_id", _Id, ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    Column("text", Text, nullable=False),
    Column("content_html", Text, nullable=False),
    Column("spoiler_text", Text, nullable=False),
    Column("sensitive", Boolean, nullable=False),
    Column("language", String(8), nullable=True),
    Column("created_at", _When, nullable=False),
    Index("ix_post_versions_post_id_id", "post_id", "id"),
)

tags = Table(
    "tags",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("name", String(100), nullable=False, unique=True),
    Column("search_text", String(100), nullable=False),
    Index("ix_tags_search_text", "search_text"),
)

post_tags = Table(
    "post_tags",
    metadata,
    Column("post_id", _Id, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", _Id, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_post_tags_tag_id_post_id", "tag_id", "post_id"),
)

post_mentions = Table(
    "post_mentions",
    metadata,
    Column("post_id", _Id, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("account_id", _Id, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_post_mentions_account_id", "account_id"),
)

# Fingerprints of post texts (microblog `fingerprints`): the MinHash signature of each post
# with text, and its LSH band buckets, so that moderation finds a post's copies by an indexed
# lookup of (band, bucket). Written with the post; derived data, rebuilt by the backfill.
post_fingerprints = Table(
    "post_fingerprints",
    metadata,
    Column("post_id", _Id, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("signature", LargeBinary, nullable=False),  # uint32 little-endian values
)

post_fingerprint_bands = Table(
    "post_fingerprint_bands",
    metadata,
    Column("band", SmallInteger, primary_key=True, autoincrement=False),
    Column("bucket", BigInteger, primary_key=True, autoincrement=False),
    Column("post_id", _Id, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_post_fingerprint_bands_post_id", "post_id"),
)


# Images uploaded by an account: unattached (`post_id` null, seen by the uploader only) until
# a post of theirs takes them, in `position` order. The files are in the media store under
# `<id>/original` and `<id>/small`; `phash` is the image's 64-bit perceptual hash (as a signed
# 64-bit integer), whose 16-bit bands `media_hash_bands` indexes to find copies.
media_attachments = Table(
    "media_attachments",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    _account_ref("account_id"),
    Column("post_id", _Id, ForeignKey("posts.id", ondelete="CASCADE"), nullable=True),
    Column("position", SmallInteger, nullable=True),
    Column("description", Text, nullable=False, server_default=""),
    # The focal point in thousandths, -1000..1000 each way (whole numbers: exact on both
    # databases, and finer than any client sets it).
    Column("focus_x", SmallInteger, nullable=False, server_default="0"),
    Column("focus_y", SmallInteger, nullable=False, server_default="0"),
    Column("content_type", String(40), nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("size", Integer, nullable=False),
    Column("small_content_type", String(40), nullable=False),
    Column("small_width", Integer, nullable=False),
    Column("small_height", Integer, nullable=False),
    Column("small_size", Integer, nullable=False),
    Column("blurhash", String(100), nullable=False),
    Column("phash", BigInteger, nullable=False),
    Column("created_at", _When, nullable=False),
    Index("ix_media_attachments_post_id", "post_id"),
    Index("ix_media_attachments_account_id", "account_id"),
)

media_hash_bands = Table(
    "media_hash_bands",
    metadata,
    Column("band", SmallInteger, primary_key=True, autoincrement=False),
    Column("bucket", Integer, primary_key=True, autoincrement=False),
    Column(
        "media_id",
        _Id,
        ForeignKey("media_attachments.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Index("ix_media_hash_bands_media_id", "media_id"),
)


def _saved_posts(name: str) -> Table:
    """Posts an account saved, one row each, with an id of its own to page by."""
    return Table(
        name,
        metadata,
        Column("id", _Id, primary_key=True, autoincrement=False),
        _account_ref("account_id"),
        Column("post_id", _Id, ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
        Column("created_at", _When, nullable=False),
        UniqueConstraint("account_id", "post_id"),
        Index(f"ix_{name}_post_id", "post_id"),
    )


favourites = _saved_posts("favourites")
# Posts an account keeps for later, seen by that account alone (Mastodon's bookmarks).
bookmarks = _saved_posts("bookmarks")
# Posts written now to be published later (Mastodon's scheduled statuses): the draft as
# JSON, published by the server's background task once `scheduled_at` has passed.
scheduled_posts = Table(
    "scheduled_posts",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    _account_ref("account_id"),
    Column("scheduled_at", _When, nullable=False),
    Column("draft", Text, nullable=False),
    Column("created_at", _When, nullable=False),
    Index("ix_scheduled_posts_scheduled_at", "scheduled_at"),
    Index("ix_scheduled_posts_account_id_id", "account_id", "id"),
)

# A post's poll (Mastodon's polls; its id is the post's), its options in order, and the
# votes: one row per voter and option chosen. The counts are kept with the votes.
polls = Table(
    "polls",
    metadata,
    Column("post_id", _Id, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("expires_at", _When, nullable=False),
    Column("multiple", Boolean, nullable=False),
    Column("hide_totals", Boolean, nullable=False),
    Column("voters_count", Integer, nullable=False, server_default="0"),
)
poll_options = Table(
    "poll_options",
    metadata,
    Column("post_id", _Id, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("position", SmallInteger, primary_key=True, autoincrement=False),
    Column("title", String(200), nullable=False),
    Column("votes_count", Integer, nullable=False, server_default="0"),
)
poll_votes = Table(
    "poll_votes",
    metadata,
    Column("post_id", _Id, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("account_id", _Id, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("position", SmallInteger, primary_key=True, autoincrement=False),
    Column("created_at", _When, nullable=False),
)

# Posts an account shows at the top of its profile (its own, at most five: Mastodon's pins).
pins = _saved_posts("pins")

# An account's lists of accounts it follows, each with a timeline of their posts (Mastodon's
# lists). `replies_policy`: which replies by members the timeline shows — to members of the
# list ("list"), to anyone the owner follows ("followed"), or none ("none").
lists = Table(
    "lists",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    _account_ref("account_id"),
    Column("title", String(200), nullable=False),
    Column("replies_policy", String(10), nullable=False),
    Column("created_at", _When, nullable=False),
    Index("ix_lists_account_id", "account_id"),
)

list_accounts = Table(
    "list_accounts",
    metadata,
    Column("list_id", _Id, ForeignKey("lists.id", ondelete="CASCADE"), primary_key=True),
    Column("account_id", _Id, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("created_at", _When, nullable=False),
    Index("ix_list_accounts_account_id", "account_id"),
)

# The `Idempotency-Key` of each post an account made with one (SHA-256 hex), so that a
# client retrying a post it could not see succeed gets the same post, not a second one.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("account_id", _Id, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("key", String(64), primary_key=True),
    Column("post_id", _Id, ForeignKey("posts.id", ondelete="CASCADE"), nullable=True),
    Column("created_at", _When, nullable=False),
    Index("ix_idempotency_keys_post_id", "post_id"),
)

# An account's own filters (Mastodon's filters v2): statuses matching one of a filter's
# keywords are shown with a warning, or hidden, in the filter's contexts (comma-separated:
# home, notifications, public, thread, account), until `expires_at` if it has one. They
# change what that account alone sees, at its own request: not moderation.
filters = Table(
    "filters",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    _account_ref("account_id"),
    Column("title", String(200), nullable=False),
    Column("contexts", String(100), nullable=False),
    Column("action", String(10), nullable=False),
    Column("expires_at", _When, nullable=True),
    Column("created_at", _When, nullable=False),
    Index("ix_filters_account_id", "account_id"),
)

filter_keywords = Table(
    "filter_keywords",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("filter_id", _Id, ForeignKey("filters.id", ondelete="CASCADE"), nullable=False),
    Column("keyword", String(200), nullable=False),
    Column("whole_word", Boolean, nullable=False),
    Index("ix_filter_keywords_filter_id", "filter_id"),
)

# Where an account stopped reading a timeline (`home`, `notifications`), so that its apps
# open there on every device (Mastodon's markers); `version` counts the saves.
markers = Table(
    "markers",
    metadata,
    Column("account_id", _Id, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("timeline", String(20), primary_key=True),
    Column("last_read_id", _Id, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", _When, nullable=False),
)


def _relation(name: str) -> Table:
    """A directed relation between two accounts (follow, block, mute). `id` orders the
    lists of them, newest first, and is what those lists page by (migration 0035)."""
    return Table(
        name,
        metadata,
        Column("account_id", _Id, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
        Column("target_id", _Id, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
        Column("created_at", _When, nullable=False),
        Column("id", _Id, nullable=False),
        CheckConstraint("account_id <> target_id", name="not_self"),
        Index(f"ix_{name}_target_id_id", "target_id", "id"),
        Index(f"ix_{name}_account_id_id", "account_id", "id"),
    )


follows = _relation("follows")
blocks = _relation("blocks")
mutes = _relation("mutes")

# Asking to follow a locked account: pending until it approves (a follow) or refuses (gone).
# The id orders the requests an account reads, newest first.
follow_requests = Table(
    "follow_requests",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    _account_ref("account_id"),
    _account_ref("target_id"),
    Column("created_at", _When, nullable=False),
    UniqueConstraint("account_id", "target_id"),
    CheckConstraint("account_id <> target_id", name="not_self"),
    Index("ix_follow_requests_target_id_id", "target_id", "id"),
)

# The materialised home feed (microblog/_home_feed.py): each reader's home candidates, newest
# kept, and how far down the feed is complete (it holds every candidate above `floor`).
home_feeds = Table(
    "home_feeds",
    metadata,
    Column("account_id", _Id, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("post_id", _Id, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_home_feeds_post_id", "post_id"),
)

# Which store kept the feeds last (one row): feeds in a store that was not kept up while the
# other served are stale, so a change of store empties both (microblog `claim_feeds`).
home_feed_store = Table(
    "home_feed_store",
    metadata,
    Column("name", String(16), primary_key=True),  # "feeds"
    Column("store", String(200), nullable=False),
)

home_feed_states = Table(
    "home_feed_states",
    metadata,
    Column("account_id", _Id, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("floor", _Id, nullable=False),
    Column("length", Integer, nullable=False),
)

notifications = Table(
    "notifications",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    _account_ref("account_id"),
    Column("type", String(20), nullable=False),
    _account_ref("from_account_id"),
    Column("post_id", _Id, ForeignKey("posts.id", ondelete="CASCADE"), nullable=True),
    Column("created_at", _When, nullable=False),
    # The moderation decision a notification is about (its notice); no foreign key, since
    # the microblog's tables do not depend on moderation's (migration 0013).
    Column("action_id", _Id, nullable=True),
    Index("ix_notifications_account_id_id", "account_id", "id"),
)

oauth_apps = Table(
    "oauth_apps",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("client_id", String(64), nullable=False, unique=True),
    Column("client_secret", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("website", String(500), nullable=True),
    Column("redirect_uris", Text, nullable=False),
    Column("scopes", String(500), nullable=False),
    Column("created_at", _When, nullable=False),
)

oauth_tokens = Table(
    "oauth_tokens",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    # Only a SHA-256 of the bearer token is stored: a database leak does not leak sessions.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("app_id", _Id, ForeignKey("oauth_apps.id", ondelete="CASCADE"), nullable=True),
    _account_ref("account_id", nullable=True),
    Column("scopes", String(500), nullable=False),
    Column("created_at", _When, nullable=False),
    Column("revoked_at", _When, nullable=True),
)

oauth_codes = Table(
    "oauth_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("app_id", _Id, ForeignKey("oauth_apps.id", ondelete="CASCADE"), nullable=False),
    _account_ref("account_id"),
    Column("redirect_uri", Text, nullable=False),
    Column("scopes", String(500), nullable=False),
    Column("expires_at", _When, nullable=False),
)

# Signed-in sessions of the web pages. The cookie carries a random token; only its SHA-256 is
# stored, and deleting the row ends the session in every worker at once.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    _account_ref("account_id"),
    Column("created_at", _When, nullable=False),
    Column("last_seen_at", _When, nullable=False),
    Column("expires_at", _When, nullable=False),
    Index("ix_web_sessions_account_id", "account_id"),
    Index("ix_web_sessions_expires_at", "expires_at"),
)


# The ledger (townsquare.ledger): a C2SP tiled transparency log kept in the database.
# `append` writes `ledger_pending` inside the caller's transaction; the sequencer moves
# pending rows into `ledger_entries`, grows `ledger_tiles` and signs a `ledger_checkpoints` row,
# all in one transaction. Everything but `ledger_pending` only ever grows.

ledger_pending = Table(
    "ledger_pending",
    metadata,
    # Allocated by the database, so appenders in several processes never collide.
    Column(
        "id",
        BigInteger().with_variant(Integer(), "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    Column("entry", LargeBinary, nullable=False),
    Column("created_at", _When, nullable=False),
)

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("idx", BigInteger, primary_key=True, autoincrement=False),  # the tree index
    Column("entry", LargeBinary, nullable=False),
    Column("leaf_hash", LargeBinary(32), nullable=False),
    Column("integrated_at", _When, nullable=False),
    # A post's "why?" receipt finds its decisions' entries by leaf hash (migration 0005).
    Index("ix_ledger_entries_leaf_hash", "leaf_hash"),
)

ledger_tiles = Table(
    "ledger_tiles",
    metadata,
    # The newest version of each hash tile; a narrower (older) tile is a prefix of `data`.
    Column("level", Integer, primary_key=True, autoincrement=False),
    Column("idx", BigInteger, primary_key=True, autoincrement=False),
    Column("data", LargeBinary, nullable=False),
)

ledger_checkpoints = Table(
    "ledger_checkpoints",
    metadata,
    Column("size", BigInteger, primary_key=True, autoincrement=False),
    Column("root_hash", LargeBinary(32), nullable=False),
    Column("note", Text, nullable=False),  # the log-signed note, without cosignatures
    Column("signed_at", _When, nullable=False),
)

ledger_cosignatures = Table(
    "ledger_cosignatures",
    metadata,
    Column(
        "size",
        BigInteger,
        ForeignKey("ledger_checkpoints.size", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("witness", String(200), primary_key=True),  # the witness key name
    Column("key_id", BigInteger, primary_key=True, autoincrement=False),
    Column("line", Text, nullable=False),  # the signature line, "— <name> <base64>\n"
    Column("cosigned_at", _When, nullable=False),
)


# Moderation (townsquare.moderation). `enforce` alone writes these, in the transaction that
# appends the decision's ledger entry. `moderation_restrictions` is the visibility projection:
# the restrictions in force, rebuilt from the ledger by `townsquare moderation replay`. It has
# no foreign keys to posts or accounts: deleting content leaves its ledger entries valid, and
# the projection must still equal their replay.

moderation_actions = Table(
    "moderation_actions",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("kind", String(20), nullable=False),
    Column("target_kind", String(10), nullable=False),
    Column("post_id", _Id, nullable=True),
    Column("account_id", _Id, nullable=True),  # the account affected (a post's author)
    Column("url", String(2000), nullable=True),
    Column("actor_id", _Id, nullable=False),
    Column("clause", String(200), nullable=False),
    Column("case_id", _Id, nullable=True),
    Column("restores_id", _Id, nullable=True),
    Column("created_at", _When, nullable=False),
    Column("ends_at", _When, nullable=True),
    Column("entry", LargeBinary, nullable=False),  # the statement of reasons, as logged
    Column("leaf_hash", LargeBinary(32), nullable=False),
    # The action this one applied to a copy of its post (the entry's `copy_of`), or NULL.
    Column("copy_of_id", _Id, nullable=True),
    CheckConstraint("target_kind IN ('post', 'account', 'url')", name="target_kind"),
    Index("ix_moderation_actions_post_id", "post_id"),
    Index("ix_moderation_actions_copy_of_id", "copy_of_id"),
    Index("ix_moderation_actions_account_id", "account_id"),
)

moderation_restrictions = Table(
    "moderation_restrictions",
    metadata,
    Column(
        "action_id",
        _Id,
        ForeignKey("moderation_actions.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("kind", String(20), nullable=False),
    Column("post_id", _Id, nullable=True),
    Column("account_id", _Id, nullable=True),
    Column("url", String(2000), nullable=True),
    Column("surfaces", String(200), nullable=False, server_default=""),  # comma-separated
    Column("territories", String(800), nullable=False, server_default=""),  # comma-separated
    Column("label", Text, nullable=True),
    Column("content_warning", Text, nullable=True),
    Column("clause", String(200), nullable=False),
    Column("clause_title", String(300), nullable=False),
    Column("ends_at", _When, nullable=True),
    Index("ix_moderation_restrictions_post_id", "post_id"),
    Index("ix_moderation_restrictions_account_id", "account_id"),
    Index("ix_moderation_restrictions_url", "url"),
)

moderation_notices = Table(
    "moderation_notices",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    _account_ref("account_id"),  # who is told: the author (reporters later, issue 4)
    Column(
        "action_id",
        _Id,
        ForeignKey("moderation_actions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("created_at", _When, nullable=False),
    Column("read_at", _When, nullable=True),
    Index("ix_moderation_notices_account_id_id", "account_id", "id"),
)


# Policies (townsquare.moderation): each clause version recorded in the ledger, once. The hash
# guards the rule that a recorded version never changes: new text needs a new version.

policy_versions = Table(
    "policy_versions",
    metadata,
    Column("clause_id", String(200), primary_key=True),  # "civic-integrity/3"
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("content_hash", String(64), nullable=False),  # sha256 hex of the canonical clause
    Column("recorded_at", _When, nullable=False),
)


# Automated rules (townsquare.moderation.rules): each rule version recorded in the ledger, once;
# as for clauses, the hash guards that a recorded version never changes.

rule_versions = Table(
    "rule_versions",
    metadata,
    Column("rule_id", String(200), primary_key=True),  # "link-spam"
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("content_hash", String(64), nullable=False),  # sha256 hex of the canonical rule
    Column("recorded_at", _When, nullable=False),
)

# The rules' outbox: the write path's own transaction adds one row per event (a post
# published, an account created, a report filed); the rule runner processes it later,
# numbering each processed event (`processed_seq`) under the one `rule_runner` row's lock.
rule_events = Table(
    "rule_events",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("kind", String(32), nullable=False),  # "post_created", "account_created", …
    Column("subject_id", _Id, nullable=False),  # the post, account or report
    Column("at", _When, nullable=False),
    Column("processed_seq", _Id, nullable=True),  # NULL while waiting
    Index("ix_rule_events_processed_seq", "processed_seq"),
    Index("ix_rule_events_at", "at"),
)

# The runner's one row: how many events were processed, and the system account automated
# decisions are taken under (created once, on the first run).
rule_runner = Table(
    "rule_runner",
    metadata,
    Column("name", String(32), primary_key=True),  # "rules"
    Column("processed_seq", _Id, nullable=False),
    Column("account_id", _Id, ForeignKey("accounts.id"), nullable=True),
)

# Each detection, as its `rule.detection` ledger entry says (the case page reads them).
rule_detections = Table(
    "rule_detections",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("rule_id", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("kind", String(32), nullable=False),  # what the rule matches: "report_storm", …
    Column("target_kind", String(16), nullable=False),  # "post" | "account"
    Column("target_id", _Id, nullable=False),
    Column("account_id", _Id, nullable=False),  # whom it concerns
    Column("outcome", String(32), nullable=False),
    Column("case_id", _Id, nullable=True),
    Column("opened_case", Boolean, nullable=False),  # it opened the case (did not join it)
    Column("action_id", _Id, nullable=True),
    Column("facts", Text, nullable=False),
    Column("detected_at", _When, nullable=False),
    Index("ix_rule_detections_case_id", "case_id"),
)

# Rule versions that raised: not run again until an administrator releases them.
rule_quarantines = Table(
    "rule_quarantines",
    metadata,
    Column("rule_id", String(200), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("error", Text, nullable=False),  # the exception, for administrators
    Column("event_id", _Id, nullable=False),  # the event it raised on
    Column("quarantined_at", _When, nullable=False),
)

# The blind review of rule detections (docs/design/automated-rules.md, "Precision"): each draw
# with the checkpoint it was seeded by and the leaf hash of its `rule.review_draw` entry, and
# one review per drawn detection, with what the detection entry said (so the queue needs no
# ledger read) and the verdict once given. A detection is drawn once: its id is unique.

rule_review_draws = Table(
    "rule_review_draws",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("drawn_at", _When, nullable=False),
    Column("tree_size", BigInteger, nullable=False),
    Column("root_hash", LargeBinary(32), nullable=False),
    Column("leaf_hash", LargeBinary(32), nullable=False),
)

rule_reviews = Table(
    "rule_reviews",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("draw_id", _Id, ForeignKey("rule_review_draws.id", ondelete="CASCADE"), nullable=False),
    Column("detection_id", _Id, nullable=False, unique=True),
    Column("detection_index", BigInteger, nullable=False),  # its `rule.detection` entry's index
    Column("rule", String(220), nullable=False),  # "link-spam@1"
    Column("target_kind", String(10), nullable=False),
    Column("target_id", _Id, nullable=False),
    Column("account_id", _Id, nullable=False),
    Column("case_id", _Id, nullable=True),
    Column("action_id", _Id, nullable=True),
    Column("detected_at", _When, nullable=False),
    Column("reviewer_id", _Id, nullable=True),
    Column("taken_at", _When, nullable=True),
    Column("verdict", String(20), nullable=True),
    Column("reviewed_at", _When, nullable=True),
)


# Reports and cases (townsquare.moderation, issue 4): reports on one item join its open case.
# `open_key` ("post:<id>" / "account:<id>") is set while the case is open or in review and
# cleared when it is decided; being unique, it makes "one open case per item" a constraint.

moderation_cases = Table(
    "moderation_cases",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("target_kind", String(10), nullable=False),
    Column("post_id", _Id, nullable=True),
    _account_ref("account_id"),  # the author of the post, or the account reported
    Column("open_key", String(40), nullable=True, unique=True),
    Column("state", String(20), nullable=False),
    Column("clause", String(200), nullable=True),  # the first clause a reporter cited
    Column("severity", Integer, nullable=False),
    Column("opened_at", _When, nullable=False),
    Column("reviewer_id", _Id, nullable=True),
    Column("action_id", _Id, nullable=True),
    Column("outcome", String(20), nullable=True),  # the action kind, "no_action" included
    Column("decided_at", _When, nullable=True),
    CheckConstraint("target_kind IN ('post', 'account')", name="target_kind"),
    CheckConstraint(
        "state IN ('open', 'in_review', 'awaiting_approval', 'decided', 'closed')", name="state"
    ),
    Index("ix_moderation_cases_state", "state"),
)

moderation_reports = Table(
    "moderation_reports",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("case_id", _Id, ForeignKey("moderation_cases.id", ondelete="CASCADE"), nullable=False),
    _account_ref("reporter_id"),  # never published, never in the ledger
    Column("category", String(20), nullable=False),
    Column("clause", String(200), nullable=True),
    Column("comment", Text, nullable=False, server_default=""),
    Column("created_at", _When, nullable=False),
    Index("ix_moderation_reports_case_id", "case_id"),
)

moderation_case_comments = Table(
    "moderation_case_comments",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("case_id", _Id, ForeignKey("moderation_cases.id", ondelete="CASCADE"), nullable=False),
    _account_ref("moderator_id"),
    Column("body", Text, nullable=False),
    Column("created_at", _When, nullable=False),
    # "comment", or "reveal": a moderator lifted blind review, `body` saying why.
    Column("kind", String(10), nullable=False, server_default="comment"),
    Index("ix_moderation_case_comments_case_id", "case_id"),
)


# Appeals (townsquare.moderation, DSA Art. 20): one row per appeal of one decision, stepped
# filed → assigned → upheld | reversed; the outcome is also a `moderation.appeal` ledger entry.

moderation_appeals = Table(
    "moderation_appeals",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column(
        "action_id", _Id, ForeignKey("moderation_actions.id", ondelete="CASCADE"), nullable=False
    ),
    _account_ref("appellant_id"),  # never shown to the reviewer, never in the ledger
    Column("appellant_role", String(10), nullable=False),  # author | reporter
    Column("reason", Text, nullable=False),
    Column("state", String(10), nullable=False),
    Column("filed_at", _When, nullable=False),
    Column("reviewer_id", _Id, nullable=True),
    Column("assigned_at", _When, nullable=True),
    Column("outcome_reasons", Text, nullable=True),
    Column("decided_at", _When, nullable=True),
    Column("restore_action_id", _Id, nullable=True),  # the RESTORE a reversal enforced
    CheckConstraint("state IN ('filed', 'assigned', 'upheld', 'reversed')", name="state"),
    Index("ix_moderation_appeals_action_id", "action_id"),
    # One appeal per person per decision, as a constraint: appeals filed at once cannot
    # all pass a read-then-insert check (migration 0010).
    UniqueConstraint("action_id", "appellant_id"),
)


# Election windows and the two-person rule (townsquare.moderation, DESIGN.md promise 5): a
# window is declared once, in the ledger too, and never edited; during it, an action on
# election-related content is a proposal until a second moderator approves it.

election_windows = Table(
    "election_windows",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("starts_at", _When, nullable=False),
    Column("ends_at", _When, nullable=False),
    Column("territories", String(800), nullable=False),  # comma-separated ISO 3166 codes
    Column("hashtags", String(2000), nullable=False, server_default=""),  # comma-separated
    Column("declared_at", _When, nullable=False),
    _account_ref("declared_by", nullable=True),  # None: the operator, from the command line
    Index("ix_election_windows_ends_at", "ends_at"),
)

moderation_proposals = Table(
    "moderation_proposals",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("case_id", _Id, ForeignKey("moderation_cases.id", ondelete="CASCADE"), nullable=True),
    _account_ref("proposer_id"),
    Column("decision", Text, nullable=False),  # the proposed decision, as canonical JSON
    Column("window_id", _Id, ForeignKey("election_windows.id"), nullable=True),
    Column("state", String(10), nullable=False),
    Column("created_at", _When, nullable=False),
    Column("decided_by", _Id, nullable=True),  # the second moderator (or the proposer, withdrawing)
    Column("decided_at", _When, nullable=True),
    Column("reason", Text, nullable=True),  # why it was rejected or withdrawn
    Column("action_id", _Id, nullable=True),  # the action `enforce` took once approved
    CheckConstraint("state IN ('proposed', 'approved', 'rejected', 'withdrawn')", name="state"),
    Index("ix_moderation_proposals_case_id", "case_id"),
)


# Outside requests (townsquare.moderation, DESIGN.md promise 4): who asked, on what basis, for
# what, about which items; each item joins that item's case. Logged at intake and at the
# answer; a sealed request's entries carry only a commitment until `release_at`.

external_requests = Table(
    "external_requests",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("requester_kind", String(20), nullable=False),
    Column("requester", String(200), nullable=False),
    Column("country", String(2), nullable=True),
    Column("legal_basis", String(500), nullable=False),
    Column("ground", String(40), nullable=False),
    Column("requested_action", String(20), nullable=False),
    Column("summary", Text, nullable=False),
    Column("release_at", _When, nullable=True),  # sealed until then
    Column("received_at", _When, nullable=False),
    _account_ref("logged_by", nullable=True),  # None: the operator, from the command line
    Column("nonce", String(32), nullable=False),
    Column("commitment", String(64), nullable=False),
    Column("state", String(10), nullable=False),
    Column("outcome", String(20), nullable=True),
    Column("reasons", Text, nullable=True),
    Column("answered_at", _When, nullable=True),
    Column("answered_by", _Id, nullable=True),
    # The leaf hashes of its two entries, so a post's "why?" receipt can find them.
    Column("intake_leaf_hash", LargeBinary(32), nullable=False),
    Column("answer_leaf_hash", LargeBinary(32), nullable=True),
    CheckConstraint("state IN ('received', 'answered', 'withdrawn')", name="state"),
)

external_request_items = Table(
    "external_request_items",
    metadata,
    Column(
        "request_id",
        _Id,
        ForeignKey("external_requests.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("target_kind", String(10), nullable=False),
    Column("post_id", _Id, nullable=True),
    Column("account_id", _Id, nullable=True),  # the account named (account items only)
    Column("case_id", _Id, ForeignKey("moderation_cases.id", ondelete="CASCADE"), nullable=False),
    Column("action_id", _Id, nullable=True),  # what the case decided, set at the answer
    CheckConstraint("target_kind IN ('post', 'account')", name="target_kind"),
    Index("ix_external_request_items_case_id", "case_id"),
    Index("ix_external_request_items_post_id", "post_id"),
)


# Id worker leases (townsquare.kernel ids, docs/design/ids.md): each running process holds one
# worker number, so two processes never mint the same snowflake. A row is claimed by an
# insert (or, once expired, by an update guarded on its holder), renewed while the process
# runs, and given up at shutdown; a crashed holder's row simply expires.

id_workers = Table(
    "id_workers",
    metadata,
    Column("worker", Integer, primary_key=True, autoincrement=False),
    Column("holder", String(64), nullable=False),  # a random token, one per process
    Column("claimed_at", _When, nullable=False),
    Column("expires_at", _When, nullable=False),
)


# Community notes (townsquare.notes): notes members write on posts, their ratings, and requests
# for a note. Values are spelled as in the public Community Notes TSV layouts, so an export
# is a projection: classification MISINFORMED_OR_POTENTIALLY_MISLEADING | NOT_MISLEADING,
# a rating's level HELPFUL | SOMEWHAT_HELPFUL | NOT_HELPFUL, reasons and tags by their column
# names (misleadingFactualError, helpfulGoodSources, notHelpfulIncorrect, ...).

community_notes = Table(
    "community_notes",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("post_id", _Id, ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    _account_ref("author_id"),
    Column("created_at", _When, nullable=False),
    Column("classification", String(40), nullable=False),
    Column("believable", String(30), nullable=True),  # BELIEVABLE_BY_FEW | BELIEVABLE_BY_MANY
    Column("harmful", String(30), nullable=True),  # LITTLE_HARM | CONSIDERABLE_HARM
    Column("validation_difficulty", String(30), nullable=True),  # EASY | CHALLENGING
    Column("reasons", String(600), nullable=False, server_default=""),  # comma-separated
    Column("trustworthy_sources", Boolean, nullable=False),
    Column("text", Text, nullable=False),
    Column("sources", Text, nullable=False),  # the source links, one per line
    CheckConstraint(
        "classification IN ('MISINFORMED_OR_POTENTIALLY_MISLEADING', 'NOT_MISLEADING')",
        name="classification",
    ),
    UniqueConstraint("post_id", "author_id"),  # one note per author per post (0015)
    Index("ix_community_notes_post_id", "post_id"),
    Index("ix_community_notes_author_id", "author_id"),
)

note_ratings = Table(
    "note_ratings",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("note_id", _Id, ForeignKey("community_notes.id", ondelete="CASCADE"), nullable=False),
    _account_ref("rater_id"),
    Column("created_at", _When, nullable=False),
    Column("level", String(20), nullable=False),
    Column("tags", String(1000), nullable=False, server_default=""),  # comma-separated
    CheckConstraint("level IN ('HELPFUL', 'SOMEWHAT_HELPFUL', 'NOT_HELPFUL')", name="level"),
    UniqueConstraint("note_id", "rater_id"),
    Index("ix_note_ratings_rater_id", "rater_id"),
)

note_requests = Table(
    "note_requests",
    metadata,
    Column(
        "post_id",
        _Id,
        ForeignKey("posts.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column(
        "requester_id",
        _Id,
        ForeignKey("accounts.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("created_at", _When, nullable=False),
)

# Scoring runs: what each run of the scorer read (the fingerprint of the exported rating
# snapshot), what it proposed per note, and whether its changes were applied or held by the
# drift guard. state: running | applied | held | released | discarded | failed.

note_scoring_runs = Table(
    "note_scoring_runs",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("started_at", _When, nullable=False),
    Column("finished_at", _When, nullable=True),
    Column("state", String(20), nullable=False),
    Column("scorer_version", String(40), nullable=False),
    Column("fingerprint", String(64), nullable=False, server_default=""),
    Column("notes_scored", Integer, nullable=False, server_default="0"),
    Column("changes", Integer, nullable=False, server_default="0"),
    Column("held_reason", Text, nullable=True),
    Column("reviewed_by", _Id, nullable=True),
    Column("reviewed_at", _When, nullable=True),
)

note_run_scores = Table(
    "note_run_scores",
    metadata,
    Column(
        "run_id",
        _Id,
        ForeignKey("note_scoring_runs.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("note_id", _Id, primary_key=True, autoincrement=False),
    Column("status", String(30), nullable=False),
    Column("rule", Text, nullable=False),
    Column("intercept", Float, nullable=True),
    Column("factor", Float, nullable=True),
    Column("num_ratings", Integer, nullable=False),
    Index("ix_note_run_scores_note_id", "note_id"),
)

note_rater_scores = Table(
    "note_rater_scores",
    metadata,
    Column(
        "rater_id",
        _Id,
        ForeignKey("accounts.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("run_id", _Id, nullable=False),
    Column("intercept", Float, nullable=True),
    Column("factor", Float, nullable=True),
    Column("above_threshold", Boolean, nullable=False),
)

# The shown-notes projection: each scored note's current status, written only by
# `moderation.enforce`'s note-status path from the `notes.status` ledger entries it appends,
# and rebuilt from them by replay. No foreign keys: replay must rebuild it from the ledger
# alone, and deleting a note's post deletes the note, not its history.

note_statuses = Table(
    "note_statuses",
    metadata,
    Column("note_id", _Id, primary_key=True, autoincrement=False),
    Column("post_id", _Id, nullable=False),
    Column("status", String(30), nullable=False),
    Column("intercept", Float, nullable=True),
    Column("factor", Float, nullable=True),
    Column("changed_at", _When, nullable=False),
    Column("leaf_hash", LargeBinary(32), nullable=False),  # the entry that set it
    Index("ix_note_statuses_post_id", "post_id"),
)

# Every status change, one row per `notes.status` entry (found by its leaf hash), written with
# the entry by the same path: a post's "why?" receipt and a note's history page read it.

note_status_changes = Table(
    "note_status_changes",
    metadata,
    Column("leaf_hash", LargeBinary(32), primary_key=True),
    Column("note_id", _Id, nullable=False),
    Column("post_id", _Id, nullable=False),
    Column("run_id", _Id, nullable=False),
    Column("old_status", String(30), nullable=False),
    Column("new_status", String(30), nullable=False),
    Column("intercept", Float, nullable=True),
    Column("factor", Float, nullable=True),
    Column("scorer_version", String(40), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("rules", Text, nullable=False),
    Column("changed_at", _When, nullable=False),
    Index("ix_note_status_changes_note_id", "note_id"),
    Index("ix_note_status_changes_post_id", "post_id"),
)

# Published transparency reports (townsquare.audits, DSA Art. 15/24): the report's JSON exactly
# as hashed, and the leaf hash of the `transparency.report` entry that committed to it. The key
# is the period and the hash, so publishing the same numbers twice logs them once.

transparency_reports = Table(
    "transparency_reports",
    metadata,
    Column("period_start", String(10), primary_key=True),  # YYYY-MM-DD, included
    Column("period_end", String(10), primary_key=True),  # YYYY-MM-DD, excluded
    Column("sha256", String(64), primary_key=True),  # hex, of `report_json`
    Column("report_json", Text, nullable=False),
    Column("published_at", _When, nullable=False),
    Column("leaf_hash", LargeBinary(32), nullable=False),
)

# Blind second reviews (townsquare.moderation, docs/design/second-reviews.md): a draw of decisions
# on posts, seeded by a signed checkpoint and logged as an `audit.review_draw` entry (its leaf
# hash here), and one review per drawn decision. The unique key on `action_id` is what keeps a
# decision from being drawn twice, even by draws run at once.

review_draws = Table(
    "review_draws",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("drawn_at", _When, nullable=False),
    Column("tree_size", BigInteger, nullable=False),  # the seeding checkpoint's size
    Column("root_hash", LargeBinary(32), nullable=False),  # and root hash: the seed
    Column("candidates", Integer, nullable=False),
    Column("leaf_hash", LargeBinary(32), nullable=False),  # of its `audit.review_draw` entry
)

second_reviews = Table(
    "second_reviews",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("draw_id", _Id, ForeignKey("review_draws.id", ondelete="CASCADE"), nullable=False),
    Column(
        "action_id", _Id, ForeignKey("moderation_actions.id", ondelete="CASCADE"), nullable=False
    ),
    Column("decision_index", BigInteger, nullable=False),  # the decision's ledger index
    Column("reviewer_id", _Id, nullable=True),
    Column("taken_at", _When, nullable=True),
    Column("action", String(20), nullable=True),  # the second moderator's answer
    Column("clause", String(200), nullable=True),
    Column("reviewed_at", _When, nullable=True),
    UniqueConstraint("action_id"),
)

# Published impartiality audit runs (townsquare.audits, docs/design/audit.md "Publication"): the
# result JSON exactly as hashed, the dataset zip it was computed from, and the leaf hash of the
# `audit.impartiality` entry committing to both. The key is the result's hash, so publishing
# the same result twice logs it once.

impartiality_audits = Table(
    "impartiality_audits",
    metadata,
    Column("sha256", String(64), primary_key=True),  # hex, of `audit_json`
    Column("audit_json", Text, nullable=False),
    Column("dataset_sha256", String(64), nullable=False),  # hex, of `dataset_zip`
    Column("dataset_zip", LargeBinary, nullable=False),
    Column("alert", Boolean, nullable=False),
    Column("published_at", _When, nullable=False),
    Column("leaf_hash", LargeBinary(32), nullable=False),
    Index("ix_impartiality_audits_published_at", "published_at"),
)
