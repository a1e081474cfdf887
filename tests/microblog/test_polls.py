"""Votes at once by one voter count once (the poll's row is locked while a vote is written)."""

import threading
from datetime import timedelta

from conftest import AccountFactory
from townsquare.microblog import InvalidVoteError, Microblog, PollDraft, PostDraft


def test_two_votes_at_once_by_one_voter_count_once(
    microblog: Microblog, make_account: AccountFactory
) -> None:
    alice, bob = make_account("alice"), make_account("bob")
    asked = PollDraft(("a", "b"), int(timedelta(hours=1).total_seconds()))
    post = microblog.posts.create(alice.id, PostDraft("Which?", poll=asked))
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def vote(choice: int) -> None:
        barrier.wait()
        try:
            microblog.polls.vote(bob.id, post.id, [choice])
            outcomes.append("counted")
        except InvalidVoteError:
            outcomes.append("refused")

    threads = [threading.Thread(target=vote, args=(choice,)) for choice in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    poll = microblog.timelines.post(bob.id, post.id).poll
    assert sorted(outcomes) == ["counted", "refused"]
    assert poll is not None
    assert (poll.voters_count, poll.votes_count, len(poll.own_votes)) == (1, 1, 1)
