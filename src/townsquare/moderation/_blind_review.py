"""Blind review: what a moderator deciding a case sees of its item, and the one step that
lifts the blindness (docs/design/blind-review.md).

A moderator reviews the content, not the person: the queue and the case name the author by
a per-case pseudonym and serve the post's content through the case, with no post id,
account id, URL or posting time that would lead to the author. Seeing who the author is is
an explicit step with a reason (`Cases.reveal`), recorded in the case's deliberation and so
published with its decision: who looked (by pseudonym), when, and why.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from townsquare.moderation._cases import Case
from townsquare.moderation._decisions import PostTarget
from townsquare.moderation._deliberation import CommentKind
from townsquare.moderation._errors import InvalidDecisionError
from townsquare.storage.tables import accounts, moderation_case_comments, posts

__all__ = [
    "MAX_REVEAL_REASON",
    "CaseItem",
    "RevealedAuthor",
    "author_handle",
    "case_item",
    "check_reveal_reason",
    "post_item",
    "revealed_author",
    "the_author",
]

MAX_REVEAL_REASON = 5000


@dataclass(frozen=True)
class CaseItem:
    """The reported post as a blind reviewer reads it: what it says and how it is marked,
    nothing that names or finds its author. `deleted` when its author deleted it."""

    content_html: str
    spoiler_text: str
    language: str | None
    sensitive: bool
    deleted: bool = False


@dataclass(frozen=True)
class RevealedAuthor:
    """Who the case is about, shown to a moderator only after they gave a reason."""

    account_id: int
    username: str
    post_id: int | None
    revealed_at: datetime


def check_reveal_reason(reason: str) -> str:
    """The reason, trimmed, or `InvalidDecisionError` saying what is expected."""
    text = reason.strip()
    if not 0 < len(text) <= MAX_REVEAL_REASON:
        raise InvalidDecisionError(
            "reason: say why you need to know who the author is "
            f"(1 to {MAX_REVEAL_REASON} characters); it is published with the decision"
        )
    return text


def case_item(conn: Connection, case: Case) -> CaseItem | None:
    """The content of the case's post; None for a case about an account."""
    if not isinstance(case.target, PostTarget):
        return None
    return post_item(conn, case.target.post_id)


def post_item(conn: Connection, post_id: int) -> CaseItem:
    """A post's content as a blind reviewer reads it (a case's, or a drawn decision's in a
    second review): kept for moderators whatever moderation restricted; `deleted` when its
    author deleted it."""
    query = select(
        posts.c.content_html, posts.c.spoiler_text, posts.c.language, posts.c.sensitive
    ).where(posts.c.id == post_id)
    row = conn.execute(query).first()
    if row is None:
        return CaseItem("", "", None, sensitive=False, deleted=True)
    return CaseItem(row.content_html, row.spoiler_text, row.language, bool(row.sensitive))


def author_handle(conn: Connection, case: Case) -> str:
    query = select(accounts.c.username).where(accounts.c.id == case.author_id)
    return str(conn.execute(query).scalar_one())


def revealed_author(conn: Connection, case: Case, moderator_id: int) -> RevealedAuthor | None:
    """Who the case is about, if `moderator_id` has revealed it (each moderator lifts
    their own blindness, each with a reason); else None."""
    comments = moderation_case_comments
    first_reveal = (
        select(comments.c.created_at)
        .where(
            comments.c.case_id == case.id,
            comments.c.moderator_id == moderator_id,
            comments.c.kind == CommentKind.REVEAL.value,
        )
        .order_by(comments.c.id)
        .limit(1)
    )
    revealed_at = conn.execute(first_reveal).scalar()
    return None if revealed_at is None else the_author(conn, case, revealed_at)


def the_author(conn: Connection, case: Case, revealed_at: datetime) -> RevealedAuthor:
    """Who the case is about: to be shown only to a moderator who revealed it."""
    post_id = case.target.post_id if isinstance(case.target, PostTarget) else None
    return RevealedAuthor(case.author_id, author_handle(conn, case), post_id, revealed_at)
