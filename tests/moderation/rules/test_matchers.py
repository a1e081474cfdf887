"""The matchers: each rule kind fires on its scenario and not on the near misses — a burst
just under its threshold, a window just expired, mentions at the limit — and a detection
carries everything a case or `enforce` needs."""

from datetime import timedelta

import pytest

from moderation.rules.factories import T0, actor, make_rule, one_rule, post
from townsquare.moderation import AccountTarget, ActionKind, PostTarget
from townsquare.moderation._decisions import check_decision
from townsquare.moderation.rules import (
    AccountCreated,
    Blocklist,
    Detection,
    Effect,
    Event,
    Fingerprints,
    MassMentions,
    NewAccountSwarm,
    PostEdited,
    PostingBurst,
    ReportFiled,
    ReportStorm,
    RuleSet,
    SameText,
    UrlBlocklist,
    Window,
    match_event,
    normalise_text,
    start_window,
)

MINUTE = timedelta(minutes=1)
LIST = Blocklist("bad-1", ("Example Phishing Watch",), frozenset({"phish.example"}))
BLOCKLIST = make_rule(
    UrlBlocklist(LIST),
    id="bad-links",
    action=ActionKind.REMOVE,
    effect=Effect.ACT,
    severity=None,
    clause="spam-and-platform-manipulation/3@1",
)
BURST = make_rule(PostingBurst(min_posts=3, window=10 * MINUTE), id="burst")
LINK_BURST = make_rule(
    PostingBurst(min_posts=3, window=10 * MINUTE, links_only=True), id="link-burst"
)
SAME = make_rule(
    SameText(min_accounts=3, window=30 * MINUTE, min_characters=10),
    id="same",
    action=ActionKind.REDUCE_REACH,
)
SWARM = make_rule(
    NewAccountSwarm(min_accounts=3, window=60 * MINUTE, max_account_age=timedelta(hours=48)),
    id="swarm",
    severity=3,
)
MENTIONS = make_rule(
    MassMentions(max_mentions=4, window=10 * MINUTE),
    id="mentions",
    action=ActionKind.REDUCE_REACH,
)
STORM = make_rule(
    ReportStorm(min_reports=3, window=30 * MINUTE),
    id="storm",
    action=ActionKind.NO_ACTION,
    severity=1,
    clause="spam-and-platform-manipulation/2@1",
)
TEXT = "Buy the amazing widget today, only at our shop"


def run(
    rules: RuleSet, events: list[Event], fingerprints: Fingerprints | None = None
) -> list[list[Detection]]:
    """The detections of each event, in order, through one window."""
    window = start_window(rules)
    found = []
    for event in events:
        if fingerprints is None:
            matched = match_event(rules, window, event)
        else:
            matched = match_event(rules, window, event, fingerprints)
        window = matched.window
        found.append(list(matched.detections))
    return found


def flat(found: list[list[Detection]]) -> list[Detection]:
    return [d for each in found for d in each]


# -- URL blocklists ---------------------------------------------------------------------------


def test_a_link_to_a_listed_domain_or_subdomain_is_removed_at_once() -> None:
    events: list[Event] = [
        post(1, 7, T0, urls=("https://phish.example/login",)),
        post(2, 7, T0, urls=("http://WWW.Phish.Example./x?y=1",)),
    ]
    first, second = run(one_rule(BLOCKLIST), events)
    assert [d.target for d in first + second] == [PostTarget(1), PostTarget(2)]
    detection = first[0]
    assert detection.acts
    assert (detection.action, detection.severity, detection.about) == (ActionKind.REMOVE, None, 7)
    assert detection.facts == (
        "Automated rule bad-links@1: Post 1 links to phish.example, on the published "
        "blocklist 'bad-1' (sources: Example Phishing Watch)."
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://notphish.example/",  # a different domain that ends alike
        "https://phish.example.org/",  # the listed name as a subdomain of another
        "https://example/phish.example",  # the listed name in the path
        "https://[::1",  # not a URL at all
    ],
)
def test_a_link_merely_resembling_a_listed_domain_is_not_matched(url: str) -> None:
    assert flat(run(one_rule(BLOCKLIST), [post(1, 7, T0, urls=(url,))])) == []


