"""Recording policy versions in the ledger, so every decision cites a text the log holds.

Each clause version is logged once, as a `policy.version` entry carrying its hash; the
`policy_versions` table remembers which are logged, so a restart appends nothing new. A
version whose text changed after it was logged is refused: the published hash would no
longer match what decisions cite under it.
"""

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Connection, select

from townsquare.ledger import JSON, LedgerLog, encode_entry
from townsquare.moderation._policies import Clause, PolicySet
from townsquare.moderation._policy_errors import PolicyError
from townsquare.storage import insert_ignoring_conflicts
from townsquare.storage.tables import policy_versions

__all__ = ["POLICY_VERSION_ENTRY", "record_policies", "recorded_policy_versions"]

POLICY_VERSION_ENTRY = ("policy.version", 1)
"""The ledger entry type and schema version of a recorded clause version."""


def recorded_policy_versions(conn: Connection) -> Mapping[str, str]:
    """The content hash of every clause version already in the ledger, by `id@version`."""
    rows = conn.execute(
        select(
            policy_versions.c.clause_id, policy_versions.c.version, policy_versions.c.content_hash
        )
    )
    return {f"{row.clause_id}@{row.version}": row.content_hash for row in rows}


def record_policies(
    conn: Connection, ledger: LedgerLog, policy_set: PolicySet, recorded_at: datetime
) -> int:
    """Append a ledger entry for each clause version not yet recorded; return how many.

    MUST run inside the caller's write transaction (`db.write()`), so the entries and the
    `policy_versions` rows commit together. Raises `PolicyError`, appending nothing, when a
    recorded version's text has changed.
    (1) read the versions already recorded; (2) refuse any changed one;
    (3) store a row for each new one, oldest first, and append an entry for each row this
    call stored: the key decides, not the read, so two servers starting at once on one
    database record each version once (docs/design/unique-writes.md).
    """
    # (1)
    recorded = recorded_policy_versions(conn)
    versions = [clause for id in sorted(policy_set.clauses) for clause in policy_set.history(id)]
    # (2)
    for clause in versions:
        _check_unchanged(clause, recorded.get(clause.ref))
    # (3)
    stored = [
        clause
        for clause in versions
        if clause.ref not in recorded
        and insert_ignoring_conflicts(
            conn, policy_versions, [_row(clause, recorded_at)], on=("clause_id", "version")
        )
    ]
    ledger.append_many(conn, [_entry(clause) for clause in stored])
    return len(stored)


def _check_unchanged(clause: Clause, recorded_hash: str | None) -> None:
    if recorded_hash is not None and recorded_hash != clause.content_hash:
        raise PolicyError(
            f"clause {clause.ref}: expected the text recorded in the ledger (sha256 "
            f"{recorded_hash}), found a changed text (sha256 {clause.content_hash}); "
            f"bump the version to {clause.version + 1} and keep version {clause.version} as it was"
        )


def _entry(clause: Clause) -> bytes:
    entry_type, schema_version = POLICY_VERSION_ENTRY
    fields: dict[str, JSON] = {
        "clause": clause.id,
        "version": clause.version,
        "content_hash": clause.content_hash,
        "ground": clause.ground.value,
        "dsa_category": clause.dsa_category,
    }
    return encode_entry(entry_type, schema_version, fields)


def _row(clause: Clause, recorded_at: datetime) -> dict[str, object]:
    return {
        "clause_id": clause.id,
        "version": clause.version,
        "content_hash": clause.content_hash,
        "recorded_at": recorded_at,
    }
