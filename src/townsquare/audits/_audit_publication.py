"""Publishing an audit run: its result JSON and its dataset zip stored as hashed, an
`audit.impartiality` ledger entry committing to both hashes, and one `audit.alert` entry per
comparison that alerts.

The entries are derived from the result document alone (`audit_entries`), so anyone holding
a run's `audit.json` can rebuild them byte for byte and find them in the ledger. Their numbers
are strings, the digits `audit.json` writes (ledger entries hold integers only: a float
would not survive every JSON implementation).

A result is published once: the table's key is its hash, and the entries are appended only by
the call whose row was stored, in the same transaction, so publishing the same result again
(or twice at once) appends nothing. A later, different result is a new run with new entries;
the earlier ones stay in the ledger, so a run cannot be quietly replaced.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, select

from townsquare.audits._errors import AuditRunNotFoundError
from townsquare.ledger import JSON, LedgerLog, encode_entry, leaf_hash
from townsquare.storage import insert_ignoring_conflicts
from townsquare.storage.tables import impartiality_audits, ledger_entries

__all__ = [
    "ALERT_ENTRY_TYPE",
    "AUDIT_ENTRY_TYPE",
    "AUDIT_ENTRY_VERSION",
    "AuditEntries",
    "PublishedAudit",
    "audit_entries",
    "published_audit",
    "published_audits",
    "published_dataset",
    "record_audit",
]

AUDIT_ENTRY_TYPE = "audit.impartiality"
ALERT_ENTRY_TYPE = "audit.alert"
AUDIT_ENTRY_VERSION = 1  # both types
_table = impartiality_audits
# Every column but the zip, which only its download reads.
_LISTED = [column for column in _table.c if column.name != "dataset_zip"]


@dataclass(frozen=True)
class AuditEntries:
    """The ledger entries of one run: the run's, then one per alerting comparison (in the
    document's order, by metric name)."""

    run: bytes
    alerts: tuple[tuple[str, bytes], ...]


@dataclass(frozen=True)
class PublishedAudit:
    """A published run: its result's hash and bytes, its dataset zip's hash, whether it
    alerts, when it was published, and the ledger places of its entry and of each alert's
    (None until the sequencer integrates them). `appended` is False when this very result
    had already been published (nothing was appended this time)."""

    sha256: str
    document: bytes
    dataset_sha256: str
    alert: bool
    published_at: datetime
    ledger_index: int | None
    alert_indexes: tuple[tuple[str, int | None], ...]
    appended: bool = False


def audit_entries(document: bytes, dataset_sha256: str) -> AuditEntries:
    """The entries committing to the result `document` and the dataset zip hashed
    `dataset_sha256` (pure)."""
    result = json.loads(document)
    sha256 = hashlib.sha256(document).hexdigest()
    alerting = [item for item in result["comparisons"] if item["alert"]]
    fields: dict[str, JSON] = {
        "sha256": sha256,
        "dataset_sha256": dataset_sha256,
        "format": result["format"],
        "alert": bool(result["alert"]),
        "alerting_metrics": [item["metric"] for item in alerting],
    }
    run = encode_entry(AUDIT_ENTRY_TYPE, AUDIT_ENTRY_VERSION, fields)
    alerts = tuple((item["metric"], _alert_entry(sha256, result, item)) for item in alerting)
    return AuditEntries(run, alerts)


def _alert_entry(sha256: str, result: Mapping[str, Any], item: Mapping[str, Any]) -> bytes:
    fields: dict[str, JSON] = {
        "audit_sha256": sha256,
        "metric": item["metric"],
        "groups": [str(group) for group in item["groups"]],
        "ratio": _digits(item["rate_ratio"]),
        "ci_low": _digits(item["ci_low"]),
        "ci_high": _digits(item["ci_high"]),
        "adjusted_p_value": _digits(item["p_value"]),
        "threshold": _digits(result["threshold"]),
        "alpha": _digits(result["alpha"]),
    }
    return encode_entry(ALERT_ENTRY_TYPE, AUDIT_ENTRY_VERSION, fields)


def _digits(number: float) -> str:
    """The number as `audit.json` writes it (`json` writes a float's shortest repr)."""
    return json.dumps(number)


def record_audit(
    conn: Connection,
    ledger: LedgerLog,
    document: bytes,
    dataset: bytes,
    now: datetime,
) -> PublishedAudit:
    """Store the run and append its entries, unless the same result is already published.

    MUST run inside the caller's write transaction (`db.write()`), so the row and the entries
    commit together. (1) build the entries; (2) store the row keyed by the result's hash; (3)
    append the entries only if this call stored the row (the key decides, not a read, so two
    publishers at once append one run's entries once).
    """
    sha256 = hashlib.sha256(document).hexdigest()
    dataset_sha256 = hashlib.sha256(dataset).hexdigest()
    entries = audit_entries(document, dataset_sha256)  # (1)
    row = {
        "sha256": sha256,
        "audit_json": document.decode("utf-8"),
        "dataset_sha256": dataset_sha256,
        "dataset_zip": dataset,
        "alert": bool(entries.alerts),
        "published_at": now,
        "leaf_hash": leaf_hash(entries.run),
    }
    stored = insert_ignoring_conflicts(conn, _table, [row], on=("sha256",))  # (2)
    if stored:
        for entry in (entries.run, *(alert for _, alert in entries.alerts)):  # (3)
            ledger.append(conn, entry)
    return _published(conn, _row(conn, sha256), appended=bool(stored))


def published_audits(conn: Connection) -> list[PublishedAudit]:
    """Every published run, the latest first."""
    query = select(*_LISTED).order_by(_table.c.published_at.desc(), _table.c.sha256)
    return [_published(conn, row) for row in conn.execute(query).all()]


def published_audit(conn: Connection, sha256: str) -> PublishedAudit:
    """The run whose result hashes to `sha256`; `AuditRunNotFoundError` if none."""
    return _published(conn, _row(conn, sha256))


def published_dataset(conn: Connection, sha256: str) -> bytes:
    """The dataset zip of the run whose result hashes to `sha256`."""
    found = conn.execute(select(_table.c.dataset_zip).where(_table.c.sha256 == sha256)).scalar()
    if found is None:
        raise _not_found(sha256)
    return bytes(found)


def _row(conn: Connection, sha256: str) -> Row[Any]:
    row = conn.execute(select(*_LISTED).where(_table.c.sha256 == sha256)).one_or_none()
    if row is None:
        raise _not_found(sha256)
    return row


def _not_found(sha256: str) -> AuditRunNotFoundError:
    return AuditRunNotFoundError(f"No published audit run has SHA-256 {sha256}.")


def _published(conn: Connection, row: Row[Any], *, appended: bool = False) -> PublishedAudit:
    document = row.audit_json.encode("utf-8")
    entries = audit_entries(document, row.dataset_sha256)
    return PublishedAudit(
        sha256=row.sha256,
        document=document,
        dataset_sha256=row.dataset_sha256,
        alert=row.alert,
        published_at=row.published_at,
        ledger_index=_index(conn, row.leaf_hash),
        alert_indexes=tuple(
            (metric, _index(conn, leaf_hash(entry))) for metric, entry in entries.alerts
        ),
        appended=appended,
    )


def _index(conn: Connection, leaf: bytes) -> int | None:
    return conn.execute(
        select(ledger_entries.c.idx).where(ledger_entries.c.leaf_hash == leaf)
    ).scalar()
