"""The report as machine-readable JSON, and its hash.

The bytes are deterministic: keys sorted, counts as objects keyed by category, ratios and
hours rounded (to 4 and 2 decimals), no generation time. The same facts always give the same
bytes, so the SHA-256 of `report.json` is the report's identity, the one the ledger holds.
"""

import hashlib
import json
from dataclasses import fields, is_dataclass
from typing import Any

from townsquare.audits._transparency_period import ReportPeriod
from townsquare.audits._transparency_report import (
    REPORT_SCHEMA,
    AutomatedRule,
    TransparencyReport,
)

__all__ = ["report_hash", "report_json"]


def report_json(report: TransparencyReport) -> bytes:
    """`report.json`'s bytes (UTF-8, two-space indents, a final newline)."""
    document = {
        "schema": REPORT_SCHEMA,
        **{f.name: _field(f.name, getattr(report, f.name)) for f in fields(report)},
    }
    text = json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


def report_hash(document: bytes) -> str:
    """The hex SHA-256 of a report's JSON bytes."""
    return hashlib.sha256(document).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, ReportPeriod):
        return {"from": value.start.isoformat(), "to": value.end.isoformat()}
    if isinstance(value, AutomatedRule):
        return {**_fields(value), "reversal_rate": round(value.reversal_rate, 4)}
    if is_dataclass(value) and not isinstance(value, type):
        return _fields(value)
    if isinstance(value, tuple):  # `Counts`: (key, count) pairs
        return {str(key): count for key, count in value}
    return value


def _fields(value: Any) -> dict[str, Any]:
    return {f.name: _field(f.name, getattr(value, f.name)) for f in fields(value)}


def _field(name: str, value: Any) -> Any:
    if name == "rules":  # the one list; every other tuple is `Counts`
        return [_plain(rule) for rule in value]
    return _plain(value)
