"""Planning the demo world: a pure function of the seed and the sizes.

The plan says who exists, who follows whom, and what everyone posts, replies, quotes, reposts
and likes, and when — all over a fixed past period, so the world is the same on every run and
every day. Loading it into a database is `_loader`'s job; later stages (moderation cases,
community notes) add their own plans after these.

Stages: (1) the cast, (2) the follow graph by preferential attachment with homophily, (3) the
activity: posts, threads, quotes, reposts and likes in time order.
"""

import bisect
import enum
import itertools
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from random import Random

from townsquare.demo._cast import NAMED, Camp, Persona, cast
from townsquare.demo._templates import Genre
from townsquare.demo._writing import write
from townsquare.microblog import PostVisibility

__all__ = [
    "ACTIVITY_ENDS_AT",
    "ACTIVITY_STARTS_AT",
    "Activity",
    "PlannedFollow",
    "PlannedLike",
    "PlannedPost",
    "PlannedRepost",
    "Topic",
    "WorldPlan",
    "plan_world",
]

ACTIVITY_ENDS_AT = datetime(2026, 11, 1, tzinfo=UTC)
ACTIVITY_STARTS_AT = ACTIVITY_ENDS_AT - timedelta(days=60)
_JOINING = (ACTIVITY_STARTS_AT - timedelta(days=120), ACTIVITY_STARTS_AT - timedelta(days=30))
_FOLLOWING = (ACTIVITY_STARTS_AT - timedelta(days=30), ACTIVITY_STARTS_AT)
_DEBATE = (datetime(2026, 10, 14, 19, tzinfo=UTC), datetime(2026, 10, 14, 23, tzinfo=UTC))
_DEBATE_SHARE = 0.03
# Relative activity by hour of the day (UTC): quiet nights, lunch and evening peaks.
_HOURLY = (1, 1, 1, 1, 1, 2, 4, 7, 9, 8, 7, 8, 10, 9, 7, 7, 8, 9, 11, 12, 12, 10, 6, 3)

REPOSTS_PER_POST = 0.15
LIKES_PER_POST = 1.0
_REPLY_SHARE = 0.35
_QUOTE_SHARE = 0.08


class Topic(enum.StrEnum):
    """What a post is about; a party's name when it argues for that party."""

    EVERYDAY = "everyday"
    NEWS = "news"
    ELECTION = "election"
    HORIZON = "horizon"
    SOCLE = "socle"


@dataclass(frozen=True)
class PlannedFollow:
    follower: int
    followed: int
    at: datetime


@dataclass(frozen=True)
class PlannedPost:
    """A post with text. `reply_to` and `quote_of` are indexes of earlier planned posts."""

    author: int
    text: str
    language: str
    topic: Topic
    at: datetime
    reply_to: int | None = None
    quote_of: int | None = None
    visibility: PostVisibility = PostVisibility.PUBLIC


@dataclass(frozen=True)
class PlannedRepost:
    actor: int
    post: int
    at: datetime


@dataclass(frozen=True)
class PlannedLike:
    actor: int
    post: int
    at: datetime


Activity = PlannedPost | PlannedRepost | PlannedLike


@dataclass(frozen=True)
class WorldPlan:
    """Everything the loader writes. Accounts are referred to by their index in `cast`."""

    seed: int
    cast: tuple[Persona, ...]
    joined_at: tuple[datetime, ...]
    follows: tuple[PlannedFollow, ...]
    activity: tuple[Activity, ...]

    @property
    def posts(self) -> tuple[PlannedPost, ...]:
        return tuple(a for a in self.activity if isinstance(a, PlannedPost))


def plan_world(seed: int, *, accounts: int, posts: int) -> WorldPlan:
    """The demo world for `seed`: `accounts` accounts and `posts` posts with text (originals,
    replies and quotes), plus reposts and likes in proportion."""
    rng = Random(seed)  # noqa: S311 (reproducible fiction, not secrets)
    people = cast(rng, accounts)
    joined = _moments(rng, len(people), *_JOINING)
    follows = _follow_graph(rng, people)
    activity = _ActivityPlanner(rng, people, follows).plan(posts)
    return WorldPlan(seed, people, joined, follows, activity)


def _moments(rng: Random, count: int, start: datetime, end: datetime) -> tuple[datetime, ...]:
    span = (end - start).total_seconds()
    return tuple(
        start + timedelta(seconds=s) for s in sorted(rng.random() * span for _ in range(count))
    )


