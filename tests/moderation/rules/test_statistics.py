"""Each rule version's numbers, counted from ledger entries alone; the Wilson interval."""

import math
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moderation.rules.ledger_entries import appeal, decision, detection, rule_version
from townsquare.ledger import decode_entry, encode_entry
from townsquare.moderation.rules import (
    DetectionOutcome,
    Precision,
    RuleLogReader,
    RuleVersionStatistics,
    Verdict,
    read_rule_log,
    rule_review_entry,
    rule_statistics,
    wilson_interval,
)

AT = datetime(2026, 12, 5, 13, 0, tzinfo=UTC)


def _log() -> list[bytes]:
    return [
        rule_version("link-spam", 1),
        rule_version("link-spam", 2),
        rule_version("posting-burst", 1),
        detection(1, "link-spam@1", DetectionOutcome.CASE),
        detection(2, "link-spam@1", DetectionOutcome.ACTION, action_id=10),
        detection(3, "link-spam@1", DetectionOutcome.CASE_IN_ELECTION_WINDOW),
        detection(4, "link-spam@2", DetectionOutcome.ACTION, action_id=11),
        decision(10, "remove", "link-spam@1"),
        decision(11, "remove", "link-spam@2"),
        decision(12, "limit", "link-spam@1"),  # a moderator's decision on a case it opened
        decision(13, "no_action", "link-spam@1"),  # not an action taken
        decision(14, "remove", None),  # no rule detected it
        appeal(20, 10, "reversed"),
        appeal(21, 12, "upheld"),
        appeal(22, 14, "reversed"),  # about an action no rule took
        encode_entry("test.note", 1, {"rule": "link-spam@1"}),  # another type: not counted
        rule_review_entry(1, "link-spam@1", Verdict.VIOLATES, AT),
        rule_review_entry(3, "link-spam@1", Verdict.DOES_NOT_VIOLATE, AT),
    ]


def test_each_count_comes_from_its_entries() -> None:
    counted = rule_statistics(decode_entry(entry) for entry in _log())

    assert list(counted) == ["link-spam@1", "link-spam@2", "posting-burst@1"]
    assert counted["link-spam@1"] == RuleVersionStatistics(
        "link-spam@1",
        hits=3,
        cases_opened=2,
        actions_taken=2,
        appeals=2,
        reversals=1,
        precision=Precision(reviewed=2, violating=1),
    )
    assert counted["link-spam@2"] == RuleVersionStatistics("link-spam@2", hits=1, actions_taken=1)
    assert counted["posting-burst@1"] == RuleVersionStatistics("posting-burst@1")


def test_an_appeal_logged_before_its_action_still_counts() -> None:
    entries = [appeal(20, 10, "reversed"), decision(10, "remove", "link-spam@1")]
    counted = rule_statistics(decode_entry(entry) for entry in entries)
    assert (counted["link-spam@1"].appeals, counted["link-spam@1"].reversals) == (1, 1)


def test_reading_the_encoded_log_counts_the_same_and_finds_each_version_entry() -> None:
    log = _log()
    read = read_rule_log(log)
    assert read.statistics == rule_statistics(decode_entry(entry) for entry in log)
    assert read.version_entries == {"link-spam@1": 0, "link-spam@2": 1, "posting-burst@1": 2}


def test_a_version_never_reviewed_has_no_precision_at_all() -> None:
    unreviewed = Precision()
    assert (unreviewed.estimate, unreviewed.interval) == (None, None)


def test_the_wilson_interval_matches_published_values() -> None:
    # Newcombe (1998), table I, method 3: 81 of 263 gives 0.2553 to 0.3662.
    low, high = wilson_interval(81, 263) or (math.nan, math.nan)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    # 0 of 10 and 10 of 10: an interval that does not collapse onto the estimate.
    none_low, none_high = wilson_interval(0, 10) or (math.nan, math.nan)
    all_low, all_high = wilson_interval(10, 10) or (math.nan, math.nan)
    assert (none_low, round(none_high, 4)) == (0.0, 0.2775)
    assert (round(all_low, 4), all_high) == (0.7225, 1.0)


def test_no_trials_have_no_interval_and_impossible_counts_are_refused() -> None:
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError, match="successes <= trials"):
        wilson_interval(3, 2)


@given(
    st.integers(min_value=1, max_value=10_000).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    )
)
def test_the_interval_holds_the_estimate_within_zero_and_one(counts: tuple[int, int]) -> None:
    successes, trials = counts
    interval = wilson_interval(successes, trials)
    assert interval is not None
    low, high = interval
    assert 0.0 <= low <= successes / trials <= high <= 1.0
    assert low < high


class _GrowingLedger:
    """The two reads a `RuleLogReader` makes, over a list that grows; counts entries read."""

    def __init__(self, entries: list[bytes]) -> None:
        self.log = entries
        self.read = 0

    def size(self) -> int:
        return len(self.log)

    def entries(self, start: int, stop: int) -> list[bytes]:
        self.read += stop - start
        return self.log[start:stop]


def test_the_reader_reads_each_entry_once_and_agrees_with_a_whole_pass() -> None:
    whole = _log()
    ledger = _GrowingLedger(whole[:7])
    reader = RuleLogReader(ledger)

    assert reader.read() == read_rule_log(whole[:7])
    assert reader.read() == read_rule_log(whole[:7])
    assert ledger.read == 7  # the second read found nothing new and read nothing
    ledger.log = whole
    assert reader.read() == read_rule_log(whole)
    assert ledger.read == len(whole)


def test_the_reader_starts_over_when_the_ledger_is_shorter_than_it_read() -> None:
    # Only a fresh database does that (a test's, or a reset demo); the log itself never shrinks.
    ledger = _GrowingLedger(_log())
    reader = RuleLogReader(ledger)
    reader.read()
    ledger.log = _log()[:3]
    assert reader.read() == read_rule_log(_log()[:3])
