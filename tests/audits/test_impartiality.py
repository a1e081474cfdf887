"""The audit over a dataset: stratification, families, alerts, degenerate datasets, JSON."""

import json
import math
from dataclasses import replace
from typing import Any

import pytest

from audits.factories import biased_dataset, make_dataset, simpson_dataset
from townsquare.audits import (
    AuditAccount,
    AuditDataset,
    AuditDecision,
    AuditDecisionTime,
    AuditHelpfulNote,
    AuditParameterError,
    AuditParameters,
    AuditPost,
    AuditReview,
    Comparison,
    ImpartialityAudit,
    Metric,
    audit_impartiality,
    audit_json,
)


def comparison(audit: ImpartialityAudit, metric: Metric) -> Comparison:
    return next(c for c in audit.comparisons if c.metric is metric)


def test_a_group_reported_more_looks_worse_unconditionally_but_not_stratified() -> None:
    audit = audit_impartiality(simpson_dataset())
    crude = comparison(audit, Metric.RESTRICTED_PER_1000_POSTS)
    stratified = comparison(audit, Metric.RESTRICTED_COMPARABLE)
    assert crude.estimate.ratio == pytest.approx(301 / 40)
    assert crude.adjusted_p_value < 0.001
    assert not crude.alert  # descriptive: never alerts
    assert stratified.estimate.ratio == pytest.approx(1.0)
    assert stratified.estimate.ci_low == pytest.approx(0.73275, abs=1e-5)
    assert not stratified.alert
    assert not audit.alert


def test_a_conditional_disparity_alerts() -> None:
    audit = audit_impartiality(biased_dataset())
    stratified = comparison(audit, Metric.RESTRICTED_COMPARABLE)
    assert stratified.estimate.ratio == pytest.approx(2.0)
    assert stratified.alert
    assert audit.alert


def test_a_threshold_above_the_disparity_keeps_it_from_alerting() -> None:
    audit = audit_impartiality(biased_dataset(), AuditParameters(threshold=2.5))
    assert not audit.alert


# The comparisons the three pinned files support (the others need the optional files).
CORE_METRICS = [
    Metric.RESTRICTED_COMPARABLE,
    Metric.RESTRICTED_PER_1000_POSTS,
    Metric.SEVERE_SHARE,
    Metric.AUTOMATED_SHARE,
    Metric.APPEAL_RATE,
    Metric.REVERSAL_RATE,
]


def test_only_comparable_posts_and_blind_reviews_can_alert() -> None:
    assert [metric for metric in Metric if metric.conditional] == [
        Metric.RESTRICTED_COMPARABLE,
        Metric.BLIND_REVIEW_DISAGREEMENT,
    ]


def test_without_the_optional_files_their_comparisons_are_left_out() -> None:
    audit = audit_impartiality(biased_dataset())
    assert [c.metric for c in audit.comparisons] == CORE_METRICS


def with_reviews(dataset: AuditDataset, disagreed: dict[str, int]) -> AuditDataset:
    """Reviews of 200 restricted-or-not posts per group, `disagreed[group]` of them disagreeing;
    a Helpful note on the first 10 posts of group A."""
    reviews: list[AuditReview] = []
    for group in ("A", "B"):
        sample = [p.post_id for p in dataset.posts if p.account_id == f"account-{group}"][:200]
        reviews += [AuditReview(post_id, i < disagreed[group]) for i, post_id in enumerate(sample)]
    notes = tuple(AuditHelpfulNote(p.post_id) for p in dataset.posts[:10])
    return replace(dataset, reviews=tuple(reviews), helpful_notes=notes)


def test_blind_review_disagreements_join_the_alerting_family() -> None:
    dataset = with_reviews(simpson_dataset(), {"A": 40, "B": 10})
    audit = audit_impartiality(dataset)
    review = comparison(audit, Metric.BLIND_REVIEW_DISAGREEMENT)
    assert review.estimate.ratio == pytest.approx(4.0)
    assert [(c.events, c.total) for c in review.counts] == [(40, 200), (10, 200)]
    # Holm over a family of two: the smaller p-value is doubled.
    assert review.adjusted_p_value == pytest.approx(2 * review.estimate.p_value)
    assert review.alert
    assert audit.alert
    notes = comparison(audit, Metric.HELPFUL_NOTE_SHARE)
    assert [(c.events, c.total) for c in notes.counts] == [(10, 1100), (0, 1100)]
    assert not notes.alert
    assert Metric.SLOW_DECISION_SHARE not in [c.metric for c in audit.comparisons]
    assert [c.metric for c in audit.comparisons] == [
        metric for metric in Metric if metric is not Metric.SLOW_DECISION_SHARE
    ]


