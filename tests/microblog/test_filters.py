"""Filters match keywords case-insensitively, whole words when asked, in the text or the
content warning, and stop applying when they expire."""

from datetime import UTC, datetime, timedelta

from conftest import FAST_PASSWORDS, PASSWORD
from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.microblog import (
    FilterAction,
    FilterContext,
    KeywordChange,
    Microblog,
    PostDraft,
)


def test_matching_and_expiry(services: Services) -> None:
    clock = FixedClock(datetime(2026, 12, 6, 12, tzinfo=UTC))
    microblog = Microblog(
        services.db,
        clock=clock,
        ids=services.microblog.context.ids,
        base_url="http://testserver",
        passwords=FAST_PASSWORDS,
    )
    alice = microblog.accounts.register("alice", PASSWORD).id
    microblog.filters.create(
        alice,
        "Words",
        {FilterContext.HOME},
        FilterAction.WARN,
        clock.now() + timedelta(minutes=10),
        [KeywordChange("Cat", whole_word=True), KeywordChange("dog", whole_word=False)],
    )
    (active,) = microblog.filters.active(alice, FilterContext.HOME)

    def matched(text: str, warning: str = "") -> tuple[str, ...]:
        return active.matches(microblog.posts.create(alice, PostDraft(text, spoiler_text=warning)))

    assert matched("my CAT sleeps") == ("Cat",)
    assert matched("concatenate") == ()
    assert matched("hotdogs") == ("dog",)
    assert matched("nothing here", warning="cat pictures") == ("Cat",)
    assert microblog.filters.active(alice, FilterContext.PUBLIC) == []
    clock.advance(timedelta(minutes=10))
    assert microblog.filters.active(alice, FilterContext.HOME) == []
    assert len(microblog.filters.of(alice)) == 1  # expired, still listed
