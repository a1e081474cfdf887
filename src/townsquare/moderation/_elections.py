"""Election windows and the two-person rule (DESIGN.md, promise 5), as pure functions.

During a declared election window, an action on election-related content needs two
moderators: one proposes it, a different one approves it, and only then does `enforce`
apply it. Such an action must name its item — a post or an account — never a URL or a
domain, whose block would silently cover every post that links there (no blanket
suppression), and it is never automated. Its ledger entry carries the window's id, so the
flag is public the moment the decision is.

Content is election-related when the cited clause is in the DSA category for civic
discourse and elections, or when the post carries one of the window's hashtags. A window
is declared ahead of time (at least `NOTICE` before it opens, so the rule is public before
it applies) and is never edited: the ledger commits to it. A mistaken window can only make
review stricter, never hide anything.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from townsquare.kernel import ConflictError, InvalidInputError, PermissionDeniedError
from townsquare.ledger import JSON, encode_entry
from townsquare.microblog import parse_text
from townsquare.moderation._policies import ActionKind
from townsquare.moderation._policy_errors import ModerationError

__all__ = [
    "ELECTION_CATEGORY",
    "MAX_WINDOW",
    "NOTICE",
    "WINDOW_ENTRY_TYPE",
    "WINDOW_ENTRY_VERSION",
    "BlanketActionError",
    "ElectionWindow",
    "InvalidWindowError",
    "SecondModeratorRequiredError",
    "WindowDraft",
    "governing_window",
    "needs_two_moderators",
    "new_window",
    "window_entry",
    "window_from_entry",
]

ELECTION_CATEGORY = "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS"
WINDOW_ENTRY_TYPE = "moderation.election_window"
WINDOW_ENTRY_VERSION = 1
NOTICE = timedelta(hours=1)
"""How long before it opens a window must be declared: the rule is public before it applies."""
MAX_WINDOW = timedelta(days=92)
"""An election window is the period around a vote, not a standing rule (those are policies)."""

# Restoring and deciding to do nothing hide nothing: one moderator may still do them.
_ONE_MODERATOR = frozenset({ActionKind.RESTORE, ActionKind.NO_ACTION})
_COUNTRY = re.compile(r"[A-Z]{2}")
_MAX_NAME = 200
_MAX_HASHTAGS = 20


class InvalidWindowError(ModerationError, InvalidInputError):
    """Raised when an election window's declaration is incomplete or out of bounds."""


class SecondModeratorRequiredError(ModerationError, PermissionDeniedError):
    """Raised when an action on election-related content in an election window is enforced
    without a second moderator's recorded approval."""


class BlanketActionError(ModerationError, ConflictError):
    """Raised when, in an election window, an election-related action would not name its
    item (a URL or domain block) or would be automated."""


@dataclass(frozen=True)
class WindowDraft:
    """What an operator declares: a name, when, where, and the election's hashtags."""

    name: str
    starts_at: datetime
    ends_at: datetime
    territories: tuple[str, ...]
    hashtags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ElectionWindow:
    """A declared window, `starts_at` inclusive, `ends_at` exclusive. `hashtags` are stored
    as the microblog stores tags (case-folded, without '#')."""

    id: int
    name: str
    starts_at: datetime
    ends_at: datetime
    territories: tuple[str, ...]
    hashtags: tuple[str, ...]
    declared_at: datetime

    def is_open(self, at: datetime) -> bool:
        return self.starts_at <= at < self.ends_at


