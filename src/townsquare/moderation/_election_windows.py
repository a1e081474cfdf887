"""Election windows as stored: declared once (a row and a ledger entry, one transaction),
read by `enforce` to know whether the two-person rule governs a decision, and listed in
public with the decisions taken under each window's rule."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Row, insert, select

from townsquare.kernel import Clock, NotFoundError, SnowflakeGenerator
from townsquare.ledger import JSON, decode_entry
from townsquare.moderation._elections import (
    ElectionWindow,
    WindowDraft,
    new_window,
    window_entry,
)
from townsquare.moderation._entry_log import EntryLog
from townsquare.moderation._policy_errors import ModerationError
from townsquare.moderation._roles import require_admin
from townsquare.storage import Database
from townsquare.storage.tables import (
    election_windows,
    ledger_entries,
    moderation_actions,
    moderation_proposals,
    post_tags,
    tags,
)

__all__ = [
    "ElectionWindows",
    "FlaggedDecision",
    "WindowNotFoundError",
    "post_hashtags",
    "windows_open_at",
]

_SEPARATOR = ","


class WindowNotFoundError(ModerationError, NotFoundError):
    """Raised when no election window has the id asked for."""


@dataclass(frozen=True)
class FlaggedDecision:
    """A decision taken under a window's two-person rule: its action, its entry as logged
    and its ledger index (None until the sequencer integrates it)."""

    action_id: int
    entry: bytes
    ledger_index: int | None

    @property
    def fields(self) -> Mapping[str, JSON]:
        return decode_entry(self.entry).fields


class ElectionWindows:
    """Declaring and reading election windows. `log` MUST be the ledger `enforce` writes."""

    def __init__(
        self, db: Database, log: EntryLog, *, clock: Clock, ids: SnowflakeGenerator
    ) -> None:
        self._db = db
        self._log = log
        self._clock = clock
        self._ids = ids

    def declare(self, draft: WindowDraft, *, declared_by: int | None) -> ElectionWindow:
        """Declare a window: (1) an admin declares it (`declared_by`; None is the operator at
        the command line), (2) checked by `new_window`, (3) its row and its ledger entry are
        written in one transaction."""
        with self._db.write() as conn:
            # (1)
            if declared_by is not None:
                require_admin(conn, declared_by, to="to declare an election window")
            # (2)
            window = new_window(self._ids.next_id(), draft, self._clock.now())
            # (3)
            conn.execute(insert(election_windows), _row(window, declared_by))
            self._log.append(conn, window_entry(window))
        return window

    def all(self) -> list[ElectionWindow]:
        """Every window, the latest to open first."""
        with self._db.read() as conn:
            query = select(election_windows).order_by(
                election_windows.c.starts_at.desc(), election_windows.c.id.desc()
            )
            return [_window(row) for row in conn.execute(query)]

    def is_open(self, window: ElectionWindow) -> bool:
        """Whether `window` is open now, by the clock `enforce` reads."""
        return window.is_open(self._clock.now())

    def get(self, window_id: int) -> ElectionWindow:
        with self._db.read() as conn:
            row = conn.execute(
                select(election_windows).where(election_windows.c.id == window_id)
            ).first()
        if row is None:
            raise WindowNotFoundError(f"election window {window_id}: no such window")
        return _window(row)

    def flagged_decisions(self, window_id: int) -> list[FlaggedDecision]:
        """The decisions approved under the window's rule, newest first: public at once,
        integrated into the tree or not yet."""
        self.get(window_id)
        proposals = moderation_proposals
        query = (
            select(moderation_actions.c.id, moderation_actions.c.entry, ledger_entries.c.idx)
            .join(proposals, proposals.c.action_id == moderation_actions.c.id)
            .outerjoin(ledger_entries, ledger_entries.c.leaf_hash == moderation_actions.c.leaf_hash)
            .where(proposals.c.window_id == window_id)
            .order_by(moderation_actions.c.id.desc())
        )
        with self._db.read() as conn:
            return [FlaggedDecision(r.id, r.entry, r.idx) for r in conn.execute(query)]


def windows_open_at(conn: Connection, at: datetime) -> list[ElectionWindow]:
    """The windows open at `at` (in the caller's transaction, as `enforce` reads them)."""
    query = select(election_windows).where(
        election_windows.c.starts_at <= at, election_windows.c.ends_at > at
    )
    return [_window(row) for row in conn.execute(query)]


def post_hashtags(conn: Connection, post_id: int) -> list[str]:
    """The post's hashtags, as stored (case-folded)."""
    query = (
        select(tags.c.name)
        .join(post_tags, post_tags.c.tag_id == tags.c.id)
        .where(post_tags.c.post_id == post_id)
    )
    return list(conn.execute(query).scalars())


def _row(window: ElectionWindow, declared_by: int | None) -> dict[str, object]:
    return {
        "id": window.id,
        "name": window.name,
        "starts_at": window.starts_at,
        "ends_at": window.ends_at,
        "territories": _SEPARATOR.join(window.territories),
        "hashtags": _SEPARATOR.join(window.hashtags),
        "declared_at": window.declared_at,
        "declared_by": declared_by,
    }


def _window(row: Row[tuple[object, ...]]) -> ElectionWindow:
    values = row._mapping
    return ElectionWindow(
        id=values["id"],
        name=values["name"],
        starts_at=values["starts_at"],
        ends_at=values["ends_at"],
        territories=_split(values["territories"]),
        hashtags=_split(values["hashtags"]),
        declared_at=values["declared_at"],
    )


def _split(joined: str) -> tuple[str, ...]:
    return tuple(joined.split(_SEPARATOR)) if joined else ()
