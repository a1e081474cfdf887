"""Who may moderate: one check, shared by every workflow that acts as a moderator."""

from sqlalchemy import Connection, select

from townsquare.microblog import Role
from townsquare.moderation._errors import NotAModeratorError
from townsquare.storage.tables import accounts

__all__ = ["MODERATING_ROLES", "require_admin", "require_moderator"]

MODERATING_ROLES = frozenset({Role.MODERATOR.value, Role.ADMIN.value})


def require_moderator(conn: Connection, account_id: int, *, to: str = "") -> None:
    """Raise `NotAModeratorError` unless `account_id` is a moderator or an admin (`to`
    names what they tried, for the message: "to approve")."""
    _require(conn, account_id, MODERATING_ROLES, "a moderator or admin", to)


def require_admin(conn: Connection, account_id: int, *, to: str = "") -> None:
    """Raise `NotAModeratorError` unless `account_id` is an admin."""
    _require(conn, account_id, frozenset({Role.ADMIN.value}), "an admin", to)


def _require(
    conn: Connection, account_id: int, roles: frozenset[str], expected: str, to: str
) -> None:
    role = conn.execute(select(accounts.c.role).where(accounts.c.id == account_id)).scalar()
    if role not in roles:
        doing = f" {to}" if to else ""
        raise NotAModeratorError(
            f"account {account_id}: expected {expected}{doing}, found {role or 'none'}"
        )
