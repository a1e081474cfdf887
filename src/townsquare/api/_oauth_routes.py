"""OAuth 2.0 for Mastodon clients: app registration, the consent page, tokens, revocation.

Grants supported (RFC 6749): authorization code (§4.1), resource-owner password (§4.3, kept
for scripts and Mastodon.py's `log_in(username, password)`; the username may be a handle or
an e-mail address) and client credentials (§4.4, app-only tokens, used for registration).
"""

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from litestar import Response, get, post
from litestar.di import NamedDependency

from townsquare.api._authorize_page import (
    SignInProblem,
    authorize_page,
    choose_language,
    code_page,
)
from townsquare.api._entities import ApplicationEntity, TokenEntity
from townsquare.api._errors import InvalidParameterError, OAuthError
from townsquare.api._fields import BODY, AnyRequest, Fields, query_fields
from townsquare.api._grants import App, Grants, IssuedToken
from townsquare.api._rate_limits import client_address, rate_limit_headers
from townsquare.api._scopes import covers_all, parse_scopes
from townsquare.kernel import AuthenticationRequiredError
from townsquare.microblog import LoginThrottledError, Microblog

__all__ = ["oauth_routes", "token_entity"]

OOB = "urn:ietf:wg:oauth:2.0:oob"
_MAX_REDIRECT_URIS = 10
_MAX_REDIRECT_URI_LENGTH = 2000
# Schemes that run code or read files where the browser lands (RFC 6749 §10.6, RFC 8252 §8).
_REFUSED_SCHEMES = frozenset({"javascript", "data", "vbscript", "file"})
# The application adds `frame-ancestors 'none'` and X-Frame-Options to every response.
_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def token_entity(issued: IssuedToken) -> TokenEntity:
    return TokenEntity(
        access_token=issued.access_token,
        token_type="Bearer",  # noqa: S106 — the RFC 6750 token type, not a secret
        scope=" ".join(sorted(issued.scopes)),
        created_at=int(issued.created_at.timestamp()),
    )


# -- app registration ------------------------------------------------------------------


def _check_redirect_uri(uri: str) -> None:
    """Raise InvalidParameterError unless `uri` is the out-of-band URN or an absolute URI
    (RFC 3986 §4.3) without a fragment (RFC 6749 §3.1.2) whose scheme runs no code:
    https://…, http://… or an app's own scheme (`org.example.app:/callback`, RFC 8252 §7.1)."""
    if uri == OOB:
        return
    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    if scheme in _REFUSED_SCHEMES:
        raise InvalidParameterError(
            f"redirect_uris may not use the {scheme}: scheme; give the https:// address "
            "(or the app's own scheme) the browser should return to."
        )
    web = scheme in ("http", "https")
    if (
        not scheme
        or (web and not parts.netloc)
        or not (parts.netloc or parts.path)
        or parts.fragment
        or not uri.isprintable()
        or len(uri) > _MAX_REDIRECT_URI_LENGTH
    ):
        raise InvalidParameterError(
            f"redirect_uris must be absolute URIs without a fragment, or {OOB}."
        )


def _redirect_uris(fields: Fields) -> tuple[str, ...]:
    raw = fields.texts("redirect_uris", max_items=_MAX_REDIRECT_URIS)
    uris = tuple(u for item in raw for u in item.split())
    if not uris:
        raise InvalidParameterError("redirect_uris is missing.")
    if len(uris) > _MAX_REDIRECT_URIS:
        raise InvalidParameterError(f"redirect_uris lists more than {_MAX_REDIRECT_URIS} URIs.")
    for uri in uris:
        _check_redirect_uri(uri)
    return uris


