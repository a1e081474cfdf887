"""Planning the demo's community notes: a pure function of the world, its moderation and the seed.

Members of each camp and neutral members write notes on the other side's campaign posts and
on news posts, and rate them; a few members ask for notes on posts that have none. The
ratings are drawn so the bridging algorithm has something to decide (DESIGN.md, promise 5):

- BRIDGING notes are rated helpful by both camps and the neutrals: they end up shown;
- ONE_SIDED notes, written by one camp on the other's posts, are liked by that camp only
  (the neutrals find them somewhat helpful): the algorithm never shows them, and they give
  the raters the two sides the scorer's factor has to find;
- UNHELPFUL notes are rated not helpful by everyone: they end up rated not helpful;
- UNDERRATED notes have too few ratings to be decided: they still need ratings.

Notes on campaign posts (which carry the election window's hashtags) are written while the
window is open, so the window's page lists them; notes on news posts are written before it.
No post a moderation case or an outside request names is noted (it may be hidden), and no
account a case names takes part or is noted (it may be limited or suspended): the notes
service rightly refuses both.
Loading the plan is `_notes_loader`'s job.

Stages: (1) who may take part and on which posts, (2) the notes, (3) the ratings, (4) the
requests, then everything in time order.
"""

import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random

from townsquare.demo._cast import Camp
from townsquare.demo._moderation_plan import (
    ELECTION_CLOSES_AT,
    ELECTION_OPENS_AT,
    AccountRef,
    ModerationPlan,
    PostRef,
)
from townsquare.demo._plan import ACTIVITY_ENDS_AT, PlannedPost, Topic, WorldPlan
from townsquare.demo._request_plan import PlannedRequest
from townsquare.demo._templates import CAMP_TAGS
from townsquare.microblog import PostVisibility, Role

__all__ = [
    "NoteKind",
    "NotesPlan",
    "PlannedNote",
    "PlannedNoteRequest",
    "PlannedRating",
    "plan_notes",
]


class NoteKind(enum.StrEnum):
    """How the raters will receive a note (see the module docstring)."""

    BRIDGING = "bridging"
    ONE_SIDED = "one_sided"
    UNHELPFUL = "unhelpful"
    UNDERRATED = "underrated"


@dataclass(frozen=True)
class PlannedNote:
    """A note on world post `post` (an index into the world's planned posts) by `author`."""

    post: int
    author: int
    kind: NoteKind
    misleading: bool
    reasons: tuple[str, ...]
    text: str
    sources: tuple[str, ...]
    at: datetime
    election: bool  # on a post with the window's hashtags, written while the window is open


@dataclass(frozen=True)
class PlannedRating:
    """A rating of planned note `note` (an index into the plan's notes)."""

    note: int
    rater: int
    level: str  # a `HelpfulnessLevel` value
    tags: tuple[str, ...]
    at: datetime


@dataclass(frozen=True)
class PlannedNoteRequest:
    post: int
    requester: int
    at: datetime


NotesEvent = PlannedNote | PlannedRating | PlannedNoteRequest


@dataclass(frozen=True)
class NotesPlan:
    notes: tuple[PlannedNote, ...]
    ratings: tuple[PlannedRating, ...]
    requests: tuple[PlannedNoteRequest, ...]

    @property
    def events(self) -> tuple[NotesEvent, ...]:
        """Everything in time order (a rating always comes after its note)."""
        merged: list[NotesEvent] = [*self.notes, *self.ratings, *self.requests]
        return tuple(sorted(merged, key=lambda event: event.at))


# Per kind, how many notes on each camp's posts (written in the window) and on news posts
# (written before it). Measured with the Core scorer: with at least four raters per camp and
# three neutrals, all bridging notes are shown, the unhelpful ones rated not helpful and the
# one-sided ones left undecided.
_ON_CAMP_POSTS = {NoteKind.BRIDGING: 2, NoteKind.ONE_SIDED: 3, NoteKind.UNDERRATED: 1}
_ON_NEWS_POSTS = {NoteKind.BRIDGING: 3, NoteKind.UNHELPFUL: 4, NoteKind.UNDERRATED: 1}
_RATERS_PER_CAMP = 8
_NEUTRAL_RATERS = 6
_MIN_RATERS_PER_CAMP = 4
_MIN_NEUTRAL_RATERS = 3
_UNDERRATED_RATINGS = 3  # fewer than the Core scorer's 5
_REQUESTED_POSTS = 4
_SOMEWHAT_SHARE = 0.05

