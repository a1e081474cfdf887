"""Bad input never makes a 500: ids no database column can hold, JSON nested a thousand deep,
bad paging, oversized and malformed bodies. Each is a 4xx a person can act on, and the server
logs at most one line for it (no traceback)."""

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeAlias

import pytest
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

from conftest import AccountFactory
from townsquare.api._grants import Grants
from townsquare.api._scopes import parse_scopes
from townsquare.app import Services, create_app
from townsquare.microblog import MAX_PAGE_SIZE, Microblog, Page, PostDraft, Role
from web.forms import csrf_token, sign_in, submit

Client: TypeAlias = TestClient[Litestar]

HUGE = "99999999999999999999999"
# Beyond a signed 64-bit integer (SQLite's INTEGER, PostgreSQL's BIGINT), and below zero.
OUT_OF_RANGE = [HUGE, str(2**63), "-1", "-" + HUGE]
_JSON = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Admin:
    """An administrator signed in to the web client, with a bearer token for the API."""

    username: str
    token: str


@pytest.fixture
def client(services: Services) -> Iterator[Client]:
    with TestClient(create_app(services)) as test_client:
        yield test_client


@pytest.fixture
def admin(client: Client, microblog: Microblog, make_account: AccountFactory) -> Admin:
    account = make_account("chief", role=Role.ADMIN)
    grants = Grants(microblog)
    app = grants.register_app("tests", None, ("urn:ietf:wg:oauth:2.0:oob",), parse_scopes("read"))
    issued = grants.issue_token(app.id, account.id, parse_scopes("read write follow push"))
    sign_in(client, "chief")
    return Admin(username=account.username, token=issued.access_token)


def _as_admin(client: Client, admin: Admin) -> dict[str, str]:
    """Headers that get a request past sign-in (web and API) and CSRF checks."""
    return {"Authorization": f"Bearer {admin.token}", "x-csrftoken": csrf_token(client)}


def _routes_with_int_path_parameters(app: Litestar) -> list[tuple[str, HTTPRoute]]:
    """Every (method, route) whose path has an `{…:int}` segment, from the route table."""
    found: list[tuple[str, HTTPRoute]] = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        if not any(p.type is int for p in route.path_parameters.values()):
            continue
        found.extend((method, route) for method in sorted(route.methods - {"OPTIONS", "HEAD"}))
    return found


def _path_with(route: HTTPRoute, value: str) -> str:
    """`route`'s path with `value` in each int segment and a word in each other one."""
    values = {
        name: value if parameter.type is int else "x"
        for name, parameter in route.path_parameters.items()
    }
    return route.path_format.format(**values)


def test_every_int_path_parameter_answers_404_for_ids_no_database_can_hold(
    client: Client, admin: Admin
) -> None:
    routes = _routes_with_int_path_parameters(client.app)
    assert len(routes) > 20  # the route table was really read
    headers = _as_admin(client, admin)
    failures = []
    for method, route in routes:
        for value in OUT_OF_RANGE:
            path = _path_with(route, value)
            response = client.request(method, path, headers=headers, follow_redirects=False)
            if response.status_code != 404:
                failures.append(f"{method} {path}: {response.status_code}")
    assert failures == []


def test_every_int_path_parameter_survives_an_id_that_names_nothing(
    client: Client, admin: Admin
) -> None:
    # In range but unused: the handlers themselves run, and must refuse with a 4xx.
    headers = _as_admin(client, admin)
    failures = []
    for method, route in _routes_with_int_path_parameters(client.app):
        path = _path_with(route, "0")
        response = client.request(method, path, headers=headers, follow_redirects=False)
        if response.status_code >= 500:
            failures.append(f"{method} {path}: {response.status_code}")
    assert failures == []


