"""Accounts: the signed-in user's own, registration, profiles, their posts and relations."""

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from litestar import Response, get, patch, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath

from townsquare.api._auth import optional_user, require_grant, require_user
from townsquare.api._entities import AccountEntity, RelationshipEntity, Renderer, TokenEntity
from townsquare.api._errors import (
    InvalidParameterError,
    RecordNotFoundError,
    RegistrationClosedError,
    UserRequiredError,
)
from townsquare.api._fields import (
    BODY,
    AnyRequest,
    Fields,
    is_tag_name,
    parse_id,
    path_id,
    query_fields,
)
from townsquare.api._filter_routes import filtered_statuses
from townsquare.api._grants import Grants
from townsquare.api._oauth_routes import token_entity
from townsquare.api._paging import clamp_limit, page_from, paged_response
from townsquare.api._rate_limits import count_attempt
from townsquare.kernel import NotFoundError
from townsquare.microblog import (
    Account,
    FilterContext,
    LimitedAction,
    Microblog,
    Page,
    Relationship,
)
from townsquare.settings import Settings

__all__ = ["account_routes"]

_HANDLE = re.compile(r"[A-Za-z0-9_]{1,30}")
_MAX_RELATIONSHIPS = 100
_MAX_SEARCH_OFFSET = 10_000


def _existing_account(microblog: Microblog, raw_id: str) -> Account:
    return microblog.accounts.get(path_id(raw_id))


@get("/api/v1/accounts/verify_credentials", sync_to_thread=True)
def verify_credentials(request: AnyRequest, microblog: NamedDependency[Microblog]) -> AccountEntity:
    """The signed-in user's account, with `source`."""
    viewer = require_user(request, microblog, "read:accounts")
    return _credential_account(microblog, viewer)


def _credential_account(microblog: Microblog, viewer: int) -> AccountEntity:
    return Renderer(microblog.links).credential_account(
        microblog.accounts.get(viewer), follow_requests=microblog.graph.pending_requests(viewer)
    )


@patch("/api/v1/accounts/update_credentials", dependencies=BODY, sync_to_thread=True)
def update_credentials(
    request: AnyRequest, fields: NamedDependency[Fields], microblog: NamedDependency[Microblog]
) -> AccountEntity:
    """Change the display name, bio (`note`), language (`source[language]`) or whether
    each follower is approved first (`locked`; unlocking approves those waiting)."""
    viewer = require_user(request, microblog, "write:accounts")
    if fields.has_upload():
        raise InvalidParameterError("Avatars and headers cannot be uploaded on this server.")
    locale = fields.text("source[language]", max_length=10)
    microblog.accounts.update_profile(
        viewer,
        display_name=fields.text("display_name", max_length=1000),
        bio=fields.text("note", max_length=10_000),
        locale=locale if locale in ("", "en", "fr") else None,
    )
    if "locked" in fields:
        microblog.graph.set_locked(viewer, fields.flag("locked"))
    return _credential_account(microblog, viewer)


@post("/api/v1/accounts", dependencies=BODY, status_code=200, sync_to_thread=True)
def register(
    request: AnyRequest,
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
    settings: NamedDependency[Settings],
) -> Response[TokenEntity]:
    """Sign up with an app token; answers with a token for the new account. Rate-limited
    per client address (X-RateLimit-* headers)."""
    grant = require_grant(request, microblog, "write:accounts")
    if not settings.registrations_open:
        raise RegistrationClosedError("Registrations are closed on this server.")
    if not fields.flag("agreement"):
        raise InvalidParameterError("agreement must be true: accept the server rules first.")
    headers = count_attempt(request, microblog, LimitedAction.REGISTER, None)
    locale = fields.text("locale", max_length=10)
    account = microblog.accounts.register(
        fields.required_text("username", max_length=100),
        fields.required_text("password", max_length=1000),
        email=fields.text("email", max_length=300),
        locale=locale if locale in ("en", "fr") else None,
    )
    issued = Grants(microblog).issue_token(grant.app_id, account.id, grant.scopes)
    return Response(token_entity(issued), headers=headers)


@get("/api/v1/accounts/lookup", sync_to_thread=True)
def lookup(
    request: AnyRequest, microblog: NamedDependency[Microblog], settings: NamedDependency[Settings]
) -> AccountEntity:
    """An account by `acct` (`name` or `name@this.domain`)."""
    acct = (query_fields(request).required_text("acct", max_length=300)).strip().lstrip("@")
    username, _, domain = acct.partition("@")
    if (domain and domain.lower() != settings.domain.lower()) or not _HANDLE.fullmatch(username):
        raise RecordNotFoundError("Record not found")
    return Renderer(microblog.links).account(microblog.accounts.by_username(username))


