"""Paging like Mastodon: max_id walks back, since_id and min_id look forward.

Property: for any set of posts (some of which the viewer may not see) and any page size,
walking a timeline with max_id yields every visible post exactly once, newest first; min_id
returns the posts immediately newer than it; since_id the newest ones newer than it.
"""

from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import AccountFactory
from townsquare.microblog import (
    Microblog,
    NotificationType,
    NotificationView,
    Page,
    PostDraft,
    PostView,
    PostVisibility,
)

DB_PROPERTY = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

visibilities = st.lists(st.sampled_from(list(PostVisibility)), max_size=30)
limits = st.integers(min_value=1, max_value=7)


def walk_back(fetch: Callable[[Page], list[int]], limit: int) -> list[int]:
    """Every id, page by page, the way a client scrolls: max_id = the last id seen."""
    seen: list[int] = []
    page = Page(limit=limit)
    for _ in range(200):
        batch = fetch(page)
        assert len(batch) <= limit
        if not batch:
            return seen
        seen.extend(batch)
        page = Page(limit=limit, max_id=batch[-1])
    raise AssertionError("paging did not end")


def check_forward(
    fetch: Callable[[Page], list[int]], visible: list[int], pivot: int, limit: int
) -> None:
    newer = sorted(i for i in visible if i > pivot)
    assert fetch(Page(limit=limit, min_id=pivot)) == list(reversed(newer[:limit]))
    assert fetch(Page(limit=limit, since_id=pivot)) == sorted(newer, reverse=True)[:limit]
    older = sorted((i for i in visible if i < pivot), reverse=True)
    assert fetch(Page(limit=limit, max_id=pivot)) == older[:limit]


def _ids(views: list[PostView]) -> list[int]:
    return [v.post.id for v in views]


@DB_PROPERTY
@given(kinds=visibilities, limit=limits, pivot_at=st.floats(min_value=0, max_value=1))
def test_profile_paging_yields_each_visible_post_once(
    microblog: Microblog,
    make_account: AccountFactory,
    kinds: list[PostVisibility],
    limit: int,
    pivot_at: float,
) -> None:
    author = make_account()
    created = [
        microblog.posts.create(author.id, PostDraft(text=f"{n}", visibility=kind))
        for n, kind in enumerate(kinds)
    ]
    # A stranger sees neither the followers-only posts: the pages must top up past them.
    visible = [p.id for p in created if p.visibility.is_open]

    def fetch(page: Page) -> list[int]:
        return _ids(microblog.timelines.profile(None, author.id, page))

    assert walk_back(fetch, limit) == sorted(visible, reverse=True)
    everything = [p.id for p in created] or [0]
    pivot = sorted(everything)[int(pivot_at * (len(everything) - 1))]
    check_forward(fetch, visible, pivot, limit)
    check_forward(fetch, visible, pivot + 1, limit)


@DB_PROPERTY
@given(
    muted=st.lists(st.booleans(), max_size=25),
    limit=limits,
    pivot_at=st.floats(min_value=0, max_value=1),
)
def test_notification_paging_yields_each_visible_notification_once(
    microblog: Microblog,
    make_account: AccountFactory,
    muted: list[bool],
    limit: int,
    pivot_at: float,
) -> None:
    me, loud, quiet = make_account(), make_account(), make_account()
    for is_muted in muted:
        microblog.posts.create((quiet if is_muted else loud).id, PostDraft(f"@{me.username}"))
    before = microblog.notifications.list(me.id, Page(limit=40))
    # Muted afterwards: the notifications exist and must be skipped when reading.
    microblog.graph.mute(me.id, quiet.id)
    everything = [n.id for n in before if n.account.id == loud.id]
    assert len(everything) == muted.count(False)

    def fetch(page: Page) -> list[int]:
        return [n.id for n in microblog.notifications.list(me.id, page)]

    assert walk_back(fetch, limit) == everything
    visible = everything or [0]
    pivot = sorted(visible)[int(pivot_at * (len(visible) - 1))]
    check_forward(fetch, everything, pivot, limit)


def test_regression_a_page_of_muted_notifications_ended_the_walk(
    microblog: Microblog, make_account: AccountFactory
) -> None:
    me, loud, quiet = make_account(), make_account(), make_account()
    first = microblog.posts.create(loud.id, PostDraft(f"@{me.username} first"))
    for n in range(5):
        microblog.posts.create(quiet.id, PostDraft(f"@{me.username} {n}"))
    microblog.graph.mute(me.id, quiet.id)
    found: list[NotificationView] = microblog.notifications.list(me.id, Page(limit=2))
    assert [n.post.post.id for n in found if n.post] == [first.id]


def test_limit_caps_the_page(microblog: Microblog, make_account: AccountFactory) -> None:
    alice = make_account()
    for n in range(5):
        microblog.posts.create(alice.id, PostDraft(f"{n}"))
    assert len(microblog.timelines.public(None, Page(limit=3))) == 3


def test_notification_type_filters(microblog: Microblog, make_account: AccountFactory) -> None:
    me, other = make_account(), make_account()
    post = microblog.posts.create(me.id, PostDraft("hello"))
    microblog.graph.follow(other.id, me.id)
    microblog.posts.favourite(other.id, post.id)
    microblog.posts.reblog(other.id, post.id)
    microblog.posts.create(other.id, PostDraft("reply", in_reply_to_id=post.id))
    microblog.posts.create(other.id, PostDraft(f"hi @{me.username}"))

    def types(**filters: list[NotificationType]) -> list[NotificationType]:
        return [n.type for n in microblog.notifications.list(me.id, Page(), **filters)]

    assert types() == [
        NotificationType.MENTION,
        NotificationType.REPLY,
        NotificationType.REBLOG,
        NotificationType.FAVOURITE,
        NotificationType.FOLLOW,
    ]
    assert types(types=[NotificationType.FOLLOW, NotificationType.REBLOG]) == [
        NotificationType.REBLOG,
        NotificationType.FOLLOW,
    ]
    assert types(exclude_types=[NotificationType.MENTION, NotificationType.REPLY]) == [
        NotificationType.REBLOG,
        NotificationType.FAVOURITE,
        NotificationType.FOLLOW,
    ]
    assert microblog.notifications.count(me.id) == 5


def test_no_notifications_from_muted_or_blocked(
    microblog: Microblog, make_account: AccountFactory
) -> None:
    me, muted, blocked = make_account(), make_account(), make_account()
    post = microblog.posts.create(me.id, PostDraft("hello"))
    microblog.graph.mute(me.id, muted.id)
    microblog.posts.favourite(muted.id, post.id)
    microblog.graph.follow(blocked.id, me.id)
    microblog.graph.block(me.id, blocked.id)
    assert microblog.notifications.list(me.id, Page()) == []
    microblog.graph.unmute(me.id, muted.id)
    # Muting hides the past; the like was never recorded while the mute stood.
    assert microblog.notifications.list(me.id, Page()) == []
    microblog.posts.create(muted.id, PostDraft(f"@{me.username} again"))
    assert [n.account.id for n in microblog.notifications.list(me.id, Page())] == [muted.id]


def test_notifications_about_deleted_posts_disappear(
    microblog: Microblog, make_account: AccountFactory
) -> None:
    me, other = make_account(), make_account()
    mention = microblog.posts.create(other.id, PostDraft(f"@{me.username}"))
    microblog.posts.delete(other.id, mention.id)
    assert microblog.notifications.list(me.id, Page()) == []
