"""Polls: a question asked with a post, its options, and who voted for what.

A poll's counts are kept with the votes, in the vote's transaction; what a viewer sees of
them (hidden until the end, with `hide_totals`) is decided when the poll is read.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, insert, select, update

from townsquare.microblog._context import Context
from townsquare.microblog._errors import InvalidPostError, InvalidVoteError, PostNotFoundError
from townsquare.microblog._models import PollDraft, PollView
from townsquare.microblog._text import count_characters
from townsquare.storage import Prebuilt, member_of
from townsquare.storage.tables import poll_options, poll_votes, polls

__all__ = [
    "MAX_POLL_OPTIONS",
    "MAX_POLL_OPTION_CHARACTERS",
    "POLL_DURATION",
    "Polls",
    "check_poll",
    "poll_views",
    "record_poll",
]

MAX_POLL_OPTIONS = 4  # as Mastodon's defaults
MAX_POLL_OPTION_CHARACTERS = 50
POLL_DURATION = (timedelta(minutes=5), timedelta(days=30))


def check_poll(poll: PollDraft) -> PollDraft:
    """The poll as it would be asked (options trimmed), or InvalidPostError saying why not."""
    options = tuple(option.strip() for option in poll.options)
    if not 2 <= len(options) <= MAX_POLL_OPTIONS:
        raise InvalidPostError(f"A poll has 2 to {MAX_POLL_OPTIONS} options, not {len(options)}.")
    if any(not option for option in options):
        raise InvalidPostError("A poll's options cannot be empty.")
    if any(count_characters(o) > MAX_POLL_OPTION_CHARACTERS for o in options):
        raise InvalidPostError(
            f"A poll's options are at most {MAX_POLL_OPTION_CHARACTERS} characters each."
        )
    if len(set(options)) != len(options):
        raise InvalidPostError("A poll's options must differ from one another.")
    shortest, longest = (int(d.total_seconds()) for d in POLL_DURATION)
    if not shortest <= poll.expires_in <= longest:
        raise InvalidPostError(
            f"A poll is open from {shortest} seconds to {longest} seconds (30 days); "
            f"expires_in was {poll.expires_in}."
        )
    return PollDraft(options, poll.expires_in, poll.multiple, poll.hide_totals)


def record_poll(conn: Connection, post_id: int, poll: PollDraft, now: datetime) -> None:
    """Store a checked poll with its post (in the post's transaction)."""
    expires_at = now + timedelta(seconds=poll.expires_in)
    _POLL.run(
        conn,
        post_id=post_id,
        expires_at=expires_at,
        multiple=poll.multiple,
        hide_totals=poll.hide_totals,
    )
    _OPTIONS.run_many(
        conn, [{"post_id": post_id, "position": i, "title": t} for i, t in enumerate(poll.options)]
    )


def poll_views(
    conn: Connection, viewer_id: int | None, post_ids: Sequence[int], now: datetime
) -> dict[int, PollView]:
    """The polls of `post_ids` as the viewer sees them (two queries, three with a viewer)."""
    if not post_ids:
        return {}
    options: dict[int, list[tuple[str, int]]] = {}
    for post_id, title, count in _OPTIONS_OF.rows(conn, ids=post_ids):
        options.setdefault(post_id, []).append((title, count))
    mine: dict[int, list[int]] = {}
    if viewer_id is not None:
        for post_id, position in _VOTES_OF.rows(conn, viewer=viewer_id, ids=post_ids):
            mine.setdefault(post_id, []).append(position)
    views = {}
    for post_id, expires_at, multiple, hide_totals, voters in _POLLS_OF.rows(conn, ids=post_ids):
        expired = expires_at <= now
        counted = options.get(post_id, [])
        shown = not hide_totals or expired
        views[post_id] = PollView(
            post_id=post_id,
            expires_at=expires_at,
            expired=expired,
            multiple=bool(multiple),
            votes_count=sum(count for _, count in counted),
            voters_count=voters,
            options=tuple((title, count if shown else None) for title, count in counted),
            voted=post_id in mine,
            own_votes=tuple(sorted(mine.get(post_id, ()))),
        )
    return views


_POLL = Prebuilt(
    insert(polls).values(
        {c: bindparam(c) for c in ("post_id", "expires_at", "multiple", "hide_totals")}
    )
)
_OPTIONS = Prebuilt(
    insert(poll_options).values({c: bindparam(c) for c in ("post_id", "position", "title")})
)
_POLLS_OF = Prebuilt(
    select(
        polls.c.post_id,
        polls.c.expires_at,
        polls.c.multiple,
        polls.c.hide_totals,
        polls.c.voters_count,
    ).where(member_of(polls.c.post_id, "ids"))
)
_OPTIONS_OF = Prebuilt(
    select(poll_options.c.post_id, poll_options.c.title, poll_options.c.votes_count)
    .where(member_of(poll_options.c.post_id, "ids"))
    .order_by(poll_options.c.post_id, poll_options.c.position)
)
_VOTES_OF = Prebuilt(
    select(poll_votes.c.post_id, poll_votes.c.position).where(
        poll_votes.c.account_id == bindparam("viewer"), member_of(poll_votes.c.post_id, "ids")
    )
)
_VOTE = Prebuilt(
    insert(poll_votes).values(
        {c: bindparam(c) for c in ("post_id", "account_id", "position", "created_at")}
    )
)
_COUNT_VOTE = Prebuilt(
    update(poll_options)
    .where(
        poll_options.c.post_id == bindparam("post"), member_of(poll_options.c.position, "chosen")
    )
    .values(votes_count=poll_options.c.votes_count + 1)
)
_COUNT_VOTER = Prebuilt(
    update(polls)
    .where(polls.c.post_id == bindparam("post"))
    .values(voters_count=polls.c.voters_count + 1)
)


class Polls:
    def __init__(self, context: Context) -> None:
        self._ctx = context

    def vote(self, voter_id: int, post_id: int, choices: Sequence[int]) -> None:
        """Vote in the poll of `post_id` (which the caller checked the voter may see):
        once, before it ends, one option unless it allows several."""
        chosen = sorted(set(choices))
        with self._ctx.db.write() as c:
            found = _POLLS_OF.rows(c, ids=[post_id])
            if not found:
                raise PostNotFoundError(f"Post {post_id} has no poll.")
            _, expires_at, multiple, _, _ = found[0]
            positions = len(_OPTIONS_OF.rows(c, ids=[post_id]))
            now = self._ctx.clock.now()
            if expires_at <= now:
                raise InvalidVoteError("This poll has ended.")
            if not chosen or any(not 0 <= p < positions for p in chosen):
                raise InvalidVoteError(f"choices must name options from 0 to {positions - 1}.")
            if len(chosen) > 1 and not multiple:
                raise InvalidVoteError("This poll allows one choice only.")
            # Counting the voter first takes the poll's row lock (PostgreSQL), so two votes
            # by one voter at once are one after the other: the second sees the first.
            _COUNT_VOTER.run(c, post=post_id)
            if _VOTES_OF.rows(c, viewer=voter_id, ids=[post_id]):
                raise InvalidVoteError("You have already voted in this poll.")
            rows = [
                {"post_id": post_id, "account_id": voter_id, "position": p, "created_at": now}
                for p in chosen
            ]
            _VOTE.run_many(c, rows)
            _COUNT_VOTE.run(c, post=post_id, chosen=chosen)
