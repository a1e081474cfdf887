"""Notes and ratings written straight into the tables, for the scoring-run tests (the notes
service that writes them for members is built elsewhere), and a two-camp world."""

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert

from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.microblog import Account
from townsquare.storage.tables import community_notes, note_ratings

WRITTEN_AT = datetime(2026, 5, 31, 12, 0, tzinfo=UTC)  # before the notes tests' clock
RATED_AT = datetime(2026, 5, 31, 12, 1, tzinfo=UTC)
_ids = itertools.count(10**15)


def add_note(
    services: Services,
    post_id: int,
    author: Account,
    text: str = "The photo is from 2019, not from this week.",
    sources: str = "https://example.org/archive",
    classification: str = "MISINFORMED_OR_POTENTIALLY_MISLEADING",
) -> int:
    note_id = next(_ids)
    with services.db.write() as conn:
        conn.execute(
            insert(community_notes),
            {
                "id": note_id,
                "post_id": post_id,
                "author_id": author.id,
                "created_at": WRITTEN_AT,
                "classification": classification,
                "reasons": "misleadingFactualError",
                "trustworthy_sources": True,
                "text": text,
                "sources": sources,
            },
        )
    return note_id


def rate(
    services: Services,
    note_id: int,
    rater: Account,
    level: str,
    tags: str = "",
    at: datetime = RATED_AT,
) -> None:
    with services.db.write() as conn:
        conn.execute(
            insert(note_ratings),
            {
                "id": next(_ids),
                "note_id": note_id,
                "rater_id": rater.id,
                "created_at": at,
                "level": level,
                "tags": tags,
            },
        )


@dataclass(frozen=True)
class TwoCamps:
    """Raters in two camps that disagree on the partisan notes; `bridging` is a note both
    camps rate helpful, `left`/`right` notes only one camp likes, `unhelpful` none."""

    left_camp: list[Account]
    right_camp: list[Account]
    post_id: int
    bridging: int
    left: int
    right: int
    unhelpful: int


HELPFUL_TAGS = "helpfulGoodSources,helpfulClear"
NOT_HELPFUL_TAGS = "notHelpfulIncorrect,notHelpfulSourcesMissingOrUnreliable"
_BACKGROUND = (("left", 3), ("right", 3))


def two_camps(
    services: Services, make_account: AccountFactory, make_post: PostFactory, per_camp: int = 6
) -> TwoCamps:
    """A world the whole Core pipeline decides: every rater rates at least 10 notes (the
    scorer's minimum), with tags (a decided note needs two tags each given twice), within
    minutes of each note. Besides the four notes on `post_id`, background notes on other
    posts, three liked by each camp only (so never decided), give the raters their counts."""
    author = make_account("poster")
    post = make_post(author, "A flood photo from this week.")
    left_camp = [make_account(f"left{k}") for k in range(per_camp)]
    right_camp = [make_account(f"right{k}") for k in range(per_camp)]
    kinds = ("bridging", "left", "right", "unhelpful")
    notes = {
        kind: add_note(services, post.id, make_account(f"writer_{kind}"), text=f"A {kind} note.")
        for kind in kinds
    }
    background = []
    for kind, count in _BACKGROUND:
        for k in range(count):
            other = make_post(author, f"Another post ({kind} {k}).")
            writer = make_account(f"bg_{kind}{k}")
            background.append((kind, add_note(services, other.id, writer)))
    for kind, note_id in [*notes.items(), *background]:
        left_likes, right_likes = _LIKED_BY[kind]
        for camp, likes in ((left_camp, left_likes), (right_camp, right_likes)):
            for rater in camp:
                if likes:
                    rate(services, note_id, rater, "HELPFUL", HELPFUL_TAGS)
                else:
                    rate(services, note_id, rater, "NOT_HELPFUL", NOT_HELPFUL_TAGS)
    return TwoCamps(left_camp, right_camp, post.id, **notes)


_LIKED_BY = {
    "bridging": (True, True),
    "left": (True, False),
    "right": (False, True),
    "unhelpful": (False, False),
}
