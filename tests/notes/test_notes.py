"""The notes service over the database: every rule of writing, rating and requesting, what
each viewer sees, the needs-your-rating list and impact. Eligibility and authorization first."""

from collections.abc import Callable

import pytest
from sqlalchemy.exc import IntegrityError

from conftest import PostFactory
from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.microblog import Account, Microblog, PostVisibility
from townsquare.moderation import AccountTarget, ActionKind, PostTarget
from townsquare.notes import (
    DuplicateNoteError,
    HelpfulnessLevel,
    IneligibleBecause,
    NoteNotFoundError,
    Notes,
    NotesForbiddenError,
    NotesNotFoundError,
    NoteStatus,
    rating_draft,
)
from townsquare.storage.tables import community_notes

from .conftest import Enforce, SetFactor, SetStatus, a_note, helpful, not_helpful

Member = Callable[..., Account]


@pytest.fixture
def author(member: Member) -> Account:
    return member("poster")


@pytest.fixture
def writer(member: Member) -> Account:
    return member("writer")


@pytest.fixture
def rater(member: Member) -> Account:
    return member("rater")


@pytest.fixture
def post_id(
    author: Account,
    writer: Account,
    rater: Account,
    make_post: PostFactory,
    settle: Callable[[], None],
) -> int:
    """The post, once `author`, `writer` and `rater` are old enough to contribute."""
    created = make_post(author, "Unemployment doubled this year.").id
    settle()
    return created


# Eligibility -----------------------------------------------------------------------------


def test_a_new_account_may_not_write_rate_or_request(
    notes: Notes, member: Member, post_id: int, writer: Account
) -> None:
    newcomer = member("newcomer")
    note = notes.write(writer.id, post_id, a_note())
    assert notes.eligibility(newcomer.id).because is IneligibleBecause.ACCOUNT_TOO_NEW
    with pytest.raises(NotesForbiddenError, match="too new"):
        notes.write(newcomer.id, post_id, a_note())
    with pytest.raises(NotesForbiddenError, match="too new"):
        notes.rate(newcomer.id, note.id, helpful())
    with pytest.raises(NotesForbiddenError, match="too new"):
        notes.request(newcomer.id, post_id)


@pytest.mark.parametrize(
    ("action", "because"),
    [
        (ActionKind.SUSPEND, IneligibleBecause.ACCOUNT_SUSPENDED),
        (ActionKind.LIMIT, IneligibleBecause.ACCOUNT_LIMITED),
    ],
)
def test_an_account_moderation_holds_something_against_may_not_contribute(
    notes: Notes,
    enforce: Enforce,
    writer: Account,
    post_id: int,
    action: ActionKind,
    because: IneligibleBecause,
) -> None:
    enforce(action, AccountTarget(writer.id))
    assert notes.eligibility(writer.id).because is because
    with pytest.raises(NotesForbiddenError):
        notes.write(writer.id, post_id, a_note())


# Writing ---------------------------------------------------------------------------------


def test_a_member_writes_one_note_per_post(notes: Notes, writer: Account, post_id: int) -> None:
    note = notes.write(writer.id, post_id, a_note())
    assert note.post_id == post_id
    assert note.status is NoteStatus.NEEDS_MORE_RATINGS
    assert note.written_by_viewer
    assert note.author_id == writer.id
    with pytest.raises(DuplicateNoteError):
        notes.write(writer.id, post_id, a_note("Another angle."))


def test_no_note_on_ones_own_post(notes: Notes, author: Account, post_id: int) -> None:
    with pytest.raises(NotesForbiddenError, match="your own post"):
        notes.write(author.id, post_id, a_note())


def test_a_removed_post_takes_no_notes(
    notes: Notes, enforce: Enforce, writer: Account, post_id: int
) -> None:
    enforce(ActionKind.REMOVE, PostTarget(post_id))
    with pytest.raises(NotesForbiddenError, match="hidden"):
        notes.write(writer.id, post_id, a_note())
    with pytest.raises(NotesForbiddenError):
        notes.request(writer.id, post_id)


