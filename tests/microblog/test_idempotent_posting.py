"""A post made with an idempotency key is made once: a retry within the hour gets the same
post, even from two writers at once; after the hour, or once the post is deleted, the key
makes a new post."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from conftest import FAST_PASSWORDS, PASSWORD
from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.microblog import Microblog, PostDraft
from townsquare.storage.tables import posts


def _microblog(services: Services, clock: FixedClock) -> Microblog:
    return Microblog(
        services.db,
        clock=clock,
        ids=services.microblog.context.ids,
        base_url="http://testserver",
        passwords=FAST_PASSWORDS,
    )


def _post_count(services: Services) -> int:
    with services.db.read() as conn:
        return conn.scalar(select(func.count()).select_from(posts)) or 0


def test_a_retry_gets_the_same_post(services: Services) -> None:
    clock = FixedClock(datetime(2026, 12, 6, 12, tzinfo=UTC))
    microblog = _microblog(services, clock)
    alice = microblog.accounts.register("alice", PASSWORD).id
    bob = microblog.accounts.register("bob", PASSWORD).id

    first = microblog.posts.create(alice, PostDraft(text="hello"), idempotency_key="k1")
    clock.advance(timedelta(minutes=59))
    retried = microblog.posts.create(alice, PostDraft(text="hello"), idempotency_key="k1")
    other_key = microblog.posts.create(alice, PostDraft(text="hello"), idempotency_key="k2")
    other_author = microblog.posts.create(bob, PostDraft(text="hello"), idempotency_key="k1")

    assert retried.id == first.id
    assert len({first.id, other_key.id, other_author.id}) == 3
    assert _post_count(services) == 3
    assert microblog.accounts.get(alice).statuses_count == 2


def test_after_the_hour_or_a_deletion_the_key_makes_a_new_post(services: Services) -> None:
    clock = FixedClock(datetime(2026, 12, 6, 12, tzinfo=UTC))
    microblog = _microblog(services, clock)
    alice = microblog.accounts.register("alice", PASSWORD).id
    first = microblog.posts.create(alice, PostDraft(text="one"), idempotency_key="k")

    clock.advance(timedelta(hours=1, seconds=1))
    later = microblog.posts.create(alice, PostDraft(text="two"), idempotency_key="k")
    microblog.posts.delete(alice, later.id)
    after_deletion = microblog.posts.create(alice, PostDraft(text="three"), idempotency_key="k")

    assert len({first.id, later.id, after_deletion.id}) == 3
    assert after_deletion.text == "three"


def test_two_writers_with_one_key_make_one_post(services: Services) -> None:
    microblog = services.microblog
    alice = microblog.accounts.register("alice", PASSWORD).id

    def post(_: int) -> int:
        return microblog.posts.create(alice, PostDraft(text="once"), idempotency_key="same").id

    with ThreadPoolExecutor(max_workers=4) as pool:
        made = set(pool.map(post, range(8)))

    assert len(made) == 1
    assert _post_count(services) == 1