# -- (2) the follow graph ------------------------------------------------------------------


def _follow_graph(rng: Random, people: Sequence[Persona]) -> tuple[PlannedFollow, ...]:
    """Preferential attachment: each follow picks its target with probability growing with the
    followers it already has (an urn holding each account once plus once per follower), which
    gives the power-law audience of real networks. People follow their own camp and language
    more readily than the other."""
    n = len(people)
    # The named accounts start with a head start, as well-known accounts do.
    urn = list(range(n)) + [i for i in range(len(NAMED)) for _ in range(3)]
    wanted = [min(max(2, n // 3), max(2, int(rng.lognormvariate(2.6, 0.85)))) for _ in range(n)]
    following: list[set[int]] = [set() for _ in range(n)]
    pairs: list[tuple[int, int]] = []
    order = list(range(n))
    for _ in range(max(wanted)):
        rng.shuffle(order)
        for i in order:
            if len(following[i]) >= wanted[i]:
                continue
            target = _pick_followee(rng, people, urn, i, following[i])
            if target is not None:
                following[i].add(target)
                urn.append(target)
                pairs.append((i, target))
    times = _moments(rng, len(pairs), *_FOLLOWING)
    return tuple(PlannedFollow(a, b, at) for (a, b), at in zip(pairs, times, strict=True))


def _pick_followee(
    rng: Random, people: Sequence[Persona], urn: list[int], i: int, already: set[int]
) -> int | None:
    me = people[i]
    for _ in range(20):
        target = rng.choice(urn)
        if target == i or target in already:
            continue
        them = people[target]
        if me.camp.opponent is not None and them.camp == me.camp.opponent and rng.random() > 0.3:
            continue
        if them.language != me.language and not them.bilingual and rng.random() > 0.5:
            continue
        return target
    return None


# -- (3) activity ---------------------------------------------------------------------------


_OWN_GENRE = {Camp.HORIZON: Genre.HORIZON, Camp.SOCLE: Genre.SOCLE}
_REPLY_GENRE = {Camp.HORIZON: Genre.REPLY_HORIZON, Camp.SOCLE: Genre.REPLY_SOCLE}
_REBUTTAL_GENRE = {Camp.HORIZON: Genre.REBUTTAL_BY_HORIZON, Camp.SOCLE: Genre.REBUTTAL_BY_SOCLE}
_QUOTE_GENRE = {Camp.HORIZON: Genre.QUOTE_BY_HORIZON, Camp.SOCLE: Genre.QUOTE_BY_SOCLE}
_CAMP_TOPIC = {Camp.HORIZON: Topic.HORIZON, Camp.SOCLE: Topic.SOCLE}
_TOPIC_CAMP = {Topic.HORIZON: Camp.HORIZON, Topic.SOCLE: Camp.SOCLE}


class _ActivityPlanner:
    """Plans activity in time order, each event choosing among what happened before it."""

    def __init__(
        self, rng: Random, people: Sequence[Persona], follows: Sequence[PlannedFollow]
    ) -> None:
        self.rng = rng
        self.people = people
        self.followees: list[list[int]] = [[] for _ in people]
        for f in follows:
            self.followees[f.follower].append(f.followed)
        self.cumulative = list(itertools.accumulate(p.activity for p in people))
        self.posts: list[PlannedPost] = []
        self.recent_by_author: list[deque[int]] = [deque(maxlen=8) for _ in people]
        self.recent_public: deque[int] = deque(maxlen=300)
        self.recent_by_camp: dict[Topic, deque[int]] = {
            t: deque(maxlen=120) for t in (Topic.HORIZON, Topic.SOCLE, Topic.ELECTION)
        }
        self.awaiting_answer: list[deque[int]] = [deque(maxlen=5) for _ in people]
        self.done: set[tuple[str, int, int]] = set()

    def plan(self, posts: int) -> tuple[Activity, ...]:
        kinds = self._kinds(posts)
        moments = _activity_moments(self.rng, len(kinds))
        planned: list[Activity] = []
        for kind, at in zip(kinds, moments, strict=True):
            event = self._event(kind, at)
            if event is not None:
                planned.append(event)
        return tuple(planned)

    def _kinds(self, posts: int) -> list[str]:
        reposts = int(posts * REPOSTS_PER_POST)
        likes = int(posts * LIKES_PER_POST)
        head = min(posts, 20)
        rest = ["post"] * (posts - head) + ["repost"] * reposts + ["like"] * likes
        self.rng.shuffle(rest)
        return ["post"] * head + rest

    def _event(self, kind: str, at: datetime) -> Activity | None:
        actor = self._someone()
        if kind == "post":
            return self._post(actor, at)
        if kind == "repost":
            return self._interaction(PlannedRepost, "repost", actor, at)
        return self._interaction(PlannedLike, "like", actor, at)

    def _someone(self) -> int:
        point = self.rng.random() * self.cumulative[-1]
        return min(bisect.bisect_right(self.cumulative, point), len(self.people) - 1)

    # posts

    def _post(self, author: int, at: datetime) -> PlannedPost:
        roll = self.rng.random()
        planned: PlannedPost | None = None
        if roll < _REPLY_SHARE:
            planned = self._reply(author, at)
        elif roll < _REPLY_SHARE + _QUOTE_SHARE:
            planned = self._quote(author, at)
        if planned is None:
            planned = self._original(author, at)
        return self._record(planned)

    def _record(self, post: PlannedPost) -> PlannedPost:
        index = len(self.posts)
        self.posts.append(post)
        self.recent_by_author[post.author].append(index)
        if post.visibility != PostVisibility.PRIVATE:
            self.recent_public.append(index)
        public = post.visibility != PostVisibility.PRIVATE
        if post.topic in self.recent_by_camp and post.reply_to is None and public:
            self.recent_by_camp[post.topic].append(index)
        if post.reply_to is not None:
            parent_author = self.posts[post.reply_to].author
            if parent_author != post.author and self.rng.random() < 0.55:
                self.awaiting_answer[parent_author].append(index)
        return post

    def _original(self, author: int, at: datetime) -> PlannedPost:
        person = self.people[author]
        genre, topic = self._original_genre(author, at)
        mention = None
        if genre == Genre.MENTION:
            mention = self.people[self.rng.choice(self.followees[author])].username
        roll = self.rng.random()
        visibility = (
            PostVisibility.PRIVATE
            if roll < 0.02
            else PostVisibility.UNLISTED
            if roll < 0.07
            else PostVisibility.PUBLIC
        )
        language = self._language(person, None)
        text = write(self.rng, language, genre, mention=mention)
        return PlannedPost(author, text, language, topic, at, visibility=visibility)

    def _original_genre(self, author: int, at: datetime) -> tuple[Genre, Topic]:
        """Partisans argue for their side about half the time (most of debate night);
        everyone talks about their day, the news and, now and then, the election."""
        debate = _DEBATE[0] <= at < _DEBATE[1]
        camp = self.people[author].camp
        own = _OWN_GENRE.get(camp)
        if own is not None and self.rng.random() < (0.85 if debate else 0.45):
            return own, _CAMP_TOPIC[camp]
        if self.rng.random() < (0.5 if debate else 0.1):
            return Genre.ELECTION, Topic.ELECTION
        roll = self.rng.random()
        if roll < 0.2:
            return Genre.NEWS, Topic.NEWS
        if roll < 0.32 and self.followees[author]:
            return Genre.MENTION, Topic.EVERYDAY
        return Genre.EVERYDAY, Topic.EVERYDAY

    def _language(self, person: Persona, answering: PlannedPost | None) -> str:
        if answering is not None and person.bilingual:
            return answering.language
        if person.bilingual and self.rng.random() < 0.3:
            return "en" if person.language == "fr" else "fr"
        return person.language

    def _reply(self, author: int, at: datetime) -> PlannedPost | None:
        target = self._reply_target(author)
        if target is None:
            return None
        person = self.people[author]
        parent = self.posts[target]
        genre, topic = self._reply_genre(person, parent)
        language = self._language(person, parent)
        text = write(self.rng, language, genre)
        return PlannedPost(author, text, language, topic, at, reply_to=target)

    def _reply_target(self, author: int) -> int | None:
        waiting = self.awaiting_answer[author]
        if waiting and self.rng.random() < 0.7:
            return waiting.popleft()
        opponent = self.people[author].camp.opponent
        if opponent is not None and self.rng.random() < 0.35:
            found = self._recent(self.recent_by_camp[_CAMP_TOPIC[opponent]], author)
            if found is not None:
                return found
        found = self._from_followees(author)
        return found if found is not None else self._recent(self.recent_public, author)

    def _reply_genre(self, person: Persona, parent: PlannedPost) -> tuple[Genre, Topic]:
        camp = person.camp
        if camp == Camp.NEUTRAL or parent.topic in (Topic.EVERYDAY, Topic.NEWS):
            return Genre.REPLY_FRIENDLY, Topic.EVERYDAY
        parent_camp = _TOPIC_CAMP.get(parent.topic)
        if parent_camp == camp:
            return _REPLY_GENRE[camp], _CAMP_TOPIC[camp]
        if parent_camp is not None:
            return _REBUTTAL_GENRE[camp], _CAMP_TOPIC[camp]
        return _OWN_GENRE[camp], _CAMP_TOPIC[camp]

    def _quote(self, author: int, at: datetime) -> PlannedPost | None:
        person = self.people[author]
        target: int | None = None
        if person.camp != Camp.NEUTRAL and self.rng.random() < 0.7:
            pool = self.recent_by_camp[self.rng.choice([Topic.HORIZON, Topic.SOCLE])]
            target = self._recent(pool, author)
        if target is None:
            target = self._from_followees(author, public_only=True)
        if target is None:
            return None
        quoted = self.posts[target]
        genre = (
            _QUOTE_GENRE.get(person.camp, Genre.QUOTE)
            if quoted.topic in _TOPIC_CAMP
            else Genre.QUOTE
        )
        topic = (
            _CAMP_TOPIC.get(person.camp, Topic.EVERYDAY) if genre != Genre.QUOTE else quoted.topic
        )
        language = self._language(person, quoted)
        text = write(self.rng, language, genre)
        return PlannedPost(author, text, language, topic, at, quote_of=target)

    # reposts and likes

    def _interaction(
        self, kind: type[PlannedRepost] | type[PlannedLike], name: str, actor: int, at: datetime
    ) -> PlannedRepost | PlannedLike | None:
        for _ in range(4):
            target = self._interaction_target(actor, public_only=name == "repost")
            if target is None or (name, actor, target) in self.done:
                continue
            if not self._would_endorse(actor, self.posts[target]):
                continue
            self.done.add((name, actor, target))
            return kind(actor, target, at)
        return None

    def _interaction_target(self, actor: int, *, public_only: bool) -> int | None:
        camp = self.people[actor].camp
        if camp != Camp.NEUTRAL and self.rng.random() < 0.4:
            found = self._recent(self.recent_by_camp[_CAMP_TOPIC[camp]], actor)
            if found is not None:
                return found
        found = self._from_followees(actor, public_only=public_only)
        return found if found is not None else self._recent(self.recent_public, actor)

    def _would_endorse(self, actor: int, post: PlannedPost) -> bool:
        opponent = self.people[actor].camp.opponent
        return opponent is None or _TOPIC_CAMP.get(post.topic) != opponent

    # choosing posts

    def _from_followees(self, actor: int, *, public_only: bool = False) -> int | None:
        followees = self.followees[actor]
        if not followees:
            return None
        for _ in range(4):
            recent = self.recent_by_author[self.rng.choice(followees)]
            if recent:
                index = recent[-1] if self.rng.random() < 0.6 else self.rng.choice(recent)
                if not public_only or self.posts[index].visibility != PostVisibility.PRIVATE:
                    return index
        return None

    def _recent(self, pool: deque[int], actor: int) -> int | None:
        for _ in range(4):
            if not pool:
                return None
            index = pool[-1 - min(len(pool) - 1, int(self.rng.expovariate(1 / 30)))]
            if self.posts[index].author != actor:
                return index
        return None


def _activity_moments(rng: Random, count: int) -> list[datetime]:
    """`count` moments over the activity period, following the daily rhythm, with a surge
    on the night of the televised debate."""
    days = (ACTIVITY_ENDS_AT - ACTIVITY_STARTS_AT).days
    hours = rng.choices(range(24), weights=_HOURLY, k=count)
    debate_span = (_DEBATE[1] - _DEBATE[0]).total_seconds()
    moments = []
    for hour in hours:
        if rng.random() < _DEBATE_SHARE:
            moments.append(_DEBATE[0] + timedelta(seconds=rng.random() * debate_span))
            continue
        day = rng.randrange(days)
        offset = timedelta(days=day, hours=hour, seconds=rng.random() * 3600)
        moments.append(ACTIVITY_STARTS_AT + offset)
    moments.sort()
    return moments
