"""Home, public, hashtag, profile and thread timelines."""

import pytest

from conftest import AccountFactory, PostFactory
from townsquare.microblog import Microblog, Page, PostNotFoundError, PostView, PostVisibility


def ids(views: list[PostView]) -> list[int]:
    return [v.post.id for v in views]


def test_home_has_own_posts_followed_posts_and_their_reposts(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    me, friend, stranger = make_account(), make_account(), make_account()
    microblog.graph.follow(me.id, friend.id)
    mine = make_post(me)
    theirs = make_post(friend)
    strange = make_post(stranger)
    repost = microblog.posts.reblog(friend.id, strange.id)
    home = microblog.timelines.home(me.id, Page())
    assert ids(home) == [repost.id, theirs.id, mine.id]
    assert home[0].reblog is not None
    assert home[0].shown.post.id == strange.id
    assert home[0].author.id == friend.id


def test_home_excludes_muted_and_blocked(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    me, muted, blocked, friend = (make_account() for _ in range(4))
    for other in (muted, friend):
        microblog.graph.follow(me.id, other.id)
    make_post(muted)
    blocked_post = make_post(blocked)
    microblog.graph.mute(me.id, muted.id)
    microblog.graph.block(me.id, blocked.id)
    kept = make_post(friend)
    microblog.posts.reblog(friend.id, blocked_post.id)
    assert ids(microblog.timelines.home(me.id, Page())) == [kept.id]


def test_home_reply_rule(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    """A reply shows when it answers me, someone I follow, or its own author."""
    me, friend, other_friend, stranger = (make_account() for _ in range(4))
    microblog.graph.follow(me.id, friend.id)
    microblog.graph.follow(me.id, other_friend.id)
    to_stranger = make_post(friend, "to stranger", in_reply_to_id=make_post(stranger).id)
    to_me = make_post(friend, "to me", in_reply_to_id=make_post(me).id)
    to_friend = make_post(friend, "to friend", in_reply_to_id=make_post(other_friend).id)
    to_self = make_post(friend, "thread", in_reply_to_id=make_post(friend).id)
    home = ids(microblog.timelines.home(me.id, Page()))
    assert to_stranger.id not in home
    assert {to_me.id, to_friend.id, to_self.id} <= set(home)


def test_regression_own_reply_to_a_stranger_missing_from_home(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    me, stranger = make_account(), make_account()
    reply = make_post(me, "hello", in_reply_to_id=make_post(stranger).id)
    assert ids(microblog.timelines.home(me.id, Page())) == [reply.id]


def test_home_shows_followers_only_posts_of_followed(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    me, friend = make_account(), make_account()
    microblog.graph.follow(me.id, friend.id)
    private = make_post(friend, visibility=PostVisibility.PRIVATE)
    assert ids(microblog.timelines.home(me.id, Page())) == [private.id]


def test_public_has_only_public_originals(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, bob = make_account(), make_account()
    public = make_post(alice)
    make_post(alice, visibility=PostVisibility.UNLISTED)
    make_post(alice, visibility=PostVisibility.PRIVATE)
    microblog.posts.reblog(bob.id, public.id)
    assert ids(microblog.timelines.public(None, Page())) == [public.id]
    assert ids(microblog.timelines.public(bob.id, Page())) == [public.id]


def test_public_hides_authors_the_viewer_blocked_or_muted(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    me, muted, blocker = make_account(), make_account(), make_account()
    make_post(muted)
    make_post(blocker)
    microblog.graph.mute(me.id, muted.id)
    microblog.graph.block(blocker.id, me.id)
    assert ids(microblog.timelines.public(me.id, Page())) == []
    assert len(microblog.timelines.public(None, Page())) == 2


def test_hashtag_timeline(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice = make_account()
    tagged = make_post(alice, "about #Cats")
    make_post(alice, "about #dogs")
    make_post(alice, "secret #cats", visibility=PostVisibility.PRIVATE)
    make_post(alice, "quiet #cats", visibility=PostVisibility.UNLISTED)
    for spelling in ("cats", "#cats", "CATS"):
        assert ids(microblog.timelines.hashtag(None, spelling, Page())) == [tagged.id]
    assert microblog.timelines.hashtag(None, "!!!", Page()) == []
    assert microblog.timelines.hashtag(None, "nul\x00", Page()) == []


def test_profile_shows_followers_only_posts_to_the_audience(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, follower, mentioned, stranger = (make_account() for _ in range(4))
    microblog.graph.follow(follower.id, alice.id)
    public = make_post(alice)
    private = make_post(alice, visibility=PostVisibility.PRIVATE)
    to_mentioned = make_post(
        alice, f"@{mentioned.username} psst", visibility=PostVisibility.PRIVATE
    )
    everyone = [to_mentioned.id, private.id, public.id]
    assert ids(microblog.timelines.profile(alice.id, alice.id, Page())) == everyone
    assert ids(microblog.timelines.profile(follower.id, alice.id, Page())) == everyone
    assert ids(microblog.timelines.profile(mentioned.id, alice.id, Page())) == [
        to_mentioned.id,
        public.id,
    ]
    assert ids(microblog.timelines.profile(stranger.id, alice.id, Page())) == [public.id]
    assert ids(microblog.timelines.profile(None, alice.id, Page())) == [public.id]


def test_profile_filters(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, bob = make_account(), make_account()
    original = make_post(alice, "#news")
    reply = make_post(alice, "reply", in_reply_to_id=make_post(bob).id)
    repost = microblog.posts.reblog(alice.id, make_post(bob).id)
    profile = microblog.timelines.profile
    assert ids(profile(None, alice.id, Page())) == [repost.id, reply.id, original.id]
    assert ids(profile(None, alice.id, Page(), exclude_replies=True)) == [repost.id, original.id]
    assert ids(profile(None, alice.id, Page(), exclude_reblogs=True)) == [reply.id, original.id]
    assert ids(profile(None, alice.id, Page(), tagged="#NEWS")) == [original.id]


def test_profile_is_empty_for_someone_blocked(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, bob = make_account(), make_account()
    make_post(alice)
    microblog.graph.block(alice.id, bob.id)
    assert microblog.timelines.profile(bob.id, alice.id, Page()) == []


def test_thread_order(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    """Ancestors oldest first; descendants depth first, each level in writing order."""
    alice, bob = make_account(), make_account()
    root = make_post(alice, "root")
    a = make_post(bob, "a", in_reply_to_id=root.id)
    b = make_post(alice, "b", in_reply_to_id=root.id)
    a1 = make_post(alice, "a1", in_reply_to_id=a.id)
    b1 = make_post(bob, "b1", in_reply_to_id=b.id)
    a2 = make_post(bob, "a2", in_reply_to_id=a.id)
    a1x = make_post(bob, "a1x", in_reply_to_id=a1.id)
    thread = microblog.timelines.thread(None, a1.id)
    assert ids(list(thread.ancestors)) == [root.id, a.id]
    assert thread.post.post.id == a1.id
    assert ids(list(thread.descendants)) == [a1x.id]
    whole = microblog.timelines.thread(None, root.id)
    assert ids(list(whole.ancestors)) == []
    assert ids(list(whole.descendants)) == [a.id, a1.id, a1x.id, a2.id, b.id, b1.id]


def test_thread_of_a_repost_is_the_original_thread(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, bob = make_account(), make_account()
    root = make_post(alice)
    reply = make_post(alice, in_reply_to_id=root.id)
    repost = microblog.posts.reblog(bob.id, root.id)
    thread = microblog.timelines.thread(None, repost.id)
    assert thread.post.post.id == repost.id
    assert ids(list(thread.descendants)) == [reply.id]


def test_thread_survives_a_deleted_middle(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice = make_account()
    root = make_post(alice)
    middle = make_post(alice, in_reply_to_id=root.id)
    leaf = make_post(alice, in_reply_to_id=middle.id)
    microblog.posts.delete(alice.id, middle.id)
    assert microblog.timelines.thread(None, leaf.id).ancestors == ()
    assert microblog.timelines.thread(None, root.id).descendants == ()


def test_thread_hides_followers_only_replies_from_strangers(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, bob = make_account(), make_account()
    root = make_post(alice)
    make_post(alice, visibility=PostVisibility.PRIVATE, in_reply_to_id=root.id)
    assert microblog.timelines.thread(bob.id, root.id).descendants == ()
    assert len(microblog.timelines.thread(alice.id, root.id).descendants) == 1


def test_single_post_respects_audience(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, bob = make_account(), make_account()
    private = make_post(alice, visibility=PostVisibility.PRIVATE)
    assert microblog.timelines.post(alice.id, private.id).post.id == private.id
    for viewer in (bob.id, None):
        with pytest.raises(PostNotFoundError):
            microblog.timelines.post(viewer, private.id)
    with pytest.raises(PostNotFoundError):
        microblog.timelines.post(None, 123)
