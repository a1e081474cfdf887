"""The per-viewer decision: what one event means to one subscriber of one stream."""

import pytest

from conftest import FAST_PASSWORDS, AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.kernel import NotFoundError, SystemClock
from townsquare.microblog import (
    Account,
    DeliveryKind,
    Microblog,
    NotAllowedError,
    Page,
    PostDraft,
    PostVisibility,
    Stream,
    StreamEvent,
    StreamEventKind,
    StreamKind,
    Streams,
    Surface,
)

from .fakes import FakeVisibility

USER = Stream(StreamKind.USER)
PUBLIC = Stream(StreamKind.PUBLIC)
CATS = Stream(StreamKind.HASHTAG, tag="Cats")
NOTIFIED = Stream(StreamKind.USER_NOTIFICATION)


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


def _created(post_id: int, author: Account) -> StreamEvent:
    return StreamEvent(StreamEventKind.POST_CREATED, post_id, author.id)


def _kinds(
    streams: Streams, viewer: Account | None, stream: Stream, event: StreamEvent
) -> list[tuple[DeliveryKind, int]]:
    viewer_id = None if viewer is None else viewer.id
    return [(d.kind, d.subject_id) for d in streams.deliveries(viewer_id, stream, event)]


def test_a_new_post_reaches_followers_home_and_the_public_streams(
    microblog: Microblog, make_account: AccountFactory, make_post: PostFactory
) -> None:
    author, follower, stranger = make_account(), make_account(), make_account()
    microblog.graph.follow(follower.id, author.id)
    post = make_post(author, "Hello #cats")
    event = _created(post.id, author)
    streams = microblog.streams
    update = [(DeliveryKind.UPDATE, post.id)]
    assert _kinds(streams, follower, USER, event) == update
    assert _kinds(streams, author, USER, event) == update  # one's own posts too
    assert _kinds(streams, stranger, USER, event) == []
    assert _kinds(streams, stranger, PUBLIC, event) == update
    assert _kinds(streams, None, PUBLIC, event) == update
    assert _kinds(streams, None, CATS, event) == update  # the tag as the client typed it
    assert _kinds(streams, None, Stream(StreamKind.HASHTAG, tag="dogs"), event) == []
    assert _kinds(streams, follower, NOTIFIED, event) == []
    (delivery,) = streams.deliveries(follower.id, USER, event)
    assert delivery.post is not None
    assert delivery.post.post.text == "Hello #cats"


def test_followers_only_posts_stay_off_the_public_streams(
    microblog: Microblog, make_account: AccountFactory, make_post: PostFactory
) -> None:
    author, follower, stranger = make_account(), make_account(), make_account()
    microblog.graph.follow(follower.id, author.id)
    post = make_post(author, "Only friends #cats", visibility=PostVisibility.PRIVATE)
    event = _created(post.id, author)
    assert _kinds(microblog.streams, follower, USER, event) == [(DeliveryKind.UPDATE, post.id)]
    for stream in (PUBLIC, CATS):
        assert _kinds(microblog.streams, stranger, stream, event) == []
        assert _kinds(microblog.streams, follower, stream, event) == []


@pytest.mark.parametrize("how", ["block", "mute", "blocked by"])
def test_a_blocked_or_muted_author_is_not_streamed(
    microblog: Microblog, make_account: AccountFactory, make_post: PostFactory, how: str
) -> None:
    author, reader = make_account(), make_account()
    microblog.graph.follow(reader.id, author.id)
    if how == "block":
        microblog.graph.block(reader.id, author.id)
    elif how == "mute":
        microblog.graph.mute(reader.id, author.id)
    else:
        microblog.graph.block(author.id, reader.id)
    event = _created(make_post(author, "Hello #cats").id, author)
    for stream in (USER, PUBLIC, CATS):
        assert _kinds(microblog.streams, reader, stream, event) == []


