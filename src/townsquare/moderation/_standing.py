"""An account's standing for community notes (`townsquare.notes.StandingPort`), read from the
restrictions projection: a suspension or a limit in force on the account."""

from typing import Literal

from sqlalchemy import Connection, or_, select

from townsquare.kernel import Clock
from townsquare.moderation._policies import ActionKind
from townsquare.storage.tables import moderation_restrictions

__all__ = ["ModerationStanding"]

_HELD = (ActionKind.SUSPEND.value, ActionKind.LIMIT.value)


class ModerationStanding:
    """Implements `townsquare.notes.StandingPort`: "suspended" over "limited" over "good"."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def standing(
        self, conn: Connection, account_id: int
    ) -> Literal["good", "limited", "suspended"]:
        table = moderation_restrictions
        in_force = or_(table.c.ends_at.is_(None), table.c.ends_at > self._clock.now())
        query = select(table.c.kind).where(
            table.c.account_id == account_id, table.c.kind.in_(_HELD), in_force
        )
        kinds = set(conn.execute(query).scalars())
        if ActionKind.SUSPEND.value in kinds:
            return "suspended"
        return "limited" if kinds else "good"