@pytest.mark.parametrize(
    "path",
    [
        f"/cases/{HUGE}",
        f"/posts/{HUGE}/why",
        f"/@chief/{HUGE}",
        f"/ledger/entries/{HUGE}",
        f"/ledger/entries/{HUGE}/receipt",
        f"/requests/{HUGE}",
        f"/elections/{HUGE}",
        f"/api/v1/statuses/{HUGE}",
        f"/api/v1/statuses/{HUGE}/context",
        f"/api/v1/accounts/{HUGE}",
        f"/api/v1/accounts/{HUGE}/statuses",
        f"/api/v1/townsquare/posts/{HUGE}/why",
        f"/api/v1/townsquare/cases/{HUGE}",
        f"/api/v1/townsquare/requests/{HUGE}",
        f"/api/v1/townsquare/elections/{HUGE}",
    ],
)
def test_huge_ids_in_the_issue_are_not_found(client: Client, admin: Admin, path: str) -> None:
    response = client.get(path, headers=_as_admin(client, admin))
    assert response.status_code == 404


def _int_query_parameters(handler: HTTPRouteHandler, path_names: set[str]) -> list[str]:
    """The query parameters Litestar parses as integers for `handler`."""
    return [
        name
        for name, field in handler.parsed_fn_signature.parameters.items()
        if name not in path_names
        and not field.has_inner_subclass_of(bool)
        and (field.is_subclass_of(int) or field.has_inner_subclass_of(int))
    ]


def _pages_with_int_query_parameters(app: Litestar) -> list[tuple[str, str]]:
    """(path, parameter) for every GET route that reads an integer from its query."""
    found: list[tuple[str, str]] = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or "GET" not in route.route_handler_map:
            continue
        handler, _ = route.route_handler_map["GET"]
        for name in _int_query_parameters(handler, set(route.path_parameters)):
            found.append((_path_with(route, "1"), name))
    return found


@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "9" * 5000, "abc"])
def test_every_int_query_parameter_refuses_what_it_cannot_use(
    client: Client, admin: Admin, value: str
) -> None:
    pages = _pages_with_int_query_parameters(client.app)
    assert ("/public", "max_id") in pages
    headers = _as_admin(client, admin)
    failures = []
    for path, name in pages:
        response = client.get(path, params={name: value}, headers=headers, follow_redirects=False)
        if response.status_code != 422:
            failures.append(f"{path}?{name}=…: {response.status_code}")
    assert failures == []


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"max_id": HUGE}, 422),
        ({"since_id": "-1"}, 422),
        ({"min_id": HUGE}, 422),
        ({"max_id": "abc"}, 422),
        ({"limit": "abc"}, 422),
        ({"limit": "9" * 5000}, 422),
        ({"limit": HUGE}, 200),
        ({"limit": "-" + HUGE}, 200),
        ({"limit": "0"}, 200),
    ],
)
def test_api_paging_parameters(client: Client, query: dict[str, str], status: int) -> None:
    response = client.get("/api/v1/timelines/public", params=query)
    assert response.status_code == status
    if status == 422:
        assert next(iter(query)) in response.json()["error"]  # names the parameter


def test_a_huge_limit_is_clamped_as_mastodon_does(
    client: Client, microblog: Microblog, make_account: AccountFactory
) -> None:
    author = make_account("author")
    for number in range(MAX_PAGE_SIZE + 2):
        microblog.posts.create(author.id, PostDraft(text=f"post {number}"))
    response = client.get("/api/v1/timelines/public", params={"limit": HUGE})
    assert response.status_code == 200
    assert len(response.json()) == MAX_PAGE_SIZE


