"""Accounts: registration with handle rules, sign-in, profiles, roles."""

import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Row, func, select, update
from sqlalchemy.exc import IntegrityError

from townsquare.microblog._context import Context
from townsquare.microblog._errors import (
    AccountNotFoundError,
    HandleTakenError,
    InvalidCredentialsError,
    InvalidProfileError,
)
from townsquare.microblog._lookalikes import handle_skeleton, hidden_characters
from townsquare.microblog._models import Account, Role
from townsquare.microblog._rows import account_from_row, bio_as_html
from townsquare.microblog._rule_events import RuleEventKind, record_rule_event
from townsquare.microblog._sessions import end_sessions_of
from townsquare.microblog._storable import is_storable
from townsquare.microblog._text import count_characters, normalize_for_search
from townsquare.storage.tables import accounts

__all__ = ["RESERVED_HANDLES", "Accounts"]

_HANDLE = re.compile(r"[A-Za-z0-9_]{1,30}")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
MAX_DISPLAY_NAME = 50
# The column's limit: a character on screen may be many code points (accents, emoji).
_MAX_DISPLAY_NAME_CODE_POINTS = 100
MAX_BIO = 500
# Handles that would be confused with the server itself or its staff.
RESERVED_HANDLES = frozenset(
    {
        "admin",
        "administrator",
        "root",
        "moderator",
        "moderation",
        "support",
        "staff",
        "townsquare",
        "api",
        "oauth",
        "ledger",
        "about",
        "settings",
        "system",
        "null",
        "rules",  # the account automated rules decide under
    }
)

_RESERVED_SKELETONS = frozenset(handle_skeleton(handle) for handle in RESERVED_HANDLES)


def check_handle(username: str) -> str:
    """The handle's lookup key, or InvalidProfileError saying which rule it breaks. A
    handle that looks like a reserved one (`adrnin`) is reserved too."""
    if not _HANDLE.fullmatch(username):
        raise InvalidProfileError(
            "A handle is 1 to 30 characters: letters a-z, digits and underscores."
        )
    if not any(ch.isalpha() for ch in username):
        raise InvalidProfileError("A handle must contain at least one letter.")
    key = username.lower()
    if key in RESERVED_HANDLES or handle_skeleton(username) in _RESERVED_SKELETONS:
        raise InvalidProfileError(f"The handle {username!r} is reserved.")
    return key


def _check_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    email = email.strip().lower()
    if len(email) > 254 or not _EMAIL.fullmatch(email) or not is_storable(email):
        raise InvalidProfileError(f"{email!r} is not an e-mail address.")
    return email


def _check_password(password: str) -> None:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise InvalidProfileError(
            f"A password is {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters long."
        )


def _check_profile(display_name: str, bio: str) -> None:
    for field, value in (("display name", display_name), ("bio", bio)):
        if not is_storable(value):
            raise InvalidProfileError(
                f"The {field} contains a character that cannot be stored (NUL or a lone surrogate)."
            )
    hidden = hidden_characters(display_name)
    if hidden:
        raise InvalidProfileError(
            "A display name cannot contain invisible or direction-changing characters "
            f"({', '.join(hidden)})."
        )
    if (
        count_characters(display_name) > MAX_DISPLAY_NAME
        or len(display_name) > _MAX_DISPLAY_NAME_CODE_POINTS
    ):
        raise InvalidProfileError(f"A display name is at most {MAX_DISPLAY_NAME} characters.")
    if count_characters(bio) > MAX_BIO:
        raise InvalidProfileError(f"A bio is at most {MAX_BIO} characters.")


def _search_text(username: str, display_name: str) -> str:
    return normalize_for_search(f"{username} {display_name}")