_HELPFUL_TAGS = ("helpfulClear", "helpfulGoodSources", "helpfulImportantContext")
_UNSOURCED_TAGS = ("notHelpfulIncorrect", "notHelpfulSourcesMissingOrUnreliable")
_BIASED_TAGS = ("notHelpfulArgumentativeOrBiased", "notHelpfulOpinionSpeculation")
_CLAIM_MARKERS = ("chiffré", "costed", "plan", "seul", "only one", "gagné", "won", "aucun")


def plan_notes(
    world: WorldPlan,
    moderation: ModerationPlan,
    requests: Sequence[PlannedRequest],
    seed: int,
) -> NotesPlan:
    """The notes, ratings and note requests for `world`; none in a world too small to
    have both camps rate enough notes (a few dozen accounts)."""
    rng = Random(f"notes:{seed}")  # noqa: S311 (reproducible fiction, not secrets)
    people = _People(world, moderation, requests)
    try:
        raters = people.raters(rng)
        notes = _NoteWriter(rng, world, people).write()
    except _TooSmallError:
        return NotesPlan((), (), ())
    ratings = _ratings(rng, world, notes, raters)
    noted = {note.post for note in notes}
    return NotesPlan(notes, ratings, _requests(rng, world, people, noted))


class _TooSmallError(Exception):
    """Raised while planning when the world lacks what the notes need (the plan is then
    empty); says what was missing."""


# -- (1) who may take part, on which posts ---------------------------------------------------


class _People:
    """The members who may take part and the posts they may note."""

    def __init__(
        self, world: WorldPlan, moderation: ModerationPlan, requests: Sequence[PlannedRequest]
    ) -> None:
        posts = world.posts
        touched_posts = {
            c.target.index
            for c in moderation.cases
            if isinstance(c.target, PostRef) and not c.target.incident
        } | {item.index for r in requests for item in r.items}
        touched = {c.target.account for c in moderation.cases if isinstance(c.target, AccountRef)}
        self.world = world
        # `WorldPlan.posts` is rebuilt on each access: read it once.
        self.planned = posts
        self.members = [
            i for i, p in enumerate(world.cast) if p.role == Role.MEMBER and i not in touched
        ]
        self.posts = [
            i
            for i, post in enumerate(posts)
            if i not in touched_posts and post.author not in touched and _original(post)
        ]

    def camp(self, camp: Camp) -> list[int]:
        return [i for i in self.members if self.world.cast[i].camp == camp]

    def raters(self, rng: Random) -> dict[Camp, list[int]]:
        wanted = {
            Camp.HORIZON: (_RATERS_PER_CAMP, _MIN_RATERS_PER_CAMP),
            Camp.SOCLE: (_RATERS_PER_CAMP, _MIN_RATERS_PER_CAMP),
            Camp.NEUTRAL: (_NEUTRAL_RATERS, _MIN_NEUTRAL_RATERS),
        }
        chosen: dict[Camp, list[int]] = {}
        for camp, (most, least) in wanted.items():
            pool = self.camp(camp)
            if len(pool) < least:
                raise _TooSmallError(f"{least} {camp} raters, found {len(pool)}")
            chosen[camp] = sorted(rng.sample(pool, min(most, len(pool))))
        return chosen

    def campaign_posts(self, camp: Camp) -> list[int]:
        """The camp's campaign posts, those making a claim first."""
        topic = Topic(camp.value)
        found = [i for i in self.posts if self.planned[i].topic == topic]
        return sorted(found, key=lambda i: not _claims(self.planned[i].text))

    def news_posts(self) -> list[int]:
        return [
            i
            for i in self.posts
            if self.planned[i].topic == Topic.NEWS and not _tagged(self.planned[i].text)
        ]


def _original(post: PlannedPost) -> bool:
    plain = post.reply_to is None and post.quote_of is None
    return plain and post.visibility == PostVisibility.PUBLIC


def _claims(text: str) -> bool:
    folded = text.casefold()
    return any(marker in folded for marker in _CLAIM_MARKERS)


def _tagged(text: str) -> bool:
    folded = text.casefold()
    return any(tag.casefold() in folded for tag in CAMP_TAGS.values())


# -- (2) the notes ---------------------------------------------------------------------------


