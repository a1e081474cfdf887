"""Random sequences of everything people do, with the counter invariant checked after each step.

Refusals (the microblog's own errors) are fine; any other exception, or a counter that no
longer equals the COUNT it caches, is a bug.
"""

import contextlib
import random
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import AccountFactory
from townsquare.microblog import (
    Microblog,
    MicroblogError,
    Page,
    PostDraft,
    PostVisibility,
)

from .fakes import counter_violations

ACTIONS = (
    "post",
    "reply",
    "quote",
    "reblog",
    "unreblog",
    "favourite",
    "unfavourite",
    "delete",
    "follow",
    "unfollow",
    "block",
    "unblock",
    "mute",
)
steps = st.lists(
    st.tuples(
        st.sampled_from(ACTIONS),
        st.integers(0, 3),  # actor
        st.integers(0, 3),  # other account
        st.integers(0, 50),  # which post (modulo those that exist)
        st.sampled_from(list(PostVisibility)),
    ),
    min_size=1,
    max_size=30,
)


class _World:
    def __init__(self, microblog: Microblog, people: list[int]) -> None:
        self.microblog = microblog
        self.people = people
        self.post_ids: list[int] = []

    def act(
        self, action: str, actor: int, other: int, which: int, visibility: PostVisibility
    ) -> None:
        who, whom = self.people[actor], self.people[other]
        target = self.post_ids[which % len(self.post_ids)] if self.post_ids else 0
        posts, graph = self.microblog.posts, self.microblog.graph
        handlers: dict[str, Callable[[], object]] = {
            "post": lambda: self._create(who, PostDraft("hi", visibility=visibility)),
            "reply": lambda: self._create(who, PostDraft("re", in_reply_to_id=target)),
            "quote": lambda: self._create(who, PostDraft("look", quote_of_id=target)),
            "reblog": lambda: self.post_ids.append(posts.reblog(who, target).id),
            "unreblog": lambda: posts.unreblog(who, target),
            "favourite": lambda: posts.favourite(who, target),
            "unfavourite": lambda: posts.unfavourite(who, target),
            "delete": lambda: posts.delete(who, target),
            "follow": lambda: graph.follow(who, whom),
            "unfollow": lambda: graph.unfollow(who, whom),
            "block": lambda: graph.block(who, whom),
            "unblock": lambda: graph.unblock(who, whom),
            "mute": lambda: graph.mute(who, whom),
        }
        with contextlib.suppress(MicroblogError):
            handlers[action]()

    def _create(self, author: int, draft: PostDraft) -> None:
        self.post_ids.append(self.microblog.posts.create(author, draft).id)

    def read_everything(self) -> None:
        """Every read surface, for every person: none may raise."""
        timelines = self.microblog.timelines
        for person in self.people:
            timelines.home(person, Page())
            timelines.public(person, Page())
            timelines.profile(person, self.people[0], Page())
            self.microblog.notifications.list(person, Page())
            for post_id in self.post_ids[-3:]:
                with contextlib.suppress(MicroblogError):
                    timelines.thread(person, post_id)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(script=steps)
def test_counters_match_counts_after_every_step(
    microblog: Microblog,
    make_account: AccountFactory,
    script: list[tuple[str, int, int, int, PostVisibility]],
) -> None:
    world = _World(microblog, [make_account().id for _ in range(4)])
    for step in script:
        world.act(*step)
        assert counter_violations(microblog.db) == [], step
    world.read_everything()


def test_a_long_seeded_scenario(microblog: Microblog, make_account: AccountFactory) -> None:
    rng = random.Random(20260301)
    world = _World(microblog, [make_account().id for _ in range(5)][:4])
    for _ in range(150):
        world.act(
            rng.choice(ACTIONS),
            rng.randrange(4),
            rng.randrange(4),
            rng.randrange(50),
            rng.choice(list(PostVisibility)),
        )
    assert counter_violations(microblog.db) == []
    world.read_everything()
