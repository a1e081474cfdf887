"""Rule tests' ledger entries: detections, and the decision (schema 4, with `rule`) and appeal
entries that the counts read — the one place tests write these shapes by hand."""

from datetime import UTC, datetime

from townsquare.ledger import JSON, encode_entry
from townsquare.moderation.rules import DetectionOutcome, DetectionRecord, detection_entry

AT = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def detection(
    id: int,
    rule: str,
    outcome: DetectionOutcome = DetectionOutcome.CASE,
    *,
    target_kind: str = "post",
    target_id: int = 1000,
    account_id: int = 2000,
    case_id: int | None = None,
    action_id: int | None = None,
) -> bytes:
    """A `rule.detection` entry by `rule` (`id@version`)."""
    record = DetectionRecord(
        id=id,
        rule=rule,
        target_kind=target_kind,
        target_id=target_id,
        account_id=account_id,
        outcome=outcome,
        case_id=case_id,
        action_id=action_id,
        facts="6 posts with links in less than 10 minutes",
        detected_at=AT,
    )
    return detection_entry(record)


def decision(action_id: int, action: str, rule: str | None) -> bytes:
    """A `moderation.decision` entry of schema version 4: the decision's own fields, with the
    rule version that detected the item (None when none did)."""
    fields: dict[str, JSON] = {
        "action_id": str(action_id),
        "action": action,
        "target": {"kind": "post", "id": "1000"},
        "account_id": "2000",
        "case_id": None,
        "clause": "spam-and-platform-manipulation/1@1",
        "decided_at": AT.isoformat(),
        "rule": rule,
        "automated_detection": "Yes" if rule else "No",
        "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED",
    }
    return encode_entry("moderation.decision", 4, fields)


def appeal(appeal_id: int, action_id: int, outcome: str) -> bytes:
    """A decided `moderation.appeal` entry about the action `action_id`."""
    fields: dict[str, JSON] = {
        "appeal_id": str(appeal_id),
        "action_id": str(action_id),
        "action": "remove",
        "clause": "spam-and-platform-manipulation/1@1",
        "appellant": "Appellant 1",
        "appellant_role": "author",
        "outcome": outcome,
        "outcome_reasons": "Reasons.",
        "filed_at": AT.isoformat(),
        "decided_at": AT.isoformat(),
        "restore_action_id": None,
    }
    return encode_entry("moderation.appeal", 1, fields)


def rule_version(rule: str, version: int) -> bytes:
    """A `rule.version` entry as `record_rules` writes it (a placeholder hash)."""
    fields: dict[str, JSON] = {
        "rule": rule,
        "version": version,
        "content_hash": "0" * 64,
        "clause": "spam-and-platform-manipulation/1@1",
        "kind": "posting_burst",
        "effect": "open_case",
        "action": "limit",
    }
    return encode_entry("rule.version", 1, fields)