def test_a_post_the_port_hides_is_not_streamed_and_a_change_deletes_it(
    moderated: Microblog, port: FakeVisibility, make_account: AccountFactory, make_post: PostFactory
) -> None:
    author, follower = make_account(), make_account()
    moderated.graph.follow(follower.id, author.id)
    post = make_post(author, "Hello #cats")
    changed = StreamEvent(StreamEventKind.POST_CHANGED, post.id)
    streams = moderated.streams
    # Still shown: a change (a label, say) shows it anew.
    assert _kinds(streams, follower, USER, changed) == [(DeliveryKind.STATUS_UPDATE, post.id)]
    port.hide(post.id, frozenset({Surface.PUBLIC, Surface.HASHTAG}))  # reduced reach
    assert _kinds(streams, follower, USER, changed) == [(DeliveryKind.STATUS_UPDATE, post.id)]
    assert _kinds(streams, follower, PUBLIC, changed) == [(DeliveryKind.DELETE, post.id)]
    assert _kinds(streams, follower, CATS, changed) == [(DeliveryKind.DELETE, post.id)]
    assert _kinds(streams, follower, PUBLIC, _created(post.id, author)) == []
    port.hide(post.id)  # removed
    assert _kinds(streams, follower, USER, changed) == [(DeliveryKind.DELETE, post.id)]
    assert _kinds(streams, author, USER, changed) == [(DeliveryKind.DELETE, post.id)]


def test_a_change_to_a_post_outside_the_stream_says_nothing(
    moderated: Microblog, port: FakeVisibility, make_account: AccountFactory, make_post: PostFactory
) -> None:
    author, stranger = make_account(), make_account()
    post = make_post(author, "Not followed", visibility=PostVisibility.PRIVATE)
    port.hide(post.id)
    changed = StreamEvent(StreamEventKind.POST_CHANGED, post.id)
    for stream in (USER, PUBLIC):
        assert _kinds(moderated.streams, stranger, stream, changed) == []
    public = make_post(author, "Public, not followed")
    port.hide(public.id)
    gone = StreamEvent(StreamEventKind.POST_CHANGED, public.id)
    assert _kinds(moderated.streams, stranger, USER, gone) == []  # not of their home
    assert _kinds(moderated.streams, stranger, PUBLIC, gone) == [(DeliveryKind.DELETE, public.id)]


def test_an_account_change_looks_again_at_its_newest_posts(
    moderated: Microblog, port: FakeVisibility, make_account: AccountFactory, make_post: PostFactory
) -> None:
    author, follower = make_account(), make_account()
    moderated.graph.follow(follower.id, author.id)
    kept, hidden = make_post(author, "kept"), make_post(author, "hidden")
    port.hide(hidden.id)
    changed = StreamEvent(StreamEventKind.ACCOUNT_CHANGED, author.id)
    assert sorted(_kinds(moderated.streams, follower, USER, changed)) == sorted(
        [(DeliveryKind.STATUS_UPDATE, kept.id), (DeliveryKind.DELETE, hidden.id)]
    )


def test_a_deletion_reaches_the_post_audience_only(
    microblog: Microblog, make_account: AccountFactory
) -> None:
    author, follower, stranger = make_account(), make_account(), make_account()
    microblog.graph.follow(follower.id, author.id)
    public = StreamEvent(StreamEventKind.POST_DELETED, 99, author.id, public=True)
    private = StreamEvent(StreamEventKind.POST_DELETED, 98, author.id, public=False)
    assert _kinds(microblog.streams, follower, USER, public) == [(DeliveryKind.DELETE, 99)]
    assert _kinds(microblog.streams, follower, USER, private) == [(DeliveryKind.DELETE, 98)]
    assert _kinds(microblog.streams, stranger, USER, public) == []
    assert _kinds(microblog.streams, stranger, PUBLIC, public) == [(DeliveryKind.DELETE, 99)]
    assert _kinds(microblog.streams, stranger, PUBLIC, private) == []