def _nested_arrays(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def _nested_objects(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


@pytest.mark.parametrize("path", ["/api/v1/statuses", "/api/v1/apps", "/api/v1/reports"])
@pytest.mark.parametrize("body", [_nested_arrays(1_000), _nested_objects(1_000)])
def test_json_nested_a_thousand_deep_is_a_400(
    client: Client, admin: Admin, path: str, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="townsquare"):
        response = client.post(
            path,
            content=body,
            headers={"Content-Type": "application/json", **_as_admin(client, admin)},
        )
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["error"]
    assert [r for r in caplog.records if r.name.startswith("townsquare")] == []


def test_json_that_is_not_utf8_is_a_400(client: Client, admin: Admin) -> None:
    response = client.post(
        "/api/v1/statuses",
        content=b'{"status": "\xff\xfe"}',
        headers={"Content-Type": "application/json", **_as_admin(client, admin)},
    )
    assert response.status_code == 400
    assert "UTF-8" in response.json()["error"]


def test_a_body_over_the_limit_is_a_413_problem(client: Client, admin: Admin) -> None:
    limit = client.app.request_max_body_size or 0
    response = client.post(
        "/api/v1/townsquare/moderation/requests",
        content=b'{"requester": "' + b"x" * limit + b'"}',
        headers={"Content-Type": "application/json", **_as_admin(client, admin)},
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 413


def test_a_form_over_the_limit_is_a_413_page(client: Client, admin: Admin) -> None:
    limit = client.app.request_max_body_size or 0
    response = submit(client, "/compose", {"text": "x" * limit})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("field", ["in_reply_to_id", "quote_of_id"])
def test_a_form_naming_a_huge_post_id_is_no_500(
    client: Client, admin: Admin, microblog: Microblog, field: str
) -> None:
    response = submit(client, "/compose", {"text": "hello", field: HUGE})
    assert response.status_code == 303  # the id names nothing, as if it were left empty
    posted = microblog.timelines.public(None, Page())
    assert [view.post.in_reply_to_id for view in posted] == [None]


@pytest.mark.parametrize("posts", [HUGE, f"http://testserver/@chief/{HUGE}", str(2**63)])
def test_an_outside_request_naming_a_huge_post_id_is_refused(
    client: Client, admin: Admin, posts: str
) -> None:
    form = {
        "requester_kind": "court",
        "requester": "A court",
        "legal_basis": "Art. 1",
        "ground": "DSA_GROUND_ILLEGAL_CONTENT",
        "requested_action": "label",
        "summary": "Label it.",
        "posts": posts,
    }
    response = submit(client, "/moderation/requests", form)
    assert response.status_code == 422
    assert "is neither a post" in response.text


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/compose", b""),  # no fields at all
        ("/compose", b"text=a&text=b"),  # a list where one value is expected
        ("/login", b""),
        ("/register", b"username=x"),
        ("/moderation/requests", b""),
        ("/elections", b""),
    ],
)
def test_malformed_forms_are_a_4xx_page(
    client: Client, admin: Admin, path: str, body: bytes
) -> None:
    response = client.post(
        path,
        content=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "x-csrftoken": csrf_token(client),
        },
        follow_redirects=False,
    )
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("GET", f"/cases/{HUGE}", {}),
        ("GET", "/public?max_id=" + HUGE, {}),
        ("GET", "/api/v1/timelines/public?limit=abc", {}),
        ("GET", f"/api/v1/statuses/{HUGE}", {}),
        ("POST", "/api/v1/apps", {"content": _nested_arrays(1_000), "headers": _JSON}),
        ("POST", "/api/v1/apps", {"content": b"{", "headers": _JSON}),
    ],
)
def test_a_4xx_for_bad_input_logs_no_traceback(
    client: Client,
    caplog: pytest.LogCaptureFixture,
    method: str,
    path: str,
    kwargs: dict[str, Any],
) -> None:
    with caplog.at_level(logging.DEBUG):
        response = client.request(method, path, **kwargs)
    assert 400 <= response.status_code < 500
    ours = [r for r in caplog.records if not r.name.startswith("httpx")]
    assert len(ours) <= 1
    assert all(r.exc_info is None and r.levelno < logging.ERROR for r in ours)


def test_an_unexpected_error_on_a_page_is_logged_with_its_traceback(
    client: Client, services: Services, caplog: pytest.LogCaptureFixture, monkeypatch: Any
) -> None:
    def broken() -> None:
        raise RuntimeError("the tile store is gone")

    monkeypatch.setattr(services.ledger, "checkpoint", broken)
    with caplog.at_level(logging.ERROR, logger="townsquare"):
        response = client.get("/ledger")
    assert response.status_code == 500
    assert "the tile store is gone" not in response.text
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].exc_info is not None
    assert "GET /ledger" in errors[0].getMessage()