def with_times(dataset: AuditDataset, hours: dict[str, list[float]]) -> AuditDataset:
    """`hours[group]`: how long the decisions on the group's first posts took."""
    times: list[AuditDecisionTime] = []
    for group, waits in hours.items():
        posts = [p.post_id for p in dataset.posts if p.account_id == f"account-{group}"]
        times += [
            AuditDecisionTime(post_id, wait) for post_id, wait in zip(posts, waits, strict=False)
        ]
    return replace(dataset, decision_times=tuple(times))


def test_slow_decisions_are_those_slower_than_both_groups_median() -> None:
    # Pooled: 1, 1, 2, 3 (A) and 2, 8, 9, 10 (B): the median is 2.5; A has one decision
    # slower than that, B three.
    dataset = with_times(biased_dataset(), {"A": [1, 1, 2, 3], "B": [2, 8, 9, 10]})
    slow = comparison(audit_impartiality(dataset), Metric.SLOW_DECISION_SHARE)
    assert [(c.events, c.total) for c in slow.counts] == [(1, 4), (3, 4)]
    assert slow.estimate.ratio == pytest.approx(1 / 3)
    assert not slow.conditional
    assert not slow.alert


def test_decision_times_of_other_groups_do_not_move_the_median() -> None:
    dataset = with_times(
        make_dataset(
            {("A", "", 0): (4, 0), ("B", "", 0): (4, 0), ("neither", "", 0): (4, 0)},
            groups=("A", "B", "neither"),
        ),
        {"A": [1, 2], "B": [3, 4], "neither": [100, 100, 100, 100]},
    )
    slow = comparison(audit_impartiality(dataset), Metric.SLOW_DECISION_SHARE)
    assert [(c.events, c.total) for c in slow.counts] == [(0, 2), (2, 2)]


def test_the_conditional_family_alone_is_corrected_for_the_alert() -> None:
    """A family of one: its adjusted p-value is its own; the descriptive ones are corrected
    among themselves (five of them)."""
    audit = audit_impartiality(biased_dataset())
    stratified = comparison(audit, Metric.RESTRICTED_COMPARABLE)
    assert stratified.adjusted_p_value == stratified.estimate.p_value
    descriptive = [c for c in audit.comparisons if not c.conditional]
    assert len(descriptive) == 5
    smallest = min(descriptive, key=lambda c: c.estimate.p_value)
    assert smallest.adjusted_p_value == pytest.approx(min(1.0, 5 * smallest.estimate.p_value))


def test_per_restriction_metrics_count_restrictions_only() -> None:
    posts = tuple(AuditPost(f"{g}{i}", g, 1, "spam/1") for g in "AB" for i in range(4))
    decisions = (
        AuditDecision("A0", "remove", "spam/1", True, True, True),
        AuditDecision("A1", "label", "spam/1", False, True, False),
        AuditDecision("A2", "none", "spam/1", True, True, True),  # not a restriction
        AuditDecision("B0", "remove", "spam/1", False, False, False),
        AuditDecision("B1", "warn", "spam/1", True, False, False),  # not a restriction
    )
    dataset = AuditDataset((AuditAccount("A", "A"), AuditAccount("B", "B")), posts, decisions)
    audit = audit_impartiality(dataset)
    counts = {c.metric: [(n.events, n.total) for n in c.counts] for c in audit.comparisons}
    assert counts[Metric.RESTRICTED_PER_1000_POSTS] == [(2, 4), (1, 4)]
    assert counts[Metric.SEVERE_SHARE] == [(1, 2), (1, 1)]
    assert counts[Metric.AUTOMATED_SHARE] == [(1, 2), (0, 1)]
    assert counts[Metric.APPEAL_RATE] == [(2, 2), (0, 1)]
    assert counts[Metric.REVERSAL_RATE] == [(1, 2), (0, 1)]


