"""Writing posts: create (with replies, quotes, tags and mentions), delete, repost, like."""

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from townsquare.microblog._access import can_read
from townsquare.microblog._attachments import MediaVariant, attach_media, file_key
from townsquare.microblog._context import Context
from townsquare.microblog._errors import InvalidPostError, NotAllowedError, PostNotFoundError
from townsquare.microblog._models import (
    NotificationType,
    Post,
    PostDraft,
    PostEdit,
    PostVisibility,
)
from townsquare.microblog._notify import record_notification
from townsquare.microblog._polls import check_poll, record_poll
from townsquare.microblog._post_fingerprints import (
    fill_missing_fingerprints,
    fingerprint_text,
    record_fingerprint,
    replace_fingerprint,
)
from townsquare.microblog._post_versions import (
    PostVersion,
    current_version,
    earlier_versions,
    edit_times,
    keep_version,
)
from townsquare.microblog._rows import POST_COLUMNS, post_from_values
from townsquare.microblog._rule_events import RuleEventKind, record_rule_event
from townsquare.microblog._storable import is_storable
from townsquare.microblog._stream_events import StreamEvent, StreamEventKind, announce
from townsquare.microblog._text import (
    MAX_POST_CHARACTERS,
    count_characters,
    normalize_for_search,
    parse_text,
    render_html,
)
from townsquare.storage import (
    Prebuilt,
    insert_ignoring_conflicts,
    member_of,
    prebuilt_insert_ignoring_conflicts,
)
from townsquare.storage.tables import (
    accounts,
    bookmarks,
    favourites,
    idempotency_keys,
    media_attachments,
    post_mentions,
    post_tags,
    posts,
    tags,
)

__all__ = ["IDEMPOTENCY_WINDOW", "Posts", "check_draft", "load_post"]

_LANGUAGE = re.compile(r"[a-z]{2,3}")
# The tags columns' limit. A valid tag can outgrow it once case-folded ('ß' → 'ss') or
# decomposed for search; such a tag stays text rather than failing the whole post.
_MAX_TAG_COLUMN = 100


_POST = Prebuilt(select(*POST_COLUMNS).where(posts.c.id == bindparam("id")))
# The post, its row locked until the transaction ends (PostgreSQL): edits one at a time.
_POST_TO_EDIT = Prebuilt(
    select(*POST_COLUMNS).where(posts.c.id == bindparam("id")).with_for_update()
)
_OWN_REBLOG = Prebuilt(
    select(*POST_COLUMNS).where(
        posts.c.account_id == bindparam("actor"), posts.c.reblog_of_id == bindparam("original")
    )
)
_NEW_POST_COLUMNS = (
    "id",
    "account_id",
    "text",
    "content_html",
    "spoiler_text",
    "sensitive",
    "language",
    "visibility",
    "in_reply_to_id",
    "in_reply_to_account_id",
    "quote_of_id",
    "created_at",
    "search_text",
    "has_poll",
    "conversation_id",
)
_INSERT_POST = Prebuilt(
    insert(posts).values({c: bindparam(c) for c in _NEW_POST_COLUMNS}).returning(*POST_COLUMNS)
)
_INSERT_REBLOG = Prebuilt(
    insert(posts)
    .values(
        {c: bindparam(c) for c in ("id", "account_id", "reblog_of_id", "visibility", "created_at")}
    )
    .returning(*POST_COLUMNS)
)
_LIKE = prebuilt_insert_ignoring_conflicts(
    favourites, ("id", "account_id", "post_id", "created_at"), on=("account_id", "post_id")
)
_BOOKMARK = prebuilt_insert_ignoring_conflicts(
    bookmarks, ("id", "account_id", "post_id", "created_at"), on=("account_id", "post_id")
)
# Mastodon keeps an Idempotency-Key for an hour.
IDEMPOTENCY_WINDOW = timedelta(hours=1)
_KEYED_POST = Prebuilt(
    update(idempotency_keys)
    .where(
        idempotency_keys.c.account_id == bindparam("account_id"),
        idempotency_keys.c.key == bindparam("key"),
    )
    .values(post_id=bindparam("post_id"))
)