def test_a_post_the_member_may_not_read_is_not_found(
    notes: Notes, author: Account, writer: Account, make_post: PostFactory
) -> None:
    private = make_post(author, "for followers", visibility=PostVisibility.PRIVATE)
    with pytest.raises(NotesNotFoundError):
        notes.write(writer.id, private.id, a_note())
    with pytest.raises(NotesNotFoundError):
        notes.on_post(writer.id, 999_999)


def test_a_note_on_a_repost_is_on_the_original(
    notes: Notes, microblog: Microblog, writer: Account, rater: Account, post_id: int
) -> None:
    repost = microblog.posts.reblog(rater.id, post_id)
    assert notes.write(writer.id, repost.id, a_note()).post_id == post_id


# Rating ----------------------------------------------------------------------------------


def test_authors_cannot_rate_their_own_note(notes: Notes, writer: Account, post_id: int) -> None:
    note = notes.write(writer.id, post_id, a_note())
    with pytest.raises(NotesForbiddenError, match="your own note"):
        notes.rate(writer.id, note.id, helpful())


def test_rating_again_replaces_the_rating(
    notes: Notes, writer: Account, rater: Account, post_id: int
) -> None:
    note = notes.write(writer.id, post_id, a_note())
    notes.rate(rater.id, note.id, helpful())
    notes.rate(rater.id, note.id, rating_draft(level="SOMEWHAT_HELPFUL", tags=["helpfulClear"]))
    seen = notes.note(rater.id, note.id)
    assert seen.ratings == 1
    assert seen.viewer_rating is not None
    assert seen.viewer_rating.level is HelpfulnessLevel.SOMEWHAT_HELPFUL
    assert seen.viewer_rating.tags == ("helpfulClear",)


def test_rating_a_missing_note_is_not_found(notes: Notes, rater: Account) -> None:
    with pytest.raises(NoteNotFoundError):
        notes.rate(rater.id, 12345, helpful())


# Requests --------------------------------------------------------------------------------


def test_requests_are_counted_once_per_member(
    notes: Notes, writer: Account, rater: Account, post_id: int
) -> None:
    assert notes.request(writer.id, post_id) == 1
    assert notes.request(writer.id, post_id) == 1
    assert notes.request(rater.id, post_id) == 2
    seen = notes.on_post(writer.id, post_id)
    assert (seen.requests, seen.requested_by_viewer) == (2, True)
    assert notes.on_post(None, post_id).requested_by_viewer is False


# Reading ---------------------------------------------------------------------------------


def test_authors_are_hidden_until_a_note_is_decided(
    notes: Notes, writer: Account, rater: Account, post_id: int, set_status: SetStatus
) -> None:
    note = notes.write(writer.id, post_id, a_note())
    assert notes.note(rater.id, note.id).author_id is None
    set_status(note.id, post_id, NoteStatus.CURRENTLY_RATED_HELPFUL)
    assert notes.note(rater.id, note.id).author_id == writer.id


def test_anonymous_visitors_read_only_decided_notes_helpful_first(
    notes: Notes,
    member: Member,
    make_post: PostFactory,
    set_status: SetStatus,
    settle: Callable[[], None],
) -> None:
    writers = [member(name) for name in ("w1", "w2", "w3")]
    post_id = make_post(member("p"), "A claim.").id
    settle()
    waiting, unhelpful, shown = (notes.write(w.id, post_id, a_note()) for w in writers)
    with pytest.raises(NotesForbiddenError):
        notes.write(member("w4").id, post_id, a_note())  # created now: too new
    set_status(unhelpful.id, post_id, NoteStatus.CURRENTLY_RATED_NOT_HELPFUL)
    set_status(shown.id, post_id, NoteStatus.CURRENTLY_RATED_HELPFUL)
    assert [n.id for n in notes.on_post(None, post_id).notes] == [shown.id, unhelpful.id]
    member_view = notes.on_post(member("reader").id, post_id).notes
    assert [n.id for n in member_view] == [shown.id, waiting.id, unhelpful.id]
    with pytest.raises(NoteNotFoundError):
        notes.note(None, waiting.id)


def test_a_members_own_notes(notes: Notes, writer: Account, post_id: int) -> None:
    note = notes.write(writer.id, post_id, a_note())
    assert [n.id for n in notes.written_by(writer.id)] == [note.id]