class _NoteWriter:
    def __init__(self, rng: Random, world: WorldPlan, people: _People) -> None:
        self.rng = rng
        self.world = world
        self.people = people
        self.notes: list[PlannedNote] = []

    def write(self) -> tuple[PlannedNote, ...]:
        for camp in (Camp.HORIZON, Camp.SOCLE):
            posts = iter(self.people.campaign_posts(camp))
            for kind, count in _ON_CAMP_POSTS.items():
                for _ in range(count):
                    self._note(_next(posts, f"{camp} campaign posts"), kind, camp)
        news = iter(self.rng.sample(self.people.news_posts(), len(self.people.news_posts())))
        for kind, count in _ON_NEWS_POSTS.items():
            for _ in range(count):
                self._note(_next(news, "news posts"), kind, None)
        return tuple(sorted(self.notes, key=lambda note: note.at))

    def _note(self, post_index: int, kind: NoteKind, camp: Camp | None) -> None:
        post = self.people.planned[post_index]
        author = self._author(post, kind, camp)
        text, sources = _note_text(self.rng, kind, camp, post.language)
        election = camp is not None
        span = (ELECTION_OPENS_AT, ELECTION_CLOSES_AT) if election else _BEFORE_WINDOW
        misleading = kind != NoteKind.UNHELPFUL or self.rng.random() < 0.5
        reasons = (
            ("misleadingMissingImportantContext", "misleadingUnverifiedClaimAsFact")
            if misleading
            else ("notMisleadingFactuallyCorrect",)
        )
        self.notes.append(
            PlannedNote(
                post_index,
                author,
                kind,
                misleading,
                reasons,
                text,
                sources,
                _moment(self.rng, *span),
                election,
            )
        )

    def _author(self, post: PlannedPost, kind: NoteKind, camp: Camp | None) -> int:
        """One-sided notes come from the other camp; the rest from the other camp or neutrals."""
        opponent = camp.opponent if camp is not None else None
        pool = self.people.camp(opponent) if opponent is not None else []
        if kind != NoteKind.ONE_SIDED:
            pool = pool + self.people.camp(Camp.NEUTRAL)
        if camp is None:
            pool = list(self.people.members)
        pool = [i for i in pool if i != post.author]
        if not pool:
            raise _TooSmallError("members to write the notes")
        return self.rng.choice(pool)


_BEFORE_WINDOW = (ACTIVITY_ENDS_AT + timedelta(hours=6), ELECTION_OPENS_AT - timedelta(hours=12))


def _moment(rng: Random, start: datetime, end: datetime) -> datetime:
    # Leave two days before `end` for the ratings, which come within two days of a note.
    span = (end - start - timedelta(days=2)).total_seconds()
    return start + timedelta(seconds=int(rng.random() * max(span, 0)))


def _next(posts: Iterator[int], what: str) -> int:
    found = next(posts, None)
    if found is None:
        raise _TooSmallError(f"more {what}")
    return found


# Texts by kind, the noted post's camp (None: a news post) and language. Every body, party
# and figure is fictional; the sources are under the reserved `.example` domain.
_TEXTS: dict[tuple[NoteKind, Camp | None], dict[str, tuple[str, ...]]] = {
    (NoteKind.BRIDGING, Camp.HORIZON): {
        "fr": (
            "Le chiffrage cité est celui du parti. L'Observatoire indépendant des finances "
            "publiques l'estime 40 % plus élevé, surtout pour les transports.",
            "La mesure figure au programme, mais son financement n'est pas encore détaillé : "
            "le parti renvoie à une loi de finances à venir.",
        ),
        "en": (
            "The costing quoted is the party's own. The independent Public Finance Observatory "
            "puts it 40% higher, mostly because of transport.",
            "The measure is in the platform, but its funding is not detailed yet: the party "
            "refers to a future budget bill.",
        ),
    },
    (NoteKind.BRIDGING, Camp.SOCLE): {
        "fr": (
            "Le programme du Socle ne dit pas comment la baisse d'impôts serait compensée ; "
            "l'Observatoire indépendant des finances publiques chiffre le manque à 18 Md€.",
            "Les chiffres cités datent de 2019. Les derniers chiffres officiels, publiés en "
            "septembre, montrent une tendance inverse.",
        ),
        "en": (
            "The Socle platform does not say how the tax cut would be paid for; the independent "
            "Public Finance Observatory puts the gap at €18bn.",
            "The figures quoted are from 2019. The latest official figures, published in "
            "September, show the opposite trend.",
        ),
    },
    (NoteKind.ONE_SIDED, Camp.HORIZON): {
        "fr": (
            "Encore une promesse intenable d'Horizon : personne ne croit à leurs comptes.",
            "Horizon ment sur son bilan, lisez plutôt l'analyse du Socle.",
        ),
        "en": (
            "Another promise Horizon cannot keep: nobody believes their numbers.",
            "Horizon is lying about its record; read the Socle's analysis instead.",
        ),
    },
    (NoteKind.ONE_SIDED, Camp.SOCLE): {
        "fr": (
            "Le Socle fait encore de la désinformation : ses chiffres sont inventés.",
            "Typique du Socle. Voir la réponse d'Horizon, point par point.",
        ),
        "en": (
            "The Socle is spreading disinformation again: its figures are made up.",
            "Typical Socle. See Horizon's point-by-point answer.",
        ),
    },
    (NoteKind.BRIDGING, None): {
        "fr": (
            "Le chiffre est une moyenne nationale ; le rapport cité donne des chiffres "
            "régionaux très différents (p. 12).",
            "Le rapport cité est provisoire ; sa version définitive paraît en décembre.",
        ),
        "en": (
            "The figure is a national average; the report cited gives very different regional "
            "figures (p. 12).",
            "The report cited is provisional; its final version comes out in December.",
        ),
    },
    (NoteKind.UNHELPFUL, None): {
        "fr": ("Je n'y crois pas du tout.", "C'est faux, tout le monde le sait."),
        "en": ("I don't believe this at all.", "This is false, everyone knows it."),
    },
    (NoteKind.UNDERRATED, None): {
        "fr": ("Le chiffre vient d'un sondage en ligne, pas d'une étude représentative.",),
        "en": ("The figure comes from an online poll, not a representative survey.",),
    },
}
_SOURCES: dict[NoteKind, tuple[str, ...]] = {
    NoteKind.BRIDGING: (
        "https://observatoire-finances.example/chiffrages-2027",
        "https://statistiques-publiques.example/series/2026",
    ),
    NoteKind.ONE_SIDED: ("https://blog-militant.example/la-verite",),
    NoteKind.UNHELPFUL: ("https://forum-anonyme.example/fil/4812",),
    NoteKind.UNDERRATED: ("https://sondages-en-ligne.example/resultats",),
}


