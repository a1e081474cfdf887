"""A moderation decision shows on the very next request, on every surface of the API, with
every cache warm: the reader's home feed (in the database, and in Redis when a test Redis is
given), the statuses built once per version of a post, the worker's token grants.

Each case warms every surface, enforces one kind of action, and reads every surface again.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from townsquare.app import Services
from townsquare.microblog import Role, Surface
from townsquare.moderation import (
    AccountTarget,
    ActionKind,
    Decision,
    PostTarget,
    Target,
    UrlTarget,
)
from townsquare.settings import Settings

from .conftest import TEST_REDIS_URL, Client, User, UserFactory, redis_or_not
from .test_statuses import post_status

COUNTRY = "x-test-country"


@pytest.fixture(params=["database feeds", *(["redis feeds"] if TEST_REDIS_URL else [])])
def settings(
    request: pytest.FixtureRequest, tmp_path: Path, database_url: str
) -> Iterator[Settings]:
    redis = request.param == "redis feeds"
    with redis_or_not(tmp_path, database_url, redis=redis, country_header=COUNTRY) as settings:
        yield settings


@dataclass(frozen=True)
class Scene:
    author: User
    reader: User
    moderator: User
    status: dict[str, Any]


@pytest.fixture
def scene(client: Client, make_user: UserFactory, services: Services) -> Scene:
    author, reader, moderator = make_user("author"), make_user("reader"), make_user("mod")
    services.microblog.accounts.set_role(moderator.account.id, Role.MODERATOR)
    assert client.post(f"/api/v1/accounts/{author.id}/follow", headers=reader.headers).is_success
    post_status(client, author, "An older post, so the feed holds more than one.")
    status = post_status(client, author, "Read https://bad.example/page on #townsquare")
    for keeping in ("favourite", "bookmark"):
        kept = client.post(f"/api/v1/statuses/{status['id']}/{keeping}", headers=reader.headers)
        assert kept.is_success
    return Scene(author, reader, moderator, status)


def _surfaces(client: Client, scene: Scene, headers: dict[str, str]) -> dict[Surface | str, Any]:
    """What the reader gets for the post on each surface: its status there, or None."""
    wanted = scene.status["id"]

    def listed(path: str) -> Any:
        response = client.get(path, headers=headers)
        assert response.status_code == 200, response.text
        return next((s for s in response.json() if s["id"] == wanted), None)

    opened = client.get(f"/api/v1/statuses/{wanted}", headers=headers)
    assert opened.status_code in (200, 404)
    return {
        Surface.HOME: listed("/api/v1/timelines/home"),
        Surface.PUBLIC: listed("/api/v1/timelines/public"),
        Surface.HASHTAG: listed("/api/v1/timelines/tag/townsquare"),
        Surface.PROFILE: listed(f"/api/v1/accounts/{scene.author.id}/statuses"),
        Surface.LINK: opened.json() if opened.status_code == 200 else None,
        # The reader's favourites and bookmarks show what the post's link shows.
        "favourites": listed("/api/v1/favourites"),
        "bookmarks": listed("/api/v1/bookmarks"),
    }


def _enforce(
    services: Services, scene: Scene, action: ActionKind, target: Target, **more: Any
) -> int:
    clause = next(c for c in services.policies.clauses.values() if action in c.allowed_actions)
    decision = Decision(scene.moderator.account.id, action, target, clause.ref, "Facts.", **more)
    return services.moderation.enforce(decision).id


@dataclass(frozen=True)
class Case:
    action: ActionKind
    target: str  # "post", "account" or "url"
    hidden_on: frozenset[Surface]
    more: tuple[tuple[str, Any], ...] = ()


_EVERYWHERE = frozenset(
    {Surface.HOME, Surface.PUBLIC, Surface.HASHTAG, Surface.PROFILE, Surface.LINK}
)
_REDUCED = frozenset({Surface.PUBLIC, Surface.HASHTAG})  # reduced reach's default surfaces

CASES = [
    Case(ActionKind.REMOVE, "post", _EVERYWHERE),
    Case(ActionKind.SUSPEND, "account", _EVERYWHERE),
    Case(ActionKind.BLOCK_URL, "url", _EVERYWHERE),
    Case(ActionKind.GEO_RESTRICT, "post", _EVERYWHERE, (("territorial_scope", ("FR",)),)),
    Case(ActionKind.REDUCE_REACH, "post", _REDUCED),
    Case(ActionKind.LIMIT, "account", _REDUCED),
    Case(ActionKind.LABEL, "post", frozenset(), (("label", "Disputed by experts"),)),
    Case(ActionKind.INTERSTITIAL, "post", frozenset(), (("content_warning", "Graphic"),)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.action.value for c in CASES])
def test_an_action_shows_on_the_very_next_request_everywhere(
    client: Client, services: Services, scene: Scene, case: Case
) -> None:
    headers = {**scene.reader.headers, COUNTRY: "FR"}
    before = _surfaces(client, scene, headers)
    assert all(before.values()), "the post must be on every surface before the decision"
    assert all(not s["townsquare"]["labels"] and not s["spoiler_text"] for s in before.values())

    targets: dict[str, Target] = {
        "post": PostTarget(int(scene.status["id"])),
        "account": AccountTarget(scene.author.account.id),
        "url": UrlTarget("bad.example"),
    }
    target = targets[case.target]
    _enforce(services, scene, case.action, target, **dict(case.more))
    after = _surfaces(client, scene, headers)

    hidden = {surface for surface, status in after.items() if status is None}
    saved_too = {"favourites", "bookmarks"} if Surface.LINK in case.hidden_on else set()
    assert hidden == case.hidden_on | saved_too
    for status in (s for s in after.values() if s is not None):
        if case.action in (ActionKind.REDUCE_REACH, ActionKind.LIMIT):
            assert status["townsquare"]["labels"][0].startswith("Reach reduced")
        if case.action == ActionKind.LABEL:
            assert status["townsquare"]["labels"] == ["Disputed by experts"]
        if case.action == ActionKind.INTERSTITIAL:
            assert (status["spoiler_text"], status["sensitive"]) == ("Graphic", True)


def test_a_geo_restriction_spares_readers_elsewhere(
    client: Client, services: Services, scene: Scene
) -> None:
    _enforce(
        services,
        scene,
        ActionKind.GEO_RESTRICT,
        PostTarget(int(scene.status["id"])),
        territorial_scope=("FR",),
    )
    assert all(_surfaces(client, scene, {**scene.reader.headers, COUNTRY: "BE"}).values())
    assert all(_surfaces(client, scene, scene.reader.headers).values())  # no country known
    assert not any(_surfaces(client, scene, {**scene.reader.headers, COUNTRY: "fr"}).values())


def test_a_restoration_shows_on_the_very_next_request_everywhere(
    client: Client, services: Services, scene: Scene
) -> None:
    target = PostTarget(int(scene.status["id"]))
    assert all(_surfaces(client, scene, scene.reader.headers).values())
    removal = _enforce(services, scene, ActionKind.REMOVE, target)
    assert not any(_surfaces(client, scene, scene.reader.headers).values())
    _enforce(services, scene, ActionKind.RESTORE, target, restores=removal)
    assert all(_surfaces(client, scene, scene.reader.headers).values())


def test_counts_and_deletion_show_on_the_very_next_request(
    client: Client, make_user: UserFactory, scene: Scene
) -> None:
    """What is not moderation reaches the cached statuses too: a like changes the post's
    version, a deletion takes it away."""
    fan = make_user("fan")
    home = "/api/v1/timelines/home"
    first = client.get(home, headers=scene.reader.headers).json()[0]
    assert (first["id"], first["favourites_count"]) == (scene.status["id"], 1)  # the reader's
    client.post(f"/api/v1/statuses/{scene.status['id']}/favourite", headers=fan.headers)
    assert client.get(home, headers=scene.reader.headers).json()[0]["favourites_count"] == 2
    client.delete(f"/api/v1/statuses/{scene.status['id']}", headers=scene.author.headers)
    ids = [s["id"] for s in client.get(home, headers=scene.reader.headers).json()]
    assert scene.status["id"] not in ids