def new_window(window_id: int, draft: WindowDraft, declared_at: datetime) -> ElectionWindow:
    """The window `draft` declares at `declared_at`, or `InvalidWindowError` saying why not."""
    name = draft.name.strip()
    _require(0 < len(name) <= _MAX_NAME, f"name: expected 1 to {_MAX_NAME} characters")
    for moment in (draft.starts_at, draft.ends_at):
        _require(moment.tzinfo is not None, "starts_at, ends_at: expected aware datetimes")
    _require(
        draft.starts_at >= declared_at + NOTICE,
        f"starts_at: expected at least {_hours(NOTICE)} after now ({declared_at.isoformat()}), "
        f"so the rule is public before it applies; found {draft.starts_at.isoformat()}",
    )
    _require(draft.ends_at > draft.starts_at, "ends_at: expected after starts_at")
    _require(
        draft.ends_at - draft.starts_at <= MAX_WINDOW,
        f"ends_at: a window lasts at most {MAX_WINDOW.days} days",
    )
    territories = tuple(sorted({code.strip().upper() for code in draft.territories}))
    _require(bool(territories), "territories: expected the country codes the election is held in")
    bad = [code for code in territories if not _COUNTRY.fullmatch(code)]
    _require(not bad, f"territories: expected ISO 3166 alpha-2 codes, found {bad}")
    hashtags = _hashtags(draft.hashtags)
    return ElectionWindow(
        window_id, name, draft.starts_at, draft.ends_at, territories, hashtags, declared_at
    )


def needs_two_moderators(action: ActionKind) -> bool:
    """Every action but restoring and "no action" (which hide nothing) needs two."""
    return action not in _ONE_MODERATOR


def governing_window(
    windows: Iterable[ElectionWindow], *, at: datetime, category: str, hashtags: Iterable[str]
) -> ElectionWindow | None:
    """The earliest-opened window open at `at` under which content cited under `category`,
    carrying `hashtags`, is election-related; None when no window governs it."""
    tagged = set(hashtags)
    for window in sorted(windows, key=lambda w: (w.starts_at, w.id)):
        related = category == ELECTION_CATEGORY or bool(tagged & set(window.hashtags))
        if window.is_open(at) and related:
            return window
    return None


def window_entry(window: ElectionWindow) -> bytes:
    """The ledger entry that declares `window`."""
    fields: dict[str, JSON] = {
        "window_id": str(window.id),
        "name": window.name,
        "starts_at": window.starts_at.isoformat(),
        "ends_at": window.ends_at.isoformat(),
        "territories": list(window.territories),
        "hashtags": list(window.hashtags),
        "declared_at": window.declared_at.isoformat(),
    }
    return encode_entry(WINDOW_ENTRY_TYPE, WINDOW_ENTRY_VERSION, fields)


def window_from_entry(fields: Mapping[str, JSON]) -> ElectionWindow:
    """The window a `moderation.election_window` entry declares (`ValueError`, `KeyError`
    or `TypeError` on an entry this module could not have written)."""
    return ElectionWindow(
        id=int(_text(fields, "window_id")),
        name=_text(fields, "name"),
        starts_at=datetime.fromisoformat(_text(fields, "starts_at")),
        ends_at=datetime.fromisoformat(_text(fields, "ends_at")),
        territories=tuple(_texts(fields, "territories")),
        hashtags=tuple(_texts(fields, "hashtags")),
        declared_at=datetime.fromisoformat(_text(fields, "declared_at")),
    )


def _hashtags(written: Iterable[str]) -> tuple[str, ...]:
    """'#Présidentielle2027' → 'présidentielle2027', through the parser that stores tags."""
    found: set[str] = set()
    for raw in written:
        if not raw.strip():
            continue
        tag = raw.strip().lstrip("#")
        parsed = parse_text(f"#{tag}").hashtags
        # The whole text must be the tag: "#two words" would silently watch "#two".
        whole = unicodedata.normalize("NFC", tag.casefold())
        _require(parsed == (whole,), f"hashtags: {raw!r} is not a hashtag")
        found.add(whole)
    _require(len(found) <= _MAX_HASHTAGS, f"hashtags: expected at most {_MAX_HASHTAGS}")
    return tuple(sorted(found))


def _text(fields: Mapping[str, JSON], key: str) -> str:
    value = fields[key]
    if not isinstance(value, str):
        raise TypeError(f"entry field {key!r}: expected a string, found {value!r}")
    return value


def _texts(fields: Mapping[str, JSON], key: str) -> list[str]:
    value = fields[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"entry field {key!r}: expected a list of strings, found {value!r}")
    return [str(v) for v in value]


def _hours(span: timedelta) -> str:
    hours = int(span.total_seconds() // 3600)
    return f"{hours} hour" + ("s" if hours != 1 else "")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidWindowError(f"election window: {message}")
