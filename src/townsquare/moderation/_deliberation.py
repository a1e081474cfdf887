"""Deliberation: moderators' comments on a case, published with its decision.

Published comments name moderators by stable pseudonyms — an HMAC of the moderator's id
under the server's pseudonym key, so the same moderator is the same "Moderator Amber-17" on
every case, and nobody without the key can tell who that is — and are redacted by rule
(`REDACTIONS`): e-mail addresses, phone numbers and the handles of private reporters.

A moderator who lifts blind review on a case says why, and that is a deliberation entry too
(`CommentKind.REVEAL`): who looked, when and why is published with the decision.
"""

import hashlib
import hmac
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = [
    "REDACTIONS",
    "Comment",
    "CommentKind",
    "PublishedComment",
    "Redaction",
    "author_pseudonym",
    "hide_author",
    "moderator_pseudonym",
    "publish_comment",
    "redact",
]

_COLOURS = (
    "Amber", "Azure", "Cedar", "Coral", "Cyan", "Ebony", "Fern", "Gold",
    "Indigo", "Ivory", "Jade", "Lilac", "Ochre", "Olive", "Plum", "Teal",
)  # fmt: skip


@dataclass(frozen=True)
class Redaction:
    """One rule: what it hides (`pattern`) and what it shows instead."""

    name: str
    pattern: re.Pattern[str]
    replacement: str


REDACTIONS = (
    Redaction(
        "e-mail address",
        re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}"),
        "[e-mail redacted]",
    ),
    # Seven digits or more, with the usual separators: a phone number, not a post id quoted
    # in passing (ids are 15+ digits with no separators, so they are kept; see the tests).
    Redaction(
        "phone number",
        re.compile(r"(?<![\w])\+?\d(?:[ .()-]{0,2}\d){6,13}(?![\w])"),
        "[phone redacted]",
    ),
)
_REPORTER = "[reporter]"
_AUTHOR = "[author]"
_SNOWFLAKE = re.compile(r"\d{15,}")


class CommentKind(StrEnum):
    COMMENT = "comment"
    REVEAL = "reveal"  # the moderator saw who the author is; the body says why


@dataclass(frozen=True)
class Comment:
    id: int
    case_id: int
    moderator_id: int
    body: str
    created_at: datetime
    kind: CommentKind = CommentKind.COMMENT


@dataclass(frozen=True)
class PublishedComment:
    """A comment as the public sees it: a pseudonym and a redacted body."""

    moderator: str
    body: str
    created_at: datetime
    kind: CommentKind = CommentKind.COMMENT


def _pseudonym(key: bytes, message: str) -> str:
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return f"{_COLOURS[digest[0] % len(_COLOURS)]}-{int.from_bytes(digest[1:3]) % 99 + 1}"


def moderator_pseudonym(key: bytes, moderator_id: int) -> str:
    """`Moderator Amber-17`: the same on every case for one moderator and key."""
    return f"Moderator {_pseudonym(key, f'moderator:{moderator_id}')}"


def author_pseudonym(key: bytes, case_id: int, author_id: int) -> str:
    """`Author Teal-42`: stable within a case, unlinkable across cases (blind review)."""
    return f"Author {_pseudonym(key, f'author:{case_id}:{author_id}')}"


def redact(text: str, private_handles: Iterable[str] = ()) -> str:
    """`text` with every rule of `REDACTIONS` applied and each private handle (`alice`,
    written `@alice` or `@alice@host`) replaced by `[reporter]`."""
    for handle in sorted(set(private_handles), key=len, reverse=True):
        text = _handle_pattern(handle).sub(_REPORTER, text)
    for rule in REDACTIONS:
        text = rule.pattern.sub(_replacing(rule.replacement), text)
    return text


def hide_author(text: str, author_handle: str) -> str:
    """`text` with the author's handle (`alice`, `@alice`, `@alice@host`) replaced by
    `[author]`: what a reporter wrote, as a moderator reviewing blind reads it."""
    return _handle_pattern(author_handle).sub(_AUTHOR, text)


def _handle_pattern(handle: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w@])@?{re.escape(handle)}(?:@[\w.-]+)?(?![\w])", flags=re.IGNORECASE)


def _replacing(replacement: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        return found if _SNOWFLAKE.fullmatch(found) else replacement

    return replace


def publish_comment(
    key: bytes, comment: Comment, private_handles: Iterable[str]
) -> PublishedComment:
    return PublishedComment(
        moderator_pseudonym(key, comment.moderator_id),
        redact(comment.body, private_handles),
        comment.created_at,
        comment.kind,
    )