def _key_digest(key: str) -> str:
    """What is stored of a client's key: its SHA-256, so any length or text fits."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


_BUMP = {
    column: Prebuilt(
        update(posts)
        .where(posts.c.id == bindparam("id"))
        .values({column: posts.c[column] + bindparam("delta")})
        .returning(*POST_COLUMNS)
    )
    for column in ("replies_count", "reblogs_count", "favourites_count")
}
_BUMP_STATUSES = Prebuilt(
    update(accounts)
    .where(accounts.c.id == bindparam("id"))
    .values(statuses_count=accounts.c.statuses_count + bindparam("delta"))
)
_BUMP_STATUSES_AT = Prebuilt(
    update(accounts)
    .where(accounts.c.id == bindparam("id"))
    .values(
        statuses_count=accounts.c.statuses_count + bindparam("delta"),
        last_status_at=bindparam("at"),
    )
)
_EDITED_COLUMNS = ("text", "content_html", "spoiler_text", "sensitive", "language", "search_text")
_EDIT_POST = Prebuilt(
    update(posts)
    .where(posts.c.id == bindparam("id"))
    .values({c: bindparam(c) for c in (*_EDITED_COLUMNS, "edited_at")})
    .returning(*POST_COLUMNS)
)
_DROP_TAGS = Prebuilt(delete(post_tags).where(post_tags.c.post_id == bindparam("post")))
_DROP_MENTIONS = Prebuilt(delete(post_mentions).where(post_mentions.c.post_id == bindparam("post")))
_MENTIONED_IN = Prebuilt(
    select(post_mentions.c.account_id).where(post_mentions.c.post_id == bindparam("post"))
)
_CONVERSATION = Prebuilt(select(posts.c.conversation_id).where(posts.c.id == bindparam("id")))
_REPOSTERS = Prebuilt(select(posts.c.account_id).where(posts.c.reblog_of_id == bindparam("post")))
_NEW_TAG = prebuilt_insert_ignoring_conflicts(tags, ("id", "name", "search_text"), on=("name",))
_TAG_IDS = Prebuilt(select(tags.c.id).where(member_of(tags.c.name, "names")))
_POST_TAG = Prebuilt(insert(post_tags))
_MENTION = Prebuilt(insert(post_mentions))
_ACCOUNTS_BY_HANDLE = Prebuilt(
    select(accounts.c.username_key, accounts.c.id).where(
        member_of(accounts.c.username_key, "handles")
    )
)


def load_post(conn: Connection, post_id: int) -> Post:
    found = _POST.rows(conn, id=post_id)
    if not found:
        raise PostNotFoundError(f"No post has id {post_id}.")
    return post_from_values(found[0])


def _readable_post(conn: Connection, viewer_id: int | None, post_id: int) -> Post:
    post = load_post(conn, post_id)
    if not can_read(conn, viewer_id, post):
        raise PostNotFoundError(f"No post has id {post_id}.")
    return post


def _readable_original(conn: Connection, viewer_id: int | None, post_id: int) -> Post:
    """The post `post_id` shows: itself, or for a repost the post it reposts."""
    post = _readable_post(conn, viewer_id, post_id)
    if post.reblog_of_id is None:
        return post
    return _readable_post(conn, viewer_id, post.reblog_of_id)


def check_draft(draft: PostDraft) -> PostDraft:
    """The draft as it would be posted (trimmed), or InvalidPostError saying what is wrong."""
    text = draft.text.strip()
    if not text and not draft.media_ids:
        raise InvalidPostError("A post needs some text or an image.")
    if not (is_storable(text) and is_storable(draft.spoiler_text)):
        raise InvalidPostError(
            "A post cannot contain the NUL character or a lone surrogate code point."
        )
    length = count_characters(text) + count_characters(draft.spoiler_text)
    if length > MAX_POST_CHARACTERS:
        raise InvalidPostError(
            f"A post is at most {MAX_POST_CHARACTERS} characters (content warning included); "
            f"this one has {length}."
        )
    if draft.language is not None and not _LANGUAGE.fullmatch(draft.language):
        raise InvalidPostError(
            f"The language must be an ISO 639 code such as 'fr' or 'en', not {draft.language!r}."
        )
    return replace(
        draft,
        text=text,
        spoiler_text=draft.spoiler_text.strip(),
        sensitive=draft.sensitive or bool(draft.spoiler_text.strip()),
        poll=None if draft.poll is None else check_poll(draft.poll),
    )


def _bump(conn: Connection, post_id: int, column: str, delta: int) -> Post:
    """Add `delta` to one of the post's counts; returns the post as it now stands."""
    return post_from_values(_BUMP[column].rows(conn, id=post_id, delta=delta)[0])


