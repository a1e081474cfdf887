"""Writing posts: limits, replies, quotes, mentions, hashtags, delete, repost, like."""

import threading
from collections.abc import Callable
from typing import TypeVar

import pytest

from conftest import AccountFactory, PostFactory
from townsquare.microblog import (
    MAX_POST_CHARACTERS,
    InvalidPostError,
    Microblog,
    NotAllowedError,
    NotificationType,
    Page,
    PostDraft,
    PostNotFoundError,
    PostVisibility,
)

from .fakes import counter_violations

T = TypeVar("T")

COMBINING_ACUTE = "e\u0301"  # one character on screen, two code points


def _notification_types(microblog: Microblog, account_id: int) -> list[NotificationType]:
    return [n.type for n in microblog.notifications.list(account_id, Page(limit=40))]


# -- length and validation -----------------------------------------------------------------


def test_500_characters_are_allowed_501_refused(
    make_account: AccountFactory, make_post: PostFactory
) -> None:
    alice = make_account()
    assert MAX_POST_CHARACTERS == 500
    make_post(alice, "x" * 500)
    with pytest.raises(InvalidPostError, match="at most 500"):
        make_post(alice, "x" * 501)


def test_a_combining_accent_counts_once(
    make_account: AccountFactory, make_post: PostFactory
) -> None:
    alice = make_account()
    post = make_post(alice, COMBINING_ACUTE * 500)
    assert post.text == COMBINING_ACUTE * 500
    with pytest.raises(InvalidPostError, match="this one has 501"):
        make_post(alice, COMBINING_ACUTE * 501)


def test_emoji_sequences_count_once(make_account: AccountFactory, make_post: PostFactory) -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    make_post(make_account(), family * 500)


def test_the_content_warning_counts_towards_the_limit(
    make_account: AccountFactory, make_post: PostFactory
) -> None:
    alice = make_account()
    post = make_post(alice, "x" * 490, spoiler_text="y" * 10)
    assert post.spoiler_text == "y" * 10
    assert post.sensitive
    with pytest.raises(InvalidPostError, match="content warning included"):
        make_post(alice, "x" * 490, spoiler_text="y" * 11)


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_posts_are_refused(
    make_account: AccountFactory, make_post: PostFactory, text: str
) -> None:
    with pytest.raises(InvalidPostError, match="needs some text"):
        make_post(make_account(), text)


def test_text_is_trimmed(make_account: AccountFactory, make_post: PostFactory) -> None:
    assert make_post(make_account(), "  hello  \n").text == "hello"


@pytest.mark.parametrize("language", ["fr", "en", "ast"])
def test_language_codes_are_stored(
    make_account: AccountFactory, make_post: PostFactory, language: str
) -> None:
    assert make_post(make_account(), "bonjour", language=language).language == language


@pytest.mark.parametrize("language", ["", "f", "french", "FR", "fr-FR", "12"])
def test_bad_language_codes_are_refused(
    make_account: AccountFactory, make_post: PostFactory, language: str
) -> None:
    with pytest.raises(InvalidPostError, match="ISO 639"):
        make_post(make_account(), "bonjour", language=language)


@pytest.mark.parametrize("text", ["nul \x00 byte", "lone \udc80 surrogate"])
def test_regression_unstorable_text_is_refused_not_a_crash(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog, text: str
) -> None:
    alice = make_account()
    with pytest.raises(InvalidPostError):
        make_post(alice, text)
    with pytest.raises(InvalidPostError):
        make_post(alice, "fine", spoiler_text=text)
    assert microblog.posts.count() == 0


