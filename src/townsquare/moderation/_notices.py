"""The author's notices (Santa Clara 2.0, "Notice"; DSA Art. 17): what was decided about
their content, why, which outside requests (if any, and not sealed) led to the case, and how
and until when to appeal. Durable: they stay readable even
while the account is suspended, since they are read from the statement as logged.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

from townsquare.kernel import Clock
from townsquare.ledger import JSON, decode_entry
from townsquare.moderation._appeals import appeal_deadline
from townsquare.moderation._request_service import unsealed_requests_for_case
from townsquare.storage import Database
from townsquare.storage.tables import moderation_actions, moderation_appeals, moderation_notices

__all__ = ["HOW_TO_APPEAL", "Notice", "Notices"]

HOW_TO_APPEAL = (
    "To appeal, send POST /api/v1/townsquare/appeals with this action_id and your reason "
    "before the deadline. A moderator who did not take the decision reviews it without "
    "seeing who you are, and you are told the outcome with reasons. You may also use an "
    "out-of-court dispute settlement body (DSA Art. 21) or the courts."
)


@dataclass(frozen=True)
class Notice:
    """One decision affecting the reader: its statement of reasons as logged, and the
    appeal window (`can_appeal` is False once it closed or the reader already appealed)."""

    id: int
    action_id: int
    created_at: datetime
    statement: dict[str, JSON]
    appeal_deadline: datetime
    can_appeal: bool
    how_to_appeal: str = HOW_TO_APPEAL
    # Santa Clara 2.0: a government flag is identified as such (once the request is public).
    outside_requests: tuple[int, ...] = ()


class Notices:
    """Reads notices; never writes them (`enforce` queues one per decision on an author)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def for_account(self, account_id: int) -> list[Notice]:
        """The account's notices, newest first."""
        appealed = select(moderation_appeals.c.action_id).where(
            moderation_appeals.c.appellant_id == account_id
        )
        query = (
            select(moderation_notices, moderation_actions.c.entry)
            .join(moderation_actions, moderation_actions.c.id == moderation_notices.c.action_id)
            .where(moderation_notices.c.account_id == account_id)
            .order_by(moderation_notices.c.id.desc())
        )
        now = self._clock.now()
        notices = []
        with self._db.read() as conn:
            done = set(conn.execute(appealed).scalars())
            for row in conn.execute(query).all():
                # Art. 20(2): the window opens when the author is informed, with the notice.
                deadline = appeal_deadline(row.created_at)
                open_ = now <= deadline and row.action_id not in done
                statement = dict(decode_entry(row.entry).fields)
                case_id = statement.get("case_id")
                requests = (
                    unsealed_requests_for_case(conn, int(case_id), now)
                    if isinstance(case_id, str)
                    else ()
                )
                notice = Notice(row.id, row.action_id, row.created_at, statement, deadline, open_)
                notices.append(replace(notice, outside_requests=requests))
        return notices
