"""What OAuth hands out, kept in the database: client apps, bearer tokens, one-use codes.

Bearer tokens and codes are stored only as SHA-256 hex digests, so a copy of the database
does not let anyone act as a user. Client secrets are compared in constant time.
"""

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from weakref import WeakKeyDictionary

from sqlalchemy import and_, bindparam, delete, select, update

from townsquare.api._errors import OAuthError
from townsquare.microblog import Microblog
from townsquare.storage import Database, Prebuilt
from townsquare.storage.tables import oauth_apps, oauth_codes, oauth_tokens

__all__ = ["App", "Grant", "Grants", "IssuedToken"]

CODE_LIFETIME = timedelta(minutes=10)


_GRANT = Prebuilt(
    select(
        oauth_tokens.c.id, oauth_tokens.c.app_id, oauth_tokens.c.account_id, oauth_tokens.c.scopes
    ).where(oauth_tokens.c.token_hash == bindparam("digest"), oauth_tokens.c.revoked_at.is_(None))
)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class App:
    id: int
    client_id: str
    client_secret: str
    name: str
    website: str | None
    redirect_uris: tuple[str, ...]
    scopes: frozenset[str]


@dataclass(frozen=True)
class Grant:
    """What a valid bearer token allows: acting as `account_id` (None for an app-only
    token) within `scopes`."""

    token_id: int
    app_id: int | None
    account_id: int | None
    scopes: frozenset[str]


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    scopes: frozenset[str]
    created_at: datetime


GRANT_CACHE_SECONDS = 5.0
"""How long a worker trusts a bearer token's grant without asking the database again. A
token revoked through this worker stops at once; through another server process, within
this many seconds (README.md, "Running several servers")."""
_GRANT_CACHE_SIZE = 10_000


class _GrantCache:
    """The grants this process looked up lately, by token digest, each with its expiry."""

    def __init__(self) -> None:
        self._found: dict[str, tuple[Grant, float]] = {}

    def get(self, digest: str) -> Grant | None:
        found = self._found.get(digest)
        if found is None or found[1] < time.monotonic():
            return None
        return found[0]

    def put(self, digest: str, grant: Grant) -> None:
        if len(self._found) >= _GRANT_CACHE_SIZE:
            self._found.clear()  # simpler than an LRU, and rare: a burst of new tokens
        self._found[digest] = (grant, time.monotonic() + GRANT_CACHE_SECONDS)

    def forget(self, digest: str) -> None:
        self._found.pop(digest, None)


# One cache per database a process serves (tests run many side by side).
_CACHES: WeakKeyDictionary[Database, _GrantCache] = WeakKeyDictionary()