def test_an_edit_adding_a_listed_link_is_matched() -> None:
    edited = PostEdited(1, actor(7), T0, "now with a link", ("https://a.phish.example",))
    [[detection]] = run(one_rule(BLOCKLIST), [edited])
    assert "Post 1 edited to link to phish.example" in detection.facts


def test_an_internationalised_host_matches_its_punycode_entry() -> None:
    listed = make_rule(
        UrlBlocklist(Blocklist("idn", ("Src",), frozenset({"xn--bcher-kva.example"})))
    )
    [[detection]] = run(one_rule(listed), [post(1, 7, T0, urls=("https://bücher.example/",))])
    assert detection.target == PostTarget(1)


# -- posting bursts and link spam -------------------------------------------------------------


def test_a_burst_opens_one_case_on_the_account_when_it_reaches_the_threshold() -> None:
    events: list[Event] = [post(i, 7, T0 + i * MINUTE) for i in range(1, 6)]
    found = run(one_rule(BURST), events)
    assert [len(each) for each in found] == [0, 0, 1, 0, 0]  # once, not at every post after
    detection = found[2][0]
    assert detection.target == AccountTarget(7)
    assert not detection.acts
    assert (detection.severity, detection.action) == (2, ActionKind.LIMIT)
    assert detection.detected_at == T0 + 3 * MINUTE
    assert detection.facts == (
        "Automated rule burst@1: Account 7 published 3 posts in less than 10 minutes "
        "(the rule counts 3)."
    )


def test_a_burst_just_under_the_threshold_is_not_matched() -> None:
    events: list[Event] = [post(1, 7, T0), post(2, 7, T0 + MINUTE), post(3, 8, T0 + 2 * MINUTE)]
    assert flat(run(one_rule(BURST), events)) == []


def test_a_post_just_outside_the_window_does_not_count() -> None:
    # Exactly ten minutes after the first post, the first has left a ten-minute window.
    events: list[Event] = [post(1, 7, T0), post(2, 7, T0 + MINUTE), post(3, 7, T0 + 10 * MINUTE)]
    assert flat(run(one_rule(BURST), events)) == []
    within: list[Event] = [*events[:2], post(3, 7, T0 + 10 * MINUTE - timedelta(seconds=1))]
    assert len(flat(run(one_rule(BURST), within))) == 1


def test_a_burst_fires_again_after_falling_back_below_the_threshold() -> None:
    times = [0, 1, 2, 30, 31, 32]
    events: list[Event] = [post(i, 7, T0 + t * MINUTE) for i, t in enumerate(times)]
    assert [len(each) for each in run(one_rule(BURST), events)] == [0, 0, 1, 0, 0, 1]


def test_link_spam_counts_only_posts_with_links() -> None:
    link = ("https://shop.example/",)
    events: list[Event] = [
        post(1, 7, T0, urls=link),
        post(2, 7, T0 + MINUTE),
        post(3, 7, T0 + 2 * MINUTE, urls=link),
        post(4, 7, T0 + 3 * MINUTE),
    ]
    assert flat(run(one_rule(LINK_BURST), events)) == []
    [detection] = flat(run(one_rule(LINK_BURST), [*events, post(5, 7, T0 + 4 * MINUTE, urls=link)]))
    assert "published 3 posts with links" in detection.facts


# -- the same text from many accounts ---------------------------------------------------------


