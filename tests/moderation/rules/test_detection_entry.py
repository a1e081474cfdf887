"""The `rule.detection` entry: canonical, content-free, and read back to the same record."""

from datetime import UTC, datetime

import pytest

from townsquare.ledger import decode_entry
from townsquare.moderation.rules import (
    DetectionOutcome,
    DetectionRecord,
    RuleError,
    detection_entry,
    read_detection,
)

RECORD = DetectionRecord(
    id=7,
    rule="link-spam@2",
    target_kind="post",
    target_id=123,
    account_id=45,
    outcome=DetectionOutcome.CASE_IN_ELECTION_WINDOW,
    case_id=9,
    action_id=None,
    facts="3 posts linking to listed domains within 10 minutes",
    detected_at=datetime(2026, 12, 5, 12, 0, tzinfo=UTC),
)


def test_an_entry_reads_back_to_the_record_it_was_made_from() -> None:
    entry = decode_entry(detection_entry(RECORD))
    assert (entry.type, entry.version) == ("rule.detection", 1)
    assert read_detection(entry.fields) == RECORD
    assert (RECORD.rule_id, RECORD.rule_version) == ("link-spam", 2)


def test_ids_are_strings_and_absent_links_are_null() -> None:
    fields = decode_entry(detection_entry(RECORD)).fields
    assert fields["target"] == {"kind": "post", "id": "123"}
    assert (fields["case_id"], fields["action_id"]) == ("9", None)


@pytest.mark.parametrize(
    ("field", "value"),
    [("rule", "link-spam"), ("outcome", "banned"), ("target", "post:123"), ("case_id", 9)],
)
def test_a_malformed_entry_is_refused_saying_which_field(field: str, value: object) -> None:
    fields = dict(decode_entry(detection_entry(RECORD)).fields)
    fields[field] = value  # type: ignore[assignment]
    with pytest.raises(RuleError, match=r"rule\.detection entry"):
        read_detection(fields)