@get("/api/v1/accounts/search", sync_to_thread=True)
def search_accounts(
    request: AnyRequest, microblog: NamedDependency[Microblog], settings: NamedDependency[Settings]
) -> list[AccountEntity]:
    """Accounts whose name matches `q` (`name`, `@name` or `name@this.domain`), most
    followed first, but not those who block the signed-in user; `following=true` keeps
    those the signed-in user follows."""
    viewer = optional_user(request, microblog, "read:accounts")
    fields = query_fields(request)
    query = fields.required_text("q", max_length=500).strip()
    local_suffix = f"@{settings.domain}".lower()
    if query.lower().endswith(local_suffix):
        query = query[: -len(local_suffix)]
    following = fields.flag("following")
    if following and viewer is None:
        raise UserRequiredError("following=true needs a signed-in user")
    fields.flag("resolve")  # validated, then moot: there are no remote accounts to resolve
    offset = fields.integer("offset") or 0
    if not 0 <= offset <= _MAX_SEARCH_OFFSET:
        raise InvalidParameterError(f"offset must be between 0 and {_MAX_SEARCH_OFFSET}.")
    found = microblog.search.accounts(
        query,
        viewer_id=viewer,
        following_only=following,
        limit=clamp_limit(fields, default=40, most=80),
        offset=offset,
    )
    renderer = Renderer(microblog.links)
    return [renderer.account(a) for a in found]


@get("/api/v1/accounts/relationships", sync_to_thread=True)
def relationships(
    request: AnyRequest, microblog: NamedDependency[Microblog]
) -> list[RelationshipEntity]:
    """How the signed-in user relates to each `id[]`; ids that name nobody are left out."""
    viewer = require_user(request, microblog, "read:follows")
    raw = query_fields(request).texts("id", max_items=_MAX_RELATIONSHIPS)
    ids = [i for i in (parse_id(r) for r in raw) if i is not None]
    known = [i for i in dict.fromkeys(ids) if _exists(microblog, i)]
    return [Renderer.relationship(r) for r in microblog.graph.relationships(viewer, known)]


def _exists(microblog: Microblog, account_id: int) -> bool:
    try:
        microblog.accounts.get(account_id)
    except NotFoundError:
        return False
    return True


