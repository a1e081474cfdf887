"""Every surface asks the visibility port, hides what it hides, and passes on its labels."""

import pytest

from conftest import FAST_PASSWORDS, AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.kernel import SystemClock
from townsquare.microblog import (
    Account,
    HiddenBecause,
    LabelledBecause,
    Microblog,
    Page,
    Post,
    PostLabel,
    PostView,
    Presentation,
    Surface,
    Tombstone,
)

from .fakes import FakeVisibility

NOTE = PostLabel(LabelledBecause.LABELLED, "notes/1@1", {"en": "Community note"})


@pytest.fixture
def port() -> FakeVisibility:
    return FakeVisibility()


@pytest.fixture
def moderated(services: Services, port: FakeVisibility) -> Microblog:
    """The same database as `microblog`, seen through the fake port."""
    return Microblog(
        services.db,
        clock=SystemClock(),
        base_url="http://testserver",
        visibility=port,
        passwords=FAST_PASSWORDS,
    )


def shown_ids(views: list[PostView] | tuple[PostView, ...]) -> list[int]:
    return [v.shown.post.id for v in views]


def _surfaces(
    moderated: Microblog, viewer: Account, tag: str, author: Account, root: Post
) -> dict[Surface, list[int]]:
    """What each listing surface shows `viewer`, as the ids of the posts displayed."""
    timelines = moderated.timelines
    thread = timelines.thread(viewer.id, root.id)
    notified = moderated.notifications.list(author.id, Page())
    return {
        Surface.HOME: shown_ids(timelines.home(viewer.id, Page())),
        Surface.PUBLIC: shown_ids(timelines.public(viewer.id, Page())),
        Surface.HASHTAG: shown_ids(timelines.hashtag(viewer.id, tag, Page())),
        Surface.PROFILE: shown_ids(timelines.profile(viewer.id, author.id, Page())),
        Surface.THREAD: shown_ids(thread.descendants),
        Surface.SEARCH: shown_ids(moderated.search.everything(viewer.id, "findme").posts),
        Surface.NOTIFICATIONS: [n.post.shown.post.id for n in notified if n.post],
    }


@pytest.fixture
def world(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> tuple[Account, Account, Post, Post, Post]:
    """An author and a follower; a root post, and two replies that appear everywhere."""
    author, viewer = make_account("author"), make_account("viewer")
    microblog.graph.follow(viewer.id, author.id)
    root = make_post(author, "root")
    # The viewer's replies notify the author; the author's replies fill home and profile.
    kept = make_post(viewer, "findme kept #topic @author", in_reply_to_id=root.id)
    target = make_post(viewer, "findme target #topic @author", in_reply_to_id=root.id)
    return author, viewer, root, kept, target


@pytest.mark.parametrize("surface", sorted(set(Surface) - {Surface.LINK}))
def test_each_surface_hides_what_the_port_hides_there(
    moderated: Microblog,
    port: FakeVisibility,
    world: tuple[Account, Account, Post, Post, Post],
    surface: Surface,
) -> None:
    author, viewer, root, kept, target = world

    # Seen by the viewer on home/public/hashtag/thread/search; by the author in notifications;
    # the profile is the viewer's own. Before: both replies everywhere.
    def everywhere() -> dict[Surface, list[int]]:
        found = _surfaces(moderated, viewer, "topic", viewer, root)
        found[Surface.NOTIFICATIONS] = _surfaces(moderated, viewer, "topic", author, root)[
            Surface.NOTIFICATIONS
        ]
        return found

    before = everywhere()
    for name, listed in before.items():
        assert {kept.id, target.id} <= set(listed), name
    port.hide(target.id, frozenset({surface}))
    after = everywhere()
    for name, listed in after.items():
        if name is surface:
            assert target.id not in listed, name
            assert kept.id in listed, name
        else:
            assert listed == before[name], name
    assert target.id in port.asked[surface]


def test_a_hidden_post_opened_by_link_shows_its_tombstone(
    moderated: Microblog, port: FakeVisibility, world: tuple[Account, Account, Post, Post, Post]
) -> None:
    _, viewer, _, _, target = world
    stone = Tombstone(HiddenBecause.REMOVED, "rules/3@1", {"en": "Rule 3"})
    port.hide(target.id, tombstone=stone)
    view = moderated.timelines.post(viewer.id, target.id)
    assert not view.presentation.visible
    assert view.presentation.tombstone == stone
    assert target.id in port.asked[Surface.LINK]
    focus = moderated.timelines.thread(viewer.id, target.id).post
    assert focus.presentation.tombstone == stone


def test_labels_and_content_warnings_pass_through(
    moderated: Microblog, port: FakeVisibility, world: tuple[Account, Account, Post, Post, Post]
) -> None:
    author, viewer, root, _, target = world
    port.label(target.id, NOTE, content_warning="Disputed")
    expected = Presentation(labels=(NOTE,), content_warning="Disputed")
    views = [
        *moderated.timelines.home(viewer.id, Page()),
        *moderated.timelines.public(None, Page()),
        *moderated.timelines.hashtag(None, "topic", Page()),
        *moderated.timelines.profile(None, viewer.id, Page()),
        *moderated.timelines.thread(None, root.id).descendants,
        *moderated.search.everything(None, "findme").posts,
        moderated.timelines.post(None, target.id),
    ]
    views += [n.post for n in moderated.notifications.list(author.id, Page()) if n.post]
    labelled = [v.shown.presentation for v in views if v.shown.post.id == target.id]
    assert len(labelled) == 8
    assert all(presentation == expected for presentation in labelled)


def test_a_hidden_original_hides_its_reposts(
    moderated: Microblog,
    microblog: Microblog,
    port: FakeVisibility,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    author, reposter, viewer = make_account(), make_account(), make_account()
    microblog.graph.follow(viewer.id, reposter.id)
    original = make_post(author)
    microblog.posts.reblog(reposter.id, original.id)
    assert shown_ids(moderated.timelines.home(viewer.id, Page())) == [original.id]
    port.hide(original.id)
    assert moderated.timelines.home(viewer.id, Page()) == []
    assert moderated.timelines.profile(viewer.id, reposter.id, Page()) == []


def test_regression_a_hidden_post_was_still_shown_inside_a_quote(
    moderated: Microblog,
    port: FakeVisibility,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    author, quoter = make_account(), make_account()
    quoted = make_post(author, "quoted")
    quote = make_post(quoter, "look at this", quote_of_id=quoted.id)
    port.label(quoted.id, NOTE)
    shown = moderated.timelines.post(None, quote.id).quote
    assert shown is not None
    assert shown.presentation.labels == (NOTE,)
    port.hide(quoted.id)
    for view in (
        moderated.timelines.post(None, quote.id),
        *moderated.timelines.public(None, Page()),
    ):
        assert view.quote is None


def test_pages_top_up_past_hidden_posts(
    moderated: Microblog,
    port: FakeVisibility,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    author = make_account()
    kept = make_post(author, "kept")
    for n in range(12):
        port.hide(make_post(author, f"hidden {n}").id)
    assert shown_ids(moderated.timelines.public(None, Page(limit=2))) == [kept.id]