def test_other_groups_are_left_out() -> None:
    with_neither = make_dataset(
        {("A", "", 0): (100, 5), ("B", "", 0): (100, 5), ("neither", "", 0): (100, 90)},
        groups=("A", "B", "neither"),
    )
    counts = comparison(audit_impartiality(with_neither), Metric.RESTRICTED_PER_1000_POSTS).counts
    assert [(c.group, c.events, c.total) for c in counts] == [("A", 5, 100), ("B", 5, 100)]


def finite_numbers_only(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in the JSON")

    document = json.loads(text, parse_constant=refuse)
    for item in document["comparisons"]:
        for key in ("rate_ratio", "ci_low", "ci_high", "p_value", "p_value_unadjusted"):
            assert math.isfinite(item[key])
    return document


@pytest.mark.parametrize(
    "dataset",
    [
        AuditDataset((), (), ()),
        make_dataset({("A", "", 0): (50, 3)}),  # no post from group B
        make_dataset({("A", "", 0): (50, 0), ("B", "", 0): (50, 0)}),  # no restriction
        make_dataset({("A", "", 0): (50, 0), ("B", "", 0): (50, 9)}),  # none for A
        make_dataset({("A", "x", 3): (50, 50), ("B", "x", 3): (50, 50)}),  # all restricted
        make_dataset({("A", "x", 3): (50, 5), ("B", "y", 1): (50, 9)}),  # no shared stratum
    ],
    ids=["empty", "one-group", "no-events", "no-events-in-A", "all-restricted", "disjoint"],
)
def test_degenerate_datasets_give_finite_json_and_no_alert(dataset: AuditDataset) -> None:
    audit = audit_impartiality(dataset)
    document = finite_numbers_only(audit_json(audit))
    assert document["alert"] is False
    assert len(document["comparisons"]) == len(CORE_METRICS)


def test_a_comparison_that_cannot_be_made_says_why() -> None:
    audit = audit_impartiality(make_dataset({("A", "", 0): (50, 3)}))
    stratified = comparison(audit, Metric.RESTRICTED_COMPARABLE)
    assert not stratified.estimate.estimable
    item = json.loads(audit_json(audit))["comparisons"][0]
    assert item["estimable"] is False
    assert (item["rate_ratio"], item["ci_low"], item["p_value"]) == (1.0, 0.0, 1.0)
    assert item["note"] == "no stratum holds units of both groups"
    assert item["sentence"] == (
        "Groups A and B cannot be compared on restrictions of comparable posts: "
        "no stratum holds units of both groups."
    )


def test_the_json_has_the_pinned_shape() -> None:
    document = finite_numbers_only(audit_json(audit_impartiality(biased_dataset())))
    assert document["alert"] is True
    assert [c["metric"] for c in document["comparisons"]] == [m.value for m in CORE_METRICS]
    for item in document["comparisons"]:
        assert item["groups"] == ["A", "B"]
        assert {"metric", "groups", "rate_ratio", "ci_low", "ci_high", "p_value", "alert"} <= set(
            item
        )
        assert isinstance(item["alert"], bool)
    assert document["alert"] == any(c["alert"] for c in document["comparisons"])


def test_each_comparison_has_a_plain_sentence() -> None:
    document = json.loads(audit_json(audit_impartiality(biased_dataset())))
    first = document["comparisons"][0]
    assert first["sentence"].startswith(
        "Posts from group A are restricted 2.00× as often as comparable posts from group B"
    )
    assert first["sentence"].endswith("; alert.")
    assert document["comparisons"][1]["sentence"].endswith("; descriptive, never alerts.")


def test_the_same_dataset_gives_the_same_bytes() -> None:
    assert audit_json(audit_impartiality(biased_dataset())) == audit_json(
        audit_impartiality(biased_dataset())
    )


@pytest.mark.parametrize(
    "change",
    [
        {"groups": ("A", "A")},
        {"report_bands": (1, 2)},
        {"report_bands": (0, 3, 2)},
        {"threshold": 0.9},
    ],
)
def test_parameters_out_of_range_are_refused(change: dict[str, Any]) -> None:
    with pytest.raises(AuditParameterError):
        AuditParameters(**change)
