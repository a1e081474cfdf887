"""Every route the OpenAPI schema lists, called by each kind of caller: a stranger (no
token), a member whose token may only read, a member with every scope, and a moderator.

What must hold for all of them, so a new route cannot forget it: no caller gets a 5xx;
every write refuses a stranger (401) and a read-only token (403), except the OAuth
routes a client calls before it has a token; a read that needs a user refuses a
stranger and accepts a token; the moderators' routes refuse members (403) and answer a
moderator.
"""

import re
from dataclasses import dataclass

from townsquare.microblog import Role

from .conftest import Client, RoleUser, User, UserFactory

_WRITES = frozenset({"post", "put", "patch", "delete"})
# A client calls these before it holds a token, or to give one up; the consent page asks
# for the password itself (tests/api/test_oauth.py).
_BOOTSTRAP = frozenset(
    {
        ("post", "/api/v1/apps"),
        ("get", "/oauth/authorize"),
        ("post", "/oauth/authorize"),
        ("post", "/oauth/token"),
        ("post", "/oauth/revoke"),
    }
)
_STAFF_ONLY = re.compile(r"^/api/v1/townsquare/(moderation/|notes/runs/held)")


@dataclass(frozen=True)
class Callers:
    reader: User
    member: User
    moderator: User


def _routes(client: Client) -> list[tuple[str, str]]:
    document = client.get("/api/openapi.json").json()
    return sorted(
        (method, path)
        for path, operations in document["paths"].items()
        for method in operations
        if method in {"get", *_WRITES}
    )


def _concrete(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{([^}]+)\}", lambda m: ids.get(m.group(1), "1"), path)


def _status(client: Client, method: str, path: str, caller: User | None) -> int:
    headers = caller.headers if caller else {}
    return client.request(method.upper(), path, headers=headers).status_code


def test_every_route_answers_each_kind_of_caller_as_it_should(
    client: Client, make_user: UserFactory, make_staff: RoleUser
) -> None:
    callers = Callers(
        reader=make_user("reader", scopes="read"),
        member=make_user("member"),
        moderator=make_staff("mod", Role.MODERATOR),
    )
    posted = client.post("/api/v1/statuses", data={"status": "hi"}, headers=callers.member.headers)
    ids = {"status_id": posted.json()["id"], "account_id": callers.member.id}
    routes = _routes(client)
    wrong: list[str] = []

    for method, path in routes:
        url = _concrete(path, ids)
        if (method, path) in _BOOTSTRAP:
            continue
        # Reads first, then writes with a token that cannot write, then staff routes.
        anonymous = _status(client, method, url, None)
        read_only = _status(client, method, url, callers.reader)
        if anonymous >= 500 or read_only >= 500:
            wrong.append(f"{method.upper()} {path}: {anonymous}, {read_only} (a 5xx)")
        if method in _WRITES and (anonymous, read_only) != (401, 403):
            wrong.append(
                f"{method.upper()} {path}: a write answered {anonymous} to a stranger "
                f"and {read_only} to a read-only token, not 401 and 403"
            )
        if method == "get" and anonymous == 401 and read_only == 401:
            wrong.append(f"GET {path}: refuses a valid read token")
        if method == "get" and _STAFF_ONLY.match(path):
            member = _status(client, method, url, callers.member)
            moderator = _status(client, method, url, callers.moderator)
            if member != 403 or moderator in (401, 403) or moderator >= 500:
                wrong.append(f"GET {path}: member {member}, moderator {moderator}")

    assert len(routes) > 100  # the schema lists the routes (a broken schema lists none)
    assert wrong == []
