"""Recording rule versions in the ledger, so every automated detection cites a rule the log
holds — as clause versions are (`_policy_ledger`).

Each rule version is logged once, as a `rule.version` entry carrying its hash; the
`rule_versions` table remembers which are logged, so a restart appends nothing new. A
version whose text changed after it was logged is refused: the published hash would no
longer match what detections cite under it.
"""

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Connection, select

from townsquare.ledger import JSON, LedgerLog, encode_entry
from townsquare.moderation.rules._errors import RuleError
from townsquare.moderation.rules._rules import Rule, RuleSet
from townsquare.moderation.rules._statistics import RuleLog, read_rule_log
from townsquare.storage import insert_ignoring_conflicts
from townsquare.storage.tables import rule_versions

__all__ = ["RULE_VERSION_ENTRY", "record_rules", "recorded_rule_versions", "rule_log"]

RULE_VERSION_ENTRY = ("rule.version", 1)
"""The ledger entry type and schema version of a recorded rule version."""


def recorded_rule_versions(conn: Connection) -> Mapping[str, str]:
    """The content hash of every rule version already in the ledger, by `id@version`."""
    rows = conn.execute(
        select(rule_versions.c.rule_id, rule_versions.c.version, rule_versions.c.content_hash)
    )
    return {f"{row.rule_id}@{row.version}": row.content_hash for row in rows}


def rule_log(ledger: LedgerLog) -> RuleLog:
    """What the ledger's integrated entries say of the rules: `read_rule_log` over the whole
    log, the same pass anyone recomputing the numbers from `ledger dump` makes."""
    return read_rule_log(ledger.entries(0, ledger.size()))


def record_rules(conn: Connection, ledger: LedgerLog, rules: RuleSet, recorded_at: datetime) -> int:
    """Append a ledger entry for each rule version not yet recorded; return how many.

    MUST run inside the caller's write transaction (`db.write()`), so the entries and the
    `rule_versions` rows commit together. Raises `RuleError`, appending nothing, when a
    recorded version's text has changed.
    (1) read the versions already recorded; (2) refuse any changed one;
    (3) store a row for each new one, oldest first, and append an entry for each row this
    call stored: the key decides, not the read, so two servers starting at once on one
    database record each version once (docs/design/unique-writes.md).
    """
    # (1)
    recorded = recorded_rule_versions(conn)
    versions = rules.versions()
    # (2)
    for rule in versions:
        _check_unchanged(rule, recorded.get(rule.ref))
    # (3)
    stored = [
        rule
        for rule in versions
        if rule.ref not in recorded
        and insert_ignoring_conflicts(
            conn, rule_versions, [_row(rule, recorded_at)], on=("rule_id", "version")
        )
    ]
    ledger.append_many(conn, [_entry(rule) for rule in stored])
    return len(stored)


def _check_unchanged(rule: Rule, recorded_hash: str | None) -> None:
    if recorded_hash is not None and recorded_hash != rule.content_hash:
        raise RuleError(
            f"rule {rule.ref}: expected the text recorded in the ledger (sha256 "
            f"{recorded_hash}), found a changed text (sha256 {rule.content_hash}); "
            f"add version {rule.version + 1} and keep version {rule.version} as it was"
        )


def _entry(rule: Rule) -> bytes:
    entry_type, schema_version = RULE_VERSION_ENTRY
    fields: dict[str, JSON] = {
        "rule": rule.id,
        "version": rule.version,
        "content_hash": rule.content_hash,
        "clause": rule.clause,
        "kind": rule.match.kind.value,
        "effect": rule.effect.value,
        "action": rule.action.value,
    }
    return encode_entry(entry_type, schema_version, fields)


def _row(rule: Rule, recorded_at: datetime) -> dict[str, object]:
    return {
        "rule_id": rule.id,
        "version": rule.version,
        "content_hash": rule.content_hash,
        "recorded_at": recorded_at,
    }