@get("/api/v1/accounts/{account_id:str}", sync_to_thread=True)
def account(
    request: AnyRequest, account_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> AccountEntity:
    optional_user(request, microblog, "read:accounts")
    return Renderer(microblog.links).account(_existing_account(microblog, account_id))


@get("/api/v1/accounts/{account_id:str}/statuses", sync_to_thread=True)
def account_statuses(
    request: AnyRequest,
    account_id: FromPath[str],
    microblog: NamedDependency[Microblog],
    settings: NamedDependency[Settings],
) -> Response[Any]:
    """An account's posts, newest first (`only_media`: those with media attached); with
    `pinned`, its pinned posts (the latest pinned first, one page)."""
    viewer = optional_user(request, microblog, "read:statuses")
    owner = _existing_account(microblog, account_id)
    fields = query_fields(request)
    page = page_from(fields)
    tagged = fields.text("tagged", max_length=200)
    if fields.flag("pinned"):
        if page.max_id is not None:  # the pins are one page: nothing lies past it
            return Response(content=[])
        pinned = microblog.pins.of_account(viewer, owner.id)
        return Response(filtered_statuses(microblog, viewer, FilterContext.ACCOUNT, pinned))
    if tagged and not is_tag_name(tagged.lstrip("#")):
        return Response(content=[])
    views = microblog.timelines.profile(
        viewer,
        owner.id,
        page,
        exclude_replies=fields.flag("exclude_replies"),
        exclude_reblogs=fields.flag("exclude_reblogs"),
        tagged=tagged or None,
        only_media=fields.flag("only_media"),
    )
    statuses = filtered_statuses(microblog, viewer, FilterContext.ACCOUNT, views)
    return paged_response(request, settings.base_url, statuses, [v.post.id for v in views])


Related = Callable[[Microblog, int, Page], list[tuple[int, Account]]]


def _accounts_page_from(request: AnyRequest) -> Page:
    """Which page of a list of accounts: 40 by default, up to 80, as in Mastodon."""
    fields = query_fields(request)
    return dataclasses.replace(page_from(fields), limit=clamp_limit(fields, default=40, most=80))


def _accounts_page(
    request: AnyRequest, settings: Settings, microblog: Microblog, found: list[tuple[int, Account]]
) -> Response[Any]:
    """Accounts, each found with the id of what relates it (a follow, a block…), as a page
    with the Link header that pages by those ids."""
    renderer = Renderer(microblog.links)
    entities = [renderer.account(account) for _, account in found]
    return paged_response(request, settings.base_url, entities, [key for key, _ in found])


def _relations_of(path: str, listing: Related) -> HTTPRouteHandler:
    """GET /api/v1/accounts/:id/<path>: an account's followers or follows, the newest
    first, paged (Link header). Public, as in Mastodon."""

    def accounts(
        request: AnyRequest,
        account_id: FromPath[str],
        microblog: NamedDependency[Microblog],
        settings: NamedDependency[Settings],
    ) -> Response[Any]:
        optional_user(request, microblog, "read:accounts")
        owner = _existing_account(microblog, account_id)
        found = listing(microblog, owner.id, _accounts_page_from(request))
        return _accounts_page(request, settings, microblog, found)

    accounts.__name__ = path
    accounts.__doc__ = f"The account's {path}, the newest first."
    return get(
        f"/api/v1/accounts/{{account_id:str}}/{path}",
        sync_to_thread=True,
        name=path,
        operation_id=f"account{path.title()}",
    )(accounts)


def _own_relations(scope: str, path: str, listing: Related) -> HTTPRouteHandler:
    """GET /api/v1/<path>: the accounts the signed-in user blocks or mutes, or that ask to
    follow it, the newest first, paged (Link header)."""

    def accounts(
        request: AnyRequest,
        microblog: NamedDependency[Microblog],
        settings: NamedDependency[Settings],
    ) -> Response[Any]:
        viewer = require_user(request, microblog, scope)
        found = listing(microblog, viewer, _accounts_page_from(request))
        return _accounts_page(request, settings, microblog, found)

    accounts.__name__ = path
    accounts.__doc__ = f"The signed-in user's {path.replace('_', ' ')}, the newest first."
    return get(f"/api/v1/{path}", sync_to_thread=True, name=path, operation_id=path)(accounts)


def _answer_request(
    action: str, answer: Callable[[Microblog, int, int], Relationship]
) -> HTTPRouteHandler:
    """POST /api/v1/follow_requests/:account_id/<action>: approve or refuse that account's
    request to follow the signed-in user; answers the Relationship with it."""

    def act(
        request: AnyRequest, account_id: FromPath[str], microblog: NamedDependency[Microblog]
    ) -> RelationshipEntity:
        viewer = require_user(request, microblog, "write:follows")
        return Renderer.relationship(answer(microblog, viewer, path_id(account_id)))

    act.__name__ = f"{action}_follow_request"
    act.__doc__ = f"{action.capitalize()} an account's request to follow the signed-in user."
    return post(
        f"/api/v1/follow_requests/{{account_id:str}}/{action}",
        status_code=200,
        sync_to_thread=True,
        name=f"{action}_follow_request",
        operation_id=f"{action}FollowRequest",
    )(act)


def _relationship_action(
    scope: str,
    action: str,
    change: Callable[[Microblog, int, int], Relationship],
    limited: LimitedAction | None = None,
) -> HTTPRouteHandler:
    """A POST /api/v1/accounts/:id/<action> handler: `change(microblog, viewer, target)`,
    counted against the `limited` action's rate limits if one is named."""

    def act(
        request: AnyRequest, account_id: FromPath[str], microblog: NamedDependency[Microblog]
    ) -> Response[RelationshipEntity]:
        viewer = require_user(request, microblog, scope)
        target = path_id(account_id)
        headers = count_attempt(request, microblog, limited, viewer) if limited else {}
        relationship = Renderer.relationship(change(microblog, viewer, target))
        return Response(relationship, headers=headers)

    act.__name__ = f"{action}_account"
    act.__doc__ = f"{action.capitalize()} an account; answers the new Relationship."
    return post(
        f"/api/v1/accounts/{{account_id:str}}/{action}",
        status_code=200,
        sync_to_thread=True,
        name=f"{action}_account",
        operation_id=f"{action}Account",
    )(act)


account_routes = [
    _own_relations("read:blocks", "blocks", lambda m, v, p: m.graph.blocked(v, p)),
    _own_relations("read:mutes", "mutes", lambda m, v, p: m.graph.muted(v, p)),
    _own_relations(
        "read:follows", "follow_requests", lambda m, v, p: m.graph.follow_requests(v, p)
    ),
    _relations_of("followers", lambda m, a, p: m.graph.followers(a, p)),
    _relations_of("following", lambda m, a, p: m.graph.following(a, p)),
    _answer_request("authorize", lambda m, v, a: m.graph.authorize(v, a)),
    _answer_request("reject", lambda m, v, a: m.graph.reject(v, a)),
    verify_credentials,
    update_credentials,
    register,
    lookup,
    search_accounts,
    relationships,
    account,
    account_statuses,
    _relationship_action(
        "write:follows", "follow", lambda m, a, t: m.graph.follow(a, t), LimitedAction.FOLLOW
    ),
    _relationship_action("write:follows", "unfollow", lambda m, a, t: m.graph.unfollow(a, t)),
    _relationship_action("write:blocks", "block", lambda m, a, t: m.graph.block(a, t)),
    _relationship_action("write:blocks", "unblock", lambda m, a, t: m.graph.unblock(a, t)),
    _relationship_action("write:mutes", "mute", lambda m, a, t: m.graph.mute(a, t)),
    _relationship_action("write:mutes", "unmute", lambda m, a, t: m.graph.unmute(a, t)),
]