def test_the_same_text_from_many_accounts_matches_every_copy_then_each_new_one() -> None:
    variants = [TEXT, f"  {TEXT.upper()} ", TEXT.replace(" ", "\n"), TEXT]
    events: list[Event] = [
        post(10 + i, 100 + i, T0 + i * MINUTE, v) for i, v in enumerate(variants)
    ]
    found = run(one_rule(SAME), events)
    assert [[d.target for d in each] for each in found] == [
        [],
        [],
        [PostTarget(10), PostTarget(11), PostTarget(12)],
        [PostTarget(13)],
    ]
    assert [d.about for d in found[2]] == [100, 101, 102]
    assert found[2][0].facts == (
        "Automated rule same@1: Post 10 has the same text as posts by 3 accounts published in "
        "less than 30 minutes (the rule counts 3): posts 10, 11, 12."
    )


def test_one_account_repeating_itself_is_not_many_accounts() -> None:
    events: list[Event] = [post(10 + i, 100 + i % 2, T0 + i * MINUTE, TEXT) for i in range(4)]
    assert flat(run(one_rule(SAME), events)) == []


def test_short_texts_and_different_texts_are_not_matched() -> None:
    short: list[Event] = [post(10 + i, 100 + i, T0, "Good morning") for i in range(2)]
    short.append(post(12, 102, T0, "good  MORNING"))
    shorter = make_rule(SameText(min_accounts=3, window=30 * MINUTE, min_characters=20))
    assert flat(run(one_rule(shorter), short)) == []
    different: list[Event] = [post(10 + i, 100 + i, T0, f"{TEXT} {i}") for i in range(3)]
    assert flat(run(one_rule(SAME), different)) == []


def test_copies_older_than_the_window_are_not_counted() -> None:
    events: list[Event] = [
        post(10, 100, T0, TEXT),
        post(11, 101, T0 + 29 * MINUTE, TEXT),
        post(12, 102, T0 + 30 * MINUTE, TEXT),
    ]
    assert flat(run(one_rule(SAME), events)) == []


def test_tracking_parameters_do_not_make_a_copy_different() -> None:
    url = "https://shop.example/widget?id=4"
    tracked = [f"{url}&utm_source=a{i}&fbclid=x{i}" for i in range(3)]
    events: list[Event] = [
        post(10 + i, 100 + i, T0, f"{TEXT} {link}", urls=(link,)) for i, link in enumerate(tracked)
    ]
    assert len(flat(run(one_rule(SAME), events))) == 3
    assert normalise_text(f"See {tracked[0]}", (tracked[0],)) == f"see {url}"


def test_a_near_duplicate_fingerprint_plugs_in_as_a_parameter() -> None:
    def first_words(normalised: str) -> frozenset[str]:
        return frozenset({" ".join(normalised.split()[:4])})

    events: list[Event] = [post(10 + i, 100 + i, T0, f"{TEXT} {i}") for i in range(3)]
    assert len(flat(run(one_rule(SAME), events, first_words))) == 3


# -- new accounts acting together -------------------------------------------------------------


def test_new_accounts_mentioning_one_account_are_each_sent_to_moderators() -> None:
    events: list[Event] = [
        post(10 + i, actor(100 + i, T0 - timedelta(hours=1)), T0 + i * MINUTE, mentions=(5,))
        for i in range(4)
    ]
    found = run(one_rule(SWARM), events)
    assert [[d.target for d in each] for each in found] == [
        [],
        [],
        [AccountTarget(100), AccountTarget(101), AccountTarget(102)],
        [AccountTarget(103)],
    ]
    assert found[2][0].severity == 3
    assert found[2][0].facts == (
        "Automated rule swarm@1: Account 100 is one of 3 accounts, each less than 2 days old, "
        "that acted on account 5 in less than 1 hour (the rule counts 3): accounts 100, "
        "101, 102."
    )


def test_reports_and_replies_count_as_acting_on_a_post() -> None:
    new = [actor(100 + i, T0 - timedelta(hours=2)) for i in range(3)]
    events: list[Event] = [
        ReportFiled(1, new[0], T0, PostTarget(9)),
        post(10, new[1], T0 + MINUTE, in_reply_to=9),
        ReportFiled(2, new[2], T0 + 2 * MINUTE, PostTarget(9)),
    ]
    [detections] = [each for each in run(one_rule(SWARM), events) if each]
    assert [d.target for d in detections] == [AccountTarget(a.account_id) for a in new]
    assert "acted on post 9" in detections[0].facts


