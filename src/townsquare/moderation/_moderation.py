"""Moderation as one object: what the application, the HTTP edges and the CLI are given."""

import secrets
from collections.abc import Sequence

from sqlalchemy import Connection, select

from townsquare.kernel import Clock, SnowflakeGenerator
from townsquare.microblog import NoteStatusChange
from townsquare.moderation._appeals import AppealContext, Appeals
from townsquare.moderation._case_service import Cases
from townsquare.moderation._copies import CoveredCopy, copies_covered
from townsquare.moderation._decisions import Action, Decision
from townsquare.moderation._election_windows import ElectionWindows
from townsquare.moderation._enforce import Enforcement, EntryLog, enforce
from townsquare.moderation._export import Statements
from townsquare.moderation._note_statuses import (
    SHOWN_STATUS,
    NoteStatusRow,
    RecordedNoteChange,
    enforce_note_statuses,
    note_history,
    stored_note_statuses,
)
from townsquare.moderation._notices import Notices
from townsquare.moderation._outcomes import CaseOutcome, case_outcome
from townsquare.moderation._policies import PolicySet
from townsquare.moderation._preview import StatementPreview, preview_statement
from townsquare.moderation._projection import stored_restrictions
from townsquare.moderation._proposals import Proposals
from townsquare.moderation._receipts import ledger_indexes_for_post
from townsquare.moderation._replay import ProjectionDifference, compare, replay
from townsquare.moderation._request_service import ExternalRequests
from townsquare.moderation._second_reviews import SecondReviews
from townsquare.moderation._visibility import ModerationVisibility
from townsquare.storage import Database
from townsquare.storage.tables import ledger_entries, ledger_pending

__all__ = ["Moderation"]


class Moderation:
    """`enforce`, the visibility port it feeds, the workflows that call it (proposals, cases,
    appeals), election windows, outside requests, blind second reviews of drawn decisions
    (which call nothing: they change nothing anyone sees), replay, and the public receipts.

    `log` is the ledger (`LedgerLog`); `ids` should be the microblog's generator, so every id
    in the database comes from one sequence.
    """

    def __init__(
        self,
        db: Database,
        log: EntryLog,
        policies: PolicySet,
        *,
        clock: Clock,
        ids: SnowflakeGenerator,
        pseudonym_key: bytes | None = None,
    ) -> None:
        self.db = db
        self.policies = policies
        self.visibility = ModerationVisibility(clock, policies)
        self._clock = clock
        self._enforcement = Enforcement(db=db, log=log, policies=policies, clock=clock, ids=ids)
        self.appeals = Appeals(AppealContext(db, log, self.enforce, clock, ids))
        self.proposals = Proposals(self._enforcement, self.enforce)
        self.elections = ElectionWindows(db, log, clock=clock, ids=ids)
        self.requests = ExternalRequests(db, log, clock=clock, ids=ids)
        self.notices = Notices(db, clock)
        self.second_reviews = SecondReviews(db, log, policies, clock=clock, ids=ids)
        self.statements = Statements(db)
        # Pseudonyms stay stable across restarts only with the server's key (app.py passes
        # it); without one they are stable for this object's life, which tests rely on.
        key = pseudonym_key if pseudonym_key is not None else secrets.token_bytes(32)
        self.cases = Cases(db, self.proposals, policies, clock=clock, ids=ids, pseudonym_key=key)

    def enforce(self, decision: Decision, *, conn: Connection | None = None) -> Action:
        """See `townsquare.moderation._enforce.enforce`: the one path that changes visibility.
        With `conn` (a `db.write()` transaction) it writes there and leaves the commit to the
        caller, so the caller's own changes and the enforcement are one transaction."""
        return enforce(self._enforcement, decision, conn=conn)

    def enforce_note_statuses(
        self, changes: Sequence[NoteStatusChange], *, conn: Connection | None = None
    ) -> list[bytes]:
        """The note-status path of `enforce` (`_note_statuses`): one `notes.status` entry
        per change and the shown-notes projection from it, in one transaction (`conn`'s when
        given, left for the caller to commit); the entries written."""
        return enforce_note_statuses(self._enforcement, changes, conn=conn)

    def shown_notes(self) -> list[NoteStatusRow]:
        """Every note shown now (rated helpful), by note id, as the projection holds it."""
        with self.db.read() as conn:
            shown = (row for row in stored_note_statuses(conn) if row.status == SHOWN_STATUS)
            return sorted(shown, key=lambda row: row.note_id)

    def note_history(self, note_id: int) -> list[RecordedNoteChange]:
        """Every status change of a community note, oldest first, with its ledger index."""
        with self.db.read() as conn:
            return note_history(conn, note_id)

    def preview(self, decision: Decision) -> StatementPreview:
        """The statement of reasons `enforce` would log for `decision` now; writes nothing and
        raises what `enforce` would raise (but the missing second moderator)."""
        return preview_statement(self._enforcement, decision)

    def case_outcome(self, case_id: int) -> CaseOutcome | None:
        """Where the case stands now (see `CaseOutcome`); None while it has no decision."""
        with self.db.read() as conn:
            return case_outcome(conn, case_id, self._clock.now())

    def copies_covered(self, action_id: int) -> list[CoveredCopy]:
        """The copies a decision covered (each its own entry, linked by `copy_of`)."""
        with self.db.read() as conn:
            return copies_covered(conn, action_id)

    def receipt_for_post(self, post_id: int) -> list[int]:
        """Indexes of every integrated ledger entry that affects the post, oldest first."""
        with self.db.read() as conn:
            return ledger_indexes_for_post(conn, post_id, self._clock.now())

    def check_projection(self) -> ProjectionDifference:
        """The stored projection compared with its replay from the ledger alone.

        Read in one transaction: the integrated entries in tree order, then the entries still
        queued for the sequencer (their order is commit order too), and the projection.
        """
        with self.db.read() as conn:
            replayed = replay(_logged_entries(conn))
            return compare(replayed, stored_restrictions(conn), stored_note_statuses(conn))


def _logged_entries(conn: Connection) -> list[bytes]:
    integrated = select(ledger_entries.c.entry).order_by(ledger_entries.c.idx)
    queued = select(ledger_pending.c.entry).order_by(ledger_pending.c.id)
    return [*conn.execute(integrated).scalars(), *conn.execute(queued).scalars()]
