"""The demo's notes stage: notes written, rated and requested through the notes service, then
scored by a real run whose statuses go through moderation's path and the ledger."""

from collections import Counter

import pytest
from sqlalchemy import func, select

from demo.conftest import ACCOUNTS, POSTS, SEED, LoadedDemo
from townsquare.app import Services
from townsquare.demo import (
    Camp,
    DemoWorld,
    NoteKind,
    NotesPlan,
    Stage,
    WorldPlan,
    plan_moderation,
    plan_notes,
    plan_world,
)
from townsquare.demo._moderation_plan import (
    ELECTION_CLOSES_AT,
    ELECTION_OPENS_AT,
    AccountRef,
    PostRef,
)
from townsquare.demo._request_plan import plan_requests
from townsquare.ledger import decode_entry
from townsquare.moderation import (
    NOTE_STATUS_ENTRY_TYPE,
    ProjectionDifference,
    default_policy_directory,
    load_policies,
)
from townsquare.notes import RUN_HELD_ENTRY_TYPE, RUN_RELEASED_ENTRY_TYPE
from townsquare.notes.scoring import NoteStatus
from townsquare.storage import tables


def _plans(seed: int, accounts: int = ACCOUNTS, posts: int = POSTS) -> tuple[WorldPlan, NotesPlan]:
    world = plan_world(seed, accounts=accounts, posts=posts)
    cases = plan_moderation(world, load_policies(default_policy_directory()), seed)
    return world, plan_notes(world, cases, plan_requests(world, cases.cases, seed), seed)


Loaded = tuple[DemoWorld, list[tuple[Stage, int, int]]]


@pytest.fixture
def services(shared_demo: LoadedDemo) -> Services:
    """The tests on a loaded world only read it: they share the process's loaded demo."""
    return shared_demo.services


@pytest.fixture
def loaded(shared_demo: LoadedDemo) -> Loaded:
    return shared_demo.world, list(shared_demo.progress)


@pytest.fixture
def world(loaded: Loaded) -> DemoWorld:
    return loaded[0]


def test_the_plan_is_the_same_for_the_same_seed() -> None:
    _, first = _plans(SEED)
    _, again = _plans(SEED)
    assert first == again
    assert _plans(SEED + 1)[1] != first


def test_every_rater_rates_enough_notes_and_both_camps_rate() -> None:
    world, plan = _plans(SEED)
    per_rater = Counter(rating.rater for rating in plan.ratings)
    assert min(per_rater.values()) >= 10  # the Core scorer's minimum per rater
    camps = Counter(world.cast[rater].camp for rater in per_rater)
    assert min(camps[Camp.HORIZON], camps[Camp.SOCLE]) >= 4
    assert camps[Camp.NEUTRAL] >= 3
    assert all(plan.notes[r.note].author != r.rater for r in plan.ratings)
    assert all(plan.notes[r.note].at < r.at for r in plan.ratings)


def test_one_sided_notes_are_liked_by_the_other_camp_only() -> None:
    world, plan = _plans(SEED)
    for n, note in enumerate(plan.notes):
        if note.kind != NoteKind.ONE_SIDED:
            continue
        noted = world.cast[world.posts[note.post].author].camp
        assert world.cast[note.author].camp == noted.opponent
        for rating in (r for r in plan.ratings if r.note == n):
            camp = world.cast[rating.rater].camp
            expected = {noted: "NOT_HELPFUL", Camp.NEUTRAL: "SOMEWHAT_HELPFUL"}
            assert rating.level == expected.get(camp, "HELPFUL")


def test_election_notes_are_on_the_windows_posts_while_it_is_open() -> None:
    world, plan = _plans(SEED)
    election = [note for note in plan.notes if note.election]
    assert len(election) >= 6
    for note in election:
        assert ELECTION_OPENS_AT <= note.at < ELECTION_CLOSES_AT
        assert "#horizon2027" in world.posts[note.post].text.casefold() or (
            "#socle2027" in world.posts[note.post].text.casefold()
        )
    assert all(note.at < ELECTION_OPENS_AT for note in plan.notes if not note.election)


def test_nothing_a_moderation_case_names_is_noted_or_takes_part() -> None:
    world, plan = _plans(SEED)
    cases = plan_moderation(world, load_policies(default_policy_directory()), SEED)
    posts = {
        c.target.index
        for c in cases.cases
        if isinstance(c.target, PostRef) and not c.target.incident
    }
    accounts = {c.target.account for c in cases.cases if isinstance(c.target, AccountRef)}
    assert not posts & {note.post for note in plan.notes}
    people = {n.author for n in plan.notes} | {r.rater for r in plan.ratings}
    assert not accounts & people