def _bump_statuses(
    conn: Connection, account_id: int, delta: int, when: datetime | None = None
) -> None:
    if when is None:
        _BUMP_STATUSES.run(conn, id=account_id, delta=delta)
    else:
        _BUMP_STATUSES_AT.run(conn, id=account_id, delta=delta, at=when)


def _deleted(post: Post) -> StreamEvent:
    """The event of `post`'s deletion, carrying its audience: the post itself is gone."""
    return StreamEvent(
        StreamEventKind.POST_DELETED, post.id, post.account_id, post.visibility.is_open
    )


class Posts:
    def __init__(self, context: Context) -> None:
        self._ctx = context

    def create(
        self,
        author_id: int,
        draft: PostDraft,
        *,
        conn: Connection | None = None,
        idempotency_key: str | None = None,
    ) -> Post:
        """Publish a post. Replies, quotes, hashtags and mentions are resolved here, and
        the people concerned are notified in the same transaction. With an
        `idempotency_key` the author used for a post in the last `IDEMPOTENCY_WINDOW`, that
        post is returned and nothing is written (a client retrying what it could not see
        succeed)."""
        draft = check_draft(draft)
        parsed = parse_text(draft.text)
        with self._ctx.writing(conn) as c:
            key = None if idempotency_key is None else _key_digest(idempotency_key)
            if key is not None and (earlier := self._claim_key(c, author_id, key)) is not None:
                return load_post(c, earlier)
            parent = self._parent(c, author_id, draft.in_reply_to_id)
            quoted = self._quoted(c, author_id, draft.quote_of_id)
            mentioned = self._mentioned(c, parsed.mentions)
            now = self._ctx.clock.now()
            post_id = self._ctx.ids.next_id()
            (created,) = _INSERT_POST.rows(
                c,
                id=post_id,
                account_id=author_id,
                text=draft.text,
                content_html=self._render(draft.text, mentioned),
                spoiler_text=draft.spoiler_text,
                sensitive=draft.sensitive,
                language=draft.language,
                visibility=draft.visibility.value,
                in_reply_to_id=parent.id if parent else None,
                in_reply_to_account_id=parent.account_id if parent else None,
                quote_of_id=quoted.id if quoted else None,
                created_at=now,
                search_text=normalize_for_search(f"{draft.spoiler_text} {draft.text}"),
                has_poll=draft.poll is not None,
                conversation_id=self._conversation(c, post_id, parent)
                if draft.visibility == PostVisibility.DIRECT
                else None,
            )
            if draft.poll is not None:
                record_poll(c, post_id, draft.poll, now)
            attach_media(
                c,
                author_id,
                post_id,
                draft.media_ids,
                require_description=self._ctx.media_limits.require_description,
            )
            if fingerprinted := fingerprint_text(draft.spoiler_text, draft.text):
                record_fingerprint(c, post_id, fingerprinted)
            record_rule_event(c, self._ctx.ids, RuleEventKind.POST_CREATED, post_id, now)
            self._attach_tags(c, post_id, parsed.hashtags)
            self._attach_mentions(c, post_id, mentioned.values())
            _bump_statuses(c, author_id, +1, now)  # before the fan-out: see _home_feed.py
            self._ctx.feeds.fan_out(c, post_id, author_id, parent.account_id if parent else None)
            if parent is not None:
                _bump(c, parent.id, "replies_count", +1)
                record_notification(
                    c,
                    self._ctx,
                    recipient_id=parent.account_id,
                    actor_id=author_id,
                    type_=NotificationType.REPLY,
                    post_id=post_id,
                )
            for account_id in mentioned.values():
                if parent is None or account_id != parent.account_id:
                    record_notification(
                        c,
                        self._ctx,
                        recipient_id=account_id,
                        actor_id=author_id,
                        type_=NotificationType.MENTION,
                        post_id=post_id,
                    )
            if key is not None:
                _KEYED_POST.run(c, account_id=author_id, key=key, post_id=post_id)
            announce(c, StreamEvent(StreamEventKind.POST_CREATED, post_id, author_id))
            return post_from_values(created)

    def _claim_key(self, c: Connection, author_id: int, key: str) -> int | None:
        """The post the author made with `key` within the window; None when the key is
        now this call's to use: new, or expired and taken over. A second writer with the
        same key waits for the first's transaction (PostgreSQL's insert-if-absent and
        update do), then sees its post. The author's expired keys are dropped here, so
        the table holds about an hour of keys per author."""
        now = self._ctx.clock.now()
        cutoff = now - IDEMPOTENCY_WINDOW
        mine = (idempotency_keys.c.account_id == author_id) & (idempotency_keys.c.key == key)
        claim = {"account_id": author_id, "key": key, "post_id": None, "created_at": now}
        if insert_ignoring_conflicts(c, idempotency_keys, [claim], on=("account_id", "key")):
            c.execute(
                delete(idempotency_keys).where(
                    idempotency_keys.c.account_id == author_id,
                    idempotency_keys.c.created_at <= cutoff,
                )
            )
            return None
        taken_over = c.execute(
            update(idempotency_keys)
            .where(mine, idempotency_keys.c.created_at <= cutoff)
            .values(post_id=None, created_at=now)
        )
        if taken_over.rowcount:
            return None
        found = c.scalar(select(idempotency_keys.c.post_id).where(mine))
        return None if found is None else int(found)

    def edit(self, actor_id: int, post_id: int, change: PostEdit) -> Post:
        """Change one's own post (Mastodon's status edit). The version it replaces is kept
        (`history`); tags and mentions follow the new text, newly mentioned accounts and
        those who reposted it are notified, the new text is fingerprinted and the rules
        see the edit. What moderation decided about the post still applies: its receipt
        shows the edits made after a decision. An edit that changes nothing writes nothing."""
        with self._ctx.db.write() as c:
            found = _POST_TO_EDIT.rows(c, id=post_id)
            if not found:
                raise PostNotFoundError(f"No post has id {post_id}.")
            post = post_from_values(found[0])
            if post.account_id != actor_id:
                raise NotAllowedError("Only its author can edit a post.")
            if post.reblog_of_id is not None:
                raise NotAllowedError("A repost cannot be edited; edit the post it reposts.")
            attached = c.scalars(
                select(media_attachments.c.id).where(media_attachments.c.post_id == post_id)
            )
            draft = check_draft(
                PostDraft(
                    text=change.text,
                    spoiler_text=change.spoiler_text,
                    sensitive=post.sensitive if change.sensitive is None else change.sensitive,
                    language=change.language or post.language,
                    media_ids=tuple(attached),  # an image-only post may stay without text
                )
            )
            new = (draft.text, draft.spoiler_text, draft.sensitive, draft.language)
            if new == (post.text, post.spoiler_text, post.sensitive, post.language):
                return post
            parsed = parse_text(draft.text)
            mentioned = self._mentioned(c, parsed.mentions)
            now = self._ctx.clock.now()
            keep_version(c, self._ctx.ids, post)
            (edited,) = _EDIT_POST.rows(
                c,
                id=post.id,
                text=draft.text,
                content_html=self._render(draft.text, mentioned),
                spoiler_text=draft.spoiler_text,
                sensitive=draft.sensitive,
                language=draft.language,
                search_text=normalize_for_search(f"{draft.spoiler_text} {draft.text}"),
                edited_at=now,
            )
            replace_fingerprint(c, post.id, fingerprint_text(draft.spoiler_text, draft.text))
            record_rule_event(c, self._ctx.ids, RuleEventKind.POST_EDITED, post.id, now)
            announce(c, StreamEvent(StreamEventKind.POST_EDITED, post.id, actor_id))
            _DROP_TAGS.run(c, post=post.id)
            self._attach_tags(c, post.id, parsed.hashtags)
            before = set(_MENTIONED_IN.scalars(c, post=post.id))
            _DROP_MENTIONS.run(c, post=post.id)
            self._attach_mentions(c, post.id, mentioned.values())
            told = [(a, NotificationType.MENTION) for a in mentioned.values() if a not in before]
            told += [(a, NotificationType.UPDATE) for a in _REPOSTERS.scalars(c, post=post.id)]
            for recipient_id, type_ in told:
                record_notification(
                    c,
                    self._ctx,
                    recipient_id=recipient_id,
                    actor_id=actor_id,
                    type_=type_,
                    post_id=post.id,
                )
            return post_from_values(edited)

    def history(self, post: Post) -> list[PostVersion]:
        """Every version of the post, oldest first, the current one last (one version for
        a post never edited)."""
        if post.edited_at is None:
            return [current_version(post)]
        with self._ctx.db.read() as c:
            return [*earlier_versions(c, post.id), current_version(post)]

    def edit_times(self, post_id: int) -> list[datetime]:
        """When the post was edited, oldest first (what its receipt shows beside the
        decisions; none for a post never edited or deleted)."""
        with self._ctx.db.read() as c:
            return edit_times(c, post_id)

    def delete(self, actor_id: int, post_id: int) -> Post:
        """Delete one's own post (its reposts go with it) and its media files. Returns
        what was deleted."""
        with self._ctx.db.write() as c:
            post = load_post(c, post_id)
            if post.account_id != actor_id:
                raise NotAllowedError("Only its author can delete a post.")
            if post.reblog_of_id is not None:
                raise NotAllowedError("To take back a repost, undo the repost.")
            media_ids = list(
                c.scalars(
                    select(media_attachments.c.id).where(media_attachments.c.post_id == post_id)
                )
            )
            self._delete_reposts_of(c, post_id)
            c.execute(delete(posts).where(posts.c.id == post_id))
            _bump_statuses(c, actor_id, -1)
            if post.in_reply_to_id is not None:  # the parent may be gone already
                _BUMP["replies_count"].run(c, id=post.in_reply_to_id, delta=-1)
            announce(c, _deleted(post))
        # After the commit: a failed deletion leaves an orphan file, never a row without one.
        for media_id in media_ids:
            for variant in MediaVariant:
                self._ctx.media_store.delete(file_key(media_id, variant))
        return post

    def reblog(self, actor_id: int, post_id: int, *, conn: Connection | None = None) -> Post:
        """Repost (idempotent). Reposting a repost reposts the original."""
        with self._ctx.writing(conn) as c:
            original = _readable_original(c, actor_id, post_id)
            if not original.visibility.is_open:
                raise NotAllowedError("A followers-only or direct post cannot be reposted.")
            existing = self._own_reblog(c, actor_id, original.id)
            if existing is not None:
                return existing
            now = self._ctx.clock.now()
            reblog_id = self._ctx.ids.next_id()
            try:
                with c.begin_nested():
                    (reposted,) = _INSERT_REBLOG.rows(
                        c,
                        id=reblog_id,
                        account_id=actor_id,
                        reblog_of_id=original.id,
                        visibility=original.visibility.value,
                        created_at=now,
                    )
            except IntegrityError:
                # The same repost made at once elsewhere won the unique (account, original)
                # key: answer with it. Any other conflict is an error, not a repost.
                existing = self._own_reblog(c, actor_id, original.id)
                if existing is None:
                    raise
                return existing
            _bump(c, original.id, "reblogs_count", +1)
            _bump_statuses(c, actor_id, +1, now)  # before the fan-out: see _home_feed.py
            self._ctx.feeds.fan_out(c, reblog_id, actor_id, None)
            announce(c, StreamEvent(StreamEventKind.POST_CREATED, reblog_id, actor_id))
            record_notification(
                c,
                self._ctx,
                recipient_id=original.account_id,
                actor_id=actor_id,
                type_=NotificationType.REBLOG,
                post_id=original.id,
            )
            return post_from_values(reposted)

    def unreblog(self, actor_id: int, post_id: int) -> Post:
        """Undo a repost (idempotent). Returns the original post."""
        with self._ctx.db.write() as c:
            original = _readable_post(c, actor_id, post_id)
            if original.reblog_of_id is not None:
                original = load_post(c, original.reblog_of_id)
            existing = self._own_reblog(c, actor_id, original.id)
            if existing is not None:
                c.execute(delete(posts).where(posts.c.id == existing.id))
                _bump(c, original.id, "reblogs_count", -1)
                _bump_statuses(c, actor_id, -1)
                announce(c, _deleted(existing))
            return load_post(c, original.id)

    def favourite(self, actor_id: int, post_id: int, *, conn: Connection | None = None) -> Post:
        # Liking a repost likes the original, as in Mastodon.
        with self._ctx.writing(conn) as c:
            post = _readable_original(c, actor_id, post_id)
            if _LIKE.run(
                c,
                id=self._ctx.ids.next_id(),
                account_id=actor_id,
                post_id=post.id,
                created_at=self._ctx.clock.now(),
            ):
                liked = _bump(c, post.id, "favourites_count", +1)
                record_notification(
                    c,
                    self._ctx,
                    recipient_id=post.account_id,
                    actor_id=actor_id,
                    type_=NotificationType.FAVOURITE,
                    post_id=post.id,
                )
                return liked
            return load_post(c, post.id)  # liked already

    def unfavourite(self, actor_id: int, post_id: int) -> Post:
        with self._ctx.db.write() as c:
            post = _readable_original(c, actor_id, post_id)
            done = c.execute(
                delete(favourites).where(
                    and_(favourites.c.account_id == actor_id, favourites.c.post_id == post.id)
                )
            )
            if done.rowcount:
                _bump(c, post.id, "favourites_count", -1)
            return load_post(c, post.id)

    def bookmark(self, actor_id: int, post_id: int) -> Post:
        """Keep a post for later (idempotent). A bookmark is private: it counts nowhere and
        notifies no one. Bookmarking a repost keeps the original, as in Mastodon."""
        with self._ctx.db.write() as c:
            post = _readable_original(c, actor_id, post_id)
            _BOOKMARK.run(
                c,
                id=self._ctx.ids.next_id(),
                account_id=actor_id,
                post_id=post.id,
                created_at=self._ctx.clock.now(),
            )
            return post

    def unbookmark(self, actor_id: int, post_id: int) -> Post:
        with self._ctx.db.write() as c:
            post = _readable_original(c, actor_id, post_id)
            c.execute(
                delete(bookmarks).where(
                    and_(bookmarks.c.account_id == actor_id, bookmarks.c.post_id == post.id)
                )
            )
            return post

    def fingerprint_missing(self) -> int:
        """Fingerprint one batch of posts written before fingerprints existed (the
        backfill); returns how many, 0 once every post has its fingerprint."""
        with self._ctx.db.write() as c:
            return fill_missing_fingerprints(c)

    def count(self) -> int:
        with self._ctx.db.read() as c:
            return c.scalar(select(func.count()).select_from(posts)) or 0

    # -- stages of create -------------------------------------------------------------

    def _parent(self, c: Connection, author_id: int, parent_id: int | None) -> Post | None:
        if parent_id is None:
            return None
        try:  # a repost's original, read as the author may (a block holds through it)
            return _readable_original(c, author_id, parent_id)
        except PostNotFoundError:
            raise InvalidPostError(
                f"The post being replied to ({parent_id}) does not exist."
            ) from None

    def _quoted(self, c: Connection, author_id: int, quote_id: int | None) -> Post | None:
        if quote_id is None:
            return None
        try:
            quoted = _readable_original(c, author_id, quote_id)
        except PostNotFoundError:
            raise InvalidPostError(f"The post being quoted ({quote_id}) does not exist.") from None
        if not quoted.visibility.is_open:
            raise InvalidPostError("A followers-only or direct post cannot be quoted.")
        return quoted

    @staticmethod
    def _conversation(c: Connection, post_id: int, parent: Post | None) -> int:
        """A direct post's conversation: its direct parent's, or its own id. A direct reply
        to an open post starts a conversation of its own: private answers to one public
        post are not one conversation (they would show each other's people)."""
        if parent is None or parent.visibility != PostVisibility.DIRECT:
            return post_id
        return int(_CONVERSATION.scalars(c, id=parent.id)[0] or parent.id)

    @staticmethod
    def _mentioned(c: Connection, usernames: Sequence[str]) -> dict[str, int]:
        """Mentioned handles that exist, by lower-case handle → account id."""
        if not usernames:
            return {}
        return {
            str(handle): int(id_) for handle, id_ in _ACCOUNTS_BY_HANDLE.rows(c, handles=usernames)
        }

    def _render(self, text: str, mentioned: dict[str, int]) -> str:
        links = self._ctx.links
        return render_html(
            text,
            mention_url=lambda name: links.account(name) if name in mentioned else None,
            tag_url=links.tag,
        )

    def _attach_tags(self, c: Connection, post_id: int, written: Sequence[str]) -> None:
        folded = {n: normalize_for_search(n) for n in written}
        names = [n for n, s in folded.items() if max(len(n), len(s)) <= _MAX_TAG_COLUMN]
        if not names:
            return
        _NEW_TAG.run_many(
            c,
            [{"id": self._ctx.ids.next_id(), "name": n, "search_text": folded[n]} for n in names],
        )
        tag_ids = _TAG_IDS.scalars(c, names=names)
        _POST_TAG.run_many(c, [{"post_id": post_id, "tag_id": t} for t in tag_ids])

    @staticmethod
    def _attach_mentions(c: Connection, post_id: int, account_ids: Iterable[int]) -> None:
        _MENTION.run_many(c, [{"post_id": post_id, "account_id": a} for a in account_ids])

    @staticmethod
    def _own_reblog(c: Connection, actor_id: int, original_id: int) -> Post | None:
        found = _OWN_REBLOG.rows(c, actor=actor_id, original=original_id)
        return post_from_values(found[0]) if found else None

    @staticmethod
    def _delete_reposts_of(c: Connection, post_id: int) -> None:
        """Delete the reposts of `post_id`, each announced (a client may hold any of them)."""
        reposts = c.execute(select(*POST_COLUMNS).where(posts.c.reblog_of_id == post_id)).all()
        rebloggers = Counter(row.account_id for row in reposts)
        for account_id, n in rebloggers.items():
            _bump_statuses(c, account_id, -n)
        c.execute(delete(posts).where(posts.c.reblog_of_id == post_id))
        for row in reposts:
            announce(c, _deleted(post_from_values(row)))
