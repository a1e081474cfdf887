"""Loading the demo's notes plan through the notes service, then scoring it for real.

Notes, ratings and requests go through `Notes.write`, `rate` and `request`, which check
eligibility and visibility as they do for any member. They run on a clock of their own, set
back to the fortnight the plan puts them in (the moderation stage has moved the world's clock
past it); ids still come from the world's generator, which never goes backwards.

Then one scoring run goes the way every run goes (`ScoringRuns.run`): the Core scorer decides,
and the statuses change through moderation's note-status path, a ledger entry each. A new
server's first run changes many statuses at once, so the drift guard holds it (logged); a demo
moderator then releases it through the moderators' path (logged too), as on a real server.
At the end the ledger's queued entries are integrated, so `townsquare ledger verify` sees them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from townsquare.demo._moderation_loader import DemoModeration
from townsquare.demo._notes_plan import NotesPlan, PlannedNote, PlannedNoteRequest, PlannedRating
from townsquare.kernel import FixedClock
from townsquare.microblog import Microblog
from townsquare.moderation import Moderation, ModerationStanding
from townsquare.notes import (
    DEFAULT_MIN_ACCOUNT_AGE_DAYS,
    EligibilityRules,
    Notes,
    RunState,
    RunSummary,
    ScoringRuns,
    note_draft,
    rating_draft,
)
from townsquare.notes.scoring import NoteStatus

__all__ = ["NotesCounts", "load_notes"]

# The scoring run starts a little after the last moderation step; the moderator reviews the
# held run within the hour.
_BEFORE_SCORING = timedelta(hours=6)
_BEFORE_REVIEW = timedelta(minutes=40)


@dataclass(frozen=True)
class NotesCounts:
    """What the notes stage loaded and what the scoring decided."""

    notes: int
    ratings: int
    requests: int
    helpful: int  # rated helpful: shown under their posts
    not_helpful: int
    needs_more_ratings: int


NO_NOTES = NotesCounts(0, 0, 0, 0, 0, 0)


def load_notes(
    microblog: Microblog,
    clock: FixedClock,
    given: DemoModeration,
    plan: NotesPlan,
    ids: tuple[list[int], list[int], int],
    progress: Callable[[int, int], None],
) -> NotesCounts:
    """Write, rate and request `plan` in time order, then score; `ids` are the accounts' and
    posts' ids and the account id of the moderator who reviews a held run."""
    accounts, posts, reviewer = ids
    if not plan.notes:  # a world too small for notes (see `plan_notes`)
        progress(0, 0)
        return NO_NOTES
    notes = _notes_service(microblog, plan)
    written: list[int] = []
    events = plan.events
    total = len(events) + 1
    progress(0, total)
    for done, event in enumerate(events, 1):
        notes.clock.advance(event.at - notes.clock.now())
        if isinstance(event, PlannedNote):
            written.append(_write(notes.service, event, accounts, posts))
        elif isinstance(event, PlannedRating):
            draft = rating_draft(level=event.level, tags=event.tags)
            notes.service.rate(accounts[event.rater], written[event.note], draft)
        elif isinstance(event, PlannedNoteRequest):
            notes.service.request(accounts[event.requester], posts[event.post])
        if done % 50 == 0:
            progress(done, total)
    summary = _score(microblog, clock, given, reviewer)
    progress(total, total)
    while given.ledger.integrate() is not None:
        pass
    return _counts(plan, summary)


@dataclass(frozen=True)
class _NotesOnItsClock:
    service: Notes
    clock: FixedClock


def _notes_service(microblog: Microblog, plan: NotesPlan) -> _NotesOnItsClock:
    clock = FixedClock(plan.events[0].at)
    service = Notes(
        microblog.db,
        microblog,
        ModerationStanding(clock),
        clock=clock,
        ids=microblog.context.ids,
        rules=EligibilityRules(min_account_age_days=DEFAULT_MIN_ACCOUNT_AGE_DAYS),
    )
    return _NotesOnItsClock(service, clock)


def _write(notes: Notes, planned: PlannedNote, accounts: list[int], posts: list[int]) -> int:
    draft = note_draft(
        classification=(
            "MISINFORMED_OR_POTENTIALLY_MISLEADING" if planned.misleading else "NOT_MISLEADING"
        ),
        reasons=planned.reasons,
        trustworthy_sources=True,
        text=planned.text,
        sources=planned.sources,
        believable="BELIEVABLE_BY_MANY",
        harmful="LITTLE_HARM",
        validation_difficulty="EASY",
    )
    return notes.write(accounts[planned.author], posts[planned.post], draft).id


def _score(
    microblog: Microblog, clock: FixedClock, given: DemoModeration, reviewer: int
) -> RunSummary:
    """One real scoring run; a held run is released by `reviewer`."""
    clock.advance(_BEFORE_SCORING)
    moderation = Moderation(
        microblog.db, given.ledger, given.policies, clock=clock, ids=microblog.context.ids
    )
    runs = ScoringRuns(
        microblog.db,
        given.ledger,
        moderation.enforce_note_statuses,
        clock=clock,
        ids=microblog.context.ids,
    )
    summary = runs.run()
    if summary.state != RunState.HELD:
        return summary
    clock.advance(_BEFORE_REVIEW)
    return runs.release(summary.run_id, reviewer)


def _counts(plan: NotesPlan, summary: RunSummary) -> NotesCounts:
    by_status = summary.by_status
    return NotesCounts(
        notes=len(plan.notes),
        ratings=len(plan.ratings),
        requests=len(plan.requests),
        helpful=by_status.get(NoteStatus.CURRENTLY_RATED_HELPFUL.value, 0),
        not_helpful=by_status.get(NoteStatus.CURRENTLY_RATED_NOT_HELPFUL.value, 0),
        needs_more_ratings=by_status.get(NoteStatus.NEEDS_MORE_RATINGS.value, 0),
    )