def test_post_counts_and_last_status(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice = make_account()
    post = make_post(alice)
    account = microblog.accounts.get(alice.id)
    assert account.statuses_count == 1
    assert account.last_status_at == post.created_at


# -- replies and quotes --------------------------------------------------------------------


def test_replies_count_and_notify(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, bob = make_account(), make_account()
    root = make_post(alice, "root")
    reply = make_post(bob, "reply", in_reply_to_id=root.id)
    assert reply.in_reply_to_id == root.id
    assert reply.in_reply_to_account_id == alice.id
    assert microblog.timelines.post(alice.id, root.id).post.replies_count == 1
    assert _notification_types(microblog, alice.id) == [NotificationType.REPLY]
    assert counter_violations(microblog.db) == []


def test_replying_to_oneself_notifies_no_one(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice = make_account()
    root = make_post(alice)
    make_post(alice, "more", in_reply_to_id=root.id)
    assert _notification_types(microblog, alice.id) == []


def test_reply_to_a_repost_answers_the_original(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, bob, carol = make_account(), make_account(), make_account()
    original = make_post(alice)
    repost = microblog.posts.reblog(bob.id, original.id)
    reply = make_post(carol, "reply", in_reply_to_id=repost.id)
    assert (reply.in_reply_to_id, reply.in_reply_to_account_id) == (original.id, alice.id)


def test_reply_to_a_missing_post_is_refused(
    make_account: AccountFactory, make_post: PostFactory
) -> None:
    with pytest.raises(InvalidPostError, match="does not exist"):
        make_post(make_account(), "reply", in_reply_to_id=42)


def test_quote(make_account: AccountFactory, make_post: PostFactory, microblog: Microblog) -> None:
    alice, bob = make_account(), make_account()
    quoted = make_post(alice, "quoted")
    quote = make_post(bob, "look", quote_of_id=quoted.id)
    assert quote.quote_of_id == quoted.id
    view = microblog.timelines.post(None, quote.id)
    assert view.quote is not None
    assert view.quote.post.id == quoted.id


def test_private_posts_cannot_be_quoted(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice = make_account()
    secret = make_post(alice, "secret", visibility=PostVisibility.PRIVATE)
    with pytest.raises(InvalidPostError, match="followers-only"):
        make_post(alice, "look", quote_of_id=secret.id)
    with pytest.raises(InvalidPostError, match="does not exist"):
        make_post(make_account(), "look", quote_of_id=secret.id)


# -- mentions and hashtags -----------------------------------------------------------------


def test_mentions_are_stored_rendered_and_notified(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, bob = make_account("alice"), make_account("Bob")
    post = make_post(alice, "hi @bob and @nobody")
    assert 'href="http://testserver/@bob"' in post.content_html
    assert "@nobody" in post.content_html
    assert "testserver/@nobody" not in post.content_html
    view = microblog.timelines.post(None, post.id)
    assert [a.id for a in view.mentions] == [bob.id]
    assert _notification_types(microblog, bob.id) == [NotificationType.MENTION]


def test_a_reply_mentioning_its_parent_author_notifies_once(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, bob = make_account("alice"), make_account("bob")
    root = make_post(alice)
    make_post(bob, "@alice yes", in_reply_to_id=root.id)
    assert _notification_types(microblog, alice.id) == [NotificationType.REPLY]


def test_hashtags_are_stored_and_rendered(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    post = make_post(make_account(), "Vote! #Élection #vote #VOTE")
    assert 'href="http://testserver/tags/%C3%A9lection"' in post.content_html
    assert "#<span>Élection</span>" in post.content_html  # shown as written
    assert microblog.timelines.post(None, post.id).tags == ("vote", "élection")
    found = microblog.timelines.hashtag(None, "ÉLECTION", Page())
    assert [v.post.id for v in found] == [post.id]


def test_regression_hashtag_timeline_uses_the_stored_tag_form(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    # Tags are stored case-folded and NFC; the timeline looked them up with lower() as given.
    post = make_post(make_account(), "#Straße et #E\u0301lection")
    for asked in ("STRASSE", "straße", "#Straße", "Élection", "E\u0301LECTION"):
        assert [v.post.id for v in microblog.timelines.hashtag(None, asked, Page())] == [post.id]


def test_regression_hashtag_longer_than_its_column_once_folded(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    # 100 'ß' are a valid tag; case-folded they are 200 characters, over VARCHAR(100).
    alice = make_account()
    make_post(alice, "#" + "ß" * 100 + " #ok")
    make_post(alice, "#" + "\ufdfa" * 100)  # short name, 1,800-character search form
    assert microblog.timelines.hashtag(None, "ok", Page()) != []


# -- delete --------------------------------------------------------------------------------


def test_only_the_author_may_delete(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, bob = make_account(), make_account()
    post = make_post(alice)
    with pytest.raises(NotAllowedError, match="author"):
        microblog.posts.delete(bob.id, post.id)
    assert microblog.posts.delete(alice.id, post.id).id == post.id
    with pytest.raises(PostNotFoundError):
        microblog.timelines.post(alice.id, post.id)
    with pytest.raises(PostNotFoundError):
        microblog.posts.delete(alice.id, post.id)


def test_deleting_removes_reposts_and_fixes_counters(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, bob, carol = make_account(), make_account(), make_account()
    root = make_post(carol)
    post = make_post(alice, in_reply_to_id=root.id)
    repost = microblog.posts.reblog(bob.id, post.id)
    microblog.posts.reblog(alice.id, post.id)
    microblog.posts.favourite(carol.id, post.id)
    make_post(bob, "reply", in_reply_to_id=post.id)
    microblog.posts.delete(alice.id, post.id)
    with pytest.raises(PostNotFoundError):
        microblog.timelines.post(None, repost.id)
    assert microblog.accounts.get(alice.id).statuses_count == 0
    assert microblog.accounts.get(bob.id).statuses_count == 1
    assert microblog.timelines.post(None, root.id).post.replies_count == 0
    assert counter_violations(microblog.db) == []


def test_a_repost_is_taken_back_by_unreblog_not_delete(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, bob = make_account(), make_account()
    repost = microblog.posts.reblog(bob.id, make_post(alice).id)
    with pytest.raises(NotAllowedError, match="undo the repost"):
        microblog.posts.delete(bob.id, repost.id)


# -- reposts and favourites ----------------------------------------------------------------


def test_reblog_is_idempotent(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, bob = make_account(), make_account()
    post = make_post(alice)
    first = microblog.posts.reblog(bob.id, post.id)
    assert microblog.posts.reblog(bob.id, post.id).id == first.id
    assert microblog.posts.reblog(bob.id, first.id).id == first.id  # a repost of the repost
    assert first.reblog_of_id == post.id
    assert microblog.timelines.post(None, post.id).post.reblogs_count == 1
    assert microblog.accounts.get(bob.id).statuses_count == 1
    assert _notification_types(microblog, alice.id) == [NotificationType.REBLOG]
    microblog.posts.unreblog(bob.id, post.id)
    assert microblog.posts.unreblog(bob.id, post.id).reblogs_count == 0
    assert microblog.accounts.get(bob.id).statuses_count == 0
    assert counter_violations(microblog.db) == []


def test_private_posts_cannot_be_reblogged(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, bob = make_account(), make_account()
    microblog.graph.follow(bob.id, alice.id)
    secret = make_post(alice, visibility=PostVisibility.PRIVATE)
    for who in (alice, bob):
        with pytest.raises(NotAllowedError, match="followers-only"):
            microblog.posts.reblog(who.id, secret.id)


def test_unlisted_reposts_stay_unlisted(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, bob = make_account(), make_account()
    quiet = make_post(alice, visibility=PostVisibility.UNLISTED)
    assert microblog.posts.reblog(bob.id, quiet.id).visibility is PostVisibility.UNLISTED


def test_favourite_is_idempotent(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, bob = make_account(), make_account()
    post = make_post(alice)
    assert microblog.posts.favourite(bob.id, post.id).favourites_count == 1
    assert microblog.posts.favourite(bob.id, post.id).favourites_count == 1
    assert _notification_types(microblog, alice.id) == [NotificationType.FAVOURITE]
    assert microblog.timelines.post(bob.id, post.id).favourited
    assert not microblog.timelines.post(alice.id, post.id).favourited
    assert microblog.posts.unfavourite(bob.id, post.id).favourites_count == 0
    assert microblog.posts.unfavourite(bob.id, post.id).favourites_count == 0
    assert counter_violations(microblog.db) == []


def test_regression_favouriting_a_repost_favourites_the_original(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, bob, carol = make_account(), make_account(), make_account()
    post = make_post(alice)
    repost = microblog.posts.reblog(bob.id, post.id)
    liked = microblog.posts.favourite(carol.id, repost.id)
    assert liked.id == post.id
    assert liked.favourites_count == 1
    assert _notification_types(microblog, alice.id) == [
        NotificationType.FAVOURITE,
        NotificationType.REBLOG,
    ]
    assert _notification_types(microblog, bob.id) == []
    assert microblog.posts.unfavourite(carol.id, repost.id).favourites_count == 0


def test_a_post_one_cannot_read_cannot_be_liked_or_reposted(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, bob = make_account(), make_account()
    secret = make_post(alice, visibility=PostVisibility.PRIVATE)
    with pytest.raises(PostNotFoundError):
        microblog.posts.favourite(bob.id, secret.id)
    with pytest.raises(PostNotFoundError):
        microblog.posts.reblog(bob.id, secret.id)
    microblog.graph.block(alice.id, bob.id)
    public = make_post(alice)
    with pytest.raises(PostNotFoundError):
        microblog.posts.favourite(bob.id, public.id)


def _at_once(attempts: int, act: Callable[[], T]) -> list[T]:
    """Run `act` in `attempts` threads released together (each on its own connection)."""
    barrier = threading.Barrier(attempts)
    results: list[T] = []

    def run() -> None:
        barrier.wait()
        results.append(act())

    threads = [threading.Thread(target=run) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == attempts, "an attempt failed"
    return results


def test_the_same_repost_made_four_times_at_once_is_one_repost(
    microblog: Microblog, make_account: AccountFactory, make_post: PostFactory
) -> None:
    original = make_post(make_account("author"))
    fan = make_account("fan")
    reposts = _at_once(4, lambda: microblog.posts.reblog(fan.id, original.id))
    assert len({r.id for r in reposts}) == 1
    assert microblog.timelines.post(None, original.id).post.reblogs_count == 1


def test_the_same_favourite_made_four_times_at_once_is_one_favourite(
    microblog: Microblog, make_account: AccountFactory, make_post: PostFactory
) -> None:
    original = make_post(make_account("author"))
    fan = make_account("fan")
    answers = _at_once(4, lambda: microblog.posts.favourite(fan.id, original.id))
    assert {a.favourites_count for a in answers} == {1}
    assert microblog.timelines.post(None, original.id).post.favourites_count == 1


def test_a_reply_is_deleted_after_its_parent(
    microblog: Microblog, make_account: AccountFactory, make_post: PostFactory
) -> None:
    """Regression: deleting a reply whose parent was deleted first failed (the parent's
    reply count could not be lowered); found by the seeded scenario."""
    alice = make_account()
    parent = make_post(alice, "parent")
    reply = microblog.posts.create(alice.id, PostDraft("reply", in_reply_to_id=parent.id))
    microblog.posts.delete(alice.id, parent.id)

    microblog.posts.delete(alice.id, reply.id)

    assert microblog.posts.count() == 0
