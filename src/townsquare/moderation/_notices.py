"""The notices (Santa Clara 2.0, "Notice"; DSA Art. 16(5), 17): what was decided about a
member's post or account, or about what they reported; why; which outside requests (if
any, and not sealed) led to the case; and whether, how and until when they may appeal.
Durable: they stay readable even while the account is suspended, since they are read from
the statement as logged.

Each notice names what it is about (`NoticeSubject`): the post, by a short excerpt while it
exists and the reader may see it, else by its date; or the account, by its handle.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, select

from townsquare.kernel import Clock
from townsquare.ledger import JSON, decode_entry
from townsquare.microblog import PostVisibility, Surface
from townsquare.moderation._appeals import appeal_deadline, appeal_right
from townsquare.moderation._request_service import unsealed_requests_for_case
from townsquare.moderation._visibility import ModerationVisibility
from townsquare.storage import Database
from townsquare.storage.tables import (
    accounts,
    moderation_actions,
    moderation_appeals,
    moderation_notices,
    posts,
)

__all__ = ["EXCERPT_LENGTH", "HOW_TO_APPEAL", "Notice", "NoticeSubject", "Notices", "excerpt"]

EXCERPT_LENGTH = 80  # characters of a post a notice quotes to name it
HOW_TO_APPEAL = (
    "To appeal, send POST /api/v1/townsquare/appeals with this action_id and your reason "
    "before the deadline. A moderator who took no part in the decision reviews it without "
    "seeing who you are, and you are told the outcome with reasons. You may also use an "
    "out-of-court dispute settlement body (DSA Art. 21) or the courts."
)
_READABLE = frozenset({PostVisibility.PUBLIC.value, PostVisibility.UNLISTED.value})


@dataclass(frozen=True)
class NoticeSubject:
    """What the decision was about, to name and link it.

    `kind` is "post", "account" or "url". For a post: `post_id`, its author's `handle`
    (None once the post or account is gone), `posted_on` (the day it was posted) and
    `excerpt` (None unless the post still exists and the reader may see it now: a removed
    post is not quoted back, even to its author). For an account: `handle`. For a URL
    block: `url`.
    """

    kind: str
    post_id: int | None = None
    handle: str | None = None
    posted_on: date | None = None
    excerpt: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Notice:
    """One decision concerning the reader: its statement of reasons as logged, what it was
    about, the reader's part in it (`role`: "author" for the post or account it concerns,
    "reporter" for someone who reported it), and the appeal.

    `appeal_right` is what `Appeals.file` would accept the reader as ("author",
    "reporter") or None when they may not appeal it at all (a restoration, a warning, an
    action on what they reported). `can_appeal` is True only while they have the right,
    the window is open and they have not appealed yet: exactly when the form is offered.
    """

    id: int
    action_id: int
    created_at: datetime
    statement: dict[str, JSON]
    appeal_deadline: datetime
    can_appeal: bool
    subject: NoticeSubject
    role: str
    appeal_right: str | None
    how_to_appeal: str = HOW_TO_APPEAL
    # Santa Clara 2.0: a government flag is identified as such (once the request is public).
    outside_requests: tuple[int, ...] = ()

    @property
    def case_id(self) -> int | None:
        found = self.statement.get("case_id")
        return int(found) if isinstance(found, str) else None


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The start of `text` on one line, cut at a word and marked "…" when cut (pure)."""
    flat = " ".join(text.split())
    if len(flat) <= length:
        return flat
    cut = flat[:length].rsplit(" ", 1)[0] if " " in flat[:length] else flat[:length]
    return cut.rstrip(" ,;:.") + "…"


class Notices:
    """Reads notices; never writes them (`enforce` queues them with each decision)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._visibility = ModerationVisibility(clock)

    def for_account(self, account_id: int) -> list[Notice]:
        """The account's notices, newest first."""
        appealed = select(moderation_appeals.c.action_id).where(
            moderation_appeals.c.appellant_id == account_id
        )
        query = (
            select(moderation_notices)
            .where(moderation_notices.c.account_id == account_id)
            .order_by(moderation_notices.c.id.desc())
        )
        with self._db.read() as conn:
            done = set(conn.execute(appealed).scalars())
            rows = conn.execute(query).all()
            return [self._notice(conn, row, done) for row in rows]

    def _notice(self, conn: Connection, notice: Row[Any], done: set[int]) -> Notice:
        now, reader = self._clock.now(), notice.account_id
        action = conn.execute(
            select(moderation_actions).where(moderation_actions.c.id == notice.action_id)
        ).one()
        statement = dict(decode_entry(action.entry).fields)
        # Art. 20(2): the window opens when the reader is informed, with the notice.
        deadline = appeal_deadline(notice.created_at)
        right = appeal_right(conn, action, reader)
        case_id = statement.get("case_id")
        return Notice(
            id=notice.id,
            action_id=notice.action_id,
            created_at=notice.created_at,
            statement=statement,
            appeal_deadline=deadline,
            can_appeal=right is not None and now <= deadline and action.id not in done,
            subject=self._subject(conn, action, reader),
            role="author" if action.account_id == reader else "reporter",
            appeal_right=right,
            outside_requests=(
                unsealed_requests_for_case(conn, int(case_id), now)
                if isinstance(case_id, str)
                else ()
            ),
        )

    def _subject(self, conn: Connection, action: Row[Any], reader: int) -> NoticeSubject:
        if action.target_kind == "url":
            return NoticeSubject(kind="url", url=action.url)
        if action.target_kind == "account":
            return NoticeSubject(kind="account", handle=_handle(conn, action.account_id))
        post = conn.execute(select(posts).where(posts.c.id == action.post_id)).first()
        if post is None:  # deleted: only the day the statement of reasons recorded is left
            content_date = decode_entry(action.entry).fields.get("content_date")
            posted_on = date.fromisoformat(content_date) if isinstance(content_date, str) else None
            return NoticeSubject(kind="post", post_id=action.post_id, posted_on=posted_on)
        return NoticeSubject(
            kind="post",
            post_id=action.post_id,
            handle=_handle(conn, post.account_id),
            posted_on=post.created_at.date(),
            excerpt=excerpt(post.text)
            if self._may_see(conn, post, action.post_id, reader)
            else None,
        )

    def _may_see(self, conn: Connection, post: Row[Any], post_id: int, reader: int) -> bool:
        """Whether the reader may read the post now: it is public (or theirs) and no
        restriction in force hides it on its own page."""
        if post.visibility not in _READABLE and post.account_id != reader:
            return False
        shown = self._visibility.presentations(conn, reader, [post_id], Surface.THREAD)
        return shown[post_id].visible


def _handle(conn: Connection, account_id: int | None) -> str | None:
    if account_id is None:
        return None
    return conn.execute(select(accounts.c.username).where(accounts.c.id == account_id)).scalar()