def _note_text(
    rng: Random, kind: NoteKind, camp: Camp | None, language: str
) -> tuple[str, tuple[str, ...]]:
    key = (kind, camp) if (kind, camp) in _TEXTS else (kind, None)
    if key not in _TEXTS:
        key = (NoteKind.UNDERRATED, None)
    texts = _TEXTS[key].get(language) or _TEXTS[key]["en"]
    return rng.choice(texts), _SOURCES[kind]


# -- (3) the ratings -------------------------------------------------------------------------


def _ratings(
    rng: Random,
    world: WorldPlan,
    notes: Sequence[PlannedNote],
    raters: dict[Camp, list[int]],
) -> tuple[PlannedRating, ...]:
    posts = world.posts
    everyone = sorted(r for group in raters.values() for r in group)
    ratings: list[PlannedRating] = []
    for n, note in enumerate(notes):
        noted_camp = world.cast[posts[note.post].author].camp
        chosen = [r for r in everyone if r != note.author]
        if note.kind == NoteKind.UNDERRATED:
            chosen = rng.sample(chosen, _UNDERRATED_RATINGS)
        for rater in chosen:
            level, tags = _answer(rng, note.kind, world.cast[rater].camp, noted_camp)
            at = note.at + timedelta(minutes=rng.randrange(20, 2 * 24 * 60))
            ratings.append(PlannedRating(n, rater, level, tags, at))
    return tuple(ratings)


def _answer(rng: Random, kind: NoteKind, rater: Camp, noted: Camp) -> tuple[str, tuple[str, ...]]:
    if kind in (NoteKind.BRIDGING, NoteKind.UNDERRATED):
        somewhat = rng.random() < _SOMEWHAT_SHARE
        return ("SOMEWHAT_HELPFUL" if somewhat else "HELPFUL"), _HELPFUL_TAGS[:2]
    if kind == NoteKind.UNHELPFUL:
        return "NOT_HELPFUL", _UNSOURCED_TAGS
    # One-sided: written by the noted camp's opponents, liked by them only.
    if rater == Camp.NEUTRAL:
        return "SOMEWHAT_HELPFUL", ()
    if rater == noted:
        return "NOT_HELPFUL", _BIASED_TAGS
    return "HELPFUL", _HELPFUL_TAGS[:2]


# -- (4) the requests ------------------------------------------------------------------------


def _requests(
    rng: Random, world: WorldPlan, people: _People, noted: set[int]
) -> tuple[PlannedNoteRequest, ...]:
    candidates = [
        i
        for camp in (Camp.HORIZON, Camp.SOCLE)
        for i in people.campaign_posts(camp)
        if i not in noted
    ]
    requests: list[PlannedNoteRequest] = []
    for post in rng.sample(candidates, min(_REQUESTED_POSTS, len(candidates))):
        opponents = world.cast[people.planned[post].author].camp.opponent
        pool = [i for i in people.members if world.cast[i].camp in (opponents, Camp.NEUTRAL)]
        for requester in rng.sample(pool, min(len(pool), rng.randrange(1, 6))):
            at = _moment(rng, ELECTION_OPENS_AT, ELECTION_CLOSES_AT)
            requests.append(PlannedNoteRequest(post, requester, at))
    return tuple(requests)