def test_established_accounts_and_scattered_targets_are_not_a_swarm() -> None:
    at_limit = T0 - timedelta(hours=48)  # exactly 48 hours old when acting: not new
    old: list[Event] = [post(10 + i, actor(100 + i, at_limit), T0, mentions=(5,)) for i in range(3)]
    assert flat(run(one_rule(SWARM), old)) == []
    scattered: list[Event] = [
        post(10 + i, actor(100 + i, T0), T0, mentions=(5 + i,)) for i in range(3)
    ]
    assert flat(run(one_rule(SWARM), scattered)) == []
    self_mentions: list[Event] = [
        post(10 + i, actor(100 + i, T0), T0, mentions=(100 + i,)) for i in range(3)
    ]
    assert flat(run(one_rule(SWARM), self_mentions)) == []


def test_account_creations_alone_match_nothing() -> None:
    events: list[Event] = [AccountCreated(actor(100 + i, T0)) for i in range(10)]
    every = RuleSet(rules={r.id: r for r in (BLOCKLIST, BURST, SAME, SWARM, MENTIONS)})
    assert flat(run(every, events)) == []


# -- mass mentions ----------------------------------------------------------------------------


def test_mentions_over_the_limit_match_the_post_that_went_over() -> None:
    events: list[Event] = [
        post(1, 7, T0, mentions=(1, 2, 3)),
        post(2, 7, T0 + MINUTE, mentions=(3, 4)),  # 4 distinct: at the limit
        post(3, 7, T0 + 2 * MINUTE, mentions=(5,)),  # 5: over it
        post(4, 7, T0 + 3 * MINUTE, mentions=(6,)),
    ]
    found = run(one_rule(MENTIONS), events)
    assert [[d.target for d in each] for each in found] == [[], [], [PostTarget(3)], []]
    assert found[2][0].facts == (
        "Automated rule mentions@1: Account 7 mentioned 5 distinct accounts in less than "
        "10 minutes, over the limit of 4; post 3 went over it."
    )


def test_mentions_at_the_limit_or_spread_out_are_not_matched() -> None:
    at_limit: list[Event] = [post(1, 7, T0, mentions=(1, 2, 3, 4)), post(2, 7, T0, mentions=(4,))]
    assert flat(run(one_rule(MENTIONS), at_limit)) == []
    spread: list[Event] = [
        post(1, 7, T0, mentions=(1, 2, 3)),
        post(2, 7, T0 + 10 * MINUTE, mentions=(4, 5)),
    ]
    assert flat(run(one_rule(MENTIONS), spread)) == []
    others: list[Event] = [post(1, 7, T0, mentions=(1, 2, 3)), post(2, 8, T0, mentions=(4, 5))]
    assert flat(run(one_rule(MENTIONS), others)) == []


# -- report storms ----------------------------------------------------------------------------


def test_a_report_storm_fires_once_on_the_item_at_the_threshold() -> None:
    events: list[Event] = [
        ReportFiled(n, actor(100 + n), T0 + n * MINUTE, PostTarget(9), about=7) for n in range(6)
    ]
    found = run(one_rule(STORM), events)
    assert [len(each) for each in found] == [0, 0, 1, 0, 0, 0]  # the third report, only
    (storm,) = found[2]
    assert (storm.target, storm.about, storm.action) == (PostTarget(9), 7, ActionKind.NO_ACTION)
    assert storm.facts == (
        "Automated rule storm@1: The post 9 was reported 3 times in less than 30 minutes "
        "(the rule counts 3): a storm of reports, weighed as one; it does not raise the "
        "case's severity."
    )
    check_decision(storm.decision(actor_id=1))