def test_a_notification_goes_to_its_recipient_only(
    microblog: Microblog, make_account: AccountFactory, make_post: PostFactory
) -> None:
    author, fan, other = make_account("author"), make_account(), make_account()
    post = make_post(author)
    microblog.posts.favourite(fan.id, post.id)
    (notification,) = microblog.notifications.list(author.id, Page())
    event = StreamEvent(StreamEventKind.NOTIFICATION, notification.id, author.id)
    streams = microblog.streams
    for stream in (USER, NOTIFIED):
        assert _kinds(streams, author, stream, event) == [
            (DeliveryKind.NOTIFICATION, notification.id)
        ]
        assert _kinds(streams, other, stream, event) == []
    assert _kinds(streams, author, PUBLIC, event) == []
    assert not Streams.concerns(other.id, USER, event)  # decided before any query


def test_own_streams_need_a_user_and_a_list_stream_their_own_list(
    microblog: Microblog, make_account: AccountFactory
) -> None:
    owner, other = make_account(), make_account()
    owned = microblog.lists.create(owner.id, "Friends")
    streams = microblog.streams
    streams.check(None, PUBLIC)
    streams.check(owner.id, Stream(StreamKind.LIST, list_id=owned.id))
    with pytest.raises(NotAllowedError):
        streams.check(None, USER)
    with pytest.raises(NotFoundError):
        streams.check(other.id, Stream(StreamKind.LIST, list_id=owned.id))


def test_writes_announce_their_events_after_commit(
    services: Services, make_account: AccountFactory
) -> None:
    """The application's database publishes what the write path announced, once committed."""
    microblog = services.microblog
    heard: list[StreamEvent] = []
    subscription = microblog.streams.subscribe(heard.append)
    author, fan = make_account(), make_account()
    post = microblog.posts.create(author.id, PostDraft(text="Hi"))
    repost = microblog.posts.reblog(fan.id, post.id)
    microblog.posts.unreblog(fan.id, post.id)
    microblog.posts.delete(author.id, post.id)
    subscription.close()
    microblog.posts.create(author.id, PostDraft(text="unheard"))
    kinds = [(e.kind, e.subject_id) for e in heard]
    assert kinds[0] == (StreamEventKind.POST_CREATED, post.id)
    assert (StreamEventKind.POST_CREATED, repost.id) in kinds
    assert (StreamEventKind.NOTIFICATION, kinds[2][1]) == kinds[2]  # the repost's notification
    assert (StreamEventKind.POST_DELETED, repost.id) in kinds
    assert kinds[-1] == (StreamEventKind.POST_DELETED, post.id)
    assert heard[-1].public
    assert heard[-1].account_id == author.id
    assert len(kinds) == 5


def test_hiding_a_post_deletes_the_reposts_of_it_that_reached_a_home(
    moderated: Microblog, port: FakeVisibility, make_account: AccountFactory, make_post: PostFactory
) -> None:
    author, reposter, reader = make_account(), make_account(), make_account()
    moderated.graph.follow(reader.id, reposter.id)  # not the author: the repost brings it
    post = make_post(author, "Spread around")
    repost = moderated.posts.reblog(reposter.id, post.id)
    changed = StreamEvent(StreamEventKind.POST_CHANGED, post.id)
    assert _kinds(moderated.streams, reader, USER, changed) == [
        (DeliveryKind.STATUS_UPDATE, repost.id)
    ]
    port.hide(post.id)
    assert _kinds(moderated.streams, reader, USER, changed) == [(DeliveryKind.DELETE, repost.id)]


def test_deleting_a_post_announces_its_reposts_deletion_too(
    services: Services, make_account: AccountFactory
) -> None:
    microblog = services.microblog
    author, reposter = make_account(), make_account()
    post = microblog.posts.create(author.id, PostDraft(text="Soon gone"))
    repost = microblog.posts.reblog(reposter.id, post.id)
    heard: list[StreamEvent] = []
    subscription = microblog.streams.subscribe(heard.append)
    microblog.posts.delete(author.id, post.id)
    subscription.close()
    assert heard == [
        StreamEvent(StreamEventKind.POST_DELETED, repost.id, reposter.id, public=True),
        StreamEvent(StreamEventKind.POST_DELETED, post.id, author.id, public=True),
    ]