@post("/api/v1/apps", dependencies=BODY, status_code=200, sync_to_thread=True)
def create_app(
    fields: NamedDependency[Fields], microblog: NamedDependency[Microblog]
) -> ApplicationEntity:
    """Register a client application (Mastodon: POST /api/v1/apps)."""
    name = fields.required_text("client_name", max_length=200).strip()
    website = (fields.text("website", max_length=500) or "").strip() or None
    uris = _redirect_uris(fields)
    scopes = parse_scopes(fields.text("scopes"), name="scopes")
    app = Grants(microblog).register_app(name, website, uris, scopes)
    return ApplicationEntity(
        id=str(app.id),
        name=app.name,
        website=app.website,
        scopes=sorted(app.scopes),
        redirect_uri="\n".join(app.redirect_uris),
        redirect_uris=list(app.redirect_uris),
        client_id=app.client_id,
        client_secret=app.client_secret,
    )


# -- tokens ----------------------------------------------------------------------------


def _requested_scopes(fields: Fields, app: App) -> frozenset[str]:
    try:
        requested = parse_scopes(fields.text("scope") or fields.text("scopes"))
    except InvalidParameterError as exc:
        raise OAuthError("invalid_scope", str(exc)) from None
    if not covers_all(app.scopes, requested):
        raise OAuthError(
            "invalid_scope", "The requested scope exceeds what the application registered."
        )
    return requested


def _password_grant(
    request: AnyRequest, fields: Fields, microblog: Microblog, app: App
) -> IssuedToken:
    """RFC 6749 §4.3. While sign-ins are throttled the answer is 429 with Retry-After,
    even for the right password (LoginThrottledError, mapped at the edge)."""
    scopes = _requested_scopes(fields, app)
    login = fields.text("username", max_length=254) or ""
    password = fields.text("password", max_length=1000) or ""
    try:
        account = microblog.accounts.authenticate(login, password, address=client_address(request))
    except AuthenticationRequiredError:
        raise OAuthError(
            "invalid_grant", "The handle, e-mail address or password is wrong."
        ) from None
    return Grants(microblog).issue_token(app.id, account.id, scopes)


@post("/oauth/token", dependencies=BODY, status_code=200, sync_to_thread=True)
def issue_token(
    request: AnyRequest, fields: NamedDependency[Fields], microblog: NamedDependency[Microblog]
) -> TokenEntity:
    """RFC 6749 §3.2 token endpoint."""
    grants = Grants(microblog)
    grant_type = fields.text("grant_type")
    if not grant_type:
        raise OAuthError("invalid_request", "grant_type is missing.")
    app = grants.authenticated_app(fields.text("client_id"), fields.text("client_secret"))
    if grant_type == "password":
        return token_entity(_password_grant(request, fields, microblog, app))
    if grant_type == "authorization_code":
        code, redirect_uri = fields.text("code"), fields.text("redirect_uri")
        if not code:
            raise OAuthError("invalid_request", "code is missing.")
        if not redirect_uri:  # RFC 6749 §4.1.3: the one the code was issued for
            raise OAuthError(
                "invalid_request", "redirect_uri is missing: send the one the code was issued for."
            )
        return token_entity(grants.redeem_code(app, code, redirect_uri))
    if grant_type == "client_credentials":
        return token_entity(grants.issue_token(app.id, None, _requested_scopes(fields, app)))
    raise OAuthError("unsupported_grant_type", f"The grant type {grant_type!r} is not supported.")


@post("/oauth/revoke", dependencies=BODY, status_code=200, sync_to_thread=True)
def revoke_token(
    fields: NamedDependency[Fields], microblog: NamedDependency[Microblog]
) -> dict[str, str]:
    """RFC 7009: revoking an unknown token is not an error."""
    grants = Grants(microblog)
    app = grants.authenticated_app(fields.text("client_id"), fields.text("client_secret"))
    token = fields.text("token")
    if not token:
        raise OAuthError("invalid_request", "token is missing.")
    grants.revoke(app.id, token)
    return {}


# -- the consent page ------------------------------------------------------------------


@dataclass(frozen=True)
class _AuthorizationRequest:
    app: App
    redirect_uri: str
    scopes: frozenset[str]
    state: str

    def hidden_fields(self) -> dict[str, str]:
        return {
            "response_type": "code",
            "client_id": self.app.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": " ".join(sorted(self.scopes)),
            "state": self.state,
        }


