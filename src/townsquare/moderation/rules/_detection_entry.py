"""The `rule.detection` ledger entry: one per detection, so every rule's hits, the cases it
opened and the actions it took can be counted from the ledger alone.

A detection either opens (or joins) a case for a moderator, or acts at once through
`enforce`; inside an election window a rule that would act only opens a case, and the entry
says so. The entry names ids, the rule version and the facts stated — never the post's text.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from townsquare.ledger import JSON, encode_entry
from townsquare.moderation.rules._errors import RuleError

__all__ = [
    "DETECTION_ENTRY",
    "DetectionOutcome",
    "DetectionRecord",
    "detection_entry",
    "read_detection",
]

DETECTION_ENTRY = ("rule.detection", 1)
"""The ledger entry type and schema version of a detection."""


class DetectionOutcome(StrEnum):
    """What a detection led to."""

    CASE = "case"  # opened or joined a case; a moderator decides
    ACTION = "action"  # the rule acted through `enforce` (an automated decision)
    CASE_IN_ELECTION_WINDOW = "case_in_election_window"  # would act, but a window forbids it


@dataclass(frozen=True)
class DetectionRecord:
    """A detection as logged: rule `rule` (`id@version`) matched `target_kind` `target_id`
    (`post` or `account`), which concerns `account_id`; `outcome` says what followed, with
    the case (`case_id`) or the action (`action_id`) it led to."""

    id: int
    rule: str
    target_kind: str
    target_id: int
    account_id: int
    outcome: DetectionOutcome
    case_id: int | None
    action_id: int | None
    facts: str
    detected_at: datetime

    @property
    def rule_id(self) -> str:
        return self.rule.partition("@")[0]

    @property
    def rule_version(self) -> int:
        return int(self.rule.partition("@")[2])


def detection_entry(record: DetectionRecord) -> bytes:
    """The canonical `rule.detection` entry for `record` (pure)."""
    entry_type, schema_version = DETECTION_ENTRY
    fields: dict[str, JSON] = {
        "detection_id": str(record.id),
        "rule": record.rule,
        "target": {"kind": record.target_kind, "id": str(record.target_id)},
        "account_id": str(record.account_id),
        "outcome": record.outcome.value,
        "case_id": _id(record.case_id),
        "action_id": _id(record.action_id),
        "facts": record.facts,
        "detected_at": record.detected_at.isoformat(),
    }
    return encode_entry(entry_type, schema_version, fields)


def read_detection(fields: Mapping[str, JSON]) -> DetectionRecord:
    """The record a `rule.detection` entry's fields hold; `RuleError` if they do not."""
    try:
        target = fields["target"]
        if not isinstance(target, dict):
            raise ValueError(f"target: expected an object, found {target!r}")
        return DetectionRecord(
            id=int(_text(fields["detection_id"])),
            rule=_rule_ref(_text(fields["rule"])),
            target_kind=_text(target["kind"]),
            target_id=int(_text(target["id"])),
            account_id=int(_text(fields["account_id"])),
            outcome=DetectionOutcome(_text(fields["outcome"])),
            case_id=_optional_id(fields["case_id"]),
            action_id=_optional_id(fields["action_id"]),
            facts=_text(fields["facts"]),
            detected_at=datetime.fromisoformat(_text(fields["detected_at"])),
        )
    except (KeyError, ValueError) as error:
        raise RuleError(f"rule.detection entry: malformed field ({error})") from error


def _id(value: int | None) -> JSON:
    return None if value is None else str(value)


def _optional_id(value: JSON) -> int | None:
    return None if value is None else int(_text(value))


def _text(value: JSON) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, found {value!r}")
    return value


def _rule_ref(ref: str) -> str:
    rule, at, version = ref.partition("@")
    if not (rule and at and version.isdigit()):
        raise ValueError(f"expected a rule reference id@version, found {ref!r}")
    return ref
