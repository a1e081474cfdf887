"""Signed-in sessions of the web pages, kept in the database.

A session is a random token the browser holds (inside its session cookie) and a row keyed by
the token's SHA-256, so a copy of the database signs nobody in. Every worker process reads
the same rows: ending a session — signing out, a new password — refuses a copied cookie at
once, everywhere.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, select, update

from townsquare.microblog._context import Context
from townsquare.microblog._models import Account
from townsquare.microblog._rows import account_from_row
from townsquare.storage.tables import accounts, web_sessions

__all__ = ["SESSION_LIFETIME", "Sessions", "end_sessions_of"]

SESSION_LIFETIME = timedelta(days=14)
"""How long a session lasts after it was last used."""

# A session's expiry follows its use, but is written at most this often (not on every page).
_TOUCH_INTERVAL = timedelta(hours=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def end_sessions_of(conn: Connection, account_id: int) -> None:
    """End every session of the account, inside the caller's transaction."""
    conn.execute(delete(web_sessions).where(web_sessions.c.account_id == account_id))


class Sessions:
    def __init__(self, context: Context) -> None:
        self._ctx = context

    def start(self, account_id: int) -> str:
        """A new session for the account; returns the token the browser keeps."""
        token = secrets.token_urlsafe(32)
        now = self._ctx.clock.now()
        with self._ctx.db.write() as c:
            c.execute(delete(web_sessions).where(web_sessions.c.expires_at <= now))
            c.execute(
                web_sessions.insert().values(
                    token_hash=_digest(token),
                    account_id=account_id,
                    created_at=now,
                    last_seen_at=now,
                    expires_at=now + SESSION_LIFETIME,
                )
            )
        return token

    def account(self, token: str) -> Account | None:
        """The account signed in with `token`; None once the session has ended or expired."""
        now = self._ctx.clock.now()
        digest = _digest(token)
        query = (
            select(accounts, web_sessions.c.last_seen_at.label("session_seen_at"))
            .join(web_sessions, web_sessions.c.account_id == accounts.c.id)
            .where(web_sessions.c.token_hash == digest, web_sessions.c.expires_at > now)
        )
        with self._ctx.db.read() as c:
            row = c.execute(query).first()
        if row is None:
            return None
        if now - row.session_seen_at >= _TOUCH_INTERVAL:
            self._touch(digest, now)
        return account_from_row(row)

    def _touch(self, digest: str, now: datetime) -> None:
        with self._ctx.db.write() as c:
            c.execute(
                update(web_sessions)
                .where(web_sessions.c.token_hash == digest)
                .values(last_seen_at=now, expires_at=now + SESSION_LIFETIME)
            )

    def end(self, token: str) -> None:
        """End this session (nothing happens if it has already ended)."""
        with self._ctx.db.write() as c:
            c.execute(delete(web_sessions).where(web_sessions.c.token_hash == _digest(token)))

    def end_all(self, account_id: int) -> None:
        """End every session of the account (a suspension, a stolen laptop)."""
        with self._ctx.db.write() as c:
            end_sessions_of(c, account_id)
