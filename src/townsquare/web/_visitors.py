"""Who is looking at a page: sessions, CSRF protection, the signed-in account and the
language the pages speak to them.

The session cookie (signed and encrypted) holds the token of a server-side session
(`Microblog.sessions`), which signing out deletes, plus the handle and language so that an
error page (rendered without a database) can still greet the visitor in their language.
Both cookies are `Secure` when the server's base URL is https.
"""

from dataclasses import dataclass
from gettext import NullTranslations
from typing import Any
from urllib.parse import urlencode

from litestar import Request
from litestar.config.csrf import CSRFConfig
from litestar.di import NamedDependency
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.response import Redirect

from townsquare.microblog import SESSION_LIFETIME, Account, LimitedAction, Microblog
from townsquare.web._i18n import catalogs, choose_language

__all__ = [
    "LANGUAGE_COOKIE",
    "Visitor",
    "client_address",
    "count_attempt",
    "csrf_config",
    "load_visitor",
    "remember_language",
    "safe_next",
    "session_middleware",
    "sign_in",
    "sign_in_first",
    "sign_out",
    "visitor_without_database",
]

LANGUAGE_COOKIE = "lang"
# API clients authenticate with bearer tokens: no cookies, so no CSRF and no session there.
_NOT_WEB = ["^/api(/|$)", "^/oauth(/|$)", r"^/\.well-known(/|$)"]

AnyRequest = Request[Any, Any, Any]


@dataclass(frozen=True)
class Visitor:
    """The person a page is rendered for: their account (None when anonymous) and the
    language chosen for them."""

    account: Account | None
    username: str | None
    language: str
    translations: NullTranslations

    @property
    def account_id(self) -> int | None:
        """The signed-in account's id, or None for an anonymous visitor."""
        return self.account.id if self.account else None

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)


def session_middleware(secret: bytes, *, secure: bool) -> DefineMiddleware:
    """Signed, encrypted cookie sessions (HttpOnly, SameSite=Lax, `Secure` if `secure`) for
    the web pages only."""
    return CookieBackendConfig(
        secret=secret,
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        exclude=_NOT_WEB,
    ).middleware


def csrf_config(secret: bytes, *, secure: bool) -> CSRFConfig:
    """Double-submit CSRF tokens on every unsafe request of the web pages."""
    return CSRFConfig(
        secret=secret.hex(),
        cookie_httponly=True,
        cookie_samesite="lax",
        cookie_secure=secure,
        exclude=_NOT_WEB,
    )


def _session(request: AnyRequest) -> dict[str, Any]:
    # Read from the scope: a request that matched no route never reached the middleware.
    value = request.scope.get("session")
    return value if isinstance(value, dict) else {}


def _visitor(request: AnyRequest, account: Account | None, username: str | None) -> Visitor:
    session_language = _session(request).get("locale")
    language = choose_language(
        account.locale if account else session_language,
        request.cookies.get(LANGUAGE_COOKIE),
        accept_language=request.headers.get("accept-language", ""),
    )
    return Visitor(account, username, language, catalogs()[language])


def load_visitor(request: AnyRequest, microblog: NamedDependency[Microblog]) -> Visitor:
    """The `visitor` dependency of every page: signed in only while the server-side session
    the cookie names lasts."""
    session = _session(request)
    token = session.get("session")
    account = microblog.sessions.account(token) if isinstance(token, str) else None
    if account is None and session:
        request.clear_session()  # signed out elsewhere, a new password, or expired
    return _visitor(request, account, account.username if account else None)


def visitor_without_database(request: AnyRequest) -> Visitor:
    """The visitor as the session cookie alone describes them (for error pages)."""
    username = _session(request).get("username")
    return _visitor(request, None, username if isinstance(username, str) else None)


def sign_in(request: AnyRequest, microblog: Microblog, account: Account) -> None:
    """Start a server-side session for `account` and put its token in the cookie."""
    token = microblog.sessions.start(account.id)
    request.set_session({"session": token, "username": account.username, "locale": account.locale})


def remember_language(request: AnyRequest, language: str | None) -> None:
    """Keep the session's copy of the account's language in step with the account."""
    session = _session(request)
    if session:
        request.set_session({**session, "locale": language})


def sign_out(request: AnyRequest, microblog: Microblog) -> None:
    """End the server-side session (a copy of the cookie stops working too) and forget it."""
    token = _session(request).get("session")
    if isinstance(token, str):
        microblog.sessions.end(token)
    request.clear_session()


def client_address(request: AnyRequest) -> str | None:
    """The address the request came from, as the server saw it (sign-in throttling)."""
    return request.client.host if request.client else None


def count_attempt(
    request: AnyRequest, microblog: Microblog, action: LimitedAction, account: int | None
) -> None:
    """Count this attempt at `action` against the rate limits, before acting; when a limit
    is used up it raises ActionLimitedError, which the error page shows (429, Retry-After)."""
    microblog.rate_limits.hit(action, account=account, address=client_address(request))


def safe_next(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site, else `default` (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    return target


def sign_in_first(request: AnyRequest, back: str | None = None) -> Redirect:
    """Send an anonymous visitor to the sign-in page, and afterwards to `back` (a form's
    page) or to the page they asked for."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = safe_next(back, "/") if request.method == "POST" else here
    return Redirect(f"/login?{urlencode({'next': target})}", status_code=303)
