"""Who may moderate: one check, shared by every workflow that acts as a moderator."""

from sqlalchemy import Connection, select

from townsquare.microblog import Role
from townsquare.moderation._errors import NotAModeratorError
from townsquare.storage.tables import accounts

__all__ = ["MODERATING_ROLES", "require_moderator"]

MODERATING_ROLES = frozenset({Role.MODERATOR.value, Role.ADMIN.value})


def require_moderator(conn: Connection, account_id: int, *, to: str = "") -> None:
    """Raise `NotAModeratorError` unless `account_id` is a moderator or an admin (`to`
    names what they tried, for the message: "to approve")."""
    role = conn.execute(select(accounts.c.role).where(accounts.c.id == account_id)).scalar()
    if role not in MODERATING_ROLES:
        doing = f" {to}" if to else ""
        raise NotAModeratorError(
            f"account {account_id}: expected a moderator or admin{doing}, found {role or 'none'}"
        )