def test_a_world_too_small_for_notes_plans_none() -> None:
    _, plan = _plans(1, accounts=20, posts=200)
    assert plan == NotesPlan((), (), ())


def _statuses_by_kind(services: Services) -> dict[NoteKind, list[str]]:
    _, plan = _plans(SEED)
    kind_of = {note.text: note.kind for note in plan.notes}
    notes, statuses = tables.community_notes, tables.note_statuses
    query = select(notes.c.text, statuses.c.status).outerjoin(
        statuses, statuses.c.note_id == notes.c.id
    )
    found: dict[NoteKind, list[str]] = {kind: [] for kind in NoteKind}
    with services.db.read() as conn:
        for row in conn.execute(query):
            found[kind_of[row.text]].append(row.status or NoteStatus.NEEDS_MORE_RATINGS.value)
    return found


def test_bridging_notes_are_shown_and_one_sided_ones_never(
    services: Services, world: DemoWorld
) -> None:
    by_kind = _statuses_by_kind(services)
    helpful = NoteStatus.CURRENTLY_RATED_HELPFUL.value
    assert world.notes.helpful >= 5
    assert len(services.moderation.shown_notes()) == world.notes.helpful
    assert by_kind[NoteKind.BRIDGING].count(helpful) == world.notes.helpful
    assert helpful not in by_kind[NoteKind.ONE_SIDED]
    assert set(by_kind[NoteKind.UNHELPFUL]) == {NoteStatus.CURRENTLY_RATED_NOT_HELPFUL.value}
    assert set(by_kind[NoteKind.UNDERRATED]) == {NoteStatus.NEEDS_MORE_RATINGS.value}
    total = world.notes.helpful + world.notes.not_helpful + world.notes.needs_more_ratings
    assert total == world.notes.notes == sum(len(v) for v in by_kind.values())


def test_the_held_first_run_is_released_by_a_moderator_and_logged(
    services: Services, world: DemoWorld
) -> None:
    runs = tables.note_scoring_runs
    with services.db.read() as conn:
        ratings = conn.scalar(select(func.count()).select_from(tables.note_ratings))
        requests = conn.scalar(select(func.count()).select_from(tables.note_requests))
        (run,) = conn.execute(select(runs)).all()
        stored = conn.execute(select(tables.ledger_entries.c.entry)).scalars()
        entries = [decode_entry(entry) for entry in stored]
        pending = conn.scalar(select(func.count()).select_from(tables.ledger_pending))
    assert run.state == "released"
    assert services.microblog.accounts.get(run.reviewed_by).username == "noor"
    types = Counter(entry.type for entry in entries)
    assert types[RUN_HELD_ENTRY_TYPE] == types[RUN_RELEASED_ENTRY_TYPE] == 1
    assert types[NOTE_STATUS_ENTRY_TYPE] == world.notes.helpful + world.notes.not_helpful
    assert pending == 0
    assert ratings == world.notes.ratings > 0
    assert requests == world.notes.requests > 0
    for shown in services.moderation.shown_notes():
        (change,) = services.moderation.note_history(shown.note_id)
        assert change.ledger_index is not None
    difference = services.moderation.check_projection()
    assert difference == ProjectionDifference(difference.decisions, frozenset(), frozenset())


def test_the_election_windows_notes_are_listed_for_its_page(
    services: Services, loaded: Loaded
) -> None:
    _, progress = loaded
    [window] = services.moderation.elections.all()
    written = (window.starts_at, window.ends_at)
    listed = services.notes.on_tagged_posts(None, window.hashtags, written=written)
    assert listed, "anonymous visitors should see the window's decided notes"
    assert {note.status for note in listed} <= {
        NoteStatus.CURRENTLY_RATED_HELPFUL,
        NoteStatus.CURRENTLY_RATED_NOT_HELPFUL,
    }
    noor = services.microblog.accounts.by_username("noor").id
    for_member = services.notes.on_tagged_posts(noor, window.hashtags, written=written)
    assert len(for_member) > len(listed)
    assert all(window.starts_at <= note.created_at < window.ends_at for note in for_member)
    notes = [(done, total) for stage, done, total in progress if stage == Stage.NOTES]
    assert notes[0][0] == 0
    assert notes[-1][0] == notes[-1][1] > 0
