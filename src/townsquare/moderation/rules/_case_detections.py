"""The detections a case shows, read from `rule_detections`: which rule version opened the
case (a moderator's decision on it carries that rule), and every detection that opened or
joined it, a report storm among them."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from townsquare.moderation.rules._detection_entry import DetectionOutcome
from townsquare.storage.tables import rule_detections

__all__ = ["CaseDetection", "case_detections", "case_rule"]


def case_rule(conn: Connection, case_id: int) -> str | None:
    """The rule version (`id@version`) that opened case `case_id`, if a rule did."""
    query = (
        select(rule_detections.c.rule_id, rule_detections.c.version)
        .where(rule_detections.c.case_id == case_id, rule_detections.c.opened_case.is_(True))
        .order_by(rule_detections.c.id)
        .limit(1)
    )
    row = conn.execute(query).first()
    return None if row is None else f"{row.rule_id}@{row.version}"


@dataclass(frozen=True)
class CaseDetection:
    """A detection shown on its case: the rule version, what it matches (`kind`), what it
    led to, the facts it stated and when."""

    rule: str
    kind: str
    outcome: DetectionOutcome
    facts: str
    detected_at: datetime


def case_detections(conn: Connection, case_id: int) -> tuple[CaseDetection, ...]:
    """The detections that opened or joined case `case_id`, oldest first."""
    table = rule_detections
    query = select(table).where(table.c.case_id == case_id).order_by(table.c.id)
    return tuple(
        CaseDetection(
            f"{row.rule_id}@{row.version}",
            row.kind,
            DetectionOutcome(row.outcome),
            row.facts,
            row.detected_at,
        )
        for row in conn.execute(query)
    )
