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

WRITTEN_AT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
RATED_AT = datetime(2026, 6, 1, 12, 1, tzinfo=UTC)
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


def two_camps(
    services: Services, make_account: AccountFactory, make_post: PostFactory, per_camp: int = 6
) -> TwoCamps:
    author = make_account("poster")
    writer = make_account("writer")
    post = make_post(author, "A flood photo from this week.")
    left_camp = [make_account(f"left{k}") for k in range(per_camp)]
    right_camp = [make_account(f"right{k}") for k in range(per_camp)]
    notes = {
        kind: add_note(services, post.id, writer, text=f"A {kind} note.")
        for kind in ("bridging", "left", "right", "unhelpful")
    }
    liked_by = {
        "bridging": (True, True),
        "left": (True, False),
        "right": (False, True),
        "unhelpful": (False, False),
    }
    for kind, (left_likes, right_likes) in liked_by.items():
        for camp, likes in ((left_camp, left_likes), (right_camp, right_likes)):
            for rater in camp:
                rate(services, notes[kind], rater, "HELPFUL" if likes else "NOT_HELPFUL")
    return TwoCamps(left_camp, right_camp, post.id, **notes)
