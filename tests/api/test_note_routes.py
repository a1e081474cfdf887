"""The notes API: what each role gets from the contributing routes and why (the whole route ×
role table and the OpenAPI schema are in test_notes_access.py), the answers' shape, and bad
input as a 422 that says what to fix."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.microblog import PostDraft, Role
from townsquare.notes import NoteStatus
from townsquare.storage.tables import note_statuses

from .conftest import Client, RoleUser, User, UserFactory

NOTE: dict[str, Any] = {
    "classification": "MISINFORMED_OR_POTENTIALLY_MISLEADING",
    "reasons": ["misleadingFactualError"],
    "trustworthy_sources": True,
    "text": "The quoted figure is the 2019 one.",
    "sources": ["https://stats.example.org/2019"],
}
HELPFUL = {"level": "HELPFUL", "tags": ["helpfulGoodSources"]}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 6, 1, 12, tzinfo=UTC))


class World:
    """A post by `poster`; `author` wrote a note on it; `member` and `moderator` are old
    enough to contribute, `newcomer` is not; `reader` holds a read-only token."""

    def __init__(
        self,
        services: Services,
        clock: FixedClock,
        make_user: UserFactory,
        make_staff: RoleUser,
        client: Client,
    ) -> None:
        self.poster = make_user("poster")
        self.author = make_user("author")
        self.member = make_user("member")
        self.reader = make_user("reader", scopes="read")
        self.moderator = make_staff("mod_one", Role.MODERATOR)
        clock.advance(timedelta(days=8))
        self.newcomer = make_user("newcomer")
        post = services.microblog.posts.create(self.poster.account.id, PostDraft(text="A claim."))
        self.post_id = post.id
        answer = client.post(self.notes_path, json=NOTE, headers=self.author.headers)
        assert answer.status_code == 201, answer.text
        self.note_id = int(answer.json()["id"])

    @property
    def notes_path(self) -> str:
        return f"/api/v1/townsquare/posts/{self.post_id}/notes"


@pytest.fixture
def world(
    services: Services,
    clock: FixedClock,
    make_user: UserFactory,
    make_staff: RoleUser,
    client: Client,
) -> World:
    return World(services, clock, make_user, make_staff, client)


def _as(world: World, role: str) -> dict[str, str]:
    user: User | None = getattr(world, role) if role != "anonymous" else None
    return user.headers if user else {}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("reader", 403),  # a read-only token
        ("newcomer", 403),  # not eligible yet
        ("poster", 403),  # their own post
        ("author", 409),  # one note per post
        ("member", 201),
        ("moderator", 201),  # moderators contribute as members, no more
    ],
)
def test_who_may_write_a_note(world: World, client: Client, role: str, status: int) -> None:
    answer = client.post(world.notes_path, json=NOTE, headers=_as(world, role))
    assert answer.status_code == status, answer.text


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("reader", 403),
        ("newcomer", 403),
        ("author", 403),  # their own note
        ("poster", 200),  # the post's author may rate notes on it
        ("member", 200),
        ("moderator", 200),
    ],
)
def test_who_may_rate_a_note(world: World, client: Client, role: str, status: int) -> None:
    path = f"/api/v1/townsquare/notes/{world.note_id}/ratings"
    answer = client.post(path, json=HELPFUL, headers=_as(world, role))
    assert answer.status_code == status, answer.text


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("reader", 403), ("newcomer", 403), ("member", 200), ("moderator", 200)],
)
def test_who_may_request_a_note(world: World, client: Client, role: str, status: int) -> None:
    path = f"/api/v1/townsquare/posts/{world.post_id}/note_requests"
    answer = client.post(path, headers=_as(world, role))
    assert answer.status_code == status, answer.text


@pytest.mark.parametrize(
    ("path", "role", "status"),
    [
        ("/api/v1/townsquare/notes/needs_rating", "anonymous", 401),
        ("/api/v1/townsquare/notes/needs_rating", "member", 200),
        ("/api/v1/townsquare/notes/needs_rating", "newcomer", 200),  # reading is open to all
        ("/api/v1/townsquare/notes/impact", "anonymous", 401),
        ("/api/v1/townsquare/notes/impact", "reader", 200),
        ("/api/v1/townsquare/notes/mine", "anonymous", 401),
        ("/api/v1/townsquare/notes/mine", "author", 200),
    ],
)
def test_who_may_read_the_member_pages(
    world: World, client: Client, path: str, role: str, status: int
) -> None:
    assert client.get(path, headers=_as(world, role)).status_code == status


def test_anonymous_readers_see_only_decided_notes_and_never_an_undecided_author(
    world: World, client: Client, services: Services, clock: FixedClock
) -> None:
    assert client.get(world.notes_path).json()["notes"] == []
    assert client.get(f"/api/v1/townsquare/notes/{world.note_id}").status_code == 404
    listed = client.get(world.notes_path, headers=world.member.headers).json()["notes"]
    assert [n["id"] for n in listed] == [str(world.note_id)]
    assert listed[0]["author_id"] is None
    assert listed[0]["status"] == "NEEDS_MORE_RATINGS"
    with services.db.write() as c:
        c.execute(
            note_statuses.insert().values(
                note_id=world.note_id,
                post_id=world.post_id,
                changed_at=clock.now(),
                status=NoteStatus.CURRENTLY_RATED_HELPFUL.value,
                leaf_hash=b"\0" * 32,
            )
        )
    public = client.get(world.notes_path).json()["notes"]
    assert public[0]["author_id"] == world.author.id
    assert public[0]["status"] == "CURRENTLY_RATED_HELPFUL"


def test_the_needs_rating_list_hides_authors_and_leaves_out_own_notes(
    world: World, client: Client
) -> None:
    listed = client.get(
        "/api/v1/townsquare/notes/needs_rating", headers=world.member.headers
    ).json()
    assert [(n["id"], n["author_id"]) for n in listed] == [(str(world.note_id), None)]
    own = client.get("/api/v1/townsquare/notes/needs_rating", headers=world.author.headers)
    assert own.json() == []


def test_rating_again_replaces_and_requests_count_once(world: World, client: Client) -> None:
    path = f"/api/v1/townsquare/notes/{world.note_id}/ratings"
    client.post(path, json=HELPFUL, headers=world.member.headers)
    again = client.post(path, json={"level": "NOT_HELPFUL"}, headers=world.member.headers)
    assert again.json()["level"] == "NOT_HELPFUL"
    seen = client.get(f"/api/v1/townsquare/notes/{world.note_id}", headers=world.member.headers)
    assert seen.json()["ratings"] == 1
    assert seen.json()["your_rating"]["level"] == "NOT_HELPFUL"
    requests = f"/api/v1/townsquare/posts/{world.post_id}/note_requests"
    for _ in range(2):
        counted = client.post(requests, headers=world.member.headers).json()["requests"]
    assert counted == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({**NOTE, "text": "x" * 281}, "at most 280 characters"),
        ({**NOTE, "sources": []}, "at least one source"),
        ({**NOTE, "sources": ["ftp://x.example"]}, "http:// or https://"),
        ({**NOTE, "reasons": ["notMisleadingOther"]}, "does not fit"),
        ({k: v for k, v in NOTE.items() if k != "trustworthy_sources"}, "trust"),
        ({**NOTE, "classification": "WRONG"}, "classification: expected"),
    ],
)
def test_a_bad_note_is_a_422_that_says_what_to_fix(
    world: World, client: Client, body: dict[str, Any], message: str
) -> None:
    answer = client.post(world.notes_path, json=body, headers=world.member.headers)
    assert answer.status_code == 422
    assert message in answer.json()["detail"]


def test_a_bad_rating_is_a_422(world: World, client: Client) -> None:
    path = f"/api/v1/townsquare/notes/{world.note_id}/ratings"
    wrong = {"level": "HELPFUL", "tags": ["notHelpfulIncorrect"]}
    answer = client.post(path, json=wrong, headers=world.member.headers)
    assert answer.status_code == 422
    assert "cannot carry the tag notHelpfulIncorrect" in answer.json()["detail"]


def test_missing_notes_and_posts_are_404(world: World, client: Client) -> None:
    headers = world.member.headers
    assert client.get("/api/v1/townsquare/notes/4242", headers=headers).status_code == 404
    rate = client.post("/api/v1/townsquare/notes/4242/ratings", json=HELPFUL, headers=headers)
    assert rate.status_code == 404
    missing = client.post("/api/v1/townsquare/posts/4242/notes", json=NOTE, headers=headers)
    assert missing.status_code == 404


def test_impact_and_own_notes(world: World, client: Client) -> None:
    impact = client.get("/api/v1/townsquare/notes/impact", headers=world.author.headers).json()
    assert impact["writing"] == {
        "score": 0,
        "helpful": 0,
        "not_helpful": 0,
        "needs_more_ratings": 1,
    }
    mine = client.get("/api/v1/townsquare/notes/mine", headers=world.newcomer.headers).json()
    assert mine["eligibility"]["because"] == "account_too_new"
    assert mine["notes"] == []