# Needs your rating -----------------------------------------------------------------------


def test_the_list_leaves_out_own_rated_decided_and_hidden_notes(
    notes: Notes,
    member: Member,
    make_post: PostFactory,
    enforce: Enforce,
    set_status: SetStatus,
    settle: Callable[[], None],
) -> None:
    me, poster, other = member("me"), member("p"), member("o")
    posts = [make_post(poster, f"claim {n}").id for n in range(4)]
    settle()
    mine = notes.write(me.id, posts[0], a_note())
    rated = notes.write(other.id, posts[1], a_note())
    notes.rate(me.id, rated.id, helpful())
    decided = notes.write(other.id, posts[2], a_note())
    set_status(decided.id, posts[2], NoteStatus.CURRENTLY_RATED_HELPFUL)
    hidden = notes.write(other.id, posts[3], a_note())
    waiting = notes.write(other.id, posts[0], a_note())
    enforce(ActionKind.REMOVE, PostTarget(posts[3]))
    listed = notes.needing_rating(me.id)
    assert [n.id for n in listed] == [waiting.id]
    assert listed[0].author_id is None
    assert {mine.id, rated.id, decided.id, hidden.id}.isdisjoint(n.id for n in listed)


def test_notes_the_viewers_side_has_not_rated_come_first(
    notes: Notes,
    member: Member,
    make_post: PostFactory,
    set_factor: SetFactor,
    settle: Callable[[], None],
) -> None:
    me, poster, left, right = member("me"), member("p"), member("l"), member("r")
    first, second = make_post(poster, "one").id, make_post(poster, "two").id
    settle()
    set_factor(me, 0.8)
    set_factor(left, -0.7)
    set_factor(right, 0.9)
    writer_a, writer_b = member("wa"), member("wb")
    settle()
    rated_by_my_side = notes.write(writer_a.id, first, a_note())
    notes.rate(right.id, rated_by_my_side.id, helpful())
    rated_by_the_other = notes.write(writer_b.id, second, a_note())
    notes.rate(left.id, rated_by_the_other.id, helpful())
    order = [n.id for n in notes.needing_rating(me.id)]
    assert order == [rated_by_the_other.id, rated_by_my_side.id]


# Impact ----------------------------------------------------------------------------------


def test_impact_from_statuses_and_ratings_made_before_them(
    notes: Notes,
    member: Member,
    make_post: PostFactory,
    set_status: SetStatus,
    clock: FixedClock,
    settle: Callable[[], None],
) -> None:
    me, poster, other = member("me"), member("p"), member("o")
    posts = [make_post(poster, f"claim {n}").id for n in range(3)]
    settle()
    good = notes.write(me.id, posts[0], a_note())
    bad = notes.write(me.id, posts[1], a_note())
    theirs = notes.write(other.id, posts[2], a_note())
    notes.rate(me.id, theirs.id, not_helpful())
    settle()
    set_status(good.id, posts[0], NoteStatus.CURRENTLY_RATED_HELPFUL)
    set_status(bad.id, posts[1], NoteStatus.CURRENTLY_RATED_NOT_HELPFUL)
    set_status(theirs.id, posts[2], NoteStatus.CURRENTLY_RATED_NOT_HELPFUL)
    impact = notes.impact(me.id)
    assert (impact.writing.helpful, impact.writing.not_helpful, impact.writing.score) == (1, 1, 0)
    assert (impact.rating.successful, impact.rating.score) == (1, 1)


def test_a_second_note_by_one_author_on_one_post_meets_the_unique_key(
    notes: Notes, services: Services, writer: Account, post_id: int, clock: FixedClock
) -> None:
    """Two requests can both read "no note yet" on PostgreSQL: the (post, author) key lets
    only one in, whatever the service read first."""
    first = notes.write(writer.id, post_id, a_note())
    copy = {
        "id": first.id + 1,
        "post_id": post_id,
        "author_id": writer.id,
        "created_at": clock.now(),
        "classification": first.classification.value,
        "trustworthy_sources": True,
        "text": "Written at the same moment.",
        "sources": "https://a.example/",
    }
    with pytest.raises(IntegrityError), services.db.write() as c:
        c.execute(community_notes.insert().values(**copy))