def _authorization_request(fields: Fields, microblog: Microblog) -> _AuthorizationRequest:
    """(1) a known client, (2) one of its redirect URIs, (3) scopes it registered,
    (4) response_type code. Errors are shown, not redirected (RFC 6749 §4.1.2.1)."""
    app = Grants(microblog).app(fields.text("client_id"))
    redirect_uri = fields.text("redirect_uri") or (
        app.redirect_uris[0] if len(app.redirect_uris) == 1 else ""
    )
    if redirect_uri not in app.redirect_uris:
        raise OAuthError("invalid_request", "redirect_uri is not registered for this application.")
    try:  # registered before such URIs were refused
        _check_redirect_uri(redirect_uri)
    except InvalidParameterError as unsafe:
        raise OAuthError("invalid_request", str(unsafe)) from None
    scopes = _requested_scopes(fields, app)
    if fields.text("response_type") != "code":
        raise OAuthError("unsupported_response_type", "response_type must be 'code'.")
    return _AuthorizationRequest(
        app=app, redirect_uri=redirect_uri, scopes=scopes, state=fields.text("state") or ""
    )


def _html(content: str, status: int = 200, headers: dict[str, str] | None = None) -> Response[str]:
    return Response(
        content=content,
        media_type="text/html; charset=utf-8",
        status_code=status,
        headers={**_PAGE_HEADERS, **(headers or {})},
    )


def _consent_form(
    lang: str, wanted: _AuthorizationRequest, login: str, problem: SignInProblem | None = None
) -> str:
    return authorize_page(
        lang,
        app_name=wanted.app.name,
        scopes=sorted(wanted.scopes),
        hidden=wanted.hidden_fields(),
        login=login,
        problem=problem,
    )


def _language(request: AnyRequest, fields: Fields) -> str:
    asked = fields.text("lang", max_length=10)
    return (
        asked if asked in ("en", "fr") else choose_language(request.headers.get("accept-language"))
    )


@get("/oauth/authorize", sync_to_thread=True)
def show_authorization(request: AnyRequest, microblog: NamedDependency[Microblog]) -> Response[str]:
    fields = query_fields(request)
    wanted = _authorization_request(fields, microblog)
    return _html(_consent_form(_language(request, fields), wanted, login=""))


def _redirect(uri: str, params: dict[str, str]) -> Response[str]:
    separator = "&" if "?" in uri else "?"
    location = uri + separator + urlencode({k: v for k, v in params.items() if v})
    return Response(content="", status_code=303, headers={"Location": location, **_PAGE_HEADERS})


@post("/oauth/authorize", dependencies=BODY, status_code=200, sync_to_thread=True)
def decide_authorization(
    request: AnyRequest, fields: NamedDependency[Fields], microblog: NamedDependency[Microblog]
) -> Response[str]:
    wanted = _authorization_request(fields, microblog)
    lang = _language(request, fields)
    if fields.text("decision") == "deny":
        return _redirect(wanted.redirect_uri, {"error": "access_denied", "state": wanted.state})
    login = fields.text("login", max_length=254) or ""
    try:
        account = microblog.accounts.authenticate(
            login, fields.text("password") or "", address=client_address(request)
        )
    except LoginThrottledError as throttled:
        wait = throttled.retry_after
        page = _consent_form(lang, wanted, login, SignInProblem(wait_seconds=wait))
        counter = rate_limit_headers(throttled.limit, 0, throttled.reset_at)
        return _html(page, status=429, headers={"Retry-After": str(wait), **counter})
    except AuthenticationRequiredError:
        return _html(_consent_form(lang, wanted, login, SignInProblem()), status=422)
    code = Grants(microblog).issue_code(
        wanted.app.id, account.id, wanted.redirect_uri, wanted.scopes
    )
    if wanted.redirect_uri == OOB:
        return _html(code_page(lang, code))
    return _redirect(wanted.redirect_uri, {"code": code, "state": wanted.state})


oauth_routes = [create_app, issue_token, revoke_token, show_authorization, decide_authorization]
