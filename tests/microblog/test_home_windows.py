"""The home timeline reads recent slices first (bench/README.md); the answer must be the same
as reading everything: old posts still come, in order, across the slices' edges."""

from datetime import UTC, datetime, timedelta

from conftest import FAST_PASSWORDS, PASSWORD
from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.microblog import Microblog, Page, PostDraft, PostView

START = datetime(2026, 1, 1, tzinfo=UTC)
# Days at which the followed account posts: far older than the month, and on each side of
# the day, week and month edges below the newest post (day 400).
DAYS = (0, 1, 200, 360, 368, 369, 370, 392, 393, 394, 398, 399, 399.5, 400)


def _ids(views: list[PostView]) -> list[int]:
    return [v.post.id for v in views]


def test_home_pages_through_posts_of_every_age(services: Services) -> None:
    clock = FixedClock(START)
    microblog = Microblog(
        services.db, clock=clock, base_url="http://testserver", passwords=FAST_PASSWORDS
    )
    me = microblog.accounts.register("reader", PASSWORD)
    friend = microblog.accounts.register("writer", PASSWORD)
    microblog.graph.follow(me.id, friend.id)
    written = []
    for day in DAYS:
        clock.advance(START + timedelta(days=day) - clock.now())
        written.append(microblog.posts.create(friend.id, PostDraft(text=f"day {day}")).id)
    newest_first = list(reversed(written))

    assert _ids(microblog.timelines.home(me.id, Page(limit=40))) == newest_first
    for limit in (1, 2, 3, 5):
        paged: list[int] = []
        page = Page(limit=limit)
        while views := microblog.timelines.home(me.id, page):
            paged.extend(_ids(views))
            page = Page(limit=limit, max_id=views[-1].post.id)
        assert paged == newest_first