def test_reports_spread_out_or_on_other_items_are_no_storm() -> None:
    spread: list[Event] = [
        ReportFiled(n, actor(100 + n), T0 + n * 20 * MINUTE, AccountTarget(9), about=9)
        for n in range(4)
    ]
    assert flat(run(one_rule(STORM), spread)) == []
    scattered: list[Event] = [
        ReportFiled(n, actor(100 + n), T0, PostTarget(n), about=7) for n in range(4)
    ]
    assert flat(run(one_rule(STORM), scattered)) == []
    posts: list[Event] = [post(n, 100 + n, T0, in_reply_to=9) for n in range(4)]
    assert flat(run(one_rule(STORM), posts)) == []  # replies are not reports


# -- detections as decisions and case reports -------------------------------------------------


def test_a_detection_is_a_valid_automated_decision() -> None:
    rules = RuleSet(rules={r.id: r for r in (BLOCKLIST, BURST, SAME, MENTIONS)})
    events: list[Event] = [post(i, 7, T0, TEXT, ("https://phish.example",), (i,)) for i in range(5)]
    detections = flat(run(rules, events))
    assert {d.rule for d in detections} == {"bad-links", "burst", "mentions"}
    for detection in detections:
        decision = detection.decision(actor_id=1)
        check_decision(decision)
        assert decision.automated_detection
        assert decision.automated_decision == (detection.rule == "bad-links")
        assert (decision.clause, decision.facts) == (detection.clause, detection.facts)


def test_facts_stay_short_however_many_copies_or_accounts() -> None:
    # Regression guard: listing every copy of a text posted by 400 accounts would overflow
    # a statement's facts (5,000 characters), and `enforce` would refuse the decision.
    young = T0 - timedelta(hours=1)
    events: list[Event] = [
        post(1000 + i, actor(10_000 + i, young), T0, TEXT, mentions=(5,)) for i in range(400)
    ]
    rules = RuleSet(rules={r.id: r for r in (SAME, SWARM)})
    detections = flat(run(rules, events))
    assert len(detections) == 2 * 400
    assert detections[-2].facts.endswith(
        "posts 1000, 1001, 1002, 1003, 1004, 1005, 1006, "
        "1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015, 1016, 1017, 1018, 1019 and 380 "
        "more."
    )
    assert detections[-1].facts.endswith("and 380 more.")
    for detection in detections:
        check_decision(detection.decision(actor_id=1))


def test_an_event_delivered_twice_counts_once() -> None:
    rules = RuleSet(rules={r.id: r for r in (BURST, SAME)})
    events: list[Event] = [post(i, 100 + i, T0, TEXT) for i in range(2)]
    third = post(2, 7, T0 + MINUTE, TEXT)
    found = run(rules, [*events, third, third, post(3, 7, T0, TEXT), post(4, 7, T0, TEXT)])
    assert [[(d.rule, d.target) for d in each] for each in found] == [
        [],
        [],
        [("same", PostTarget(0)), ("same", PostTarget(1)), ("same", PostTarget(2))],
        [],  # the same event again: already counted
        [("same", PostTarget(3))],
        [("burst", AccountTarget(7)), ("same", PostTarget(4))],
    ]


def test_detections_come_in_rule_order_and_the_window_is_shared() -> None:
    rules = RuleSet(rules={r.id: r for r in (MENTIONS, BURST)})
    events: list[Event] = [post(i, 7, T0, mentions=(i, i + 10)) for i in range(3)]
    found = run(rules, events)
    assert [d.rule for d in found[2]] == ["burst", "mentions"]


def test_the_window_reaches_as_far_as_the_longest_rule() -> None:
    window = start_window(RuleSet(rules={r.id: r for r in (BURST, SWARM, BLOCKLIST)}))
    assert window == Window(horizon=60 * MINUTE)
    assert start_window(one_rule(BLOCKLIST)).horizon == timedelta(0)
