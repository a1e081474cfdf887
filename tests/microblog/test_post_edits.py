"""Edits at the microblog: the versions kept, search and copy detection by the new text."""

from conftest import AccountFactory, PostFactory
from townsquare.microblog import Microblog, PostEdit, copy_candidates

COPIED = "The harbour bridge closes for repairs from Monday to Friday, take the ferry instead"


def test_every_version_is_kept_oldest_first(
    microblog: Microblog, make_account: AccountFactory, make_post: PostFactory
) -> None:
    alice = make_account("alice")
    post = make_post(alice, "one")

    microblog.posts.edit(alice.id, post.id, PostEdit(text="two"))
    latest = microblog.posts.edit(alice.id, post.id, PostEdit(text="three", sensitive=True))

    history = microblog.posts.history(latest)
    assert [v.text for v in history] == ["one", "two", "three"]
    assert [v.sensitive for v in history] == [False, False, True]
    assert history[0].created_at == post.created_at
    assert history[-1].created_at == latest.edited_at
    assert microblog.posts.edit_times(post.id) == [v.created_at for v in history[1:]]


def test_search_and_copy_detection_read_the_edited_text(
    microblog: Microblog, make_account: AccountFactory, make_post: PostFactory
) -> None:
    alice, bob = make_account("alice"), make_account("bob")
    original = make_post(alice, COPIED)
    edited = make_post(bob, "Lunch was good today, the soup especially")

    microblog.posts.edit(bob.id, edited.id, PostEdit(text=COPIED))

    with microblog.db.read() as conn:
        assert [c.post_id for c in copy_candidates(conn, original.id)] == [edited.id]
    found = microblog.search.everything(None, "harbour bridge").posts
    assert sorted(v.post.id for v in found) == sorted([original.id, edited.id])
    assert microblog.search.everything(None, "soup").posts == ()