class Grants:
    """The OAuth tables, over the microblog's database, clock and id generator."""

    def __init__(self, microblog: Microblog) -> None:
        self._db = microblog.db
        self._clock = microblog.context.clock
        self._ids = microblog.context.ids
        self._cache = _CACHES.get(self._db) or _CACHES.setdefault(self._db, _GrantCache())

    def register_app(
        self, name: str, website: str | None, redirect_uris: tuple[str, ...], scopes: frozenset[str]
    ) -> App:
        app = App(
            id=self._ids.next_id(),
            client_id=secrets.token_urlsafe(32),
            client_secret=secrets.token_urlsafe(32),
            name=name,
            website=website,
            redirect_uris=redirect_uris,
            scopes=scopes,
        )
        with self._db.write() as c:
            c.execute(
                oauth_apps.insert().values(
                    id=app.id,
                    client_id=app.client_id,
                    client_secret=app.client_secret,
                    name=name,
                    website=website,
                    redirect_uris="\n".join(redirect_uris),
                    scopes=" ".join(sorted(scopes)),
                    created_at=self._clock.now(),
                )
            )
        return app

    def app(self, client_id: str | None) -> App:
        """The app registered as `client_id`, or OAuthError invalid_client."""
        row = None
        if client_id:
            with self._db.read() as c:
                query = select(oauth_apps).where(oauth_apps.c.client_id == client_id[:64])
                row = c.execute(query).first()
        if row is None:
            raise OAuthError("invalid_client", "No application has this client_id.", status=401)
        return App(
            id=row.id,
            client_id=row.client_id,
            client_secret=row.client_secret,
            name=row.name,
            website=row.website,
            redirect_uris=tuple(row.redirect_uris.split("\n")),
            scopes=frozenset(row.scopes.split()),
        )

    def authenticated_app(self, client_id: str | None, client_secret: str | None) -> App:
        """The app, if `client_secret` is its secret (RFC 6749 §2.3.1)."""
        app = self.app(client_id)
        if not client_secret or not hmac.compare_digest(
            app.client_secret.encode(), client_secret.encode("utf-8", "surrogatepass")
        ):
            raise OAuthError("invalid_client", "The client secret is wrong.", status=401)
        return app

    def issue_token(
        self, app_id: int | None, account_id: int | None, scopes: frozenset[str]
    ) -> IssuedToken:
        token = secrets.token_urlsafe(32)
        now = self._clock.now()
        with self._db.write() as c:
            c.execute(
                oauth_tokens.insert().values(
                    id=self._ids.next_id(),
                    token_hash=_digest(token),
                    app_id=app_id,
                    account_id=account_id,
                    scopes=" ".join(sorted(scopes)),
                    created_at=now,
                )
            )
        return IssuedToken(access_token=token, scopes=scopes, created_at=now)

    def grant_for(self, bearer: str) -> Grant | None:
        """What `bearer` allows, or None if it is unknown or revoked (looked up again after
        `GRANT_CACHE_SECONDS`)."""
        digest = _digest(bearer)
        cached = self._cache.get(digest)
        if cached is not None:
            return cached
        with self._db.read() as c:
            found = _GRANT.rows(c, digest=digest)
        if not found:
            return None
        token_id, app_id, account_id, scopes = found[0]
        grant = Grant(
            token_id=token_id,
            app_id=app_id,
            account_id=account_id,
            scopes=frozenset(scopes.split()),
        )
        self._cache.put(digest, grant)
        return grant

    def revoke(self, app_id: int, bearer: str) -> None:
        """Revoke `bearer` if this app issued it; silently nothing otherwise (RFC 7009 §2.2)."""
        self._cache.forget(_digest(bearer))
        with self._db.write() as c:
            c.execute(
                update(oauth_tokens)
                .where(
                    and_(
                        oauth_tokens.c.token_hash == _digest(bearer),
                        oauth_tokens.c.app_id == app_id,
                    )
                )
                .values(revoked_at=self._clock.now())
            )

    def issue_code(
        self, app_id: int, account_id: int, redirect_uri: str, scopes: frozenset[str]
    ) -> str:
        code = secrets.token_urlsafe(32)
        with self._db.write() as c:
            c.execute(
                oauth_codes.insert().values(
                    code_hash=_digest(code),
                    app_id=app_id,
                    account_id=account_id,
                    redirect_uri=redirect_uri,
                    scopes=" ".join(sorted(scopes)),
                    expires_at=self._clock.now() + CODE_LIFETIME,
                )
            )
        return code

    def redeem_code(self, app: App, code: str, redirect_uri: str) -> IssuedToken:
        """Exchange a code for a token, once (RFC 6749 §4.1.3): the code is deleted in the
        same transaction, whether or not the exchange succeeds, and `redirect_uri` MUST be
        the one the code was issued for."""
        bad = OAuthError("invalid_grant", "The authorization code is invalid, used or expired.")
        with self._db.write() as c:
            row = c.execute(
                select(oauth_codes).where(oauth_codes.c.code_hash == _digest(code))
            ).first()
            if row is None:
                raise bad
            c.execute(delete(oauth_codes).where(oauth_codes.c.code_hash == row.code_hash))
        if row.app_id != app.id or row.expires_at <= self._clock.now():
            raise bad
        if redirect_uri != row.redirect_uri:
            raise OAuthError("invalid_grant", "redirect_uri differs from the one authorized.")
        return self.issue_token(app.id, row.account_id, frozenset(row.scopes.split()))