class Accounts:
    def __init__(self, context: Context) -> None:
        self._ctx = context

    def register(
        self,
        username: str,
        password: str,
        *,
        email: str | None = None,
        display_name: str = "",
        role: Role = Role.MEMBER,
        locale: str | None = None,
        password_hash: str | None = None,
        conn: Connection | None = None,
    ) -> Account:
        """Create an account. `password_hash` lets bulk loaders reuse one costly hash."""
        key = check_handle(username)
        email = _check_email(email)
        _check_password(password)
        _check_profile(display_name, "")
        now = self._ctx.clock.now()
        account_id = self._ctx.ids.next_id()
        row = {
            "id": account_id,
            "username": username,
            "username_key": key,
            "username_skeleton": handle_skeleton(username),
            "email": email,
            "password_hash": password_hash or self._ctx.passwords.hash(password),
            "display_name": display_name.strip(),
            "role": role.value,
            "locale": locale,
            "created_at": now,
            "search_text": _search_text(username, display_name),
        }
        with self._ctx.writing(conn) as c:
            self._refuse_taken(c, username, email)
            try:
                with c.begin_nested():
                    c.execute(accounts.insert().values(**row))
            except IntegrityError:
                raise HandleTakenError("That handle or e-mail address is taken.") from None
            record_rule_event(c, self._ctx.ids, RuleEventKind.ACCOUNT_CREATED, account_id, now)
            return self.get(account_id, conn=c)

    def create_system_account(
        self, usernames: Sequence[str], display_name: str, role: Role, *, conn: Connection
    ) -> Account:
        """An account no one signs in to (its password hash matches no password), under the
        first of `usernames` free — they may be reserved handles, which members cannot
        take. For the server's own automated acts; the caller stores the id it returns."""
        for username in usernames:
            if conn.scalar(
                select(accounts.c.id).where(
                    (accounts.c.username_key == username.lower())
                    | (accounts.c.username_skeleton == handle_skeleton(username))
                )
            ):
                continue
            account_id = self._ctx.ids.next_id()
            row = {
                "id": account_id,
                "username": username,
                "username_key": username.lower(),
                "username_skeleton": handle_skeleton(username),
                "email": None,
                "password_hash": "!",  # not a hash: no password matches it
                "display_name": display_name,
                "role": role.value,
                "locale": None,
                "created_at": self._ctx.clock.now(),
                "search_text": _search_text(username, display_name),
            }
            conn.execute(accounts.insert().values(**row))
            return self.get(account_id, conn=conn)
        raise HandleTakenError(f"system account: every handle of {list(usernames)} is taken")

    @staticmethod
    def _refuse_taken(c: Connection, username: str, email: str | None) -> None:
        """Say which rule refuses the account; the unique keys refuse it anyway when
        another registration wins a race between this read and the insert."""
        if c.scalar(select(accounts.c.id).where(accounts.c.username_key == username.lower())):
            raise HandleTakenError("That handle is taken.")
        skeleton = accounts.c.username_skeleton == handle_skeleton(username)
        alike = c.scalar(select(accounts.c.username).where(skeleton))
        if alike is not None:
            raise HandleTakenError(f"That handle looks like @{alike}, which is taken.")
        if email and c.scalar(select(accounts.c.id).where(accounts.c.email == email)):
            raise HandleTakenError("That e-mail address is already registered.")

    def authenticate(self, login: str, password: str, *, address: str | None = None) -> Account:
        """The account whose handle or e-mail is `login` and whose password matches, for a
        client at `address` (None when there is no network client, as in the CLI).

        (1) The login throttle admits the attempt or raises LoginThrottledError, before any
        hashing; (2) the password is verified (an unknown login costs a dummy verification);
        (3) the throttle learns how it went.
        """
        throttle = self._ctx.login_throttle
        throttle.admit(login, address)
        row = self._row_if_password_matches(login, password)
        if row is None:
            throttle.failed(address)
            raise InvalidCredentialsError("Wrong handle, e-mail or password.")
        throttle.succeeded(login)
        return account_from_row(row)

    def _row_if_password_matches(self, login: str, password: str) -> Row[Any] | None:
        login = login.strip().lstrip("@")
        column = accounts.c.email if "@" in login else accounts.c.username_key
        row = None
        if is_storable(login):  # else no account can match, and PostgreSQL refuses NUL
            with self._ctx.db.read() as c:
                row = c.execute(select(accounts).where(column == login.lower())).first()
        if row is None:
            self._ctx.passwords.dummy_check()
            return None
        return row if self._ctx.passwords.matches(row.password_hash, password) else None

    def get(self, account_id: int, *, conn: Connection | None = None) -> Account:
        with self._ctx.reading(conn) as c:
            row = c.execute(select(accounts).where(accounts.c.id == account_id)).first()
        if row is None:
            raise AccountNotFoundError(f"No account has id {account_id}.")
        return account_from_row(row)

    def by_username(self, username: str, *, conn: Connection | None = None) -> Account:
        if not _HANDLE.fullmatch(username):  # no account can have it; don't ask the database
            raise AccountNotFoundError(f"No account is called @{username}.")
        with self._ctx.reading(conn) as c:
            row = c.execute(
                select(accounts).where(accounts.c.username_key == username.lower())
            ).first()
        if row is None:
            raise AccountNotFoundError(f"No account is called @{username}.")
        return account_from_row(row)

    def many(self, ids: Iterable[int], *, conn: Connection) -> dict[int, Account]:
        wanted = set(ids)
        if not wanted:
            return {}
        rows = conn.execute(select(accounts).where(accounts.c.id.in_(wanted)))
        return {row.id: account_from_row(row) for row in rows}

    def ids_by_usernames(self, usernames: Sequence[str], *, conn: Connection) -> dict[str, int]:
        if not usernames:
            return {}
        rows = conn.execute(
            select(accounts.c.username_key, accounts.c.id).where(
                accounts.c.username_key.in_([u.lower() for u in usernames])
            )
        )
        return {row.username_key: row.id for row in rows}

    def update_profile(
        self,
        account_id: int,
        *,
        display_name: str | None = None,
        bio: str | None = None,
        locale: str | None = None,
        conn: Connection | None = None,
    ) -> Account:
        current = self.get(account_id, conn=conn)
        new_name = current.display_name if display_name is None else display_name.strip()
        new_bio = current.bio if bio is None else bio.strip()
        _check_profile(new_name, new_bio)
        values: dict[str, object] = {
            "display_name": new_name,
            "bio": new_bio,
            "bio_html": bio_as_html(new_bio),
            "search_text": _search_text(current.username, new_name),
        }
        if locale is not None:
            values["locale"] = locale or None
        with self._ctx.writing(conn) as c:
            c.execute(update(accounts).where(accounts.c.id == account_id).values(**values))
            return self.get(account_id, conn=c)

    def set_role(self, account_id: int, role: Role) -> Account:
        with self._ctx.db.write() as c:
            done = c.execute(
                update(accounts).where(accounts.c.id == account_id).values(role=role.value)
            )
            if done.rowcount == 0:
                raise AccountNotFoundError(f"No account has id {account_id}.")
            return self.get(account_id, conn=c)

    def set_password(self, account_id: int, password: str) -> None:
        """Replace the password, and end the account's web sessions in the same transaction
        (whoever knew the old password may be signed in)."""
        _check_password(password)
        with self._ctx.db.write() as c:
            c.execute(
                update(accounts)
                .where(accounts.c.id == account_id)
                .values(password_hash=self._ctx.passwords.hash(password))
            )
            end_sessions_of(c, account_id)

    def count(self) -> int:
        with self._ctx.db.read() as c:
            return c.scalar(select(func.count()).select_from(accounts)) or 0
