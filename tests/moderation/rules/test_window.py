"""The matchers' window stays bounded — in size and in time — whatever the events, and
keeps every act a rule still needs."""

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.rules.factories import T0, actor, make_rule, post
from townsquare.moderation import PostTarget
from townsquare.moderation.rules import (
    AccountCreated,
    Event,
    MassMentions,
    NewAccountSwarm,
    PostEdited,
    PostingBurst,
    ReportFiled,
    RuleError,
    RuleSet,
    SameText,
    Sighting,
    Window,
    match_event,
    start_window,
)

MINUTE = timedelta(minutes=1)
RULES = RuleSet(
    rules={
        r.id: r
        for r in (
            make_rule(PostingBurst(min_posts=3, window=5 * MINUTE), id="burst"),
            make_rule(SameText(min_accounts=2, window=20 * MINUTE, min_characters=1), id="same"),
            make_rule(
                NewAccountSwarm(
                    min_accounts=2, window=30 * MINUTE, max_account_age=timedelta(hours=1)
                ),
                id="swarm",
            ),
            make_rule(MassMentions(max_mentions=2, window=10 * MINUTE), id="mentions"),
        )
    }
)


@st.composite
def events(draw: st.DrawFn) -> Event:
    """Any event within a few hours of T0, by a few accounts, about a few targets."""
    at = T0 + timedelta(seconds=draw(st.integers(0, 4 * 3600)))
    who = actor(draw(st.integers(1, 6)), at - timedelta(minutes=draw(st.integers(0, 120))))
    kind = draw(st.sampled_from(["post", "edit", "report", "account"]))
    if kind == "report":
        return ReportFiled(draw(st.integers(1, 99)), who, at, PostTarget(draw(st.integers(1, 3))))
    if kind == "account":
        return AccountCreated(who)
    text = draw(st.sampled_from(["same words", "Same  WORDS", "other", ""]))
    mentions = tuple(draw(st.lists(st.integers(1, 6), max_size=3)))
    if kind == "edit":
        return PostEdited(draw(st.integers(1, 99)), who, at, text, (), mentions)
    return post(draw(st.integers(1, 99)), who, at, text, mentions=mentions)


@settings(max_examples=200, deadline=None)
@given(st.lists(events(), max_size=60), st.integers(1, 8))
def test_the_window_stays_bounded_in_size_and_time(sequence: list[Event], capacity: int) -> None:
    window = start_window(RULES, capacity=capacity)
    latest = None  # the latest time of an act the window counts (new posts, reports)
    for event in sequence:
        window = match_event(RULES, window, event).window
        if not isinstance(event, PostEdited | AccountCreated):
            latest = event.at if latest is None else max(latest, event.at)
        # The invariants, after every step.
        assert window.now == latest
        assert len(window.sightings) <= capacity
        if window.now is not None:
            assert all(window.now - s.at < RULES.horizon for s in window.sightings)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 3 * 3600), max_size=40))
def test_the_window_keeps_every_act_within_the_horizon_when_capacity_allows(
    offsets: list[int],
) -> None:
    # The naive reference: every act seen, filtered by age against the latest time.
    window = Window(horizon=30 * MINUTE, capacity=1000)
    seen = []
    for number, offset in enumerate(offsets):
        sighting = Sighting(T0 + timedelta(seconds=offset), number, T0)
        seen.append(sighting)
        window = window.observe(sighting)
    if window.now is not None:
        kept = [s for s in seen if window.now - s.at < 30 * MINUTE]
        expected = sorted(kept, key=lambda s: s.at)  # in time order, arrivals at one time kept
        assert list(window.sightings) == expected


def test_the_oldest_acts_go_first_when_the_window_is_full() -> None:
    window = Window(horizon=60 * MINUTE, capacity=2)
    for minute in range(3):
        window = window.observe(Sighting(T0 + minute * MINUTE, minute, T0))
    assert [s.account_id for s in window.sightings] == [1, 2]


def test_the_same_act_twice_is_held_once() -> None:
    act = Sighting(T0, 1, T0, post_id=5)
    window = Window(horizon=10 * MINUTE).observe(act).observe(Sighting(T0, 2, T0))
    assert window.holds(Sighting(T0, 1, T0, post_id=5))
    assert window.observe(Sighting(T0, 1, T0, post_id=5)) is window
    assert not window.holds(Sighting(T0, 1, T0, post_id=6))


def test_a_late_act_does_not_turn_the_clock_back() -> None:
    window = Window(horizon=10 * MINUTE).observe(Sighting(T0, 1, T0))
    late = window.observe(Sighting(T0 - 20 * MINUTE, 2, T0))
    assert late.now == T0
    assert [s.account_id for s in late.sightings] == [1]


@pytest.mark.parametrize(("horizon", "capacity"), [(MINUTE, 0), (-MINUTE, 5)])
def test_a_window_needs_room_and_a_horizon(horizon: timedelta, capacity: int) -> None:
    with pytest.raises(RuleError, match="window: expected a capacity from 1"):
        Window(horizon=horizon, capacity=capacity)
